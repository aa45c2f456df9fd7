"""python -m connectors.jira — load Jira Cloud into raw_jira of a DuckDB file."""

from __future__ import annotations

from connectors.common.pipeline import main
from connectors.jira import jira_source, settings


def _add_arguments(parser) -> None:
    parser.add_argument("--site-url", help=f"e.g. https://acme.atlassian.net (overrides {settings.SITE_SETTING})")
    parser.add_argument("--email", help=f"account of the API token (overrides {settings.EMAIL_SETTING})")
    parser.add_argument("--project", action="append", dest="projects", help="project key; repeat for several")
    parser.add_argument("--start-date", help="ISO date of the first backfill")


def _build(args):
    # the command line over the settings the job reads too; what neither sets resolves through dlt config
    given = {"site_url": args.site_url, "email": args.email, "projects": args.projects, "start_date": args.start_date}
    return jira_source(
        **{**settings.JiraSettings.from_env().source_arguments(), **{k: v for k, v in given.items() if v}}
    )


if __name__ == "__main__":
    main(
        settings.SOURCE_NAME,
        "Load Jira issues, changelogs, worklogs, comments and users.",
        settings.SETTINGS_HELP,
        _build,
        _add_arguments,
    )
