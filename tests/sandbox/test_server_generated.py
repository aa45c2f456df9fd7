"""Smoke test: the server over a small generated org, as the connectors will walk it,
and the `python -m sandbox serve` command."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from sandbox.generate import generate_org
from sandbox.server import SandboxServer

SMALL = {"seed": 3, "people": 12, "teams": 2, "months": 1}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server():
    with SandboxServer(generate_org(**SMALL)) as running:
        yield running


def walk(session: requests.Session, url: str, params: dict) -> list:
    items, response = [], session.get(url, params=params, timeout=10)
    while True:
        assert response.status_code == 200, response.text[:300]
        assert "sandbox.invalid" not in response.text
        items += response.json()
        if "next" not in response.links:
            return items
        response = session.get(response.links["next"]["url"], timeout=10)


def test_github_walk_returns_every_pull_and_links_open(server):
    org = server.org
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.tokens.github_token}"
    repos = walk(session, f"{server.github_url}/orgs/{org.github_org}/repos", {"per_page": 100})
    assert sorted(r["full_name"] for r in repos) == sorted(r["full_name"] for r in org.repos)
    pulls = [
        p
        for r in repos
        for p in walk(
            session,
            f"{server.github_url}/repos/{r['full_name']}/pulls",
            {"state": "all", "sort": "updated", "direction": "desc", "per_page": 100},
        )
    ]
    assert len(pulls) == sum(map(len, org.pulls.values())) > 0
    assert requests.get(pulls[0]["html_url"], timeout=10).status_code == 200
    detail = session.get(pulls[0]["url"], timeout=10).json()
    assert detail["number"] == pulls[0]["number"] and "additions" in detail


def test_jira_search_returns_every_issue(server):
    org = server.org
    session = requests.Session()
    session.auth = (server.tokens.jira_email, server.tokens.jira_api_token)
    jql = f'updated >= "{org.start:%Y-%m-%d %H:%M}" ORDER BY updated ASC'
    seen, token = [], None
    while True:
        body = {"jql": jql, "maxResults": 100, "fields": ["summary", "updated"], "expand": "changelog"}
        page = session.post(
            f"{server.jira_url}/rest/api/3/search/jql",
            json=body | ({"nextPageToken": token} if token else {}),
            timeout=10,
        ).json()
        seen += [i["id"] for i in page["issues"]]
        token = page.get("nextPageToken")
        if page["isLast"]:
            break
    assert sorted(seen) == sorted(i["id"] for i in org.jira_issues)


def test_calendar_full_then_incremental_after_a_day(server):
    org = server.org
    calendar_id = max(org.calendars, key=lambda c: len(org.calendars[c]))
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.tokens.calendar_token}"
    url = f"{server.calendar_url}/calendars/{calendar_id}/events"
    params, ids = {"singleEvents": "true", "showDeleted": "true", "maxResults": 50}, []
    while True:
        page = session.get(url, params=params, timeout=10).json()
        ids += [e["id"] for e in page["items"]]
        if "nextSyncToken" in page:
            break
        params["pageToken"] = page["nextPageToken"]
    assert len(ids) == len(set(ids)) == len(org.calendars[calendar_id])
    org.advance_day()
    changed = session.get(url, params={"singleEvents": "true", "syncToken": page["nextSyncToken"]}, timeout=10)
    assert changed.status_code == 200
    assert len(changed.json()["items"]) < len(ids)
    for name in org.ics_feeds:
        assert requests.get(server.ics_url(name), timeout=10).text.startswith("BEGIN:VCALENDAR")


def test_serve_command_prints_urls_and_serves_until_interrupted():
    args = [f"--{k}={v}" for k, v in SMALL.items()]
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", *args, "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        lines = []
        while not lines or not lines[-1].startswith("Ctrl-C"):
            lines.append(process.stdout.readline())
            assert lines[-1], "the command exited before serving"
        output = "".join(lines)
        github_url = re.search(r"GitHub\s+(\S+)", output).group(1)
        token = re.search(r"token=(\S+)", output).group(1)
        response = requests.get(
            f"{github_url}/orgs/loadbearing-demo/repos", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert response.status_code == 200 and response.json()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert process.returncode == 0
