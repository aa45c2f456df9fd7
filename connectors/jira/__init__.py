"""Jira Cloud or Data Center/Server → raw_jira: issues with their changelogs, worklogs and comments,
and users (docs/CONTRACTS.md, "Raw tables").

Issues are searched by `updated`, oldest first; the cursor (the newest `updated` loaded) is
a dlt.sources.incremental, which dlt commits only with a successful extract. Its `lag`
re-reads a few minutes before the cursor (JQL has minute precision, the search index lags
writes) and every table merges on its primary key, so the overlap never duplicates a row.

An issue's changelog, worklogs and comments are read whole whenever the issue is, and replace
what was loaded for it (those tables merge on `issue_id` too). Issues deleted in Jira are found by
listing every issue id now and then (connectors/jira/reconcile.py); they leave every table through
dlt's `hard_delete` hint.
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
from connectors.jira.client import JiraClient, credentials
from connectors.jira.jql import search_jql
from connectors.jira.reconcile import DeletedIssue, deleted_issues

log = logging.getLogger("loadbearing.jira")


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def jira_source(
    site_url: str = dlt.config.value,
    api_token: str = dlt.secrets.value,
    email: str | None = None,
    projects: Sequence[str] | None = None,
    start_date: str | None = None,
    deployment: str = settings.CLOUD,
    username: str | None = None,
    reconcile_days: int = settings.RECONCILE_DAYS,
):
    deployment = (deployment or settings.CLOUD).lower()
    if deployment not in settings.DEPLOYMENTS:
        raise ValueError(f"Jira: {settings.DEPLOYMENT_SETTING} must be cloud or server, got {deployment!r}")
    if deployment == settings.CLOUD and not email:
        raise ValueError(f"Jira: {settings.EMAIL_SETTING} is missing (the account the API token belongs to)")
    client = JiraClient(site_url, credentials(deployment, email or username, api_token), deployment)
    site = site_url.rstrip("/")
    start = start_of(start_date, "Jira", "SOURCES__JIRA__START_DATE")

    # an issue's worklogs and comments come with it unless it has more than the search inlines;
    # those are fetched on dlt's worker threads
    updated_issues = dlt.resource(
        _updated_issues(client, list(projects or []), start and start.date(), reconcile_days),
        name="updated_issues",
        selected=False,
    )
    # a child table's rows of an issue are replaced whenever the issue is read: merged on issue_id too
    children = {"primary_key": "id", "merge_key": "issue_id", "write_disposition": "merge", "columns": DELETED_COLUMN}
    api = client.api
    return (
        updated_issues,
        dlt.transformer(
            _issues(site),
            data_from=updated_issues,
            name="issues",
            primary_key="id",
            write_disposition="merge",
            columns=DELETED_COLUMN,
        ),
        dlt.transformer(_changelogs(client), data_from=updated_issues, name="issue_changelogs", **children),
        dlt.transformer(
            _children(client, api.worklogs, settings.WORKLOG_PAGE_SIZE, "worklog", False),
            data_from=updated_issues,
            name="worklogs",
            parallelized=True,
            **children,
        ),
        dlt.transformer(
            _children(client, api.comments, settings.COMMENT_PAGE_SIZE, "comment", True),
            data_from=updated_issues,
            name="comments",
            parallelized=True,
            **children,
        ),
        dlt.resource(
            _users(client), name="users", primary_key=api.users_key, write_disposition="merge", columns=USER_COLUMNS
        ),
    )


# rows yielded with this flag set leave the destination table (dlt's hard_delete hint); never stored as true
DELETED = "deleted_in_jira"
DELETED_COLUMN = {DELETED: {"data_type": "bool", "hard_delete": True}}
# Cloud users carry accountId and accountType, Server users name; either may hide the others: staging reads all
USER_COLUMNS = {
    column: {"data_type": "text"} for column in ("accountId", "accountType", "name", "emailAddress", "timeZone")
}


# -- resources ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FoundIssue:
    """An issue as the search found it, and its `updated` as an instant: the incremental's cursor.
    (Jira writes `updated` in the API user's offset, so the text itself does not sort.)"""

    issue: dict
    updated: datetime | None  # None: Jira's text could not be read


def _updated_issues(client: JiraClient, projects: list[str], start: date | None, reconcile_days: int):
    """Every issue updated since the cursor (less the lag), with its inline changelog; issues
    in the overlap that an earlier run loaded unchanged are left out, so their worklogs and
    comments are not read again (`seen` in resource state: {id: updated} of the overlap).
    Then, when due, a DeletedIssue for each loaded issue Jira no longer has."""

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
        jql = search_jql(f'updated >= "{_since(client, since, start)}"', projects, client.api.search_order)
        for page in client.search(jql, settings.FIELDS, "changelog", settings.SEARCH_PAGE_SIZE):
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
        yield from deleted_issues(client, projects, set(listed), reconcile_days, state)

    return updated_issues


def _issues(site: str):
    def issues(found: FoundIssue | DeletedIssue) -> Iterator[dict]:
        if isinstance(found, DeletedIssue):
            yield {"id": found.issue_id, DELETED: True}
            return
        issue = found.issue
        # histories, comments and worklogs have tables of their own
        row = {k: v for k, v in issue.items() if k != "changelog"}
        if isinstance(row.get("fields"), dict):
            row["fields"] = {k: v for k, v in row["fields"].items() if k not in settings.CHILD_FIELDS}
        yield {**row, "html_url": f"{site}/browse/{issue['key']}"}

    return issues


def _replaced(issue_id) -> dict:
    """The row that clears a child table of an issue's rows (merge_key issue_id), itself never stored."""
    return {"id": f"issue-{issue_id}", "issue_id": str(issue_id), DELETED: True}


def _changelogs(client: JiraClient):
    """Inline histories, or all of them when search returned only the first ones: Cloud pages
    /changelog, Server answers the issue with expand=changelog whole."""

    def issue_changelogs(found: FoundIssue | DeletedIssue) -> Iterator[dict]:
        if isinstance(found, DeletedIssue):
            yield _replaced(found.issue_id)
            return
        issue = found.issue
        changelog = issue.get("changelog") or {}
        histories = changelog.get("histories") or []
        if (changelog.get("total") or 0) > len(histories):
            histories = _all_histories(client, issue["key"])
        yield _replaced(issue["id"])
        for history in histories:
            yield {**history, "issue_id": issue["id"], "issue_key": issue["key"]}

    return issue_changelogs


def _all_histories(client: JiraClient, key: str) -> list[dict]:
    if client.api.changelog is None:
        issue = client.get(client.api.issue.format(key=key), {"fields": "id", "expand": "changelog"})
        return (issue.get("changelog") or {}).get("histories") or []
    path = client.api.changelog.format(key=key)
    return [h for page in client.paged(path, settings.CHANGELOG_PAGE_SIZE, "values") for h in page]


def _children(client: JiraClient, endpoint: str, page_size: int, field: str, with_issue_id: bool):
    """Worklogs or comments of an issue that changed (adding either moves the issue's `updated`):
    those the search inlined in the issue's `field` when they are all there, else every page of `endpoint`."""
    selector = settings.CHILD_FIELDS[field]

    def children(found: FoundIssue | DeletedIssue) -> Iterator[dict]:
        if isinstance(found, DeletedIssue):
            yield _replaced(found.issue_id)
            return
        issue = found.issue
        # a worklog names its issue in `issueId` (not on Jira Server 5): the merge key issue_id either way
        own = {} if with_issue_id else {"issueId": issue["id"]}
        added = {"issue_key": issue["key"], **({"issue_id": issue["id"]} if with_issue_id else {})}
        inline = (issue.get("fields") or {}).get(field) or {}
        items = inline.get(selector)
        if isinstance(items, list) and (inline.get("total") or 0) <= len(items):
            pages = [items]
        else:
            pages = client.paged(endpoint.format(key=issue["key"]), page_size, selector)
        yield _replaced(issue["id"])
        for page in pages:
            yield [{**own, **item, **added} for item in page]

    return children


def _users(client: JiraClient):
    def users() -> Iterator[list[dict]]:
        api = client.api
        yield from client.paged(api.users, settings.USER_PAGE_SIZE, "$", api.users_params)

    return users


# -- JQL and time ---------------------------------------------------------------------


def _since(client: JiraClient, since: datetime | None, start: date | None) -> str:
    """The JQL lower bound, in the time zone Jira reads JQL dates in (the API user's)."""
    if since is None:
        return f"{start.isoformat()} 00:00" if start else settings.FIRST_BACKFILL
    return since.astimezone(_user_zone(client)).strftime("%Y-%m-%d %H:%M")


def _latest(*instants: datetime | None) -> datetime | None:
    return max((at for at in instants if at), default=None)


def _user_zone(client: JiraClient):
    name = client.get(client.api.myself).get("timeZone") or "UTC"
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
