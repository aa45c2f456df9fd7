"""The sandbox server over real HTTP, against the hand-built tiny Org."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sandbox.api_github import GitHubQuota
from sandbox.server import SandboxServer, SandboxTokens
from tests.sandbox.tiny_org import JIRA_LONG_HISTORY, NOW, OWNER, PULLS_IN_API, email, gcal_event, google_time, tiny_org

API_REPO = f"{OWNER}/api"
ADA = email("ada", "quill")


@pytest.fixture
def server():
    with SandboxServer(tiny_org()) as running:
        yield running


def gh(server, path, headers=None, **params):
    auth = {"Authorization": f"Bearer {server.tokens.github_token}"}
    return requests.get(server.github_url + path, params=params, headers={**auth, **(headers or {})}, timeout=5)


def jira(server, path, method="GET", **kwargs):
    auth = (server.tokens.jira_email, server.tokens.jira_api_token)
    return requests.request(method, server.jira_url + path, auth=auth, timeout=5, **kwargs)


def gcal(server, calendar_id=ADA, **params):
    auth = {"Authorization": f"Bearer {server.tokens.calendar_token}"}
    return requests.get(f"{server.calendar_url}/calendars/{calendar_id}/events", params=params, headers=auth, timeout=5)


def walk_github(server, path, **params):
    """Follow rel=next as a client does; returns (items, responses)."""
    responses = [gh(server, path, **params)]
    while "next" in responses[-1].links:
        responses.append(
            requests.get(
                responses[-1].links["next"]["url"],
                headers={"Authorization": f"token {server.tokens.github_token}"},
                timeout=5,
            )
        )
    return [item for r in responses for item in r.json()], responses


# -- auth ------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}])
def test_github_rejects_missing_or_wrong_token(server, headers):
    response = requests.get(f"{server.github_url}/orgs/{OWNER}/repos", headers=headers, timeout=5)
    assert response.status_code == 401
    assert response.json()["message"] == "Bad credentials"
    assert "X-RateLimit-Remaining" in response.headers


@pytest.mark.parametrize("auth", [None, ("someone@else.example", "nope")])
def test_jira_rejects_missing_or_wrong_basic_auth(server, auth):
    response = requests.get(
        f"{server.jira_url}/rest/api/3/search/jql", params={"jql": "project = OPS"}, auth=auth, timeout=5
    )
    assert response.status_code == 401
    assert response.json()["errorMessages"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_calendar_rejects_missing_or_wrong_token(server, headers):
    response = requests.get(f"{server.calendar_url}/calendars/{ADA}/events", headers=headers, timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


def test_custom_tokens_are_the_ones_accepted():
    tokens = SandboxTokens(github_token="custom")
    with SandboxServer(tiny_org(), tokens) as server:
        ok = requests.get(f"{server.github_url}/orgs/{OWNER}/repos", headers={"Authorization": "token custom"})
        default = requests.get(
            f"{server.github_url}/orgs/{OWNER}/repos",
            headers={"Authorization": f"token {SandboxTokens().github_token}"},
        )
    assert (ok.status_code, default.status_code) == (200, 401)


# -- GitHub ----------------------------------------------------------------------------


def test_github_link_pagination_walks_every_page_with_per_page_honoured(server):
    items, responses = walk_github(
        server, f"/repos/{API_REPO}/pulls", state="all", sort="updated", direction="desc", per_page=3
    )
    assert [len(r.json()) for r in responses] == [3, 3, 1]
    assert [p["number"] for p in items] == list(range(PULLS_IN_API, 0, -1))  # updated on day 2n
    middle = responses[1].links
    assert set(middle) == {"prev", "next", "last", "first"}
    assert parse_qs(urlsplit(middle["last"]["url"]).query) == {
        "state": ["all"],
        "sort": ["updated"],
        "direction": ["desc"],
        "per_page": ["3"],
        "page": ["3"],
    }
    assert middle["next"]["url"].startswith(server.github_url)
    assert set(responses[-1].links) == {"prev", "first"}


def test_github_pull_list_is_simple_and_detail_has_counts(server):
    listed = gh(server, f"/repos/{API_REPO}/pulls", state="all").json()
    detail = gh(server, f"/repos/{API_REPO}/pulls/3").json()
    assert "additions" not in listed[0] and detail["additions"] == 13
    assert gh(server, f"/repos/{API_REPO}/pulls/99").status_code == 404


def test_github_default_state_is_open_and_per_page_is_capped(server):
    open_pulls = gh(server, f"/repos/{API_REPO}/pulls").json()
    assert {p["state"] for p in open_pulls} == {"open"}
    assert len(gh(server, f"/repos/{API_REPO}/issues", state="all", per_page=500).json()) == PULLS_IN_API + 1


def test_github_since_keeps_items_updated_at_or_after(server):
    issues = gh(server, f"/repos/{API_REPO}/issues", state="all", since="2026-11-01T18:00:00Z").json()
    # since = start + 11 days; PR n is updated on day 2n (PRs 6, 7) and the outage issue #8 on day 20
    assert sorted(i["number"] for i in issues) == [6, 7, 8]
    assert [i["number"] for i in issues if "pull_request" in i] == [7, 6]  # sort=created desc by default
    comments = gh(server, f"/repos/{API_REPO}/pulls/comments", since="2026-10-28T18:00:00Z").json()
    assert [c["id"] for c in comments] == [802, 803]  # updated on days 1, 4, 7, 10; since = day 7 exactly
    assert gh(server, f"/repos/{API_REPO}/issues", since="yesterday").status_code == 422


def test_github_etag_answers_304_without_spending_quota(server):
    first = gh(server, f"/repos/{API_REPO}/releases")
    again = gh(server, f"/repos/{API_REPO}/releases", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["X-RateLimit-Remaining"] == first.headers["X-RateLimit-Remaining"]
    weak = gh(server, f"/repos/{API_REPO}/releases", headers={"If-None-Match": "W/" + first.headers["ETag"]})
    assert weak.status_code == 304
    stale = gh(server, f"/repos/{API_REPO}/releases", headers={"If-None-Match": '"old"'})
    assert stale.status_code == 200
    assert int(stale.headers["X-RateLimit-Remaining"]) == int(first.headers["X-RateLimit-Remaining"]) - 1
    assert {"X-RateLimit-Limit", "X-RateLimit-Reset", "X-RateLimit-Used", "X-RateLimit-Resource"} <= set(stale.headers)


def test_github_pull_children_and_org_repos(server):
    assert [r["state"] for r in gh(server, f"/repos/{API_REPO}/pulls/1/reviews").json()] == [
        "COMMENTED",
        "CHANGES_REQUESTED",
        "APPROVED",
    ]
    assert "Co-authored-by" in gh(server, f"/repos/{API_REPO}/pulls/1/commits").json()[0]["commit"]["message"]
    assert gh(server, f"/repos/{API_REPO}/pulls/1/files").json()[0]["filename"] == "src/retry.py"
    assert gh(server, f"/repos/{API_REPO}/pulls/2/reviews").json() == []
    names = [r["full_name"] for r in gh(server, f"/orgs/{OWNER}/repos", sort="full_name").json()]
    assert names == [API_REPO, f"{OWNER}/web"]


# -- Jira ------------------------------------------------------------------------------


def test_jira_search_pages_by_next_page_token(server):
    jql = 'project in (OPS, PLAT) AND updated >= "2026-10-21 10:00" ORDER BY updated ASC'
    keys, page, token = [], None, None
    for page_number in range(10):
        body = {"jql": jql, "maxResults": 2, "fields": ["summary", "updated"]}
        if token:
            body["nextPageToken"] = token
        page = jira(server, "/rest/api/3/search/jql", "POST", json=body).json()
        keys += [i["key"] for i in page["issues"]]
        token = page.get("nextPageToken")
        if page["isLast"]:
            break
    assert page_number == 2 and "nextPageToken" not in page and "total" not in page
    assert keys == ["OPS-1", "OPS-2", "OPS-3", "PLAT-1", "PLAT-2"]
    assert set(page["issues"][0]["fields"]) == {"summary", "updated"}


def test_jira_updated_cursor_has_minute_precision(server):
    # OPS-2 was updated at 2026-10-26 04:30:45: a cursor at that minute still finds it
    def keys(jql):
        return [i["id"] for i in jira(server, "/rest/api/3/search/jql", params={"jql": jql}).json()["issues"]]

    assert keys('updated >= "2026-10-26 04:30" ORDER BY updated ASC') == ["10002", "10003", "10004", "10005"]
    assert keys('updated >= "2026-10-26 04:31" ORDER BY updated DESC') == ["10005", "10004", "10003"]
    assert (
        keys("project = PLAT")
        and jira(server, "/rest/api/3/search/jql", params={"jql": "ORDER BY updated"}).status_code == 400
    )


def test_jira_ids_only_without_fields_and_field_caps(server):
    ids_only = jira(server, "/rest/api/3/search/jql", params={"jql": "project = OPS"}).json()
    assert ids_only["issues"][0] == {"id": "10003"}  # no ORDER BY: newest created first
    everything = jira(
        server, "/rest/api/3/search/jql", params={"jql": "project = OPS", "fields": "*all,-labels", "maxResults": 1}
    ).json()
    assert "summary" in everything["issues"][0]["fields"] and "labels" not in everything["issues"][0]["fields"]


def test_jira_changelog_inline_is_truncated_then_paged(server):
    found = jira(
        server, "/rest/api/3/search/jql", params={"jql": "project = OPS", "fields": "summary", "expand": "changelog"}
    ).json()
    inline = next(i for i in found["issues"] if i["key"] == "OPS-1")["changelog"]
    assert (inline["total"], inline["maxResults"], len(inline["histories"])) == (JIRA_LONG_HISTORY, 100, 100)
    ids, start = [], 0
    while True:
        page = jira(server, "/rest/api/3/issue/OPS-1/changelog", params={"startAt": start, "maxResults": 60}).json()
        ids += [h["id"] for h in page["values"]]
        if page["isLast"]:
            break
        start += page["maxResults"]
    assert len(ids) == len(set(ids)) == JIRA_LONG_HISTORY
    assert page["total"] == JIRA_LONG_HISTORY


def test_jira_worklogs_comments_users_and_missing_issue(server):
    worklogs = jira(server, "/rest/api/3/issue/OPS-1/worklog").json()
    assert (worklogs["total"], worklogs["worklogs"][0]["issueId"]) == (3, "10001")
    comments = jira(server, "/rest/api/3/issue/10001/comment", params={"maxResults": 1}).json()
    assert (comments["total"], len(comments["comments"])) == (2, 1)
    users = jira(server, "/rest/api/3/users/search", params={"startAt": 1, "maxResults": 5}).json()
    assert [u["accountId"] for u in users] == ["acc-002", "acc-003"]
    assert jira(server, "/rest/api/3/issue/NOPE-9/worklog").status_code == 404


def test_jira_old_search_is_gone(server):
    response = jira(server, "/rest/api/3/search", params={"jql": "project = OPS"})
    assert response.status_code == 410
    assert "/rest/api/3/search/jql" in response.json()["errorMessages"][0]


# -- Google Calendar -------------------------------------------------------------------


def full_sync(server, **params):
    pages = [gcal(server, singleEvents="true", showDeleted="true", maxResults=2, **params).json()]
    while "nextPageToken" in pages[-1]:
        pages.append(
            gcal(
                server,
                singleEvents="true",
                showDeleted="true",
                maxResults=2,
                pageToken=pages[-1]["nextPageToken"],
                **params,
            ).json()
        )
    return pages


def test_calendar_pages_then_sync_token_only_on_last_page(server):
    pages = full_sync(server)
    assert ["nextSyncToken" in p for p in pages] == [False, False, True]
    assert all("nextPageToken" in p for p in pages[:-1])
    ids = [e["id"] for p in pages for e in p["items"]]
    # instances, not the recurring master; the cancelled one included with showDeleted
    assert sorted(ids) == ["ev1", "ev2", "ev3", "ev4", "ev5", "standup_20261022T080000Z"]
    without_deleted = gcal(server, singleEvents="true").json()["items"]
    assert "ev3" not in [e["id"] for e in without_deleted]


def test_calendar_sync_token_returns_only_changes_then_410_when_invalidated(server):
    token = full_sync(server)[-1]["nextSyncToken"]
    assert gcal(server, syncToken=token, singleEvents="true").json()["items"] == []
    # a day passes: one event is cancelled, one is added
    org = server.org
    org.now = NOW + timedelta(days=1)
    events = org.calendars[ADA]
    events[0] = {**events[0], "status": "cancelled", "updated": google_time(org.now - timedelta(hours=1))}
    events.append(gcal_event("ev9", "War room", ADA, org.now, org.now - timedelta(hours=2)))
    changed = gcal(server, syncToken=token, singleEvents="true").json()
    assert sorted(e["id"] for e in changed["items"]) == ["ev1", "ev9"]
    assert "nextSyncToken" in changed
    assert gcal(server, syncToken=token, timeMin="2026-10-01T00:00:00Z").status_code == 400
    server.invalidate_sync_tokens()
    gone = gcal(server, syncToken=changed["nextSyncToken"], singleEvents="true")
    assert gone.status_code == 410
    assert gone.json()["error"]["errors"][0]["reason"] == "fullSyncRequired"


def test_calendar_sync_tokens_survive_a_restart_for_the_same_org():
    org = tiny_org()
    with SandboxServer(org) as first:
        token = full_sync(first)[-1]["nextSyncToken"]
    with SandboxServer(org) as second:
        assert gcal(second, syncToken=token, singleEvents="true").status_code == 200
    other = tiny_org()
    other.seed = 2
    with SandboxServer(other) as third:
        assert gcal(third, syncToken=token, singleEvents="true").status_code == 410


def test_calendar_time_window_and_unknown_calendar(server):
    window = gcal(server, singleEvents="true", timeMin="2026-10-24T00:00:00Z", timeMax="2026-10-26T00:00:00Z")
    assert sorted(e["id"] for e in window.json()["items"]) == ["ev2"]  # ev3 (Oct 25) is cancelled
    assert gcal(server, calendar_id="nobody%40x.example").status_code == 404


# -- feeds, pages, log, faults ----------------------------------------------------------


def test_ics_feed_is_served_without_auth(server):
    response = requests.get(server.ics_url("oncall"), timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:On-call handoff" in response.text and server.base_url in response.text
    assert requests.get(server.ics_url("missing"), timeout=5).status_code == 404


def test_placeholder_urls_point_at_the_server_and_open_a_page(server):
    pull = gh(server, f"/repos/{API_REPO}/pulls/1").json()
    assert pull["html_url"] == f"{server.base_url}/{API_REPO}/pull/1"
    assert "sandbox.invalid" not in gh(server, f"/repos/{API_REPO}/pulls/1").text
    page = requests.get(pull["html_url"], timeout=5)
    assert page.status_code == 200 and "flaky retry #1" in page.text
    event = gcal(server).json()["items"][0]
    assert "Incident review" in requests.get(event["htmlLink"], timeout=5).text
    assert "OPS-1" in requests.get(f"{server.jira_url}/browse/OPS-1", timeout=5).text
    assert requests.get(f"{server.base_url}/{API_REPO}/pull/99", timeout=5).status_code == 404


def test_request_log_records_each_request(server):
    gh(server, f"/repos/{API_REPO}/pulls", state="all", per_page=2)
    requests.get(server.ics_url("oncall"), timeout=5)
    log = server.request_log
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", f"/github/repos/{API_REPO}/pulls", 200),
        ("GET", "/ics/oncall.ics", 200),
    ]
    assert log[0].query == {"state": "all", "per_page": "2"}
    server.clear_log()
    assert server.request_log == []


def test_fault_injected_once_then_success(server):
    server.faults.add(r"^/github/repos/.*/pulls$", 429, times=1, headers={"Retry-After": "1"})
    first = gh(server, f"/repos/{API_REPO}/pulls")
    second = gh(server, f"/repos/{API_REPO}/pulls")
    assert (first.status_code, first.headers["Retry-After"]) == (429, "1")
    assert second.status_code == 200
    assert [r.status for r in server.request_log] == [429, 200]


def test_indexes_follow_the_org_clock(server):
    before = len(gh(server, f"/repos/{API_REPO}/pulls", state="all", per_page=100).json())
    org = server.org
    newest = org.pulls[API_REPO][-1]
    org.pulls[API_REPO].append({**newest, "id": 9999, "number": 50, "html_url": newest["html_url"][:-1] + "50"})
    org.now = NOW + timedelta(days=1)
    after = gh(server, f"/repos/{API_REPO}/pulls", state="all", per_page=100).json()
    assert len(after) == before + 1
    assert requests.get(f"{server.base_url}/{API_REPO}/pull/50", timeout=5).status_code == 200


def test_enforced_github_quota_answers_403_with_remaining_zero():
    with SandboxServer(tiny_org(), github_quota=GitHubQuota(limit=2, enforce=True)) as server:
        statuses = [gh(server, f"/orgs/{OWNER}/repos") for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 403]
    assert statuses[1].headers["X-RateLimit-Remaining"] == statuses[2].headers["X-RateLimit-Remaining"] == "0"
    assert "rate limit" in statuses[2].json()["message"]
