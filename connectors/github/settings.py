"""GitHub connector settings: where each table comes from and how much is asked per call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from connectors.common.settings import Reader

SOURCE_NAME = "github"
TOKEN_SETTING = "SOURCES__GITHUB__ACCESS_TOKEN"
ORG_SETTING = "SOURCES__GITHUB__ORG"
REPOS_SETTING = "SOURCES__GITHUB__REPOS"
BASE_URL_SETTING = "SOURCES__GITHUB__BASE_URL"
# a GitHub App instead of a token (connectors.github.app): installation tokens, renewed hourly
APP_ID_SETTING = "SOURCES__GITHUB__APP_ID"
APP_PRIVATE_KEY_SETTING = "SOURCES__GITHUB__APP_PRIVATE_KEY"
APP_INSTALLATION_ID_SETTING = "SOURCES__GITHUB__APP_INSTALLATION_ID"
DEFAULT_BASE_URL = "https://api.github.com"  # GitHub Enterprise: https://HOST/api/v3
API_VERSION = "2022-11-28"
PAGE_SIZE = 100  # GitHub's maximum

# below this many requests left in the hour, no new list page or PR is fetched: that work
# waits for the next run (children of PRs already fetched still are)
QUOTA_RESERVE = 500

# PRs updated in the cursor's last minutes are listed again (timestamps are per second and
# a PR saved while we listed may carry one just before the cursor); unchanged ones are skipped
PULLS_OVERLAP = timedelta(minutes=5)

# comments updated this long before a repo's cursor are listed again each run, so that the ones
# deleted since are found (connectors.github.deletions)
DELETIONS_WINDOW = timedelta(days=14)

# pull requests asked by the first GraphQL query of a repo's listing: a daily run rarely needs
# more, and every listed PR comes with its reviews, commits and files (later pages ask 100)
PULLS_FIRST_PAGE = 10

ORG_REPOS = "/orgs/{org}/repos"
REPO = "/repos/{repo}"
REVIEW_COMMENTS = "/repos/{repo}/pulls/comments"
ISSUES = "/repos/{repo}/issues"
ISSUE_COMMENTS = "/repos/{repo}/issues/comments"
RELEASES = "/repos/{repo}/releases"

PRIMARY_KEYS = {
    "repositories": "id",
    "pull_requests": "id",
    "pull_request_files": ("repo", "pull_number", "filename"),
    "reviews": "id",
    "review_comments": "id",
    "issue_comments": "id",
    "pull_request_commits": ("repo", "pull_number", "sha"),
    "issues": "id",
    "releases": "id",
    "review_requests": "node_id",
}

# a re-fetched PR's files and commits replace its earlier ones (a force-push can drop some)
# a re-fetched PR's reviews and review request events too: one deleted at GitHub leaves with it
MERGE_KEYS = {
    table: ("repo", "pull_number")
    for table in ("pull_request_files", "pull_request_commits", "reviews", "review_requests")
}

# columns dbt staging reads that a load may see only as null or [] (dlt would then not create them)
_TEXT, _JSON, _TIME, _INT = ({"data_type": t} for t in ("text", "json", "timestamp", "bigint"))
# a comment's tombstone (connectors.github.deletions): dlt deletes the row of a flagged one
_DELETED = {"data_type": "bool", "hard_delete": True}
COLUMNS = {
    "repositories": {"default_branch": _TEXT},
    "pull_requests": {
        "body": _TEXT,
        "user": _JSON,
        "labels": _JSON,
        "head": _JSON,
        "base": _JSON,
        "requested_reviewers": _JSON,
        "author_association": _TEXT,
        "merged_at": _TIME,
        "closed_at": _TIME,
        "additions": _INT,
        "deletions": _INT,
        "changed_files": _INT,
    },
    "pull_request_files": {"status": _TEXT, "additions": _INT, "deletions": _INT},
    "reviews": {"body": _TEXT, "user": _JSON, "author_association": _TEXT, "submitted_at": _TIME},
    "review_comments": {
        "deleted_at_source": _DELETED,
        "body": _TEXT,
        "user": _JSON,
        "path": _TEXT,
        "pull_request_review_id": _INT,
        "pull_number": _INT,
    },
    "issue_comments": {
        "deleted_at_source": _DELETED,
        "body": _TEXT,
        "user": _JSON,
        "author_association": _TEXT,
        "issue_number": _INT,
    },
    "pull_request_commits": {"author": _JSON, "commit": _JSON, "co_authors": _JSON},
    "issues": {"body": _TEXT, "user": _JSON, "labels": _JSON, "closed_at": _TIME},
    "releases": {"name": _TEXT, "body": _TEXT, "author": _JSON, "published_at": _TIME, "draft": {"data_type": "bool"}},
    "review_requests": {"actor": _JSON, "requested_reviewer": _JSON, "requested_team": _JSON},
}

# fields present (if null) in every row of a table: their absence means the API changed
# (connectors.common.shape). REST's listing endpoints omit some of them; pull requests come
# from GraphQL, which answers every field asked.
ALWAYS_SENT = {"pull_requests": tuple(COLUMNS["pull_requests"])}

SETTINGS_HELP = f"""settings (env vars, .dlt/config.toml [sources.github], or .dlt/secrets.toml):
  SOURCES__GITHUB__ORG          organization whose repositories are loaded (GET {ORG_REPOS})
  SOURCES__GITHUB__REPOS        optional list of owner/name, instead of every repo of ORG
  SOURCES__GITHUB__BASE_URL     default {DEFAULT_BASE_URL}; GitHub Enterprise: https://HOST/api/v3
  {TOKEN_SETTING} (secret) a token that can read the repositories, or a GitHub App:
  {APP_ID_SETTING}        the app's id (its settings page, "App ID")
  {APP_PRIVATE_KEY_SETTING} (secret) a private key of the app: the .pem's text or its path
  {APP_INSTALLATION_ID_SETTING}  optional; default: the app's installation on ORG
      (read permission on contents, issues, pull requests and metadata; tokens are renewed hourly)
  SOURCES__GITHUB__START_DATE   optional ISO date; history before it is not backfilled

