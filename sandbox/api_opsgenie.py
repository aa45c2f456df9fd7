"""Opsgenie Alert API v2 (the subset the on-call connector uses), served from an Org under /opsgenie.

GET /v2/alerts: `query` (the clauses `createdAt` or `updatedAt` with >=, >, <=, < and epoch
milliseconds, joined by AND), `offset`/`limit` (at most 100), `sort` (createdAt, updatedAt) and
`order`; the answer is {data, paging: {next, first}, took, requestId}. GET
/v2/alerts/{id}/logs?identifierType=id pages by the log's own `offset` (`direction=next`). Every
call needs `Authorization: GenieKey <key>`.

The log texts follow Opsgenie's: a notification names its recipient in brackets, an
acknowledgement is owned by who acknowledged.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sandbox.oncall import OncallIncident, oncall_incidents
from sandbox.wire import Request, Response, json_response

MAX_LIMIT = 100
PRIORITY_BY_URGENCY = {"high": "P1", "low": "P3"}
CLAUSE = re.compile(r"^(createdAt|updatedAt)\s*(>=|<=|>|<)\s*(\d+)$")


class QueryError(ValueError):
    pass


class OpsgenieApi:
    def __init__(self, org, api_key: str):
        self.credential = f"GenieKey {api_key}"
        self.incidents = oncall_incidents(org)
        self.by_id = {i.opsgenie_id: i for i in self.incidents}

    def handle(self, req: Request) -> Response | None:
        if req.method != "GET":
            return None
        if req.path == "/v2/alerts":
            endpoint, args = self.list_alerts, ()
        elif match := re.match(r"^/v2/alerts/([^/]+)/logs$", req.path):
            endpoint, args = self.list_logs, match.groups()
        else:
            return None
        if req.headers.get("authorization", "") != self.credential:
            return _error(req, 401, "Could not authenticate")
        return endpoint(req, *args)

    def not_found(self, req: Request) -> Response:
        return _error(req, 404, "Not Found")

    # -- endpoints ----------------------------------------------------------------------

    def list_alerts(self, req: Request) -> Response:
        try:
            clauses = _clauses(req.arg("query") or "")
        except QueryError as exc:
            return _error(req, 422, str(exc))
        sort = req.arg("sort", "createdAt")
        if sort not in ("createdAt", "updatedAt"):
            return _error(req, 422, f"Sort field [{sort}] is not supported by the sandbox")
        alerts = [self._alert(i) for i in self.incidents]
        alerts = [a for a in alerts if all(test(_millis(a[field])) for field, test in clauses)]
        alerts.sort(key=lambda a: (a[sort], a["id"]), reverse=req.arg("order", "desc") == "desc")
        offset = req.int_arg("offset", 0, 0, 20000)
        limit = req.int_arg("limit", 20, 1, MAX_LIMIT)
        paging = {"first": req.url_with(offset="0")}
        if offset + limit < len(alerts):
            paging["next"] = req.url_with(offset=str(offset + limit))
        body = {"data": alerts[offset : offset + limit], "paging": paging, "took": 0.01, "requestId": "sandbox"}
        return json_response(body, req.origin)

    def list_logs(self, req: Request, identifier: str) -> Response:
        incident = self.by_id.get(identifier)
        if incident is None or req.arg("identifierType", "id") != "id":
            return _error(req, 404, "Alert does not exist")
        logs = self._logs(incident)
        after = req.arg("offset")
        if after:
            logs = [log for log in logs if log["offset"] > after]
        limit = req.int_arg("limit", 20, 1, MAX_LIMIT)
        page = logs[:limit]
        paging = {}
        if len(logs) > limit:
            paging["next"] = req.url_with(offset=page[-1]["offset"], direction="next")
        return json_response({"data": page, "paging": paging, "took": 0.01, "requestId": "sandbox"}, req.origin)

    # -- objects ------------------------------------------------------------------------

    def _alert(self, incident: OncallIncident) -> dict:
        ack = incident.acknowledged_by
        report = {}
        if ack:
            report |= {"ackTime": _millis(incident.acknowledged_at) - _millis(incident.triggered_at)}
            report |= {"acknowledgedBy": ack.email}
        if incident.resolved_at:
            report |= {"closeTime": _millis(incident.resolved_at) - _millis(incident.triggered_at), "closedBy": "API"}
        return {
            "id": incident.opsgenie_id,
            "tinyId": str(incident.number),
            "alias": f"sandbox-{incident.number}",
            "message": incident.title,
            "status": "closed" if incident.resolved_at else "open",
            "acknowledged": ack is not None,
            "isSeen": ack is not None,
            "tags": [],
            "snoozed": False,
            "count": 1,
            "lastOccurredAt": _stamp(incident.triggered_at),
            "createdAt": _stamp(incident.triggered_at),
            "updatedAt": _stamp(incident.updated_at),
            "source": "sandbox",
            "owner": ack.email if ack else "",
            "priority": PRIORITY_BY_URGENCY[incident.urgency],
            "report": report,
        }

    def _logs(self, incident: OncallIncident) -> list[dict]:
        logs = [(incident.triggered_at, "Alert created via API", "system", "System")]
        for step, notification in enumerate(incident.notifications):
            if step:
                logs.append((notification.at, "Escalated to next responder", "system", "System"))
            logs.append(
                (notification.at, f"Sent [SMS] notification to [{notification.email}] successfully", "system", "System")
            )
        if incident.acknowledged_by:
            ack = incident.acknowledged_by
            logs.append((ack.at, "Alert acknowledged via mobile[SMS]", "alertAction", ack.email))
        if incident.resolved_at:
            logs.append((incident.resolved_at, "Alert closed via API", "system", "System"))
        return [
            {"log": text, "type": kind, "owner": owner, "createdAt": _stamp(at), "offset": f"{_millis(at)}_{n:04d}"}
            for n, (at, text, kind, owner) in enumerate(logs)
        ]


def _clauses(query: str):
    clauses = []
    for part in (p.strip() for p in re.split(r"\s+AND\s+", query, flags=re.IGNORECASE) if p.strip()):
        match = CLAUSE.match(part)
        if not match:
            raise QueryError(f"The sandbox does not understand the query clause [{part}]")
        field, op, value = match.group(1), match.group(2), int(match.group(3))
        tests = {">=": value.__le__, ">": value.__lt__, "<=": value.__ge__, "<": value.__gt__}
        clauses.append((field, tests[op]))
    return clauses


def _error(req: Request, status: int, message: str) -> Response:
    return json_response({"message": message, "took": 0.0, "requestId": "sandbox"}, req.origin, status)


def _millis(at) -> int:
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return int(at.astimezone(UTC).timestamp() * 1000)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
