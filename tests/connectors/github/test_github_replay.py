"""The GitHub connector against recorded GitHub payloads, served on 127.0.0.1.

One repository, PyGithub/PyGithub, answered from real recordings (see
tests/fixtures/ATTRIBUTION.md): issues from octokit's 5-page Link-header recording,
pulls / reviews / review comments / issue comments / commits from PyGithub's replay
data, more reviews (one review twice) from GH Archive events, and the commit messages
with `Co-authored-by:` trailers from GH Archive push events.

No recording of GitHub's GraphQL API is at hand: the recorded pull requests, reviews and
commits (REST) are answered through the sandbox's GraphQL stand-in
(sandbox.api_github_graphql), which maps REST objects to GitHub's GraphQL schema, so
their real values (nulls, bots, old users) go through the connector's mapping back.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from connectors.common.http import AuthError
from connectors.common.pipeline import make_pipeline
from connectors.github import co_authors, github_source, graphql, settings
from sandbox.api_github import GitHubApi, GitHubQuota
from sandbox.model import Org
from sandbox.wire import Request as SandboxRequest
from tests.support.replay import ReplayServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "github"
REPO = "PyGithub/PyGithub"
TOKEN = "test-token"


def _exchange(name: str) -> dict:
    return json.loads((FIXTURES / f"pygithub-{name}.exchanges.json").read_text())[0]


def _rebased(value, base: str):
    """Recorded absolute URLs point at api.github.com; here they point at the replay server.
    (Done here, not with ReplayServer's `{base}`: it sizes Content-Length before replacing.)"""
    return json.loads(json.dumps(value).replace("https://api.github.com", base))


class RecordedGitHub:
    """Routes of one repository, answered from the recordings."""

    def __init__(self):
        self.pulls = _exchange("Repository.testGetPullsWithArguments")["response_body"]  # PRs 39, 32, 31
        self.after_pulls_page = lambda: None  # lets a test change a PR while the connector pages
        self.graphql_failure = None  # (query number, reply): a test fails that query of the run
        self.graphql_queries = 0
        self.issue_pages = self._octokit_issue_pages()
        openapi = json.loads((FIXTURES / "github-rest-openapi-examples-subset.json").read_text())["operations"]
        # the spec's example issue is a pull request (it has `pull_request`): must be dropped
        self.pr_issue = openapi["issues/list-for-repo"]["examples"]["default"][0]
        # GET /pulls/{n} answers what the listing has and more (additions, deletions, ...): the spec's
        # example gives the fields the recordings of the listing lack
        detail = openapi["pulls/get"]["examples"]["default"]
        self.detail_only = {k: v for k, v in detail.items() if k not in self.pulls[0]}
        self.issue_pages[-1][1].append(self.pr_issue)
        self.issue_comments = (
            _exchange("PullRequest.testGetIssueComments")["response_body"]
            + openapi["issues/list-comments-for-repo"]["examples"]["default"]
        )
        self.review_comments = _exchange("PullRequest.testGetReviewComments")["response_body"]
        events = [json.loads(line) for line in (FIXTURES / "gharchive-reviews-and-coauthored-pushes.ndjson").open()]
        self.archive_reviews = [e["payload"]["review"] for e in events if e["type"] == "PullRequestReviewEvent"]
        # a review its author has not submitted yet comes back with state PENDING
        self.archive_reviews[-1] = {**self.archive_reviews[-1], "state": "PENDING"}
        self.pushed_messages = [
            c["message"] for e in events if e["type"] == "PushEvent" for c in e["payload"]["commits"]
        ]
        self.commits = copy.deepcopy(_exchange("PullRequest.testGetCommits")["response_body"])
        for commit, message in zip(self.commits, self.pushed_messages):
            commit["commit"]["message"] = message
        self.reviews = {32: _exchange("PullRequestReview.testAttributes")["response_body"], 39: self.archive_reviews}
        self.base = ""  # the replay server's URL, set once it listens

    def _rebased(self, value):
        return _rebased(value, self.base)

    def _graphql(self, request) -> Reply:
        """The recordings, as the org of a sandbox GitHub built afresh for each query (so a test
        may change them between queries), behind its POST /graphql."""
        self.graphql_queries += 1
        if self.graphql_failure and self.graphql_failure[0] == self.graphql_queries:
            return self.graphql_failure[1]
        api = GitHubApi(self._recorded_org(), TOKEN, GitHubQuota(), GitHubQuota(resource="graphql"))
        headers = {k.lower(): v for k, v in request.headers.items()}
        answer = api.handle(SandboxRequest("POST", "/graphql", [], headers, request.body, self.base))
        self.after_pulls_page()
        return Reply(answer.status, answer.body, answer.headers)

    def _recorded_org(self) -> Org:
        """The recorded repository, pull requests, reviews and commits with what GitHub has added to such
        objects since 2012 (node ids, user types, author associations), each made up from the
        object's own id where the recording lacks it."""
        org = Org(seed=0, now=datetime.now(UTC), github_org="PyGithub")
        repo = self.pulls[0]["base"]["repo"]
        org.repos = [{"node_id": f"R_{repo['id']}", **repo}]
        org.pulls[REPO] = [_current({**self.detail_only, **pull, "node_id": f"PR_{pull['id']}"}) for pull in self.pulls]
        for number, reviews in self.reviews.items():
            org.pull_reviews[(REPO, number)] = [
                _current({**r, "node_id": f"PRR_{r['id']}", "state": r["state"].upper()}) for r in reviews
            ]
        org.pull_commits[(REPO, 31)] = [
            _current({**c, "node_id": f"C_{c['sha']}", "html_url": c["url"]}) for c in self.commits
        ]
        return org

    @staticmethod
    def _octokit_issue_pages() -> list[tuple[dict, list]]:
        recording = json.loads((FIXTURES / "octokit-paginate-issues.raw.json").read_text())
        pages = []
        for exchange in recording:
            if exchange["method"] != "get":
                continue
            raw = exchange["rawHeaders"]
            headers = {k: v for k, v in zip(raw[::2], raw[1::2]) if k.lower() in ("link", "etag")}
            pages.append((headers, exchange["response"]))
        return pages

    def __call__(self, request) -> Reply:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return Reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
        path = request.path
        if path == f"/repos/{REPO}":
            return Reply(body=self._rebased(self.pulls[0]["base"]["repo"]))
        if path == f"/repos/{REPO}/issues" or re.fullmatch(r"/repositories/\d+/issues", path):
            headers, items = self.issue_pages[int(request.query.get("page", 1)) - 1]
            return Reply(body=self._rebased(items), headers=self._rebased(headers))
        if path == "/graphql" and request.method == "POST":
            return self._graphql(request)
        if path == f"/repos/{REPO}/pulls/comments":
            return Reply(body=self._rebased(self.review_comments))
        if path == f"/repos/{REPO}/issues/comments":
            return Reply(body=self._rebased(self.issue_comments))
        if path == f"/repos/{REPO}/releases":
            return Reply(body=[])
        return Reply(404, {"message": "Not Found"})


def _current(item: dict) -> dict:
    """A recorded object with the user and label fields GitHub sends today."""

    def user(u: dict) -> dict:
        return {
            "node_id": f"U_{u['id']}",
            "html_url": f"https://github.com/{u['login']}",
            "type": "Bot" if u["login"].endswith("[bot]") else "User",
            **u,
        }

    item = {"author_association": "CONTRIBUTOR", **item}
    for key in ("user", "author", "committer"):
        if isinstance(item.get(key), dict) and "login" in item[key]:
            item[key] = user(item[key])
    item["requested_reviewers"] = [user(u) for u in item.get("requested_reviewers") or []]
    item["labels"] = [{"node_id": f"LA_{label['id']}", **label} for label in item.get("labels") or []]
    return item


@pytest.fixture
def github():
    api = RecordedGitHub()
    with ReplayServer(api) as server:
        server.api = api
        api.base = server.url
        yield server


def _run(server, tmp_path, token=TOKEN):
    pipeline = make_pipeline("github", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    source = github_source(org=None, repos=[REPO], base_url=server.url, access_token=token)
    return pipeline, pipeline.run(source, loader_file_format="parquet")


def _rows(tmp_path, sql):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_loads_every_page_and_table_of_the_recordings(github, tmp_path):
    _run(github, tmp_path)
    api = github.api

    recorded_issues = [i for _, page in api.issue_pages for i in page if "pull_request" not in i]
    assert len(api.issue_pages) == 5
    assert sorted(r[0] for r in _rows(tmp_path, "select number from raw_github.issues")) == sorted(
        i["number"] for i in recorded_issues
    )  # every page followed, the PR-issue dropped
    assert _rows(tmp_path, f"select count(*) from raw_github.issues where id = {api.pr_issue['id']}") == [(0,)]
    assert _rows(tmp_path, "select distinct repo from raw_github.issues") == [(REPO,)]
    # pages 2-5 were fetched at the Link header's /repositories/{id} URL
    assert [r.query.get("page") for r in github.requests if "/repositories/" in r.path] == ["2", "3", "4", "5"]

    assert sorted(r[0] for r in _rows(tmp_path, "select number from raw_github.pull_requests")) == [31, 32, 39]

    submitted = {
        r["id"]: r["state"].upper() for rs in api.reviews.values() for r in rs if r["state"].upper() != "PENDING"
    }
    loaded = dict(_rows(tmp_path, "select id, state from raw_github.reviews"))
    assert loaded == submitted  # PENDING dropped, the repeat kept once
    assert set(loaded.values()) == {"APPROVED", "COMMENTED"}
    assert _rows(tmp_path, "select distinct pull_number from raw_github.reviews order by 1") == [(32,), (39,)]

    commits = dict(_rows(tmp_path, "select sha, co_authors from raw_github.pull_request_commits"))
    assert len(commits) == 3
    first, second = (json.loads(commits[c["sha"]]) for c in api.commits[:2])
    assert first == [{"name": "github-actions[bot]", "email": "41898282+github-actions[bot]@users.noreply.github.com"}]
    assert second == [{"name": "runner", "email": "iosx@wire.com"}]
    assert json.loads(commits[api.commits[2]["sha"]]) == []

    assert _rows(tmp_path, "select id, pull_number from raw_github.review_comments order by id") == sorted(
        (c["id"], 31) for c in api.review_comments
    )
    issue_numbers = dict(_rows(tmp_path, "select id, issue_number from raw_github.issue_comments"))
    assert issue_numbers == {8387331: None, 1: 1347}  # the 2012 recording has no issue_url yet

    for table, key in [
        ("issues", "id"),
        ("pull_requests", "id"),
        ("reviews", "id"),
        ("pull_request_commits", "repo, pull_number, sha"),
        ("issue_comments", "id"),
    ]:
        total, distinct = _rows(tmp_path, f"select count(*), count(distinct ({key})) from raw_github.{table}")[0]
        assert total == distinct > 0, table


def _loaded_last(tmp_path, table: str) -> list[tuple]:
    return _rows(
        tmp_path,
        f"select count(*) from raw_github.{table} where _dlt_load_id = "
        "(select max(load_id) from raw_github._dlt_loads)",
    )


def test_second_run_loads_nothing_twice(github, tmp_path):
    _run(github, tmp_path)
    before = _rows(tmp_path, "select count(*) from raw_github.reviews")
    first_run = len(github.requests)
    _run(github, tmp_path)
    second = github.requests[first_run:]
    assert _rows(tmp_path, "select count(*) from raw_github.reviews") == before
    # PRs unchanged since the cursor: one query finds that, and none is loaded again
    assert [r.path for r in second].count("/graphql") == 1
    assert _loaded_last(tmp_path, "pull_requests") == [(0,)]
    assert _loaded_last(tmp_path, "reviews") == [(0,)]


def test_a_pull_request_updated_while_paging_is_loaded_by_the_next_run(github, tmp_path, monkeypatch):
    monkeypatch.setattr(graphql, "PAGE_SIZE", 1)
    monkeypatch.setattr(settings, "PULLS_FIRST_PAGE", 1)
    api = github.api
    oldest = min(api.pulls, key=lambda p: p["updated_at"])

    def update_oldest_once():
        # right after page 1 went out the oldest PR is updated: it moves to the top, which
        # was already read; GitHub's cursors are keys, so no other PR shifts
        if oldest["updated_at"] < "2013":
            oldest["updated_at"] = "2013-01-01T00:00:00Z"

    api.after_pulls_page = update_oldest_once
    _run(github, tmp_path)
    loaded = dict(_rows(tmp_path, "select number, cast(updated_at as varchar) from raw_github.pull_requests"))
    assert sorted(loaded) == sorted(p["number"] for p in api.pulls if p is not oldest)
    _run(github, tmp_path)  # newer than the cursor the first run left
    loaded = dict(_rows(tmp_path, "select number, cast(updated_at as varchar) from raw_github.pull_requests"))
    assert sorted(loaded) == sorted(p["number"] for p in api.pulls)
    assert loaded[oldest["number"]].startswith("2013-01-01")


def test_a_failed_query_keeps_the_cursor(github, tmp_path, monkeypatch):
    monkeypatch.setattr(graphql, "PAGE_SIZE", 1)
    monkeypatch.setattr(settings, "PULLS_FIRST_PAGE", 1)
    # the second page is refused (a token without access to the repo's pull requests)
    github.api.graphql_failure = (
        2,
        Reply(
            200,
            {
                "data": {"repository": None},
                "errors": [
                    {"type": "FORBIDDEN", "path": ["repository"], "message": "Resource not accessible by integration"}
                ],
            },
        ),
    )
    with pytest.raises(PipelineStepFailed) as failure:
        _run(github, tmp_path)
    assert re.search(
        r"GitHub: GraphQL FORBIDDEN on POST /graphql .*'owner': 'PyGithub'.*: Resource not accessible "
        r"by integration",
        str(failure.value.__cause__),
    )
    github.api.graphql_failure = None
    _run(github, tmp_path)
    # had the failed run committed its cursor, the PRs below the first would never be loaded
    assert sorted(r[0] for r in _rows(tmp_path, "select number from raw_github.pull_requests")) == [31, 32, 39]
    assert _rows(tmp_path, "select count(*) from raw_github.reviews")[0][0] > 0


def test_a_recorded_not_found_answer_ends_as_one_clear_message(github, tmp_path, monkeypatch):
    """GitHub's own answer (recorded by PyGithub) for an id that resolves to nothing: HTTP 200, null
    data and a NOT_FOUND error, here in place of the second query's answer. The run stops with one
    message naming it, and the next run loads what the failed one did not."""
    monkeypatch.setattr(graphql, "PAGE_SIZE", 1)
    monkeypatch.setattr(settings, "PULLS_FIRST_PAGE", 1)
    recorded = json.loads((FIXTURES / "pygithub-GraphQl.testNode.not-found.json").read_text())
    github.api.graphql_failure = (2, Reply(recorded["status"], recorded["answer"]))
    with pytest.raises(PipelineStepFailed) as failure:
        _run(github, tmp_path)
    assert re.search(
        r"GitHub: GraphQL NOT_FOUND on POST /graphql \{'owner': 'PyGithub'.*\}: Could not resolve to a node with "
        r"the global id of 'D_abcdefgh'",
        str(failure.value.__cause__),
    )
    github.api.graphql_failure = None
    _run(github, tmp_path)
    assert sorted(r[0] for r in _rows(tmp_path, "select number from raw_github.pull_requests")) == [31, 32, 39]


def test_bad_token_ends_as_one_clear_message(github, tmp_path):
    with pytest.raises(PipelineStepFailed) as failure:
        _run(github, tmp_path, token="expired")
    cause = failure.value.__cause__  # what the Dagster layer shows: dlt's ResourceExtractionError
    assert isinstance(cause.__cause__, AuthError)
    assert str(cause.__cause__) == (
        f"GitHub rejected the credentials (HTTP 401 on GET /repos/{REPO}): check SOURCES__GITHUB__ACCESS_TOKEN"
    )
    assert str(cause.__cause__) in str(cause) and "expired" not in str(cause)
    assert len(github.requests) == 1  # not retried


def test_co_author_trailers_any_case_several_and_only_whole_lines():
    message = (
        "Fix retry loop\n\nmentions co-authored-by: in prose <not@a.trailer> here\n\n"
        "Co-authored-by: Ana Example <ana@example.com>\nCO-AUTHORED-BY:  Ben  <ben@example.com>  \n"
    )
    assert co_authors(message) == [
        {"name": "Ana Example", "email": "ana@example.com"},
        {"name": "Ben", "email": "ben@example.com"},
    ]
    assert co_authors("No trailers at all") == []
