"""Items deleted between two runs, against a fresh load of the organization as it now is.

Semantics (this docstring is their reference):
- a calendar event cancelled by its organizer stays, with `status = 'cancelled'` (Google's
  sync returns it so); marts never count cancelled events;
- a dismissed pull-request review stays, with `state = 'DISMISSED'` (the pull request
  counts as updated, so its reviews are read again);
- deleted GitHub comments (issue, pull request and inline review comments) and reviews leave the
  raw tables (connectors.github.deletions; comments within DELETIONS_WINDOW of the repo's cursor);
- a deleted Jira issue leaves every raw_jira table (issue, changelog, worklogs, comments):
  the connector lists every issue id when it is cheap or due (connectors/jira/reconcile.py),
  confirms each missing one with a 404 and deletes its rows through dlt's hard_delete hint.
"""

from __future__ import annotations

import duckdb
import pytest

from harness.fault_lab import run_deletions


@pytest.fixture(scope="module")
def deleted(tmp_path_factory):
    return run_deletions(tmp_path_factory.mktemp("deletions"))


def test_cancelled_event_and_dismissed_review_match_a_fresh_load(deleted):
    for source in ("calendar", "github"):
        comparison = deleted.tables(source)
        assert comparison.rows > 100 and comparison.equal, comparison.differences()
    with duckdb.connect(str(deleted.warehouse), read_only=True) as con:
        statuses = con.execute(
            "select distinct status from raw_calendar.events where id = ?", [deleted.cancelled_event]
        ).fetchall()
        state = con.execute("select state from raw_github.reviews where id = ?", [deleted.dismissed_review]).fetchall()
    assert statuses == [("cancelled",)]
    assert state == [("DISMISSED",)]


def test_a_deleted_jira_issue_leaves_every_table(deleted):
    kept = deleted.kept_rows()
    assert kept == {}
    assert deleted.tables("jira").rows > 100
    assert deleted.deleted_issue_gone(), (kept, deleted.tables("jira").differences())


def test_deleted_github_comments_and_review_leave_no_row(deleted):
    assert set(deleted.github_deleted) == {
        "raw_github.issue_comments",
        "raw_github.review_comments",
        "raw_github.reviews",
    }
    assert deleted.github_kept() == dict.fromkeys(deleted.github_deleted, 0)
