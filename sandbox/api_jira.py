"""Jira Cloud REST v3 (the subset the connectors use), served from an Org under /jira.

Enhanced search /rest/api/3/search/jql (GET or POST): `nextPageToken`/`isLast`, no
total, only ids unless `fields` is given, `expand=changelog` inlines at most 100
histories (with total/maxResults so clients page the rest through
/issue/{key}/changelog), and the `comment` and `worklog` fields the first 20 comments and
worklogs with their total (the rest through /issue/{key}/comment and /worklog). JQL understood: clauses joined by AND among
`project = A`, `project in (A, B)`, `updated|created >=|>|<=|< "yyyy-MM-dd[ HH:mm]"`
(minute precision, sandbox user's time zone = UTC), then `ORDER BY updated|created|key
ASC|DESC`. A query without any clause is refused, as Jira Cloud refuses unbounded JQL.
The removed /rest/api/3/search answers 410.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import UTC, datetime

from sandbox.model import Org
from sandbox.wire import Request, Response, json_response, parse_time

API = "/rest/api/3"
SEARCH_GONE = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)
MAX_INLINE_HISTORIES = 100
# an issue's `comment` and `worklog` fields carry the first of its comments and worklogs, with
# the total, as the `changelog` expansion does; Jira Cloud caps worklogs at 20 (and says its caps
# may change), the sandbox caps comments the same
MAX_INLINE_CHILDREN = 20
JQL_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


class JqlError(ValueError):
    pass


class JiraApi:
    def __init__(self, org: Org, email: str, api_token: str):
        self.org = org
        self.credential = "Basic " + base64.b64encode(f"{email}:{api_token}".encode()).decode()
        self.admin = {
            "accountId": "sandbox-admin",
            "emailAddress": email,
            "displayName": "Sandbox Admin",
            "accountType": "atlassian",
            "active": True,
            "timeZone": "UTC",
        }
        self.issues = list(org.jira_issues)
        self.by_key = {i["key"]: i for i in self.issues} | {str(i["id"]): i for i in self.issues}
        self.times = {
            str(i["id"]): (parse_time(i["fields"]["updated"]), parse_time(i["fields"]["created"])) for i in self.issues
        }
        self._selections: dict[str, list[dict]] = {}
        self._routes = [
            (re.compile(rf"^{API}/search/jql$"), ("GET", "POST"), self.search_jql),
            (re.compile(r"^/rest/api/[23]/search$"), ("GET", "POST"), self.search_removed),
            (re.compile(rf"^{API}/issue/([^/]+)$"), ("GET",), self.issue_get),
            (re.compile(rf"^{API}/issue/([^/]+)/changelog$"), ("GET",), self.changelog),
            (re.compile(rf"^{API}/issue/([^/]+)/worklog$"), ("GET",), self.worklogs),
            (re.compile(rf"^{API}/issue/([^/]+)/comment$"), ("GET",), self.comments),
            (re.compile(rf"^{API}/users/search$"), ("GET",), self.users),
            (re.compile(rf"^{API}/myself$"), ("GET",), self.myself),
        ]

    def handle(self, req: Request) -> Response | None:
        for pattern, methods, endpoint in self._routes:
            match = pattern.match(req.path)
            if match and req.method in methods:
                if not self._authorized(req):
                    return self._unauthorized(req)
                return self._answer(endpoint(req, *match.groups()), req)
        return None

    def not_found(self, req: Request) -> Response:
        if not self._authorized(req):
            return self._unauthorized(req)
        return _error(req, 404, "Not found")

    def _authorized(self, req: Request) -> bool:
        return req.headers.get("authorization", "") == self.credential

    def _answer(self, response: Response, req: Request) -> Response:
        """An endpoint's answer as this API writes it (Cloud's: as is)."""
        return response

    # -- search -----------------------------------------------------------------------

    def search_jql(self, req: Request) -> Response:
        params = self._search_params(req)
        jql = params.get("jql") or ""
        try:
            matches = self._select(jql)
        except JqlError as exc:
            return _error(req, 400, str(exc))
        fields = _field_list(params.get("fields"))
        expand = _field_list(params.get("expand")) or []
        ids_only = fields is None or all(f in ("id", "key") for f in fields)
        limit = 5000 if ids_only else 100
        try:
            page_size = max(1, min(limit, int(params.get("maxResults") or 50)))
        except (TypeError, ValueError):
            return _error(req, 400, "maxResults must be a number")
        offset = _read_page_token(params.get("nextPageToken"), jql)
        if offset is None:
            return _error(req, 400, "The provided next page token is invalid or expired.")
        chunk = matches[offset : offset + page_size]
        body: dict = {"issues": [self._render(i, fields, "changelog" in expand) for i in chunk]}
        if offset + page_size < len(matches):
            body["nextPageToken"] = _page_token(jql, offset + page_size)
        body["isLast"] = offset + page_size >= len(matches)
        return json_response(body, req.origin)

    def search_removed(self, req: Request) -> Response:
        return _error(req, 410, SEARCH_GONE)

    def _search_params(self, req: Request) -> dict:
        if req.method == "POST":
            return req.json()
        params: dict = {k: req.arg(k) for k in ("jql", "nextPageToken", "maxResults")}
        params["fields"] = ",".join(req.args("fields")) if req.args("fields") else None
        params["expand"] = ",".join(req.args("expand")) or None
        return params

    def _select(self, jql: str) -> list[dict]:
        cached = self._selections.get(jql)
        if cached is None:
            keep, order = _parse_jql(jql)
            cached = [i for i in self.issues if keep(i, self.times[str(i["id"])])]
            for field, descending in reversed(order):
                cached.sort(key=lambda i, f=field: self._sort_key(i, f), reverse=descending)
            if len(self._selections) > 256:
                self._selections.clear()
            self._selections[jql] = cached
        return cached

    def _sort_key(self, issue: dict, field: str):
        updated, created = self.times[str(issue["id"])]
        if field == "key":
            project, _, number = issue["key"].rpartition("-")
            return (project, int(number) if number.isdigit() else 0)
        return (updated if field == "updated" else created, int(issue["id"]))

    # -- one issue --------------------------------------------------------------------

    def issue_get(self, req: Request, id_or_key: str) -> Response:
        issue = self.by_key.get(id_or_key)
        if issue is None:
            return _issue_missing(req)
        fields = _field_list(",".join(req.args("fields"))) or ["*all"]
        expand = _field_list(",".join(req.args("expand"))) or []
        return json_response(self._render(issue, fields, "changelog" in expand), req.origin)

    def changelog(self, req: Request, id_or_key: str) -> Response:
        issue = self.by_key.get(id_or_key)
        if issue is None:
            return _issue_missing(req)
        histories = issue.get("changelog", {}).get("histories", [])
        start = req.int_arg("startAt", 0, 0, 10**9)
        size = req.int_arg("maxResults", 100, 1, 100)
        values = histories[start : start + size]
        body = {
            "self": req.url_with(),
            "maxResults": size,
            "startAt": start,
            "total": len(histories),
            "isLast": start + size >= len(histories),
            "values": values,
        }
        if not body["isLast"]:
            body["nextPage"] = req.url_with(startAt=str(start + size), maxResults=str(size))
        return json_response(body, req.origin)

    def worklogs(self, req: Request, id_or_key: str) -> Response:
        issue = self.by_key.get(id_or_key)
        if issue is None:
            return _issue_missing(req)
        items = self.org.jira_worklogs.get(str(issue["id"]), [])
        started_after = req.arg("startedAfter")
        if started_after:  # epoch milliseconds, as Jira takes it
            after = datetime.fromtimestamp(int(started_after) / 1000, UTC)
            items = [w for w in items if parse_time(w["started"]) >= after]
        start = req.int_arg("startAt", 0, 0, 10**9)
        size = req.int_arg("maxResults", 5000, 1, 5000)
        return json_response(
            {"startAt": start, "maxResults": size, "total": len(items), "worklogs": items[start : start + size]},
            req.origin,
        )

    def comments(self, req: Request, id_or_key: str) -> Response:
        issue = self.by_key.get(id_or_key)
        if issue is None:
            return _issue_missing(req)
        items = self.org.jira_comments.get(str(issue["id"]), [])
        if req.arg("orderBy", "created").lstrip("+") == "-created":
            items = items[::-1]
        start = req.int_arg("startAt", 0, 0, 10**9)
        size = req.int_arg("maxResults", 5000, 1, 5000)
        return json_response(
            {"startAt": start, "maxResults": size, "total": len(items), "comments": items[start : start + size]},
            req.origin,
        )

    def users(self, req: Request) -> Response:
        start = req.int_arg("startAt", 0, 0, 10**9)
        size = req.int_arg("maxResults", 50, 1, 1000)
        return json_response(self.org.jira_users[start : start + size], req.origin)

    def myself(self, req: Request) -> Response:
        return json_response(self.admin, req.origin)

    def _render(self, issue: dict, fields: list[str] | None, with_changelog: bool) -> dict:
        """The issue as search returns it: ids only unless fields were asked for; its `comment` and
        `worklog` fields (when asked) hold the first comments and worklogs and their total."""
        out = _own_fields(issue, fields, with_changelog)
        if "fields" in out:
            iid = str(issue["id"])
            for field, key, items in (
                ("comment", "comments", self.org.jira_comments.get(iid, [])),
                ("worklog", "worklogs", self.org.jira_worklogs.get(iid, [])),
            ):
                if _pick_fields({field: None}, fields):
                    out["fields"][field] = {
                        "startAt": 0,
                        "maxResults": MAX_INLINE_CHILDREN,
                        "total": len(items),
                        key: items[:MAX_INLINE_CHILDREN],
                    }
        return out

    def _unauthorized(self, req: Request) -> Response:
        response = _error(req, 401, "Client must be authenticated to access this resource.")
        response.headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED"
        response.headers["WWW-Authenticate"] = 'Basic realm="protected-area"'
        return response


def _error(req: Request, status: int, message: str) -> Response:
    return json_response({"errorMessages": [message], "errors": {}}, req.origin, status)


def _issue_missing(req: Request) -> Response:
    return _error(req, 404, "Issue does not exist or you do not have permission to see it.")


def _field_list(value) -> list[str] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    return [item.strip() for item in items if item.strip()] or None


def _own_fields(issue: dict, fields: list[str] | None, with_changelog: bool) -> dict:
    """The issue's own fields as search returns them: ids only unless fields were asked for."""
    if fields is None:
        out = {"id": issue["id"]}
    else:
        out = {k: issue[k] for k in ("expand", "id", "self", "key") if k in issue}
        out["fields"] = _pick_fields(issue.get("fields", {}), fields)
    if with_changelog:
        histories = issue.get("changelog", {}).get("histories", [])
        out["changelog"] = {
            "startAt": 0,
            "maxResults": min(len(histories), MAX_INLINE_HISTORIES),
            "total": len(histories),
            "histories": histories[:MAX_INLINE_HISTORIES],
        }
    return out


