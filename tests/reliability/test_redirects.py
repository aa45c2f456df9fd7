"""Requests go only to the configured base URL: a redirect to another host is not followed
(so the token never reaches it), a redirect within the API's own origin is."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from connectors.common.http import SourceError
from connectors.github.client import GitHubClient
from sandbox.generate import generate_org
from sandbox.server import SandboxServer


class _Recorder(BaseHTTPRequestHandler):
    """Another host: records what reached it, Authorization header included."""

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Authorization")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def other_host():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def server():
    with SandboxServer(generate_org(seed=7, people=12, teams=2, months=1)) as server:
        yield server


def test_a_redirect_to_another_host_is_refused_without_sending_the_token(server, other_host):
    elsewhere = f"http://127.0.0.1:{other_host.server_address[1]}/steal"
    server.faults.add(r"^/github/orgs/[^/]+/repos$", 302, times=None, headers={"Location": elsewhere}, body=b"")
    client = GitHubClient(server.github_url, server.tokens.github_token)
    try:
        with pytest.raises(SourceError) as failure:
            list(client.pages(f"/orgs/{server.org.github_org}/repos"))
    finally:
        server.faults.clear()
    message = str(failure.value)
    assert message.startswith("GitHub: GET /github/orgs/loadbearing-demo/repos redirects to 127.0.0.1:"), message
    assert "check the base URL" in message
    assert other_host.seen == []  # not even a token-less request went there
    assert server.tokens.github_token not in message


def test_a_redirect_within_the_api_origin_is_followed_with_the_token(server):
    # GitHub answers 301 for a renamed organization or repository; the new path is on the same host
    old, new = "/orgs/old-name/repos", f"/orgs/{server.org.github_org}/repos"
    server.faults.add(rf"^/github{old}$", 301, times=None, headers={"Location": f"{server.github_url}{new}"},
                      body=b"")
    server.clear_log()
    try:
        repos = GitHubClient(server.github_url, server.tokens.github_token).get(old)
    finally:
        server.faults.clear()
    assert sorted(r["full_name"] for r in repos) == sorted(r["full_name"] for r in server.org.repos)
    # the sandbox answers 401 without the token: a 200 at the new path means it went along
    assert [(r.path, r.status) for r in server.request_log] == [(f"/github{old}", 301), (f"/github{new}", 200)]
