"""The Jira connector against recorded Jira payloads, served on 127.0.0.1.

Issues: the 8 issues of JRJC's recorded search plus JRJC's fully expanded issue TST-2
(30 changelog histories, 5 worklogs, 4 comments), served by /search/jql in pages of 4
chained by nextPageToken, with TST-2's inline changelog cut to its first 10 histories
as Jira does for long changelogs. Worklog, comment and changelog lists are served a few
items per page whatever maxResults asks (Jira caps page sizes). Cloud-shaped worklog,
comment, users and /myself answers come from Atlassian's official v3 examples. Sources
in tests/fixtures/ATTRIBUTION.md.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import dlt
import duckdb
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from connectors.common.http import AuthError
from connectors.common.pipeline import make_pipeline
from connectors.jira import jira_source, settings
from tests.support.replay import ReplayServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "jira"
EMAIL, TOKEN = "someone@example.invalid", "test-api-token"
SEARCH_PAGE, CHANGELOG_PAGE, CHILD_PAGE = 4, 7, 2
INLINE_HISTORIES = 10
CHILD = re.compile(r"^/rest/api/3/issue/([^/]+)/(changelog|worklog|comment)$")
ISSUE = re.compile(r"^/rest/api/3/issue/([^/]+)$")


def _load(name: str):
    return json.loads((FIXTURES / name).read_text())


class RecordedJira:
    def __init__(self):
        expanded = _load("jrjc-issue-all-expanded.json")
        cloud = _load("jira-cloud-examples-subset.json")["operations"]
        self.histories = {expanded["key"]: expanded["changelog"]["histories"]}
        self.worklogs = {
            expanded["key"]: expanded["fields"]["worklog"]["worklogs"],
            "TST-13": cloud["getIssueWorklog"]["example"]["worklogs"],
        }
        self.comments = {
            expanded["key"]: expanded["fields"]["comment"]["comments"],
            "TST-13": cloud["getComments"]["example"]["comments"],
        }
        inline = copy.deepcopy(expanded)
        inline["changelog"] = {
            "startAt": 0,
            "maxResults": INLINE_HISTORIES,
            "total": len(self.histories[inline["key"]]),
            "histories": self.histories[inline["key"]][:INLINE_HISTORIES],
        }
        self.issues = sorted(
            _load("jrjc-search-many-issues.json")["issues"] + [inline], key=lambda i: _utc_key(i["fields"]["updated"])
        )
        self.found = self.issues  # what the next searches find
        self.myself = cloud["getCurrentUser"]["example"]
        people = [w["author"] for w in cloud["getIssueWorklog"]["example"]["worklogs"]]
        people += [c["updateAuthor"] for c in cloud["getComments"]["example"]["comments"]]
        self.users = list({u["accountId"]: u for u in people}.values()) + [
            {**people[0], "accountId": "557058:0867a421-a9ee-4659-801a-bc0ee4a4487e", "displayName": "Second User"}
        ]
        self.unauthorized = False

    def __call__(self, request) -> Reply:
        if self.unauthorized:
            return Reply(
                401,
                {"errorMessages": ["Client must be authenticated to access this resource."], "errors": {}},
                {"WWW-Authenticate": 'Basic realm="protected-area"'},
            )
        if request.path == "/rest/api/3/search":
            return Reply(410, {"errorMessages": ["The requested API has been removed."], "errors": {}})
        if request.path == "/rest/api/3/search/jql":
            offset = int(request.query.get("nextPageToken", "page-0").split("-")[1])
            # an ids-only search lists every issue Jira has; the others find what the test says changed
            ids_only = request.query.get("fields") == "id"
            found = [{"id": i["id"]} for i in self.issues] if ids_only else self.found
            body = {"issues": found[offset : offset + SEARCH_PAGE]}
            if offset + SEARCH_PAGE < len(found):
                body["nextPageToken"] = f"page-{offset + SEARCH_PAGE}"
            return Reply(body={**body, "isLast": "nextPageToken" not in body})
        if request.path == "/rest/api/3/myself":
            return Reply(body=self.myself)
        if request.path == "/rest/api/3/users/search":
            start = int(request.query.get("startAt", 0))
            return Reply(body=self.users[start : start + 2])
        issue = ISSUE.match(request.path)
        if issue:
            known = [i for i in self.issues if issue[1] in (i["id"], i["key"])]
            if known:
                return Reply(body={"id": known[0]["id"]})
            return Reply(404, {"errorMessages": ["Issue does not exist or you do not have permission to see it."]})
        child = CHILD.match(request.path)
        if child:
            key, kind = child.groups()
            start = int(request.query.get("startAt", 0))
            if kind == "changelog":
                items = self.histories.get(key, [])
                page = items[start : start + CHANGELOG_PAGE]
                return Reply(
                    body={
                        "startAt": start,
                        "maxResults": CHANGELOG_PAGE,
                        "total": len(items),
                        "isLast": start + len(page) >= len(items),
                        "values": page,
                    }
                )
            items = (self.worklogs if kind == "worklog" else self.comments).get(key, [])
            list_key = "worklogs" if kind == "worklog" else "comments"
            return Reply(
                body={
                    "startAt": start,
                    "maxResults": CHILD_PAGE,
                    "total": len(items),
                    list_key: items[start : start + CHILD_PAGE],
                }
            )
        return Reply(404, {"errorMessages": ["Not found"], "errors": {}})


def _issue_searches(server):
    """The searches for updated issues (not the ids-only listing that looks for deleted ones)."""
    return [r for r in server.requests if r.path == "/rest/api/3/search/jql" and "expand" in r.query]


def _utc_key(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(UTC).isoformat()


@pytest.fixture
def jira():
    api = RecordedJira()
    with ReplayServer(api) as server:
        server.api = api
        yield server


def _run(server, tmp_path, token=TOKEN):
    pipeline = make_pipeline("jira", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    pipeline.run(jira_source(site_url=server.url, email=EMAIL, api_token=token), loader_file_format="parquet")


def _rows(tmp_path, sql):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _counts(tmp_path, table, key):
    return _rows(tmp_path, f"select count(*), count(distinct {key}) from raw_jira.{table}")[0]


def test_full_load_follows_tokens_pages_changelogs_and_children(jira, tmp_path):
    _run(jira, tmp_path)
    searches = _issue_searches(jira)
    assert [r.query.get("nextPageToken") for r in searches] == [None, "page-4", "page-8"]
    first = searches[0].query
    assert first["jql"] == f'updated >= "{settings.FIRST_BACKFILL}" ORDER BY updated ASC'
    assert first["expand"] == "changelog" and settings.SPRINT_FIELD in first["fields"].split(",")
    assert all(r.path != "/rest/api/3/search" for r in jira.requests)

    assert _counts(tmp_path, "issues", "id") == (9, 9)
    # TST-2's 30 histories: 10 came inline, all 30 paged from /changelog, 7 per page
    assert [r.query["startAt"] for r in jira.requests if r.path.endswith("/TST-2/changelog")] == [
        "0",
        "7",
        "14",
        "21",
        "28",
    ]
    assert _counts(tmp_path, "issue_changelogs", "id") == (30, 30)
    assert _rows(tmp_path, "select distinct issue_id, issue_key from raw_jira.issue_changelogs") == [("10010", "TST-2")]
    assert _counts(tmp_path, "worklogs", "id") == (6, 6)
    assert _counts(tmp_path, "comments", "id") == (5, 5)
    assert sorted(_rows(tmp_path, "select issue_key, count(*) from raw_jira.comments group by 1")) == [
        ("TST-13", 1),
        ("TST-2", 4),
    ]
    assert _counts(tmp_path, "users", "account_id") == (2, 2)

    columns = {
        c
        for (c,) in _rows(
            tmp_path,
            "select column_name from information_schema.columns "
            "where table_schema = 'raw_jira' and table_name = 'issues'",
        )
    }
    assert "changelog" not in columns and {"id", "key", "fields", "html_url"} <= columns
    assert _rows(tmp_path, "select html_url from raw_jira.issues where key = 'TST-13'") == [
        (f"{jira.url}/browse/TST-13",)
    ]


def test_next_run_searches_from_cursor_minus_overlap_and_never_duplicates(jira, tmp_path):
    _run(jira, tmp_path)
    newest = jira.api.issues[-1]
    assert newest["key"] == "TST-13" and newest["fields"]["updated"] == "2012-12-07T16:08:20.000+0100"

    changed = copy.deepcopy(newest)
    changed["fields"]["summary"] = "summary edited after the first run"
    changed["fields"]["updated"] = "2012-12-07T16:09:00.000+0100"
    jira.api.found = [changed]
    jira.requests.clear()
    _run(jira, tmp_path)

    search = _issue_searches(jira)
    # 15:08:20 UTC minus 5 min, in the API user's zone (Australia/Sydney, +11 in December)
    assert [r.query["jql"] for r in search] == ['updated >= "2012-12-08 02:03" ORDER BY updated ASC']
    children = {CHILD.match(r.path).group(1) for r in jira.requests if CHILD.match(r.path)}
    assert children == {"TST-13"}
    assert _counts(tmp_path, "issues", "id") == (9, 9)
    assert _counts(tmp_path, "worklogs", "id") == (6, 6)
    assert _counts(tmp_path, "comments", "id") == (5, 5)
    assert _counts(tmp_path, "issue_changelogs", "id") == (30, 30)
    assert _rows(tmp_path, "select fields->>'summary' from raw_jira.issues where key = 'TST-13'") == [
        ("summary edited after the first run",)
    ]

    jira.requests.clear()
    _run(jira, tmp_path)  # the overlap finds TST-13 again, unchanged: its worklogs and comments are not re-read
    assert not [r.path for r in jira.requests if CHILD.match(r.path)]
    assert _counts(tmp_path, "issues", "id") == (9, 9)


def test_rejected_credentials_name_jira_and_the_settings(jira, tmp_path):
    jira.api.unauthorized = True
    with pytest.raises(PipelineStepFailed) as failure:
        _run(jira, tmp_path, token="expired-token-value")
    cause = failure.value.__cause__
    error = cause if isinstance(cause, AuthError) else cause.__cause__
    assert isinstance(error, AuthError)
    message = str(error)
    assert "Jira" in message and "401" in message
    assert "SOURCES__JIRA__API_TOKEN" in message and "SOURCES__JIRA__EMAIL" in message
    assert "expired-token-value" not in message and EMAIL not in message
    assert len(jira.requests) == 1  # a 401 is final: not retried


def test_a_deployment_upgraded_from_the_hand_kept_cursor_goes_on_from_it(jira, tmp_path):
    newest = jira.api.issues[-1]  # TST-13, updated 2012-12-07 15:08:20 UTC
    pipeline = make_pipeline("jira", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))

    @dlt.source(name="jira")
    def before_the_incremental():
        @dlt.resource(name="updated_issues")
        def updated_issues():  # the state the connector kept before dlt.sources.incremental
            state = dlt.current.resource_state()
            state["cursor"] = "2012-12-07T15:08:20+00:00"
            state["seen"] = {str(newest["id"]): newest["fields"]["updated"]}
            yield from ()

        return updated_issues

    pipeline.run(before_the_incremental())
    jira.api.found = [newest]
    jira.requests.clear()
    _run(jira, tmp_path)

    search = [r.query["jql"] for r in _issue_searches(jira)]
    assert search == ['updated >= "2012-12-08 02:03" ORDER BY updated ASC']  # the old cursor less the overlap
    assert not [r.path for r in jira.requests if CHILD.match(r.path)]  # the old `seen` still counts

    changed = copy.deepcopy(newest)
    changed["fields"]["updated"] = "2012-12-07T16:09:00.000+0100"
    jira.api.found = [changed]
    _run(jira, tmp_path)
    state = make_pipeline("jira", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt")).state["sources"][
        "jira"
    ]["resources"]["updated_issues"]
    assert "cursor" not in state  # the incremental has passed the old cursor and took over
    assert state["incremental"]["updated"]["last_value"] == datetime(2012, 12, 7, 15, 9, tzinfo=UTC)

    jira.requests.clear()
    _run(jira, tmp_path)
    search = [r.query["jql"] for r in _issue_searches(jira)]
    assert search == ['updated >= "2012-12-08 02:04" ORDER BY updated ASC']
