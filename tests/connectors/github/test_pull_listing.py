"""PullListing against the sandbox's GraphQL stand-in: which pull requests a run loads, where the
listing stops, and how a run the quota stops hands over to the next."""

from __future__ import annotations

import time

import pytest

from connectors.common.time import parse_instant
from connectors.github import graphql, settings
from connectors.github.client import GitHubClient, QuotaDeferred
from connectors.github.pulls import PullListing
from sandbox.api_github import GitHubQuota
from sandbox.generate import generate_org
from sandbox.server import SandboxServer, SandboxTokens

REPO = "loadbearing-demo/platform-service"


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=7, people=12, teams=2, months=1)


def _client(server) -> GitHubClient:
    return GitHubClient(server.github_url, SandboxTokens().github_token)


def _queries(server) -> int:
    return sum(r.path == "/github/graphql" for r in server.request_log)


def test_first_listing_is_everything_newest_first_and_the_next_stops_at_the_first_page(org):
    pulls = org.pulls[REPO]
    with SandboxServer(org) as server:
        state = {}
        listed = [node["number"] for node in PullListing(_client(server), REPO, state, None)]
        assert listed == [p["number"] for p in sorted(pulls, key=lambda p: p["updated_at"], reverse=True)]
        assert state["cursor"] == max(p["updated_at"] for p in pulls)

        server.clear_log()
        assert list(PullListing(_client(server), REPO, state, None)) == []  # the overlap holds only seen PRs
        assert _queries(server) == 1


def test_a_pull_in_the_overlap_is_listed_again_when_its_update_is_new(org):
    with SandboxServer(org) as server:
        state = {}
        newest = next(iter(PullListing(_client(server), REPO, state, None)))  # stops after the first PR
        assert "cursor" not in state  # an unfinished listing moves no cursor
        list(PullListing(_client(server), REPO, state, None))
        state["seen"][newest["fullDatabaseId"]] = "2000-01-01T00:00:00Z"  # as if loaded at another version
        assert [node["number"] for node in PullListing(_client(server), REPO, state, None)] == [newest["number"]]


def test_start_bounds_the_first_listing(org):
    pulls = org.pulls[REPO]
    start = parse_instant(sorted(p["updated_at"] for p in pulls)[len(pulls) // 2])
    with SandboxServer(org) as server:
        listed = {node["number"] for node in PullListing(_client(server), REPO, {}, start)}
    assert listed == {p["number"] for p in pulls if parse_instant(p["updated_at"]) >= start}


def test_a_listing_the_quota_stops_goes_on_in_the_next_hour_without_listing_a_pull_twice(org, monkeypatch):
    monkeypatch.setattr(graphql, "PAGE_SIZE", 5)
    monkeypatch.setattr(settings, "PULLS_FIRST_PAGE", 5)
    monkeypatch.setattr(settings, "QUOTA_RESERVE", 5)
    hour = [time.time()]
    points = GitHubQuota(limit=5 + 5, window_s=3600, clock=lambda: hour[0], resource="graphql")
    with SandboxServer(
        org, graphql_quota=points
    ) as server:  # 10 points: 6 queries, until fewer than the reserve of 5 are left
        state, first = {}, []
        with pytest.raises(QuotaDeferred):
            for node in PullListing(_client(server), REPO, state, None):
                first.append(node["number"])
        assert len(first) == 6 * 5 and "partial" in state and "cursor" not in state

        hour[0] += 3601  # past the reset
        server.clear_log()
        second = [node["number"] for node in PullListing(_client(server), REPO, state, None)]
        # one query finds the span's top, then pages of 5 from "resume"
        assert _queries(server) == 1 + -(-(len(org.pulls[REPO]) - len(first)) // 5)
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(p["number"] for p in org.pulls[REPO])
    assert "partial" not in state and state["cursor"] == max(p["updated_at"] for p in org.pulls[REPO])
