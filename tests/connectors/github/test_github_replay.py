"""The GitHub connector against recorded GitHub payloads, served on 127.0.0.1.

One repository, PyGithub/PyGithub, answered from real recordings (see
tests/fixtures/ATTRIBUTION.md): issues from octokit's 5-page Link-header recording,
pulls / reviews / review comments / issue comments / commits from PyGithub's replay
data, more reviews (lower-case states, one review twice) from GH Archive events, and
the commit messages with `Co-authored-by:` trailers from GH Archive push events.
"""
from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import duckdb
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from connectors.common.http import AuthError
from connectors.common.pipeline import make_pipeline
from connectors.github import co_authors, github_source, settings
from tests.support.replay import Reply, ReplayServer

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
        self.after_pulls_page = lambda page: None  # lets a test change a PR while the connector pages
        self.issue_pages = self._octokit_issue_pages()
        openapi = json.loads((FIXTURES / "github-rest-openapi-examples-subset.json").read_text())["operations"]
        # the spec's example issue is a pull request (it has `pull_request`): must be dropped
        self.pr_issue = openapi["issues/list-for-repo"]["examples"]["default"][0]
        # GET /pulls/{n} answers what the listing has and more (additions, deletions, ...): the spec's
        # example gives the fields the recordings of the listing lack
        detail = openapi["pulls/get"]["examples"]["default"]
        self.detail_only = {k: v for k, v in detail.items() if k not in self.pulls[0]}
        self.issue_pages[-1][1].append(self.pr_issue)
        self.issue_comments = (_exchange("PullRequest.testGetIssueComments")["response_body"]
                               + openapi["issues/list-comments-for-repo"]["examples"]["default"])
        self.review_comments = _exchange("PullRequest.testGetReviewComments")["response_body"]
        events = [json.loads(line) for line in (FIXTURES / "gharchive-reviews-and-coauthored-pushes.ndjson").open()]
        self.archive_reviews = [e["payload"]["review"] for e in events if e["type"] == "PullRequestReviewEvent"]
        # a review its author has not submitted yet comes back with state PENDING
        self.archive_reviews[-1] = {**self.archive_reviews[-1], "state": "PENDING"}
        self.pushed_messages = [c["message"] for e in events if e["type"] == "PushEvent" for c in e["payload"]["commits"]]
        self.commits = copy.deepcopy(_exchange("PullRequest.testGetCommits")["response_body"])
        for commit, message in zip(self.commits, self.pushed_messages):
            commit["commit"]["message"] = message
        self.reviews = {32: _exchange("PullRequestReview.testAttributes")["response_body"], 39: self.archive_reviews}
        self.fail_reviews = False
        self.base = ""  # the replay server's URL, set once it listens

    def _rebased(self, value):
        return _rebased(value, self.base)

    def _pulls_page(self, request) -> Reply:
        """Sorted by updated, newest first, paged like GitHub (Link rel=next, ETag, 304)."""
        per_page, page = int(request.query.get("per_page", 30)), int(request.query.get("page", 1))
        ordered = sorted(self.pulls, key=lambda p: p["updated_at"], reverse=True)
        body = self._rebased(ordered[(page - 1) * per_page: page * per_page])
        etag = '"' + hashlib.sha256(json.dumps(body).encode()).hexdigest() + '"'
        if request.headers.get("If-None-Match") == etag:
            return Reply(304, b"", {"ETag": etag})
        headers = {"ETag": etag}
        if page * per_page < len(ordered):
            query = "&".join(f"{k}={v}" for k, v in {**request.query, "page": page + 1}.items())
            headers["Link"] = f'<{self.base}{request.path}?{query}>; rel="next"'
        self.after_pulls_page(page)
        return Reply(body=body, headers=headers)

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
        if path == f"/repos/{REPO}/pulls":
            return self._pulls_page(request)
        if path == f"/repos/{REPO}/pulls/comments":
            return Reply(body=self._rebased(self.review_comments))
        if path == f"/repos/{REPO}/issues/comments":
            return Reply(body=self._rebased(self.issue_comments))
        if path == f"/repos/{REPO}/releases":
            return Reply(body=[])
        match = re.fullmatch(rf"/repos/{REPO}/pulls/(\d+)(/\w+)?", path)
        if match:
            number, child = int(match.group(1)), match.group(2)
            if child is None:
                pull = next(p for p in self.pulls if p["number"] == number)
                return Reply(body=self._rebased({**self.detail_only, **pull}))
            if child == "/reviews":
                if self.fail_reviews:
                    return Reply(404, {"message": "Not Found"})
                return Reply(body=self._rebased(self.reviews.get(number, [])))
            if child == "/commits":
                return Reply(body=self._rebased(self.commits if number == 31 else []))
            if child == "/files":
                return Reply(body=[])
        return Reply(404, {"message": "Not Found"})


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
        i["number"] for i in recorded_issues)  # every page followed, the PR-issue dropped
    assert _rows(tmp_path, f"select count(*) from raw_github.issues where id = {api.pr_issue['id']}") == [(0,)]
    assert _rows(tmp_path, "select distinct repo from raw_github.issues") == [(REPO,)]
    # pages 2-5 were fetched at the Link header's /repositories/{id} URL
    assert [r.query.get("page") for r in github.requests if "/repositories/" in r.path] == ["2", "3", "4", "5"]

    assert sorted(r[0] for r in _rows(tmp_path, "select number from raw_github.pull_requests")) == [31, 32, 39]

    submitted = {r["id"]: r["state"].upper() for rs in api.reviews.values() for r in rs if r["state"].upper() != "PENDING"}
    loaded = dict(_rows(tmp_path, "select id, state from raw_github.reviews"))
    assert loaded == submitted  # lower-case archive states normalised, PENDING dropped, the repeat kept once
    assert set(loaded.values()) == {"APPROVED", "COMMENTED"}
    assert _rows(tmp_path, "select distinct pull_number from raw_github.reviews order by 1") == [(32,), (39,)]

    commits = dict(_rows(tmp_path, "select sha, co_authors from raw_github.pull_request_commits"))
    assert len(commits) == 3
    first, second = (json.loads(commits[c["sha"]]) for c in api.commits[:2])
    assert first == [{"name": "github-actions[bot]", "email": "41898282+github-actions[bot]@users.noreply.github.com"}]
    assert second == [{"name": "runner", "email": "iosx@wire.com"}]
    assert json.loads(commits[api.commits[2]["sha"]]) == []

    assert _rows(tmp_path, "select id, pull_number from raw_github.review_comments order by id") == sorted(
        (c["id"], 31) for c in api.review_comments)
    issue_numbers = dict(_rows(tmp_path, "select id, issue_number from raw_github.issue_comments"))
    assert issue_numbers == {8387331: None, 1: 1347}  # the 2012 recording has no issue_url yet

    for table, key in [("issues", "id"), ("pull_requests", "id"), ("reviews", "id"),
                       ("pull_request_commits", "repo, pull_number, sha"), ("issue_comments", "id")]:
        total, distinct = _rows(tmp_path, f"select count(*), count(distinct ({key})) from raw_github.{table}")[0]
        assert total == distinct > 0, table


