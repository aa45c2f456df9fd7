"""python -m connectors.calendar — load Google Calendar events, Outlook calendars and .ics feeds into raw_calendar."""

from __future__ import annotations

from connectors.calendar import calendar_source, settings
from connectors.common.pipeline import main


def _add_arguments(parser) -> None:
    parser.add_argument(
        "--calendar-id",
        action="append",
        dest="calendar_ids",
        help="Google calendar id; repeat for several (overrides SOURCES__CALENDAR__CALENDAR_IDS)",
    )
    parser.add_argument(
        "--ics-feed", action="append", dest="ics_feeds", help="name=url-or-path of an .ics feed; repeat for several"
    )
    parser.add_argument("--base-url", help=f"API root (default {settings.DEFAULT_BASE_URL})")
    parser.add_argument("--start-date", help="ISO date: first full sync and .ics expansion start there")
    parser.add_argument("--ics-horizon-days", type=int, help=f"default {settings.ICS_HORIZON_DAYS}")


def _build(args):
    # the command line over the settings the job reads too; what neither sets resolves through dlt config
    given = {
        "calendar_ids": args.calendar_ids,
        "ics_feeds": args.ics_feeds,
        "base_url": args.base_url,
        "start_date": args.start_date,
        "ics_horizon_days": args.ics_horizon_days,
    }
    return calendar_source(
        **{**settings.CalendarSettings.from_env().source_arguments(), **{k: v for k, v in given.items() if v}}
    )


if __name__ == "__main__":
    main(
        settings.SOURCE_NAME,
        "Load Google Calendar events, Outlook calendars (Microsoft Graph) and .ics feeds.",
        settings.SETTINGS_HELP,
        _build,
        _add_arguments,
    )
