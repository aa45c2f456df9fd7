"""One person's evidence packet, from the published warehouse, as HTML and Markdown.

    python -m reports.packet --person p012 [--since 2026-07-01] [--until 2026-09-30] [--period quarter]
                               [--warehouse warehouse/loadbearing.duckdb] [--out warehouse/packets]

--person takes a person_key (or roster person_id, or an exact display name). Without
--since/--until the packet covers the last complete calendar --period: month, quarter (the
default), half or year.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from reports.build import add_document_arguments
from reports.marts import MartsError
from reports.packets import PERIODS, build_packets


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        written = build_packets(
            args.warehouse, args.out, people=[args.person], since=args.since, until=args.until, period=args.period
        )
    except (MartsError, ValueError) as exc:
        print(f"packet: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date like 2026-07-01: {text!r}") from None


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m reports.packet", description=__doc__.split("\n\n")[0])
    parser.add_argument("--person", required=True, help="person_key, person_id or exact display name")
    parser.add_argument("--since", type=_day, help="first day (ISO date; default: start of last quarter)")
    parser.add_argument(
        "--until", type=_day, help="last day, inclusive (ISO date; default: today, or end of last quarter)"
    )
    parser.add_argument(
        "--period",
        choices=sorted(PERIODS),
        default="quarter",
        help="without --since/--until: the last complete month, quarter, half or year (default: quarter)",
    )
    add_document_arguments(parser, "packets", "<key>_<since>_<until>.html and .md")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
