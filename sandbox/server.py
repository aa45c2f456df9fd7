"""The sandbox server: GitHub, Jira Cloud and Google Calendar stand-ins over real HTTP
on 127.0.0.1, serving one Org.

    with SandboxServer(org) as server:
        server.github_url, server.jira_url, server.calendar_url, server.ics_url("oncall")

URL scheme (all under base_url = http://127.0.0.1:PORT):
    /github/...          GitHub REST     (Authorization: Bearer|token <github_token>)
    /github/graphql      GitHub GraphQL  (POST; the same token)
    /jira/rest/api/3/... Jira Cloud v3   (Basic <jira_email>:<jira_api_token>)
    /jira/rest/api/2/... Jira Server v2  (jira_deployment="server": Bearer <jira_api_token>, or that Basic)
    /calendar/v3/...     Google Calendar (Authorization: Bearer <calendar_token>)
    /ics/{name}.ics      .ics feeds      (no auth: a secret-address feed)
    /pagerduty/...       PagerDuty REST v2 (Authorization: Token token=<pagerduty_api_key>)
    /opsgenie/v2/...     Opsgenie Alert API (Authorization: GenieKey <opsgenie_api_key>)
    /google/token        Google's OAuth token endpoint; GitHub App endpoints under /github (sandbox.auth)
    /graph/v1.0/...      Microsoft Graph calendarView/delta (sandbox.api_graph; Bearer from the endpoint below)
    /microsoft/{tenant}/oauth2/v2.0/token  Microsoft's token endpoint (client credentials; sandbox.auth)
    anything else        the HTML page of an object's html_url / htmlLink / browse URL
Indexes are rebuilt when the org's clock moves (Org.advance_day) or on refresh().
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from sandbox.api_calendar import CalendarApi, SyncTokens
from sandbox.api_github import GitHubApi, GitHubQuota
from sandbox.api_graph import DeltaTokens, GraphApi
from sandbox.api_jira import JiraApi
from sandbox.api_jira_server import JiraServerApi
from sandbox.api_opsgenie import OpsgenieApi
from sandbox.api_pagerduty import PagerDutyApi
from sandbox.auth import GOOGLE_TOKEN_PATH, SandboxAuth, TokenIssuer
from sandbox.faults import Faults
from sandbox.model import Org
from sandbox.pages import OPSGENIE_WEB, Pages, home_page, not_found_page
from sandbox.wire import JSON_TYPE, Request, Response


@dataclass(frozen=True)
class SandboxTokens:
    github_token: str = "ghp_sandbox_github_token"
    jira_email: str = "sandbox.admin@loadbearing-demo.example"
    jira_api_token: str = "sandbox-jira-api-token"
    calendar_token: str = "ya29.sandbox-calendar-token"
    pagerduty_api_key: str = "sandbox-pagerduty-api-key"
    opsgenie_api_key: str = "sandbox-opsgenie-api-key"


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str  # full path, e.g. /github/repos/o/r/pulls
    query: dict[str, str]  # repeated parameters joined with ","
    status: int
    at: datetime
    body: bytes = b""  # what a POST sent (a GraphQL query and its variables)


@dataclass(frozen=True)
class _Snapshot:
    """Everything derived from the org at one clock reading; swapped whole on refresh."""

    now: datetime
    github: GitHubApi
    jira: JiraApi
    calendar: CalendarApi
    pages: Pages
    graph: GraphApi
    pagerduty: PagerDutyApi
    opsgenie: OpsgenieApi


class SandboxServer:
    def __init__(
        self,
        org: Org,
        tokens: SandboxTokens | None = None,
        port: int = 0,
        github_quota: GitHubQuota | None = None,
        graphql_quota: GitHubQuota | None = None,
        auth: SandboxAuth | None = None,
        jira_deployment: str = "cloud",
    ):
        self.org = org
        self.jira_deployment = jira_deployment  # "server": /jira serves Jira Data Center's REST v2 instead
        self.tokens = tokens or SandboxTokens()
        # expiring credentials (sandbox.auth): issued tokens work beside the static ones above
        self.issuer = TokenIssuer(auth)
        self.faults = Faults(seed=org.seed)
        self.github_quota = github_quota or GitHubQuota()
        self.graphql_quota = graphql_quota or GitHubQuota(resource="graphql")  # GitHub's separate points quota
        self.sync_tokens = SyncTokens(org.seed)
        self.graph_delta_tokens = DeltaTokens(org.seed)
        self._port = port
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.refresh()
        self._httpd = _Server(("127.0.0.1", self._port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.sandbox = self
        # a short poll interval makes stop() quick (tests start many servers)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="sandbox-http", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join()
            self._httpd = None

    def refresh(self) -> None:
        """Rebuild the indexes from the org (done by itself when org.now moves)."""
        with self._refresh_lock:
            self._rebuild()

    def _rebuild(self) -> None:
        org, tokens = self.org, self.tokens
        self._snapshot = _Snapshot(
            now=org.now,
            github=GitHubApi(org, tokens.github_token, self.github_quota, self.graphql_quota, self.issuer),
            jira=(JiraServerApi if self.jira_deployment == "server" else JiraApi)(
                org, tokens.jira_email, tokens.jira_api_token
            ),
            calendar=CalendarApi(org, tokens.calendar_token, self.sync_tokens, self.issuer),
            pages=Pages(org),
            graph=GraphApi(org, self.graph_delta_tokens, self.issuer),
            pagerduty=PagerDutyApi(org, tokens.pagerduty_api_key),
            opsgenie=OpsgenieApi(org, tokens.opsgenie_api_key),
        )

    @property
    def _emails(self) -> frozenset[str]:
        """Whom a service account may impersonate: every roster person's email."""
        return frozenset(email.lower() for person in self.org.people for email in person.get("emails") or [])

    def invalidate_sync_tokens(self) -> None:
        """Every Google sync token issued so far now answers 410 (full sync required)."""
        self.sync_tokens.invalidate()

    def invalidate_graph_delta_tokens(self) -> None:
        """Every Graph delta link issued so far now answers 410 SyncStateNotFound (a full resync)."""
        self.graph_delta_tokens.invalidate()

    # -- addresses --------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def github_url(self) -> str:
        return f"{self.base_url}/github"

    @property
    def jira_url(self) -> str:
        return f"{self.base_url}/jira"

    @property
    def calendar_url(self) -> str:
        return f"{self.base_url}/calendar/v3"

    @property
    def pagerduty_url(self) -> str:
        return f"{self.base_url}/pagerduty"

    @property
    def opsgenie_url(self) -> str:
        return f"{self.base_url}/opsgenie"

    @property
    def opsgenie_web_url(self) -> str:
        """The Opsgenie account's web address (SOURCES__ONCALL__WEB_URL): alert pages under it."""
        return f"{self.base_url}{OPSGENIE_WEB}"

    @property
    def google_token_url(self) -> str:
        """Google's OAuth token endpoint (SOURCES__CALENDAR__TOKEN_URI)."""
        return f"{self.base_url}{GOOGLE_TOKEN_PATH}"

    @property
    def graph_url(self) -> str:
        """Microsoft Graph's root (SOURCES__CALENDAR__OUTLOOK_BASE_URL)."""
        return f"{self.base_url}/graph/v1.0"

    @property
    def microsoft_authority(self) -> str:
        """Microsoft's login authority (SOURCES__CALENDAR__OUTLOOK_AUTHORITY)."""
        return f"{self.base_url}/microsoft"

    def ics_url(self, name: str) -> str:
        return f"{self.base_url}/ics/{quote(name)}.ics"

    def addresses(self) -> dict[str, str]:
        feeds = {f"{name}.ics": self.ics_url(name) for name in sorted(self.org.ics_feeds)}
        return {"GitHub": self.github_url, "Jira": self.jira_url, "Google Calendar": self.calendar_url, **feeds}

    # -- request log ------------------------------------------------------------------

    @property
    def request_log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(record)

    # -- dispatch ---------------------------------------------------------------------

    def _current(self) -> _Snapshot:
        if self._snapshot.now != self.org.now:
            with self._refresh_lock:  # concurrent requests after advance_day rebuild once
                if self._snapshot.now != self.org.now:
                    self._rebuild()
        return self._snapshot

    def answer(self, method: str, raw_path: str, raw_query: str, headers: dict[str, str], body: bytes) -> Response:
        snapshot = self._current()
        path = unquote(raw_path)
        query = parse_qsl(raw_query, keep_blank_values=True)
        fault = self.faults.take(method, path)
        if fault is not None:
            time.sleep(fault.delay_s)
            if fault.status is not None:
                return fault.response()
            asked = fault.query_for_api(query)
            return fault.applied_to(
                self._api_answer(snapshot, method, path, raw_query, asked, headers, body), path, query
            )
        return self._api_answer(snapshot, method, path, raw_query, query, headers, body)

    def _api_answer(
        self,
        snapshot: _Snapshot,
        method: str,
        path: str,
        raw_query: str,
        query: list,
        headers: dict[str, str],
        body: bytes,
    ) -> Response:
        for prefix, api in (
            ("/github", snapshot.github),
            ("/jira", snapshot.jira),
            ("/calendar/v3", snapshot.calendar),
            ("/graph/v1.0", snapshot.graph),
            ("/pagerduty", snapshot.pagerduty),
            ("/opsgenie", snapshot.opsgenie),
        ):
            if path == prefix or path.startswith(prefix + "/"):
                request = Request(method, path[len(prefix) :], query, headers, body, self.base_url, prefix)
                return api.handle(request) or snapshot.pages.page(path, raw_query) or api.not_found(request)
        if path == GOOGLE_TOKEN_PATH and method == "POST":
            return self.issuer.google_token(Request(method, path, query, headers, body, self.base_url), self._emails)
        if path.startswith("/microsoft/"):
            request = Request(method, path, query, headers, body, self.base_url)
            return self.issuer.microsoft_token(request) or not_found_page(path)
        if path == "/":
            return home_page(self.org, self.addresses())
        return snapshot.pages.ics(path, self.base_url) or snapshot.pages.page(path, raw_query) or not_found_page(path)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # a client that stopped waiting (a read timeout against a slow fault) is no server error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections as with the real APIs
    server_version = "LoadbearingSandbox/1.0"
    disable_nagle_algorithm = True  # headers and body go out in two writes; Nagle would add 40 ms

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def do_HEAD(self):
        self._serve()

    def _serve(self) -> None:
        sandbox: SandboxServer = self.server.sandbox
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        method = "GET" if self.command == "HEAD" else self.command
        try:
            response = sandbox.answer(method, parts.path, parts.query, headers, body)
        except Exception as exc:  # a sandbox bug must reach the client as a 500, not a reset
            response = Response(500, json.dumps({"message": f"sandbox error: {exc!r}"}).encode(), {}, JSON_TYPE)
        # logged before answering, so a client that got its answer finds the record
        query = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            query[key] = f"{query[key]},{value}" if key in query else value
        sandbox._record(
            RequestRecord(
                self.command,
                unquote(parts.path),
                query,
                response.status,
                datetime.now(UTC),
                body if self.command == "POST" else b"",
            )
        )
        if response.drop_connection:
            self.close_connection = True  # the client sees the connection end with no status line
            return
        self.send_response(response.status)
        if response.status != 304:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format, *args):  # quiet: the request log is the record
        pass
