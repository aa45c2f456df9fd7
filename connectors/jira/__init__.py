"""Jira Cloud → raw_jira: issues with their changelogs, worklogs and comments, and users
(docs/CONTRACTS.md, "Raw tables").

Issues are searched by `updated`, oldest first; the cursor (the newest `updated` loaded) is
a dlt.sources.incremental, which dlt commits only with a successful extract. Its `lag`
re-reads a few minutes before the cursor (JQL has minute precision, the search index lags
writes) and every table merges on its primary key, so the overlap never duplicates a row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dlt

from connectors.common.time import parse_instant, start_of
from connectors.jira import settings
from connectors.jira.client import JiraClient

log = logging.getLogger("loadbearing.jira")


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def jira_source(
    site_url: str = dlt.config.value,
    email: str = dlt.config.value,
    api_token: str = dlt.secrets.value,
    projects: Sequence[str] | None = None,
    start_date: str | None = None,
):
    client = JiraClient(site_url, email, api_token)
    site = site_url.rstrip("/")
    start = start_of(start_date, "Jira", "SOURCES__JIRA__START_DATE")

    # an issue's worklogs and comments come with it unless it has more than the search inlines;
    # those are fetched on dlt's worker threads
    updated_issues = dlt.resource(
        _updated_issues(client, list(projects or []), start and start.date()), name="updated_issues", selected=False
    )
    return (
        updated_issues,
        dlt.transformer(
            _issues(site), data_from=updated_issues, name="issues", primary_key="id", write_disposition="merge"
        ),
        dlt.transformer(
            _changelogs(client),
            data_from=updated_issues,
            name="issue_changelogs",
            primary_key="id",
            write_disposition="merge",
        ),
        dlt.transformer(
            _children(client, settings.WORKLOGS, settings.WORKLOG_PAGE_SIZE, "worklog", False),
            data_from=updated_issues,
            name="worklogs",
            primary_key="id",
            write_disposition="merge",
            parallelized=True,
        ),
        dlt.transformer(
            _children(client, settings.COMMENTS, settings.COMMENT_PAGE_SIZE, "comment", True),
            data_from=updated_issues,
            name="comments",
            primary_key="id",
            write_disposition="merge",
            parallelized=True,
        ),
        dlt.resource(_users(client), name="users", primary_key="accountId", write_disposition="merge"),
    )


# -- resources ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FoundIssue:
    """An issue as the search found it, and its `updated` as an instant: the incremental's cursor.
    (Jira writes `updated` in the API user's offset, so the text itself does not sort.)"""

    issue: dict
    updated: datetime | None  # None: Jira's text could not be read


def _updated_issues(client: JiraClient, projects: list[str], start: date | None):
    """Every issue updated since the cursor (less the lag), with its inline changelog; issues
    in the overlap that an earlier run loaded unchanged are left out, so their worklogs and
    comments are not read again (`seen` in resource state: {id: updated} of the overlap)."""

    def updated_issues(
        updated=dlt.sources.incremental[datetime](  # noqa: B008 (dlt binds an incremental given as the default)
            "updated",
            lag=settings.OVERLAP.total_seconds(),  # noqa: B008
            primary_key=(),  # `seen` already leaves out what the overlap finds again
            on_cursor_value_missing="include",  # an issue without a readable time is loaded, moves no cursor
        ),
    ) -> Iterator[FoundIssue]:
        state = dlt.current.resource_state()
        # deployments before the incremental kept their cursor here: it counts until the incremental passes it
        legacy = parse_instant(state.get("cursor"))
        since = _latest(updated.start_value, legacy and legacy - settings.OVERLAP)
        seen = state.get("seen", {})
        listed = {}
        for page in client.search(search_jql(_since(client, since, start), projects), settings.FIELDS, "changelog"):
            for issue in page:
                stamp = (issue.get("fields") or {}).get("updated")
                found = FoundIssue(issue, _updated_at(issue, stamp))
                listed[str(issue["id"])] = stamp if found.updated else None  # without a time it is never "seen"
                if found.updated and seen.get(str(issue["id"])) == stamp:
                    continue  # loaded by an earlier run, unchanged since: skip its worklogs and comments
                yield found
        # the incremental has seen every yielded issue by now: its last value is the new cursor
        newest = _latest(updated.last_value, legacy)
        if updated.last_value is not None and updated.last_value >= newest:
            state.pop("cursor", None)
        if newest:
            window = newest - settings.OVERLAP
            state["seen"] = {i: at for i, at in {**seen, **listed}.items() if at and parse_instant(at) >= window}

    return updated_issues


def _issues(site: str):
    def issues(found: FoundIssue) -> Iterator[dict]:
        issue = found.issue
        # histories, comments and worklogs have tables of their own
        row = {k: v for k, v in issue.items() if k != "changelog"}
        if isinstance(row.get("fields"), dict):
            row["fields"] = {k: v for k, v in row["fields"].items() if k not in settings.CHILD_FIELDS}
        yield {**row, "html_url": f"{site}/browse/{issue['key']}"}

    return issues


def _changelogs(client: JiraClient):
    """Inline histories, or all of them from /changelog when search returned only the first ones."""

    def issue_changelogs(found: FoundIssue) -> Iterator[dict]:
        issue = found.issue
        changelog = issue.get("changelog") or {}
        histories = changelog.get("histories") or []
        if (changelog.get("total") or 0) > len(histories):
            path = settings.CHANGELOG.format(key=issue["key"])
            histories = [h for page in client.paged(path, settings.CHANGELOG_PAGE_SIZE, "values") for h in page]
        for history in histories:
            yield {**history, "issue_id": issue["id"], "issue_key": issue["key"]}

    return issue_changelogs


def _children(client: JiraClient, endpoint: str, page_size: int, field: str, with_issue_id: bool):
    """Worklogs or comments of an issue that changed (adding either moves the issue's `updated`):
    those the search inlined in the issue's `field` when they are all there, else every page of `endpoint`."""
    selector = settings.CHILD_FIELDS[field]

    def children(found: FoundIssue) -> Iterator[dict]:
        issue = found.issue
        added = {"issue_key": issue["key"], **({"issue_id": issue["id"]} if with_issue_id else {})}
        inline = (issue.get("fields") or {}).get(field) or {}
        items = inline.get(selector)
        if isinstance(items, list) and (inline.get("total") or 0) <= len(items):
            pages = [items]
        else:
            pages = client.paged(endpoint.format(key=issue["key"]), page_size, selector)
        for page in pages:
            yield [{**item, **added} for item in page]

    return children


def _users(client: JiraClient):
    def users() -> Iterator[list[dict]]:
        yield from client.paged(settings.USERS, settings.USER_PAGE_SIZE, "$")

    return users


# -- JQL and time ---------------------------------------------------------------------


def search_jql(since: str, projects: list[str]) -> str:
    clauses = [f'updated >= "{since}"']
    if projects:
        clauses.append("project in (" + ", ".join(f'"{p}"' for p in projects) + ")")
    return " AND ".join(clauses) + " ORDER BY updated ASC"


def _since(client: JiraClient, since: datetime | None, start: date | None) -> str:
    """The JQL lower bound, in the time zone Jira reads JQL dates in (the API user's)."""
    if since is None:
        return f"{start.isoformat()} 00:00" if start else settings.FIRST_BACKFILL
    return since.astimezone(_user_zone(client)).strftime("%Y-%m-%d %H:%M")


def _latest(*instants: datetime | None) -> datetime | None:
    return max((at for at in instants if at), default=None)


def _user_zone(client: JiraClient):
    name = client.get(settings.MYSELF).get("timeZone") or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _updated_at(issue: dict, stamp) -> datetime | None:
    """The issue's `updated`; one Jira cannot tell is loaded anyway, and moves no cursor."""
    try:
        return parse_instant(stamp)
    except (ValueError, TypeError, AttributeError):
        log.warning(
            "Jira: issue %s has an unreadable `updated` (%r); loaded, but the cursor ignores it",
            issue.get("key"),
            stamp,
        )
        return None
