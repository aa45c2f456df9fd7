"""Jira connector settings: endpoints, the fields kept per issue, page sizes, the cursor overlap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from connectors.common.settings import Reader

SOURCE_NAME = "jira"
TOKEN_SETTING = "SOURCES__JIRA__API_TOKEN"
EMAIL_SETTING = "SOURCES__JIRA__EMAIL"
SITE_SETTING = "SOURCES__JIRA__SITE_URL"
PROJECTS_SETTING = "SOURCES__JIRA__PROJECTS"

API = "/rest/api/3"
SEARCH = f"{API}/search/jql"  # the old /search answers 410 on Jira Cloud
CHANGELOG = API + "/issue/{key}/changelog"
WORKLOGS = API + "/issue/{key}/worklog"
COMMENTS = API + "/issue/{key}/comment"
USERS = f"{API}/users/search"
MYSELF = f"{API}/myself"  # the API user's time zone: JQL dates are read in it

# the usual Jira Cloud id of the Sprint field (it is site-specific: check /rest/api/3/field)
SPRINT_FIELD = "customfield_10020"
FIELDS = [
    "summary",
    "description",
    "project",
    "issuetype",
    "priority",
    "labels",
    "components",
    "status",
    "assignee",
    "reporter",
    "creator",
    "created",
    "updated",
    "resolutiondate",
    "fixVersions",
    SPRINT_FIELD,
    "parent",
    "comment",
    "worklog",  # the first comments and worklogs, with their total: most issues need no more
]
# fields that are tables of their own, left out of the issues table's `fields`
CHILD_FIELDS = {"comment": "comments", "worklog": "worklogs"}

SEARCH_PAGE_SIZE = 100  # Jira's maximum when fields are asked for
CHANGELOG_PAGE_SIZE = 100  # maximum of /issue/{key}/changelog
WORKLOG_PAGE_SIZE = 5000
COMMENT_PAGE_SIZE = 5000
USER_PAGE_SIZE = 1000

# JQL has minute precision and the search index lags writes: re-read this much before the cursor
OVERLAP = timedelta(minutes=5)
FIRST_BACKFILL = "1970-01-01 00:00"  # Jira refuses unbounded JQL; without start_date, take everything

SETTINGS_HELP = f"""settings (env vars, .dlt/config.toml [sources.jira], or .dlt/secrets.toml):
  {SITE_SETTING}    e.g. https://acme.atlassian.net
  {EMAIL_SETTING}       the Atlassian account the API token belongs to
  {TOKEN_SETTING} (secret) an API token of that account (id.atlassian.com)
  {PROJECTS_SETTING}    optional list of project keys (default: every project the account sees)
  SOURCES__JIRA__START_DATE  optional ISO date; issues not updated since are not backfilled

tables (dataset raw_jira): issues, issue_changelogs, worklogs, comments, users.
Issues come from GET {SEARCH} (nextPageToken, {SEARCH_PAGE_SIZE} per page, expand=changelog) ordered by
updated; the next run asks for `updated >=` the cursor minus {int(OVERLAP.total_seconds() // 60)} min and
merges on id, so nothing is duplicated. Worklogs and comments come inline with those issues; an
issue with more than the search inlines has them read from /issue/{{key}}/worklog and /comment.
Sprint field: {SPRINT_FIELD}."""


@dataclass(frozen=True)
class JiraSettings:
    """The source's settings, by dlt's names (so the job and `python -m connectors.jira` share them)."""

    site_url: str | None = None
    email: str | None = None
    api_token: str | None = field(default=None, repr=False)
    projects: list[str] | None = None
    problems: tuple[str, ...] = field(default=(), repr=False)  # found while reading

    @staticmethod
    def configured(env: Mapping[str, str] | None = None) -> bool:
        """Any of its settings set: a source with none is skipped, a half-set one is an error."""
        return Reader(env).any_set((SITE_SETTING, EMAIL_SETTING, TOKEN_SETTING, PROJECTS_SETTING))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> JiraSettings:
        read = Reader(env)
        return cls(
            site_url=read.url(SITE_SETTING),
            email=read.text(EMAIL_SETTING),
            api_token=read.text(TOKEN_SETTING),
            projects=read.items(PROJECTS_SETTING, r"[A-Z][A-Z0-9_]*", "a project key like OPS"),
            problems=tuple(read.problems),
        )

    def validate(self) -> list[str]:
        problems = list(self.problems)
        if not self.email:
            problems.append(f"{EMAIL_SETTING} is missing (the account the API token belongs to)")
        elif "@" not in self.email:
            problems.append(f"{EMAIL_SETTING} must be an email address, got {self.email!r}")
        if not self.site_url:
            problems.append(f"{SITE_SETTING} is missing (e.g. https://acme.atlassian.net)")
        if not self.api_token:
            problems.append(f"{TOKEN_SETTING} is missing (an Atlassian API token)")
        return problems

    def source_arguments(self) -> dict:
        """jira_source's arguments; the ones left out resolve through dlt (its defaults, config files)."""
        arguments = {
            "site_url": self.site_url,
            "email": self.email,
            "api_token": self.api_token,
            "projects": self.projects,
        }
        return {name: value for name, value in arguments.items() if value is not None}
