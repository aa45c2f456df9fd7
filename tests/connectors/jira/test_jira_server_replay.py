"""The Jira connector in Data Center / Server mode against recorded Jira Server payloads
(REST v2), served on 127.0.0.1 with a personal access token as Bearer.

Issues: JRJC's recorded search (TST-6 .. TST-13, TST-10 as its own recording with its changelog),
JRJC's fully expanded TST-2 (30 histories, 5 worklogs, 4 comments) and HST-1 from a Server 5.0
issue with expand=changelog. /rest/api/2/search serves them by `created`, at most 3 per page
whatever maxResults asks (Server caps it), and TST-13 is created while the pages are read
(`total` grows). TST-2's inline changelog is cut to 10 histories; its whole changelog comes from
the issue itself (Server has no paged changelog). Users have `name`, no accountId. Sources in
tests/fixtures/ATTRIBUTION.md.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import duckdb
import pytest

from connectors.common.pipeline import loader_file_format, make_pipeline
from connectors.common.warehouse import DuckDBWarehouse, PostgresWarehouse
from connectors.jira import jira_source, settings
from tests.support.replay import ReplayServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "jira"
PAT = "server-personal-access-token"
SERVER_PAGE, INLINE_HISTORIES = 3, 10
ISSUE = re.compile(r"^/rest/api/2/issue/([^/]+)$")
CHILD = re.compile(r"^/rest/api/2/issue/([^/]+)/(worklog|comment)$")


def _load(name: str):
    return json.loads((FIXTURES / name).read_text())


class RecordedJiraServer:
    def __init__(self):
        unassigned = _load("jrjc-issue-unassigned.json")
        expanded = _load("jrjc-issue-all-expanded.json")
        searched = [i for i in _load("jrjc-search-many-issues.json")["issues"] if i["key"] != unassigned["key"]]
        self.whole = {i["key"]: i for i in [*searched, unassigned, expanded, _load("jrjc-issue-with-changelog.json")]}
        self.issues = sorted(self.whole.values(), key=lambda i: i["fields"]["created"])
        self.created_later = next(i for i in self.issues if i["key"] == "TST-13")
        self.issues.remove(self.created_later)
        people = [i["fields"]["assignee"] for i in self.issues if i["fields"].get("assignee")]
        self.users = list({u["name"]: u for u in people}.values())

    def __call__(self, request) -> Reply:
        if request.headers.get("Authorization") != f"Bearer {PAT}":
            return Reply(401, {"errorMessages": ["You are not authenticated."], "errors": {}})
        if request.path == "/rest/api/2/search":
            start = int(request.query.get("startAt", 0))
            size = min(SERVER_PAGE, int(request.query.get("maxResults", 50)))
            body = {"startAt": start, "maxResults": size, "total": len(self.issues)}
            body["issues"] = [self._found(i, request.query) for i in self.issues[start : start + size]]
            if self.created_later not in self.issues:  # created while the first page was read
                self.issues.append(self.created_later)
            return Reply(body=body)
        if request.path == "/rest/api/2/myself":
            return Reply(body=self.users[0])
        if request.path == "/rest/api/2/user/search" and request.query.get("username") == ".":
            start = int(request.query.get("startAt", 0))
            return Reply(body=self.users[start : start + 2])
        issue = ISSUE.match(request.path)
        if issue:
            found = [i for i in self.issues if issue[1] in (i["id"], i["key"])]
            if not found:
                return Reply(404, {"errorMessages": ["Issue Does Not Exist"], "errors": {}})
            return Reply(body={"id": found[0]["id"], "key": found[0]["key"], "changelog": found[0]["changelog"]})
        child = CHILD.match(request.path)
        if child:
            kind = child[2]
            items = (self.whole[child[1]]["fields"].get(kind) or {}).get(f"{kind}s", [])
            return Reply(body={"startAt": 0, "maxResults": len(items), "total": len(items), f"{kind}s": items})
        return Reply(404, {"errorMessages": ["Not found"], "errors": {}})

    def _found(self, issue: dict, query: dict) -> dict:
        if query.get("fields") == "id":
            return {"id": issue["id"], "key": issue["key"]}
        found = {k: v for k, v in copy.deepcopy(issue).items() if k in ("expand", "id", "self", "key", "fields")}
        histories = (issue.get("changelog") or {}).get("histories") or []
        found["changelog"] = {"startAt": 0, "maxResults": INLINE_HISTORIES, "total": len(histories)}
        found["changelog"]["histories"] = histories[:INLINE_HISTORIES]
        return found


@pytest.fixture
def jira():
    api = RecordedJiraServer()
    with ReplayServer(api) as server:
        server.api = api
        yield server


def _run(server, tmp_path):
    pipeline = make_pipeline("jira", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    source = jira_source(site_url=server.url, api_token=PAT, deployment=settings.SERVER)
    pipeline.run(source, loader_file_format="parquet")


def _rows(tmp_path, sql):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _count(tmp_path, table):
    return _rows(tmp_path, f"select count(*) from raw_jira.{table}")[0][0]


def test_server_search_pages_by_start_at_and_staging_reads_usernames(jira, tmp_path, dbt):
    # GIVEN recorded Server issues, paged 3 at a time, one created during the paging
    # WHEN the connector loads them in Server mode and dbt builds the Jira staging views
    _run(jira, tmp_path)
    dbt(
        tmp_path / "warehouse.duckdb",
        tmp_path / "dbt",
        "run",
        "--select",
        "path:models/staging/jira",
        "int_jira__changelog_items",
    )

    # THEN every issue is read once, by startAt advanced by what each page held
    searches = [r for r in jira.requests if r.path == "/rest/api/2/search"]
    assert [r.query["startAt"] for r in searches] == ["0", "3", "6", "9"]
    assert searches[0].query["jql"] == f'updated >= "{settings.FIRST_BACKFILL}" ORDER BY created ASC'
    assert _count(tmp_path, "issues") == len(jira.api.whole) == 10
    # TST-2's 30 histories: 10 inline, then the issue with expand=changelog; HST-1's 4 and TST-10's 2 inline
    assert [r.query.get("expand") for r in jira.requests if r.path == "/rest/api/2/issue/TST-2"] == ["changelog"]
    assert sorted(_rows(tmp_path, "select issue_key, count(*) from raw_jira.issue_changelogs group by 1")) == [
        ("HST-1", 4),
        ("TST-10", 2),
        ("TST-2", 30),
    ]
    worklogs = _rows(tmp_path, "select issue_id, count(*) from raw_jira.worklogs group by 1")
    assert ("10010", 5) in worklogs  # Server 5 worklogs have no issueId: the connector names the issue
    assert _rows(tmp_path, "select count(*) from raw_jira.comments where issue_key = 'TST-2'") == [(4,)]

    # staging: Server users by username, Server's plain-text bodies and descriptions
    assert _rows(tmp_path, "select assignee_account_id from staging.stg_jira__issues where issue_key = 'TST-2'") == [
        ("wseliga",)
    ]
    assert _rows(tmp_path, "select description_text from staging.stg_jira__issues where issue_key = 'TST-10'") == [
        ("my description",)
    ]
    authors = _rows(
        tmp_path,
        "select author_account_id, count(*) from staging.stg_jira__worklogs where issue_key = 'TST-2' group by 1",
    )
    assert sorted(authors) == [("admin", 3), ("wseliga", 2)]
    bodies = _rows(
        tmp_path, "select body_text from staging.stg_jira__comments where issue_key = 'TST-2' order by comment_id"
    )
    assert bodies and all(body and not body.startswith(("{", '"')) for (body,) in bodies)
    users = _rows(tmp_path, "select account_id, email from staging.stg_jira__users order by 1")
    assert ("wseliga", "wojciech.seliga@spartez.com") in users and all(a == a.lower() for a, _ in users)
    moves = _rows(
        tmp_path,
        "select from_value, to_value from intermediate.int_jira__changelog_items where issue_key = 'HST-1' and field = 'assignee'",
    )
    assert moves == [("user1", "user2"), ("user1", "user2")]


@pytest.fixture(params=["duckdb", "postgres"])
def destination(request, tmp_path):
    """Where the deletion test loads: dlt's hard_delete must work on both warehouses."""
    if request.param == "duckdb":
        return tmp_path / "warehouse.duckdb"
    from harness.postgres import create_database

    return create_database(request.getfixturevalue("postgres_server"), "jira_server_deletions")


