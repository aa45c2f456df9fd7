"""python -m connectors.oncall — load PagerDuty or Opsgenie into raw_oncall of the warehouse."""

from __future__ import annotations

from connectors.common.pipeline import main
from connectors.oncall import oncall_source, settings


def _add_arguments(parser) -> None:
    parser.add_argument("--provider", choices=("pagerduty", "opsgenie"), help=f"overrides {settings.PROVIDER_SETTING}")
    parser.add_argument("--base-url", help=f"overrides {settings.BASE_URL_SETTING}")
    parser.add_argument("--start-date", help="ISO date of the first backfill")


def _build(args):
    # the command line over the settings the job reads too; what neither sets resolves through dlt config
    given = {"provider": args.provider, "base_url": args.base_url, "start_date": args.start_date}
    return oncall_source(
        **{**settings.OncallSettings.from_env().source_arguments(), **{k: v for k, v in given.items() if v}}
    )


if __name__ == "__main__":
    main(
        settings.SOURCE_NAME,
        "Load on-call incidents and their log (who was paged, who acknowledged) from PagerDuty or Opsgenie.",
        settings.SETTINGS_HELP,
        _build,
        _add_arguments,
    )
