"""PagerDuty REST API v2 (the subset the on-call connector uses), served from an Org under /pagerduty.

GET /incidents and /log_entries take `since`/`until` (ISO 8601; incidents by created_at, log
entries by their own created_at), `offset`/`limit` (at most 100) and answer {<items>, limit,
offset, more}; GET /users pages the same way. Every call needs
`Authorization: Token token=<key>`; log entries are read with `is_overview=false`, as
notify entries are left out of the overview.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.model import PLACEHOLDER_ORIGIN
from sandbox.oncall import OncallIncident, oncall_incidents
from sandbox.pages import PAGERDUTY_WEB
from sandbox.wire import Request, Response, json_response, parse_time

MAX_LIMIT = 100
# where html_url points: the sandbox's pages (sandbox.pages), as every object's web link does
WEB = PLACEHOLDER_ORIGIN + PAGERDUTY_WEB
SERVICE = {"id": "PSANDBX", "type": "service_reference", "summary": "Production"}


class PagerDutyApi:
    def __init__(self, org, api_key: str):
        self.credential = f"Token token={api_key}"
        self.incidents = oncall_incidents(org)
        people = {p["person_id"]: p for p in org.people}
        self.user_ids = {pid: f"PU{pid.upper()}" for pid in people}
        self.users = [
            {
                "id": self.user_ids[pid],
                "type": "user",
                "summary": p["display_name"],
                "name": p["display_name"],
                "email": p["emails"][0],
                "time_zone": p["time_zone"],
                "html_url": f"{WEB}/users/{self.user_ids[pid]}",
            }
            for pid, p in people.items()
        ]
        self.entries = [entry for incident in self.incidents for entry in self._log_entries(incident)]
        self.entries.sort(key=lambda e: (e["created_at"], e["id"]))

    def handle(self, req: Request) -> Response | None:
        routes = {"/incidents": self.list_incidents, "/log_entries": self.list_log_entries, "/users": self.list_users}
        endpoint = routes.get(req.path)
        if endpoint is None or req.method != "GET":
            return None
        if req.headers.get("authorization", "") != self.credential:
            return json_response({"error": {"message": "Unauthorized", "code": 2006}}, req.origin, 401)
        return endpoint(req)

    def not_found(self, req: Request) -> Response:
        return json_response({"error": {"message": "Not Found", "code": 2100}}, req.origin, 404)

    # -- endpoints ----------------------------------------------------------------------

    def list_incidents(self, req: Request) -> Response:
        since, until = _window(req)
        items = [self._incident(i) for i in self.incidents if since <= i.triggered_at < until]
        return _page(req, "incidents", items)

    def list_log_entries(self, req: Request) -> Response:
        since, until = _window(req)
        overview = req.arg("is_overview", "false") == "true"
        items = [
            e
            for e in self.entries
            if since <= parse_time(e["created_at"]) < until and not (overview and e["type"] == "notify_log_entry")
        ]
        return _page(req, "log_entries", items)

    def list_users(self, req: Request) -> Response:
        return _page(req, "users", self.users)

    # -- objects ------------------------------------------------------------------------

    def _user(self, person_id: str) -> dict:
        user_id = self.user_ids[person_id]
        name = next(u["name"] for u in self.users if u["id"] == user_id)
        return {"id": user_id, "type": "user_reference", "summary": name, "html_url": f"{WEB}/users/{user_id}"}

    def _incident(self, incident: OncallIncident) -> dict:
        status = "resolved" if incident.resolved_at else "acknowledged" if incident.acknowledged_by else "triggered"
        return {
            "id": incident.pagerduty_id,
            "type": "incident",
            "summary": f"[#{incident.number}] {incident.title}",
            "html_url": f"{WEB}/incidents/{incident.pagerduty_id}",
            "incident_number": incident.number,
            "title": incident.title,
            "created_at": _stamp(incident.triggered_at),
            "updated_at": _stamp(incident.updated_at),
            "status": status,
            "urgency": incident.urgency,
            "service": SERVICE,
            "resolved_at": _stamp(incident.resolved_at) if incident.resolved_at else None,
        }

    def _log_entries(self, incident: OncallIncident) -> list[dict]:
        reference = {
            "id": incident.pagerduty_id,
            "type": "incident_reference",
            "summary": f"[#{incident.number}] {incident.title}",
            "html_url": f"{WEB}/incidents/{incident.pagerduty_id}",
        }
        entries = [("trigger_log_entry", incident.triggered_at, {"agent": SERVICE, "channel": {"type": "api"}})]
        for step, notification in enumerate(incident.notifications):
            user = self._user(notification.person_id)
            if step:
                entries.append(("escalate_log_entry", notification.at, {"agent": None, "channel": {"type": "timeout"}}))
            entries.append(("assign_log_entry", notification.at, {"assignees": [user], "channel": {"type": "auto"}}))
            entries.append(("notify_log_entry", notification.at, {"user": user, "channel": {"type": "sms"}}))
        if incident.acknowledged_by:
            user = self._user(incident.acknowledged_by.person_id)
            entries.append(
                ("acknowledge_log_entry", incident.acknowledged_at, {"agent": user, "channel": {"type": "sms"}})
            )
        if incident.resolved_at:
            entries.append(("resolve_log_entry", incident.resolved_at, {"agent": SERVICE, "channel": {"type": "api"}}))
        return [
            {
                "id": f"R{incident.pagerduty_id[1:]}{n:02d}",
                "type": kind,
                "summary": kind.removesuffix("_log_entry").capitalize(),
                "created_at": _stamp(at),
                "incident": reference,
                **extra,
            }
            for n, (kind, at, extra) in enumerate(entries)
        ]


def _window(req: Request) -> tuple[datetime, datetime]:
    since = req.arg("since")
    until = req.arg("until")
    return (
        parse_time(since) if since else datetime.min.replace(tzinfo=UTC),
        parse_time(until) if until else datetime.max.replace(tzinfo=UTC),
    )


def _page(req: Request, name: str, items: list[dict]) -> Response:
    offset = req.int_arg("offset", 0, 0, 10**9)
    limit = req.int_arg("limit", 25, 1, MAX_LIMIT)
    page = items[offset : offset + limit]
    body = {name: page, "limit": limit, "offset": offset, "more": offset + limit < len(items), "total": None}
    return json_response(body, req.origin)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")
