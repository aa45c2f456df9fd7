"""The sandbox's fault switches themselves, seen from a plain HTTP client."""

from __future__ import annotations

import json

import pytest
import requests

from sandbox import faults as f
from sandbox.server import SandboxServer

REPOS = r"^/github/orgs/[^/]+/repos$"


@pytest.fixture
def server(small_org):
    with SandboxServer(small_org) as server:
        yield server


def _get(server, path: str, **params) -> requests.Response:
    headers = {"Authorization": f"Bearer {server.tokens.github_token}"}
    return requests.get(f"{server.github_url}{path}", params=params, headers=headers, timeout=10)


def _statuses(small_org, probability: float) -> list[int]:
    with SandboxServer(small_org) as server:
        server.faults.add(REPOS, 503, times=None, probability=probability)
        return [_get(server, f"/orgs/{small_org.github_org}/repos").status_code for _ in range(40)]


def test_a_probabilistic_fault_replays_the_same_for_the_org_seed(small_org):
    first, again = _statuses(small_org, 0.25), _statuses(small_org, 0.25)
    assert first == again
    assert 3 <= first.count(503) <= 20 and set(first) == {200, 503}


def test_times_counts_down_and_the_api_answers_after(server, small_org):
    server.faults.too_many_requests(REPOS, retry_after_s=7, times=2)
    answers = [_get(server, f"/orgs/{small_org.github_org}/repos") for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "7"


def test_secondary_rate_limit_and_exhausted_quota_look_like_github(server, small_org):
    server.faults.secondary_rate_limit(REPOS, times=1)
    server.faults.quota_exhausted(REPOS, reset_in_s=60, times=1)
    secondary, quota = (_get(server, f"/orgs/{small_org.github_org}/repos") for _ in range(2))
    assert secondary.status_code == 403 and "secondary rate limit" in secondary.json()["message"]
    assert quota.status_code == 403 and quota.headers["X-RateLimit-Remaining"] == "0"
    assert int(quota.headers["X-RateLimit-Reset"]) > 0


def test_a_dropped_connection_has_no_answer(server, small_org):
    server.faults.drop(REPOS, times=1)
    with pytest.raises(requests.ConnectionError):
        _get(server, f"/orgs/{small_org.github_org}/repos")
    assert server.request_log[-1].status == 0


def test_a_truncated_body_is_not_json(server, small_org):
    whole = _get(server, f"/orgs/{small_org.github_org}/repos").content
    server.faults.truncate(REPOS, times=1)
    cut = _get(server, f"/orgs/{small_org.github_org}/repos").content
    assert cut == whole[: len(whole) // 2]
    with pytest.raises(ValueError):
        json.loads(cut)


def test_pagination_drift_repeats_the_previous_pages_last_item(server, small_org):
    repo = small_org.repos[0]["full_name"]
    server.faults.pagination_drift(r"/pulls$", page_size=5, times=None)
    first = _get(server, f"/repos/{repo}/pulls", state="all", per_page=100).json()
    second = _get(server, f"/repos/{repo}/pulls", state="all", per_page=100, page=2).json()
    assert len(first) == 5
    assert second[0] == first[-1] and len(second) == 6


def test_schema_drift_adds_removes_and_retypes_fields(server, small_org):
    path = f"/orgs/{small_org.github_org}/repos"
    clean = _get(server, path).json()
    for alteration in (f.add_field("new_field", 1), f.remove_field("name"), f.change_type("id", str)):
        server.faults.alter(REPOS, alteration, times=1)
    added, removed, retyped = (_get(server, path).json() for _ in range(3))
    assert all(r["new_field"] == 1 for r in added)
    assert all("name" not in r for r in removed)
    assert [r["id"] for r in retyped] == [str(r["id"]) for r in clean]
