"""python -m connectors.people — load the people roster into raw_people of a DuckDB file."""

from __future__ import annotations

from connectors.common.pipeline import main
from connectors.people import people_source, settings


def _add_arguments(parser) -> None:
    parser.add_argument("--roster", help=f"roster file, CSV or YAML (overrides {settings.ROSTER_SETTING})")


def _build(args):
    # the command line over the setting the job reads too; without either it resolves through dlt config
    roster = {"roster_path": args.roster} if args.roster else settings.PeopleSettings.from_env().source_arguments()
    return people_source(**roster)


if __name__ == "__main__":
    main(
        settings.SOURCE_NAME,
        "Load the people roster (who is who, their teams, managers and identities).",
        settings.SETTINGS_HELP,
        _build,
        _add_arguments,
    )
