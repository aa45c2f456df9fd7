"""`make reliability`: every fault scenario against the real connectors, and a summary table.

    python -m scripts.reliability            # raw tables compared
    python -m scripts.reliability --marts    # dbt builds the marts in every deployment; compared too

The scenarios are those of tests/reliability (one list, harness/fault_scenarios.py).
Exit status 1 when any scenario lost or duplicated a row or did not recover.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import sys
import tempfile
import warnings
from pathlib import Path

from harness.fault_lab import Lab, Labs, run_deletions
from harness.fault_scenarios import SCENARIOS
from harness.warehouses import compare

COLUMNS = ("fault", "source", "endpoint", "runs", "rows compared", "rows lost", "rows duplicated", "outcome")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.reliability", description=__doc__.split("\n\n")[0])
    parser.add_argument("--marts", action="store_true", help="build and compare the dbt marts as well (slower)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # retries are logged as warnings; the table is the report
    warnings.filterwarnings("ignore")
    rows, healthy = [], True
    # dlt's progress log writes to stdout: the table is what goes there
    with tempfile.TemporaryDirectory(prefix="reliability-") as tmp, contextlib.redirect_stdout(io.StringIO()):
        built = set()
        with Labs(Path(tmp), on_start=_announce) as labs:
            for scenario in SCENARIOS:
                recovered, row = _run(scenario, labs.for_scenario(scenario), args.marts, built)
                healthy &= recovered
                rows.append(row)
        print("reliability: deletions between runs ...", file=sys.stderr, flush=True)
        for ok, row in deletion_rows(run_deletions(Path(tmp) / "deletions")):
            healthy &= ok
            rows.append(row)
    print(table(rows))
    print(
        f"\n{len(rows)} faults tried. runs: the faulted run and the recovery run (deletions: the runs before and "
        f"after). rows compared: every row of every raw_* table{' and mart' if args.marts else ''} of the clean "
        "reference (deletions: of that source's tables, against a fresh load)."
    )
    return 0 if healthy else 1


def _announce(apis) -> None:
    print(f"reliability: starting a sandbox serving {apis} ...", file=sys.stderr, flush=True)


def _run(scenario, lab: Lab, marts: bool, built: set) -> tuple[bool, tuple[str, ...]]:
    """One scenario: whether it recovered, and its table row."""
    print(f"reliability: {scenario.label}: {scenario.fault} ...", file=sys.stderr, flush=True)
    result = lab.run(scenario)
    if marts:
        reference = lab.reference(scenario)
        if reference.root not in built:
            reference.build_marts()
            built.add(reference.root)
        result.deployment.build_marts()
        result.comparison = compare(reference.warehouse, result.deployment.warehouse)
    comparison = result.comparison
    row = (
        scenario.fault,
        scenario.label,
        scenario.endpoint,
        str(result.runs),
        str(comparison.rows),
        str(comparison.lost),
        str(comparison.duplicated),
        result.outcome,
    )
    return result.recovered, row


def deletion_rows(deletions):
    """(as documented?, table row) per deletion kind."""
    kept = sum(deletions.kept_rows().values())
    for fault, source in (
        ("calendar event cancelled", "calendar"),
        ("PR review dismissed", "github"),
        ("Jira issue deleted", "jira"),
        ("GitHub comments and a review deleted", "github"),
    ):
        comparison = deletions.tables(source)
        if source == "jira":
            ok, outcome = (
                deletions.deleted_issue_gone(),
                f"equal to a fresh load, the deleted issue's rows gone ({kept} kept)",
            )
        elif fault.startswith("GitHub comments"):
            github_kept = sum(deletions.github_kept().values())
            ok = comparison.equal and github_kept == 0
            outcome = f"{github_kept} rows kept after deletion, equal to a fresh load"
        else:
            ok, outcome = comparison.equal, "equal to a fresh load"
        yield (
            ok,
            (
                fault,
                source,
                "deleted between runs",
                "2",
                str(comparison.rows),
                str(comparison.lost),
                str(comparison.duplicated),
                outcome if ok else "NOT EQUAL to a fresh load",
            ),
        )


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(column), *(len(row[i]) for row in rows)) for i, column in enumerate(COLUMNS)]
    widths[-1] = len(COLUMNS[-1])  # the outcome is last and may be long: no padding
    line = lambda cells: " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
    return "\n".join([line(COLUMNS), line(["-" * w for w in widths]), *(line(row) for row in rows)])


if __name__ == "__main__":
    sys.exit(main())
