"""python -m connectors.github — load GitHub into raw_github of a DuckDB file."""

from __future__ import annotations

from connectors.common.pipeline import main
from connectors.github import github_source, settings


def _add_arguments(parser) -> None:
    parser.add_argument("--org", help="organization (overrides SOURCES__GITHUB__ORG)")
    parser.add_argument("--repo", action="append", dest="repos", help="owner/name; repeat for several")
    parser.add_argument("--base-url", help=f"API root (default {settings.DEFAULT_BASE_URL})")
    parser.add_argument("--start-date", help="ISO date of the first backfill")


def _build(args):
    # the command line over the settings the job reads too; what neither sets resolves through dlt config
    given = {"org": args.org, "repos": args.repos, "base_url": args.base_url, "start_date": args.start_date}
    return github_source(
        **{**settings.GithubSettings.from_env().source_arguments(), **{k: v for k, v in given.items() if v}}
    )


if __name__ == "__main__":
    main(
        settings.SOURCE_NAME,
        "Load GitHub pull requests, reviews, comments, issues and releases.",
        settings.SETTINGS_HELP,
        _build,
        _add_arguments,
    )