def test_an_issue_deleted_on_the_server_leaves_every_table(jira, tmp_path, destination, dbt):
    def rows(sql):
        warehouse = (
            DuckDBWarehouse(destination, read_only=True)
            if isinstance(destination, Path)
            else PostgresWarehouse(destination, read_only=True)
        )
        with warehouse:
            return warehouse.rows(sql)

    def run():
        pipeline = make_pipeline("jira", destination, pipelines_dir=str(tmp_path / "dlt"))
        source = jira_source(site_url=jira.url, api_token=PAT, deployment=settings.SERVER)
        pipeline.run(source, loader_file_format=loader_file_format(destination))

    # GIVEN a full load, WHEN HST-1 is deleted in Jira and the connector runs again
    run()
    assert rows("select count(*) from raw_jira.issue_changelogs where issue_key = 'HST-1'") == [(4,)]
    # (Server's plain-text columns read as text on this warehouse too)
    dbt(destination, tmp_path / "dbt", "run", "--select", "stg_jira__comments")
    bodies = rows("select author_account_id, body_text from staging.stg_jira__comments where issue_key = 'TST-2'")
    assert len(bodies) == 4 and {a for a, _ in bodies} == {"admin", "wseliga"}
    assert all(body and not body.startswith(("{", '"')) for _, body in bodies)
    gone = next(i for i in jira.api.issues if i["key"] == "HST-1")
    jira.api.issues.remove(gone)
    jira.requests.clear()
    run()

    # THEN the ids-only listing missed it, a 404 confirmed it, and its rows left every table
    listing = [r for r in jira.requests if r.path == "/rest/api/2/search" and r.query.get("fields") == "id"]
    assert listing and all(r.query["maxResults"] == str(settings.APIS[settings.SERVER].ids_page_size) for r in listing)
    assert [r.path for r in jira.requests if ISSUE.match(r.path)] == [f"/rest/api/2/issue/{gone['id']}"]
    for table, column in (("issues", "id"), ("issue_changelogs", "issue_id"), ("worklogs", "issue_id")):
        assert rows(f"select count(*) from raw_jira.{table} where {column} = '{gone['id']}'") == [(0,)]
    assert rows("select count(*) from raw_jira.issues") == [(9,)]
    assert rows("select count(*) from raw_jira.issue_changelogs where issue_key = 'TST-2'") == [(30,)]