tables (dataset raw_github): repositories, pull_requests, pull_request_files, reviews,
  review_comments, issue_comments, pull_request_commits, issues, releases, review_requests.
Pull requests with their reviews, commits, files and review request events come from the GraphQL API (POST /graphql,
{PULLS_FIRST_PAGE} PRs in a repo's first query, then 100); the rest from REST, page size {PAGE_SIZE}.
Incremental per repository; pulls re-read with an overlap of {int(PULLS_OVERLAP.total_seconds() // 60)} min
before the cursor; unchanged first pages of REST lists answered 304 (free). Comment lists are
re-read from {DELETIONS_WINDOW.days} days before their cursor, so comments deleted in that window leave the warehouse.
With fewer than {QUOTA_RESERVE} requests (REST) or points (GraphQL) of the hourly quota left, the
remaining list pages and pull requests wait for the next run, which goes on from what was loaded (a warning names
each deferred repository and table), so a backfill larger than an hour's quota completes
over several runs."""


@dataclass(frozen=True)
class GithubSettings:
    """The source's settings, by dlt's names (so the job and `python -m connectors.github` share them)."""

    access_token: str | None = field(default=None, repr=False)
    org: str | None = None
    repos: list[str] | None = None
    base_url: str = DEFAULT_BASE_URL
    app_id: str | None = None
    app_private_key: str | None = field(default=None, repr=False)  # PEM text
    app_installation_id: str | None = None  # None: found from the org
    problems: tuple[str, ...] = field(default=(), repr=False)  # found while reading

    @staticmethod
    def configured(env: Mapping[str, str] | None = None) -> bool:
        """Any of its settings set: a source with none is skipped, a half-set one is an error."""
        return Reader(env).any_set(
            (
                TOKEN_SETTING,
                ORG_SETTING,
                REPOS_SETTING,
                BASE_URL_SETTING,
                APP_ID_SETTING,
                APP_PRIVATE_KEY_SETTING,
                APP_INSTALLATION_ID_SETTING,
            )
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GithubSettings:
        read = Reader(env)
        return cls(
            access_token=read.text(TOKEN_SETTING),
            org=read.text(ORG_SETTING),
            repos=read.items(REPOS_SETTING, r"[\w.-]+/[\w.-]+", "owner/name"),
            base_url=read.url(BASE_URL_SETTING) or DEFAULT_BASE_URL,
            app_id=_numeric_id(read, APP_ID_SETTING, "the app's numeric id (its settings page)"),
            app_private_key=read.private_key(APP_PRIVATE_KEY_SETTING),
            app_installation_id=_numeric_id(read, APP_INSTALLATION_ID_SETTING, "a numeric installation id"),
            problems=tuple(read.problems),
        )

    def validate(self) -> list[str]:
        problems = list(self.problems)
        if not self.org and not self.repos:
            problems.append(f"{ORG_SETTING} (or {REPOS_SETTING}) is missing: which organization to read")
        # a key that did not parse is still the mode chosen (its problem is listed already)
        app_given = self.app_id or self.app_private_key or APP_PRIVATE_KEY_SETTING in " ".join(self.problems)
        if self.access_token and app_given:
            problems.append(f"set {TOKEN_SETTING} or the GitHub App settings ({APP_ID_SETTING}, ...), not both")
        elif app_given:
            if not self.app_id and APP_ID_SETTING not in " ".join(self.problems):
                problems.append(f"{APP_ID_SETTING} is missing (the GitHub App's id, beside its private key)")
            if not self.app_private_key and APP_PRIVATE_KEY_SETTING not in " ".join(self.problems):
                problems.append(f"{APP_PRIVATE_KEY_SETTING} is missing (a private key of GitHub App {self.app_id})")
            if not self.org and not self.app_installation_id and self.repos is None:
                problems.append(f"{APP_INSTALLATION_ID_SETTING} or {ORG_SETTING} is missing: which installation")
        elif not self.access_token:
            problems.append(
                f"{TOKEN_SETTING} is missing (a GitHub token with read access), "
                f"or a GitHub App's {APP_ID_SETTING} and {APP_PRIVATE_KEY_SETTING}"
            )
        return problems

    def source_arguments(self) -> dict:
        """github_source's arguments; the ones left out resolve through dlt (its defaults, config files)."""
        arguments = {
            "access_token": self.access_token,
            "org": self.org,
            "repos": self.repos,
            "base_url": self.base_url,
            "app_id": self.app_id,
            "app_private_key": self.app_private_key,
            "app_installation_id": self.app_installation_id,
        }
        return {name: value for name, value in arguments.items() if value is not None}


def _numeric_id(read: Reader, name: str, what: str) -> str | None:
    value = read.text(name)
    if value and not value.isdigit():
        read.problems.append(f"{name} must be {what}, got {value!r}")
        return None
    return value
