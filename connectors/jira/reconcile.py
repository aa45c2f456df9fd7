"""Issues deleted in Jira: neither search reports them, so the ids loaded are compared, now and
then, with every id Jira lists (ids-only search pages), and each id missing from that list is
asked for once more (a 404 confirms it is gone, so a list that shifted while it was paged never
deletes a live issue). Due every `reconcile_days`, and on every run while the warehouse's issues
fit in one ids-only page (one request: cheap). Cost: settings.RECONCILE_DAYS."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import dlt
from dlt.destinations.exceptions import DatabaseUndefinedRelation

from connectors.common.time import parse_instant
from connectors.jira import settings
from connectors.jira.client import JiraClient
from connectors.jira.jql import search_jql

log = logging.getLogger("loadbearing.jira")


@dataclass(frozen=True, slots=True)
class DeletedIssue:
    """An issue loaded before that Jira no longer has: its rows leave every raw_jira table."""

    issue_id: str
    updated: None = None  # moves no cursor


def deleted_issues(
    client: JiraClient, projects: list[str], found_now: set[str], reconcile_days: int, state: dict
) -> Iterator[DeletedIssue]:
    """The loaded issues Jira confirms gone, when a reconciliation is due (state["reconciled_at"])."""
    loaded = loaded_issue_ids()
    if not loaded:  # nothing loaded yet, or no destination to compare with
        return
    now = datetime.now(UTC)
    last = parse_instant(state.get("reconciled_at"))
    cheap = len(loaded) <= client.api.ids_page_size
    if not (cheap or last is None or now - last >= timedelta(days=reconcile_days)):
        return
    listed = found_now | set(listed_issue_ids(client, projects))
    missing = sorted(loaded - listed)
    gone = [issue_id for issue_id in missing if not client.issue_exists(issue_id)]
    state["reconciled_at"] = now.isoformat()
    if gone:
        log.info("Jira: %d of %d loaded issues were deleted in Jira; their rows are removed", len(gone), len(loaded))
    for issue_id in gone:
        yield DeletedIssue(issue_id)


def listed_issue_ids(client: JiraClient, projects: list[str]) -> Iterator[str]:
    jql = search_jql(f'created >= "{settings.FIRST_BACKFILL}"', projects, client.api.search_order)
    for page in client.search(jql, ["id"], None, client.api.ids_page_size):
        yield from (str(issue["id"]) for issue in page)


def loaded_issue_ids() -> set[str] | None:
    """The ids in the destination's issues table (none before the first load); None when the
    source runs without a destination to compare with."""
    pipeline = dlt.current.pipeline()
    if pipeline is None or pipeline.destination is None:
        return None
    try:
        with pipeline.sql_client() as client:
            table = client.make_qualified_table_name("issues")
            return {str(issue_id) for (issue_id,) in client.execute_sql(f"select id from {table}")}
    except DatabaseUndefinedRelation:
        return set()