def test_second_run_loads_nothing_twice_and_sends_etags(github, tmp_path):
    _run(github, tmp_path)
    before = _rows(tmp_path, "select count(*) from raw_github.reviews")
    first_run = len(github.requests)
    _run(github, tmp_path)
    second = github.requests[first_run:]
    assert _rows(tmp_path, "select count(*) from raw_github.reviews") == before
    # PRs unchanged since the cursor: no detail or child requests
    assert not [r.path for r in second if re.search(r"/pulls/\d+", r.path)]
    pulls = [r for r in github.requests if r.path.endswith("/pulls")]
    assert len(pulls) == 2 and pulls[1].headers.get("If-None-Match")  # a conditional request, answered 304


def test_a_pull_request_updated_while_paging_is_not_skipped(github, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "PAGE_SIZE", 1)
    api = github.api
    oldest = min(api.pulls, key=lambda p: p["updated_at"])

    def update_oldest_once(page):
        # right after page 1 went out the oldest PR is updated: it moves to the top, which
        # was already read, the others shift down a page, and one pass never meets it
        if page == 1 and oldest["updated_at"] < "2013":
            oldest["updated_at"] = "2013-01-01T00:00:00Z"
    api.after_pulls_page = update_oldest_once
    _run(github, tmp_path)
    loaded = dict(_rows(tmp_path, "select number, cast(updated_at as varchar) from raw_github.pull_requests"))
    assert sorted(loaded) == sorted(p["number"] for p in api.pulls)
    assert loaded[oldest["number"]].startswith("2013-01-01")


def test_failed_child_request_keeps_the_cursor(github, tmp_path):
    github.api.fail_reviews = True
    with pytest.raises(PipelineStepFailed) as failure:
        _run(github, tmp_path)
    assert re.search(rf"GitHub: HTTP 404 on GET /repos/{REPO}/pulls/\d+/reviews: Not Found", str(failure.value.__cause__))
    github.api.fail_reviews = False
    _run(github, tmp_path)
    # had the failed run committed its pulls cursor, the reviews would never be fetched
    assert _rows(tmp_path, "select count(*) from raw_github.reviews")[0][0] > 0
    assert sorted(r[0] for r in _rows(tmp_path, "select number from raw_github.pull_requests")) == [31, 32, 39]


def test_bad_token_ends_as_one_clear_message(github, tmp_path):
    with pytest.raises(PipelineStepFailed) as failure:
        _run(github, tmp_path, token="expired")
    cause = failure.value.__cause__  # what the Dagster layer shows: dlt's ResourceExtractionError
    assert isinstance(cause.__cause__, AuthError)
    assert str(cause.__cause__) == (f"GitHub rejected the credentials (HTTP 401 on GET /repos/{REPO}): "
                                    "check SOURCES__GITHUB__ACCESS_TOKEN")
    assert str(cause.__cause__) in str(cause) and "expired" not in str(cause)
    assert len(github.requests) == 1  # not retried


def test_co_author_trailers_any_case_several_and_only_whole_lines():
    message = ("Fix retry loop\n\nmentions co-authored-by: in prose <not@a.trailer> here\n\n"
               "Co-authored-by: Ana Example <ana@example.com>\nCO-AUTHORED-BY:  Ben  <ben@example.com>  \n")
    assert co_authors(message) == [{"name": "Ana Example", "email": "ana@example.com"},
                                   {"name": "Ben", "email": "ben@example.com"}]
    assert co_authors("No trailers at all") == []
