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
DEPLOYMENT_SETTING = "SOURCES__JIRA__DEPLOYMENT"
USERNAME_SETTING = "SOURCES__JIRA__USERNAME"
RECONCILE_SETTING = "SOURCES__JIRA__RECONCILE_DAYS"

CLOUD, SERVER = "cloud", "server"  # Jira Cloud (REST v3), Jira Data Center / Server (REST v2)
DEPLOYMENTS = (CLOUD, SERVER)


@dataclass(frozen=True)
class Api:
    """The endpoints of one kind of Jira deployment."""

    search: str
    changelog: str | None  # the paged changelog of an issue; None: the issue with expand=changelog
    issue: str
    worklogs: str
    comments: str
    users: str
    users_params: dict  # what the users list needs besides its paging
    users_key: str  # the primary key of a user object
    myself: str  # the API user's time zone: JQL dates are read in it
    search_order: str  # the order search pages are read in
    ids_page_size: int  # largest page of an ids-only search


def _api(root: str, **kwargs) -> Api:
    return Api(
        issue=root + "/issue/{key}",
        worklogs=root + "/issue/{key}/worklog",
        comments=root + "/issue/{key}/comment",
        myself=f"{root}/myself",
        **kwargs,
    )


APIS = {
    # the old /search answers 410 on Jira Cloud; /search/jql pages by nextPageToken, so its order can be `updated`
    CLOUD: _api(
        "/rest/api/3",
        search="/rest/api/3/search/jql",
        changelog="/rest/api/3/issue/{key}/changelog",
        users="/rest/api/3/users/search",
        users_params={},
        users_key="accountId",
        search_order="updated ASC",
        ids_page_size=5000,
    ),
    # /search pages by startAt: ordered by `created`, an issue updated while the pages are read does not
    # move (and shift the later ones past the offset); new issues join at the end. Server caps maxResults
    # (jira.search.views.default.max, 1000 by default) and has no paged changelog: the issue itself,
    # with expand=changelog, holds all of it. `username=.` lists every user.
    SERVER: _api(
        "/rest/api/2",
        search="/rest/api/2/search",
        changelog=None,
        users="/rest/api/2/user/search",
        users_params={"username": "."},
        users_key="name",  # `key` is missing from Server 5 users; a renamed user's old row stays
        search_order="created ASC",
        ids_page_size=1000,
    ),
}

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

# issues that left Jira are found by listing every issue id (ids-only search pages, ids_page_size per
# request: Cloud 0.2 requests per 1,000 issues, Server 1) and asking for each id missing from that list
# (one request per deleted issue); done every RECONCILE_DAYS, and on every run while the warehouse's
# issues fit in one such page
RECONCILE_DAYS = 7

# JQL has minute precision and the search index lags writes: re-read this much before the cursor
OVERLAP = timedelta(minutes=5)
FIRST_BACKFILL = "1970-01-01 00:00"  # Jira refuses unbounded JQL; without start_date, take everything

SETTINGS_HELP = f"""settings (env vars, .dlt/config.toml [sources.jira], or .dlt/secrets.toml):
  {SITE_SETTING}    e.g. https://acme.atlassian.net (Data Center: https://jira.acme.example)
  {DEPLOYMENT_SETTING}  cloud (default) or server (Jira Data Center / Server, REST v2)
  {EMAIL_SETTING}       cloud: the Atlassian account the API token belongs to
  {TOKEN_SETTING} (secret) cloud: an API token of that account (id.atlassian.com);
                          server: a personal access token (sent as Bearer), or with
  {USERNAME_SETTING}    server: the user whose password {TOKEN_SETTING} then is (basic auth)
  {PROJECTS_SETTING}    optional list of project keys (default: every project the account sees)
  {RECONCILE_SETTING} days between two searches for deleted issues (default {RECONCILE_DAYS}; always
                          while the warehouse's issues fit in one ids-only page)
  SOURCES__JIRA__START_DATE  optional ISO date; issues not updated since are not backfilled

tables (dataset raw_jira): issues, issue_changelogs, worklogs, comments, users.
Issues come from GET {APIS[CLOUD].search} (nextPageToken; Server: {APIS[SERVER].search}, startAt)
with expand=changelog, {SEARCH_PAGE_SIZE} per page; the next run asks for `updated >=` the cursor minus {int(OVERLAP.total_seconds() // 60)} min and
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
    deployment: str | None = None
    username: str | None = None
    reconcile_days: int | None = None
    problems: tuple[str, ...] = field(default=(), repr=False)  # found while reading

    @staticmethod
    def configured(env: Mapping[str, str] | None = None) -> bool:
        """Any of its settings set: a source with none is skipped, a half-set one is an error."""
        return Reader(env).any_set(
            (SITE_SETTING, EMAIL_SETTING, TOKEN_SETTING, PROJECTS_SETTING, DEPLOYMENT_SETTING, USERNAME_SETTING)
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> JiraSettings:
        read = Reader(env)
        return cls(
            site_url=read.url(SITE_SETTING),
            email=read.text(EMAIL_SETTING),
            api_token=read.text(TOKEN_SETTING),
            projects=read.items(PROJECTS_SETTING, r"[A-Z][A-Z0-9_]*", "a project key like OPS"),
            deployment=(read.text(DEPLOYMENT_SETTING) or "").lower() or None,
            username=read.text(USERNAME_SETTING),
            reconcile_days=read.count(RECONCILE_SETTING, None, "days"),
            problems=tuple(read.problems),
        )

    def validate(self) -> list[str]:
        problems = list(self.problems)
        if self.deployment not in (None, *DEPLOYMENTS):
            problems.append(f"{DEPLOYMENT_SETTING} must be cloud or server, got {self.deployment!r}")
        if self.deployment == SERVER:
            return problems + self._server_problems()
        if self.username:
            problems.append(
                f"{USERNAME_SETTING} is for Jira Server ({DEPLOYMENT_SETTING}=server); Cloud uses {EMAIL_SETTING}"
            )
        if not self.email:
            problems.append(f"{EMAIL_SETTING} is missing (the account the API token belongs to)")
        elif "@" not in self.email:
            problems.append(f"{EMAIL_SETTING} must be an email address, got {self.email!r}")
        if not self.site_url:
            problems.append(f"{SITE_SETTING} is missing (e.g. https://acme.atlassian.net)")
        if not self.api_token:
            problems.append(f"{TOKEN_SETTING} is missing (an Atlassian API token)")
        return problems

    def _server_problems(self) -> list[str]:
        problems = []
        if not self.site_url:
            problems.append(f"{SITE_SETTING} is missing (e.g. https://jira.acme.example)")
        if not self.api_token:
            problems.append(
                f"{TOKEN_SETTING} is missing (a personal access token, or the password of {USERNAME_SETTING})"
            )
        return problems

    def source_arguments(self) -> dict:
        """jira_source's arguments; the ones left out resolve through dlt (its defaults, config files)."""
        arguments = {
            "site_url": self.site_url,
            "email": self.email,
            "api_token": self.api_token,
            "projects": self.projects,
            "deployment": self.deployment,
            "username": self.username,
            "reconcile_days": self.reconcile_days,
        }
        return {name: value for name, value in arguments.items() if value is not None}
