"""Requests go only to the configured base URL: a redirect to another host is not followed
(so the token never reaches it), a redirect within the API's own origin is."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from connectors.common.http import SourceError
from connectors.github.client import GitHubClient


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


def test_a_redirect_to_another_host_is_refused_without_sending_the_token(sandbox_server, other_host):
    elsewhere = f"http://127.0.0.1:{other_host.server_address[1]}/steal"
    sandbox_server.faults.add(r"^/github/orgs/[^/]+/repos$", 302, times=None, headers={"Location": elsewhere}, body=b"")
    client = GitHubClient(sandbox_server.github_url, sandbox_server.tokens.github_token)
    try:
        with pytest.raises(SourceError) as failure:
            list(client.pages(f"/orgs/{sandbox_server.org.github_org}/repos"))
    finally:
        sandbox_server.faults.clear()
    message = str(failure.value)
    assert message.startswith("GitHub: GET /github/orgs/loadbearing-demo/repos redirects to 127.0.0.1:"), message
    assert "check the base URL" in message
    assert other_host.seen == []  # not even a token-less request went there
    assert sandbox_server.tokens.github_token not in message


def test_a_redirect_within_the_api_origin_is_followed_with_the_token(sandbox_server):
    # GitHub answers 301 for a renamed organization or repository; the new path is on the same host
    old, new = "/orgs/old-name/repos", f"/orgs/{sandbox_server.org.github_org}/repos"
    sandbox_server.faults.add(
        rf"^/github{old}$", 301, times=None, headers={"Location": f"{sandbox_server.github_url}{new}"}, body=b""
    )
    sandbox_server.clear_log()
    try:
        repos = GitHubClient(sandbox_server.github_url, sandbox_server.tokens.github_token).get(old)
    finally:
        sandbox_server.faults.clear()
    assert sorted(r["full_name"] for r in repos) == sorted(r["full_name"] for r in sandbox_server.org.repos)
    # the sandbox answers 401 without the token: a 200 at the new path means it went along
    assert [(r.path, r.status) for r in sandbox_server.request_log] == [(f"/github{old}", 301), (f"/github{new}", 200)]
