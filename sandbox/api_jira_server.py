"""Jira Data Center / Server REST v2 (the subset the connectors use), served from an Org under
/jira when the sandbox runs with jira_deployment="server" (no /rest/api/3 then).

The same issues as the Cloud stand-in (sandbox.api_jira), as Server writes them
(jira_objects.server_shaped): users by `name`/`key`, text fields as plain text. /rest/api/2/search
pages by startAt/maxResults/total, at most MAX_RESULTS per page (Server's
jira.search.views.default.max), and its `expand=changelog` holds every history, as the issue
itself does; worklog and comment lists page as on Cloud. /rest/api/2/user/search wants a
`username` (`.` matches everyone). Auth: a personal access token as Bearer, or basic auth with
the sandbox's email and token.
"""

from __future__ import annotations

import json
import re

from sandbox import jira_objects as jr
from sandbox.api_jira import JiraApi, JqlError, _error, _field_list, _issue_missing
from sandbox.model import Org
from sandbox.wire import Request, Response, json_response

API = "/rest/api/2"
MAX_RESULTS = 1000


class JiraServerApi(JiraApi):
    def __init__(self, org: Org, email: str, api_token: str):
        super().__init__(org, email, api_token)
        self.credentials = {self.credential, f"Bearer {api_token}"}
        self.usernames = {u["accountId"]: jr.username(u) for u in org.jira_users}
        self.admin = jr.server_shaped(self.admin, {self.admin["accountId"]: "sandbox-admin"})
        self._routes = [
            (re.compile(rf"^{API}/search$"), ("GET", "POST"), self.search_by_offset),
            (re.compile(rf"^{API}/issue/([^/]+)$"), ("GET",), self.issue_whole),
            (re.compile(rf"^{API}/issue/([^/]+)/worklog$"), ("GET",), self.worklogs),
            (re.compile(rf"^{API}/issue/([^/]+)/comment$"), ("GET",), self.comments),
            (re.compile(rf"^{API}/user/search$"), ("GET",), self.user_search),
            (re.compile(rf"^{API}/myself$"), ("GET",), self.myself),
        ]

    def _authorized(self, req: Request) -> bool:
        return req.headers.get("authorization", "") in self.credentials

    def search_by_offset(self, req: Request) -> Response:
        params = self._search_params(req) if req.method == "POST" else self._offset_params(req)
        jql = params.get("jql") or ""
        try:
            matches = self._select(jql)
        except JqlError as exc:
            return _error(req, 400, str(exc))
        fields = _field_list(params.get("fields")) or ["*navigable"]
        with_changelog = "changelog" in (_field_list(params.get("expand")) or [])
        try:
            start = max(0, int(params.get("startAt") or 0))
            size = max(0, min(MAX_RESULTS, int(params.get("maxResults") or 50)))
        except (TypeError, ValueError):
            return _error(req, 400, "startAt and maxResults must be numbers")
        issues = [self._whole(i, fields, with_changelog) for i in matches[start : start + size]]
        body = {"expand": "schema,names", "startAt": start, "maxResults": size, "total": len(matches), "issues": issues}
        return json_response(body, req.origin)

    def issue_whole(self, req: Request, id_or_key: str) -> Response:
        issue = self.by_key.get(id_or_key)
        if issue is None:
            return _issue_missing(req)
        fields = _field_list(",".join(req.args("fields"))) or ["*all"]
        with_changelog = "changelog" in (_field_list(",".join(req.args("expand"))) or [])
        return json_response(self._whole(issue, fields, with_changelog), req.origin)

    def user_search(self, req: Request) -> Response:
        if not req.arg("username"):
            return _error(req, 400, "The username query parameter was not provided")
        return self.users(req)

    def _offset_params(self, req: Request) -> dict:
        params: dict = {k: req.arg(k) for k in ("jql", "startAt", "maxResults")}
        params["fields"] = ",".join(req.args("fields")) or None
        params["expand"] = ",".join(req.args("expand")) or None
        return params

    def _whole(self, issue: dict, fields: list[str], with_changelog: bool) -> dict:
        """The issue as Cloud renders it, but with every history: Server does not cut the changelog."""
        out = self._render(issue, fields, with_changelog)
        if with_changelog:
            histories = issue.get("changelog", {}).get("histories", [])
            out["changelog"] = {"startAt": 0, "maxResults": len(histories), "total": len(histories)}
            out["changelog"]["histories"] = histories
        return out

    def _answer(self, response: Response, req: Request) -> Response:
        """The answer as Server writes it (jira_objects.server_shaped)."""
        if response.status >= 400 or not response.body:
            return response
        # Server's own urls (`self`) are under /rest/api/2
        body = jr.server_shaped(json.loads(response.body.replace(b"/rest/api/3/", b"/rest/api/2/")), self.usernames)
        return json_response(body, req.origin, response.status, response.headers)