def _pick_fields(all_fields: dict, wanted: list[str]) -> dict:
    everything = any(f in ("*all", "*navigable") for f in wanted)
    excluded = {f[1:] for f in wanted if f.startswith("-")}
    named = {f for f in wanted if not f.startswith(("-", "*"))}
    return {k: v for k, v in all_fields.items() if (everything or k in named) and k not in excluded}


def _page_token(jql: str, offset: int) -> str:
    raw = json.dumps({"q": hashlib.sha1(jql.encode()).hexdigest()[:12], "o": offset})
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _read_page_token(token: str | None, jql: str) -> int | None:
    """The offset a token stands for, or None when it does not belong to this query."""
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError):
        return None
    if data.get("q") != hashlib.sha1(jql.encode()).hexdigest()[:12]:
        return None
    return int(data.get("o", 0))


# -- JQL (just the forms the connectors send) ------------------------------------------

_ORDER_BY = re.compile(r"(?:^|\s)order\s+by\s+(.+)$", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_PROJECT = re.compile(r"^project\s*(=|in)\s*(.+)$", re.IGNORECASE)
_TIME = re.compile(r"^(updated|created)\s*(>=|<=|>|<|=)\s*(.+)$", re.IGNORECASE)
_COMPARE = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}


def _parse_jql(jql: str):
    """(predicate(issue, (updated, created)), [(order field, descending)])."""
    text = jql.strip()
    order: list[tuple[str, bool]] = [("created", True)]
    found = _ORDER_BY.search(text)
    if found:
        order = [_order_term(term) for term in found.group(1).split(",")]
        text = text[: found.start()].strip()
    if not text:
        raise JqlError("Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
    tests = [_clause(clause.strip()) for clause in _AND.split(text)]
    return (lambda issue, times: all(test(issue, times) for test in tests)), order


def _order_term(term: str) -> tuple[str, bool]:
    parts = term.split()
    field = parts[0].lower() if parts else ""
    if field not in ("updated", "created", "key") or len(parts) > 2:
        raise JqlError(f"Error in the JQL Query: the sandbox cannot order by '{term.strip()}'.")
    return field, len(parts) == 2 and parts[1].upper() == "DESC"


def _clause(clause: str):
    project = _PROJECT.match(clause)
    if project:
        keys = {k.strip().strip("'\"").upper() for k in project.group(2).strip("() ").split(",")}
        return lambda issue, times: issue["fields"]["project"]["key"].upper() in keys
    when = _TIME.match(clause)
    if when:
        field, op, value = when.group(1).lower(), when.group(2), when.group(3).strip().strip("'\"")
        bound = _jql_time(value)
        position = 0 if field == "updated" else 1
        compare = _COMPARE[op]
        return lambda issue, times: compare(times[position], bound)
    raise JqlError(f"Error in the JQL Query: the sandbox does not understand '{clause}'.")


def _jql_time(value: str) -> datetime:
    for fmt in JQL_TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise JqlError(
        f"Date value '{value}' for field is invalid. Valid formats include: "
        "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."
    )
