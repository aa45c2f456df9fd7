"""int_jira__completions, compiled by dbt and run by DuckDB on generated issue histories,
agrees with a replay of each changelog in Python: an issue now in a done status was completed
when it last entered that status, by whoever was assigned right then (or, when nobody was,
by the first owner, else the current assignee); its owner is the assignee before the first
reassignment, else the current one. Issues not done are not completions."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

STATUSES = {"To Do": "new", "In Progress": "indeterminate", "Done": "done", "Closed": "done"}
PEOPLE = ["acc-a", "acc-b", "acc-c", None]  # None: unassigned
CREATED = datetime(2026, 10, 1, 9, 0)

history = st.fixed_dictionaries(
    {
        "minutes_later": st.integers(1, 600),  # histories of one issue never share a timestamp
        "status": st.none() | st.sampled_from(sorted(STATUSES)),
        "assignee": st.sampled_from(["keep"] + PEOPLE),
    }
)
issue = st.fixed_dictionaries(
    {
        "assignee": st.sampled_from(PEOPLE),  # before the first history
        "histories": st.lists(history, max_size=6),
        "lost": st.integers(0, 2),  # histories lost at the start (a migrated issue, a purged changelog)
        "resolved": st.booleans(),
    }
)


def replay(number: int, spec: dict) -> tuple[dict, list[dict], tuple | None]:
    """The issue row, its visible changelog items, and the completion the model must derive."""
    status, assignee, at, items = "To Do", spec["assignee"], CREATED, []
    for n, h in enumerate(spec["histories"]):
        at += timedelta(minutes=h["minutes_later"])
        history_id = f"{number}-{n:02d}"
        if h["status"] and h["status"] != status:
            items.append(
                {
                    "history_id": history_id,
                    "changed_at": at,
                    "field": "status",
                    "from_value": None,
                    "to_value": None,
                    "from_string": status,
                    "to_string": h["status"],
                }
            )
            status = h["status"]
        if h["assignee"] != "keep" and h["assignee"] != assignee:
            items.append(
                {
                    "history_id": history_id,
                    "changed_at": at,
                    "field": "assignee",
                    "from_value": assignee,
                    "to_value": h["assignee"],
                    "from_string": None,
                    "to_string": None,
                }
            )
            assignee = h["assignee"]
    lost = {f"{number}-{n:02d}" for n in range(spec["lost"])}
    items = [i for i in items if i["history_id"] not in lost]
    row = {
        "issue_id": str(number),
        "issue_key": f"P-{number}",
        "status": status,
        "status_category": STATUSES[status],
        "assignee_account_id": assignee,
        "resolved_at": at if spec["resolved"] else None,
        "created_at": CREATED,
    }
    if STATUSES[status] != "done":
        return row, items, None
    entered = [i["changed_at"] for i in items if i["field"] == "status" and i["to_string"] == status]
    changes = [i for i in items if i["field"] == "assignee"]
    first_owner = changes[0]["from_value"] if changes else None
    if entered:
        completed_at = max(entered)
        before = [c for c in changes if c["changed_at"] <= completed_at]
        at_done = before[-1]["to_value"] if before else (first_owner if changes else assignee)
    else:  # the changelog does not show the moment: resolution (or creation) time, the first owner
        completed_at, at_done = row["resolved_at"] or CREATED, None
    completer = next((p for p in (at_done, first_owner, assignee) if p), None)
    owner = next((p for p in (first_owner, assignee) if p), None)
    return row, items, (str(number), f"P-{number}", completed_at, completer, owner)


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as connection:
        connection.execute("attach ':memory:' as props")  # the database the compiled refs name
        connection.execute("create schema props.staging; create schema props.intermediate")
        yield connection


@settings(max_examples=80, deadline=None)
@given(issues=st.lists(issue, min_size=1, max_size=4))
def test_completions_follow_the_replayed_changelog(compiled_sql, con, issues):
    replayed = [replay(n, spec) for n, spec in enumerate(issues)]
    con.execute(
        "create or replace table props.staging.stg_jira__issues (issue_id varchar, issue_key varchar, "
        "status varchar, status_category varchar, assignee_account_id varchar, resolved_at timestamp, "
        "created_at timestamp)"
    )
    con.execute(
        "create or replace table props.intermediate.int_jira__changelog_items (history_id varchar, "
        "issue_id varchar, changed_at timestamp, field varchar, from_value varchar, to_value varchar, "
        "from_string varchar, to_string varchar)"
    )
    con.executemany(
        "insert into props.staging.stg_jira__issues values (?, ?, ?, ?, ?, ?, ?)",
        [list(row.values()) for row, _, _ in replayed],
    )
    items = [
        [
            i["history_id"],
            row["issue_id"],
            i["changed_at"],
            i["field"],
            i["from_value"],
            i["to_value"],
            i["from_string"],
            i["to_string"],
        ]
        for row, its, _ in replayed
        for i in its
    ]
    if items:
        con.executemany(
            "insert into props.intermediate.int_jira__changelog_items values (?, ?, ?, ?, ?, ?, ?, ?)", items
        )
    got = con.execute(compiled_sql["completions"]).fetchall()
    assert sorted(got) == sorted(expected for _, _, expected in replayed if expected)
