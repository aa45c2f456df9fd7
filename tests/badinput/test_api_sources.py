"""Bad input from the APIs, through the real connectors, the sandbox server and dbt.

A small sandbox organization is given a Jira issue whose fields are null where fields are
expected, a Jira history without author (a deleted user), a completed Jira issue titled in
every script (NUL included) and a merged PR with a 1 MB title; every connector loads it into
a temporary DuckDB and dbt builds fct_work_events with the data tests of every model on the
way. A Jira answer with bytes that are not UTF-8, and an issue whose `fields` is null, are
served by a replay server, with one whose `updated` is not a time."""

from __future__ import annotations

import json

import duckdb
import pytest

from connectors.common.pipeline import run
from connectors.jira import jira_source
from harness.deployment import SourcesDeployment
from sandbox.generate import generate_org
from sandbox.server import SandboxServer
from tests.badinput.samples import EVERY_SCRIPT, huge_title
from tests.support.replay import ReplayServer, Reply

HUGE = huge_title("Huge PR title ")
NULLED_FIELDS = (
    "assignee",
    "status",
    "issuetype",
    "priority",
    "labels",
    "components",
    "fixVersions",
    "reporter",
    "creator",
    "parent",
    "customfield_10020",
    "description",
    "resolutiondate",
    "project",
)


def _first(org, activity_type: str) -> str:
    return next(a["object_id"] for a in org.ground_truth["activities"] if a["activity_type"] == activity_type)


@pytest.fixture(scope="module")
def built(tmp_path_factory, dbt):
    work = tmp_path_factory.mktemp("api_bad_input")
    org = generate_org(seed=7, people=12, teams=2, months=1)
    completed = next(i for i in org.jira_issues if i["id"] == _first(org, "jira_issue_completed"))
    completed["fields"]["summary"] = EVERY_SCRIPT
    nulled = next(i for i in org.jira_issues if i is not completed and i["changelog"]["histories"])
    nulled["fields"].update(dict.fromkeys(NULLED_FIELDS))
    nulled["changelog"]["histories"][0]["author"] = None
    repo, number = _first(org, "pr_authored").split("#")
    pull = next(p for p in org.pulls[repo] if p["number"] == int(number))
    pull["title"] = HUGE

    loaded = SourcesDeployment(work)
    with SandboxServer(org) as server:
        loaded.must_load(org, server)
    # the models up to fct_work_events and the data tests whose models are all built
    result = dbt(
        loaded.warehouse,
        work,
        "build",
        "--select",
        "+fct_work_events",
        "--exclude",
        "test_type:unit",
        "--indirect-selection",
        "cautious",
        check=False,
    )
    return {
        "warehouse": loaded.warehouse,
        "result": result,
        "completed": completed["id"],
        "nulled": nulled["id"],
        "pull": f"{repo}#{number}",
    }


def _one(built, sql: str, *params):
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_dbt_builds_with_every_data_test_passing(built):
    assert built["result"].returncode == 0, built["result"].stdout[-4000:]


def test_titles_reach_the_work_events_intact(built):
    assert built["result"].returncode == 0, built["result"].stdout[-4000:]
    [(title,)] = _one(
        built,
        "select title from marts.fct_work_events where activity_type = 'jira_issue_completed' and object_id = ?",
        built["completed"],
    )
    assert title == EVERY_SCRIPT
    [(title,)] = _one(
        built,
        "select title from marts.fct_work_events where activity_type = 'pr_authored' and object_id = ?",
        built["pull"],
    )
    assert title == HUGE and len(title) == 1_000_000


def test_an_issue_with_null_fields_loads_and_is_staged(built):
    assert built["result"].returncode == 0, built["result"].stdout[-4000:]
    rows = _one(
        built,
        "select summary, status, issue_type, assignee_account_id from staging.stg_jira__issues where issue_id = ?",
        built["nulled"],
    )
    assert len(rows) == 1 and rows[0][1:] == (None, None, None), rows
    histories = _one(built, "select count(*) from raw_jira.issue_changelogs where issue_id = ?", built["nulled"])
    assert histories[0][0] > 0


# -- bytes that are not UTF-8, `fields: null`, an unreadable `updated`, from a replay server -------


def _issue(number: int, summary: str, fields: bool = True, updated: str | None = None) -> dict:
    issue = {
        "id": str(10000 + number),
        "key": f"BAD-{number}",
        "self": "{base}/rest/api/3/issue/%d" % number,
        "changelog": {"startAt": 0, "maxResults": 0, "total": 0, "histories": []},
    }
    updated = updated or f"2026-11-0{number}T10:00:00.000+0000"
    issue["fields"] = {"summary": summary, "updated": updated} if fields else None
    return issue


def _bad_bytes_jira(request) -> Reply:
    if request.path == "/rest/api/3/search/jql":
        page = json.dumps(
            {
                "issues": [
                    _issue(1, "before"),
                    _issue(2, "caf@BYTE@"),
                    _issue(3, "", fields=False),
                    _issue(4, "odd stamp", updated="yesterday"),
                    _issue(5, "after"),
                ],
                "isLast": True,
            }
        ).encode()
        return Reply(body=page.replace(b"@BYTE@", b"\xe9"))  # a Latin-1 byte inside a JSON string
    if request.path.endswith("/worklog"):
        return Reply(body={"startAt": 0, "maxResults": 50, "total": 0, "worklogs": []})
    if request.path.endswith("/comment"):
        return Reply(body={"startAt": 0, "maxResults": 50, "total": 0, "comments": []})
    if request.path == "/rest/api/3/users/search":
        return Reply(body=[])
    return Reply(404, {"errorMessages": [f"no {request.path}"]})


def test_a_body_with_bytes_that_are_not_utf8_loads_every_issue(tmp_path, caplog):
    with ReplayServer(_bad_bytes_jira) as server:
        run(
            jira_source(site_url=server.url, email="someone@example.invalid", api_token="test-token"),
            "jira",
            tmp_path / "warehouse.duckdb",
            str(tmp_path / "dlt"),
        )
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select key, fields ->> 'summary' from raw_jira.issues order by key").fetchall()
    # the byte that is not UTF-8 becomes U+FFFD (what a JSON reader must do); the issue without fields loads
    # too, and so does one whose `updated` cannot be read (named in a warning; the cursor ignores it)
    assert rows == [
        ("BAD-1", "before"),
        ("BAD-2", "caf\ufffd"),
        ("BAD-3", None),
        ("BAD-4", "odd stamp"),
        ("BAD-5", "after"),
    ]
    assert "issue BAD-4 has an unreadable `updated` ('yesterday')" in caplog.text
