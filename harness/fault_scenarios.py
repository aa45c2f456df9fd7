"""The faults tried against the connectors, one place for the tests and `make reliability`.

Each scenario arms faults on the sandbox, runs its source once with them (the faulted
run), clears them and runs the source again (the recovery run); the warehouse must then
equal, row for row, a deployment that never saw the fault. `phase` says where the fault
lands: "backfill" (the source's first load) or "incremental" (a run one sandbox day after
a clean first load of every source).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sandbox import faults as f
from sandbox.faults import Faults

GITHUB_REPOS = r"^/github/orgs/[^/]+/repos$"
GITHUB_GRAPHQL = r"^/github/graphql$"  # pull requests with their reviews, commits and files
GITHUB_ISSUES = r"^/github/repos/[^/]+/[^/]+/issues$"
JIRA_SEARCH = r"^/jira/rest/api/3/search/jql$"
JIRA_USERS = r"^/jira/rest/api/3/users/search$"
CALENDAR_EVENTS = r"^/calendar/v3/calendars/[^/]+/events$"
PAGERDUTY_LOG_ENTRIES = r"^/pagerduty/log_entries$"
PAGERDUTY_INCIDENTS = r"^/pagerduty/incidents$"
GRAPH_DELTA = r"^/graph/v1\.0/users/[^/]+/calendarView/delta$"
MICROSOFT_TOKEN = r"^/microsoft/[^/]+/oauth2/v2\.0/token$"
JIRA_SERVER_SEARCH = r"^/jira/rest/api/2/search$"
OPSGENIE_ALERTS = r"^/opsgenie/v2/alerts$"
OPSGENIE_LOGS = r"^/opsgenie/v2/alerts/[^/]+/logs$"
HTTP_TIMEOUT_S = 3  # LOADBEARING_HTTP_TIMEOUT_S while the scenarios run: a slow answer times out fast
SLOW_ANSWER_S = 4


@dataclass(frozen=True)
class Apis:
    """The APIs a lab's sandbox serves its sources through (a lab per set: Jira's flavour is the server's)."""

    calendar: str = "google"  # people's calendars: google, or outlook (Microsoft Graph)
    jira: str = "cloud"  # cloud, or server (Data Center, REST v2)
    oncall: str = "pagerduty"  # pagerduty or opsgenie


CLOUD_APIS = Apis()
# the other stand-ins a real organization may run instead
MICROSOFT_AND_SERVER_APIS = Apis(calendar="outlook", jira="server", oncall="opsgenie")


@dataclass(frozen=True)
class Scenario:
    fault: str  # what the API does
    source: str  # the connector that meets it
    endpoint: str  # path regex the fault is armed on
    arm: Callable[[Faults, str], object]  # (the server's faults, endpoint) -> armed
    phase: str = "incremental"
    fails: str | None = None  # regex the faulted run's message must match; None: the run recovers by itself
    added_column: str | None = None  # schema drift: a column it leaves behind, which the reference has not
    thorough: bool = False  # another instance of a kind the tests already cover: `make reliability` only
    apis: Apis = CLOUD_APIS

    @property
    def label(self) -> str:
        """The source, and which API of it when not the default one (calendar (outlook))."""
        api = getattr(self.apis, self.source, None)
        return self.source if api is None or api == getattr(CLOUD_APIS, self.source) else f"{self.source} ({api})"

    @property
    def id(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", f"{self.label} {self.fault}".lower()).strip("-")


SCENARIOS = [
    Scenario("429 Retry-After", "github", GITHUB_GRAPHQL, lambda faults, path: faults.too_many_requests(path, times=2)),
    Scenario(
        "403 secondary rate limit",
        "github",
        GITHUB_ISSUES,
        lambda faults, path: faults.secondary_rate_limit(path, times=1),
    ),
    Scenario(
        "X-RateLimit-Remaining 0",
        "github",
        GITHUB_REPOS,
        lambda faults, path: faults.quota_exhausted(path, reset_in_s=1, times=1),
    ),
    Scenario(
        "rate limit reset beyond the run's bound",
        "jira",
        JIRA_SEARCH,
        lambda faults, path: faults.too_many_requests(path, retry_after_s=3600, times=None),
        fails=r"Jira: HTTP 429 on GET /jira/rest/api/3/search/jql; waiting 3600 s",
    ),
    Scenario("500 502 503 burst", "jira", JIRA_SEARCH, lambda faults, path: faults.outage(path)),
    Scenario(
        "read timeout",
        "calendar",
        CALENDAR_EVENTS,
        lambda faults, path: faults.slow(path, delay_s=SLOW_ANSWER_S, times=1),
    ),
    Scenario("dropped connection", "jira", JIRA_SEARCH, lambda faults, path: faults.drop(path, times=2)),
    Scenario(
        "dropped connections at random",
        "calendar",
        CALENDAR_EVENTS,
        lambda faults, path: faults.drop(path, times=None, probability=0.2),
        phase="backfill",
        thorough=True,
    ),
    Scenario("truncated JSON", "github", GITHUB_GRAPHQL, lambda faults, path: faults.truncate(path, times=1)),
    Scenario(
        "pagination drift",
        "github",
        GITHUB_ISSUES,
        lambda faults, path: faults.pagination_drift(path, times=None),
        phase="backfill",
        thorough=True,
    ),
    Scenario(
        "pagination drift",
        "jira",
        JIRA_SEARCH,
        lambda faults, path: faults.pagination_drift(path, times=None),
        phase="backfill",
    ),
    Scenario(
        "schema drift field added",
        "github",
        GITHUB_ISSUES,
        lambda faults, path: faults.alter(path, f.add_field("auto_merge_method", "squash"), times=None),
        added_column="auto_merge_method",
    ),
    Scenario(
        "schema drift field removed",
        "jira",
        JIRA_USERS,
        lambda faults, path: faults.alter(path, f.remove_field("displayName"), times=None),
    ),
    Scenario(
        "schema drift type changed",
        "github",
        GITHUB_REPOS,
        lambda faults, path: faults.alter(path, f.change_type("stargazers_count", lambda n: f"{n} stars"), times=None),
        added_column="stargazers_count__v_text",
    ),  # dlt's variant column, empty once the repos are re-read
    Scenario(
        "schema drift type changed (incremental)",
        "github",
        GITHUB_GRAPHQL,
        lambda faults, path: faults.alter(path, f.change_type("additions", lambda n: f"{n} lines"), times=None),
        fails=r"GitHub: pull_requests \S+ has `additions` = '\d+ lines' where bigint was expected",
    ),
    Scenario(
        "schema drift field removed (incremental)",
        "github",
        GITHUB_GRAPHQL,
        lambda faults, path: faults.alter(path, f.remove_field("body"), times=None),
        fails=r"GitHub: pull_requests \S+ came without the field `body`",
    ),
    Scenario(
        "persistent 401",
        "calendar",
        CALENDAR_EVENTS,
        lambda faults, path: faults.add(
            path, 401, times=None, body={"error": {"code": 401, "message": "Invalid Credentials"}}
        ),
        fails=r"Google Calendar rejected the credentials \(HTTP 401 on GET /calendar/v3/calendars/.*/events\): "
        r"check SOURCES__CALENDAR__ACCESS_TOKEN",
    ),
    Scenario("500 502 503 burst", "oncall", PAGERDUTY_LOG_ENTRIES, lambda faults, path: faults.outage(path)),
    Scenario(
        "persistent 401",
        "oncall",
        PAGERDUTY_INCIDENTS,
        lambda faults, path: faults.add(
            path, 401, times=None, body={"error": {"message": "Unauthorized", "code": 2006}}
        ),
        fails=r"PagerDuty rejected the credentials \(HTTP 401 on GET /pagerduty/incidents\): "
        r"check SOURCES__ONCALL__API_KEY",
        thorough=True,
    ),
    Scenario(
        "429 Retry-After",
        "calendar",
        GRAPH_DELTA,
        lambda faults, path: faults.too_many_requests(path, times=2),
        apis=MICROSOFT_AND_SERVER_APIS,
    ),
    Scenario(
        "410 syncStateNotFound (full resync)",
        "calendar",
        GRAPH_DELTA,
        lambda faults, path: faults.add(
            path,
            410,
            times=1,
            body={"error": {"code": "syncStateNotFound", "message": "The sync state generation is not found."}},
        ),
        apis=MICROSOFT_AND_SERVER_APIS,
    ),
    Scenario(
        "500 502 503 burst at the token endpoint",
        "calendar",
        MICROSOFT_TOKEN,
        lambda faults, path: faults.outage(path),
        phase="backfill",
        apis=MICROSOFT_AND_SERVER_APIS,
        thorough=True,
    ),
    Scenario(
        "500 502 503 burst",
        "jira",
        JIRA_SERVER_SEARCH,
        lambda faults, path: faults.outage(path),
        apis=MICROSOFT_AND_SERVER_APIS,
    ),
    Scenario(
        "pagination drift (offset pages)",
        "jira",
        JIRA_SERVER_SEARCH,
        lambda faults, path: faults.offset_drift(path, times=None),
        phase="backfill",
        apis=MICROSOFT_AND_SERVER_APIS,
    ),
    Scenario(
        "dropped connection",
        "jira",
        JIRA_SERVER_SEARCH,
        lambda faults, path: faults.drop(path, times=2),
        apis=MICROSOFT_AND_SERVER_APIS,
        thorough=True,
    ),
    Scenario(
        "429 Retry-After",
        "oncall",
        OPSGENIE_ALERTS,
        lambda faults, path: faults.too_many_requests(path, times=2),
        apis=MICROSOFT_AND_SERVER_APIS,
    ),
    Scenario(
        "500 502 503 burst",
        "oncall",
        OPSGENIE_LOGS,
        lambda faults, path: faults.outage(path),
        apis=MICROSOFT_AND_SERVER_APIS,
        thorough=True,
    ),
]
