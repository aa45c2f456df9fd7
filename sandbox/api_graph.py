"""Microsoft Graph v1.0 `calendarView/delta`, served from an Org's calendars under /graph/v1.0.

    GET /users/{id | userPrincipalName}/calendarView/delta?startDateTime=..&endDateTime=..
    GET  the same path with $skiptoken (from @odata.nextLink) or $deltatoken (from @odata.deltaLink)

Each roster person's mailbox holds the Google calendar's events (sandbox.calendar_objects) as
Graph lists them: ids of that mailbox (the same meeting has another id in each attendee's), the
meeting's `iCalUId` shared across mailboxes, the organizer not among the attendees, times in UTC
(or the zone `Prefer: outlook.timezone` names), occurrences with a `seriesMasterId`. A deleted
event is absent from a first round and `@removed` in a later one. Faithful where sync clients
notice: pages of `Prefer: odata.maxpagesize` (default 10), `@odata.nextLink` on every page but
the last, `@odata.deltaLink` on the last; the tokens carry the window of the first request;
a delta token issued before `invalidate()` answers 410 SyncStateNotFound with a Location header
(the first request again). Tokens are accepted from the Microsoft token endpoint of sandbox.auth.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import threading
from datetime import UTC, datetime
from urllib.parse import quote, unquote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sandbox.auth import TokenIssuer
from sandbox.model import Org
from sandbox.wire import Request, Response, as_utc, json_response, parse_time

_DELTA = re.compile(r"^/users/([^/]+)/calendarView/delta$", re.IGNORECASE)
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000
CONTEXT = "https://graph.microsoft.com/v1.0/$metadata#Collection(event)"
# Google responseStatus -> Graph attendee status.response
RESPONSE = {"accepted": "accepted", "declined": "declined", "tentative": "tentativelyAccepted"}
SENSITIVITY = {"private": "private", "confidential": "confidential"}


class DeltaTokens:
    """Skip and delta tokens: base64url JSON, self-contained (a server restart keeps them valid for
    the same org); `invalidate()` turns every delta token issued before it stale."""

    def __init__(self, seed: int):
        self.seed = seed
        self._epoch = 0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._epoch += 1

    def encode(self, mailbox: str, **state) -> str:
        data = {"s": self.seed, "m": _digest(mailbox), "e": self._epoch, **state}
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()

    def decode(self, token: str, mailbox: str) -> dict | None:
        """The state a token carries, or None when it is not this mailbox's or garbled."""
        try:
            data = json.loads(base64.urlsafe_b64decode(token.encode()))
        except (binascii.Error, ValueError, TypeError):
            return None
        if not isinstance(data, dict) or (data.get("s"), data.get("m")) != (self.seed, _digest(mailbox)):
            return None
        return data

    def current(self, data: dict) -> bool:
        return data.get("e") == self._epoch


class GraphApi:
    def __init__(self, org: Org, tokens: DeltaTokens, issuer: TokenIssuer):
        self.org, self.tokens, self.issuer = org, tokens, issuer
        self.names = {
            email.lower(): person["display_name"] for person in org.people for email in person.get("emails") or []
        }
        self.mailboxes = {
            mailbox.lower(): sorted(events, key=lambda e: (parse_time(e["updated"]), e["id"]))
            for mailbox, events in org.calendars.items()
        }

    def handle(self, req: Request) -> Response | None:
        match = _DELTA.match(req.path)
        if match is None or req.method != "GET":
            return None
        if not self._authorized(req):
            return _error(req, 401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
        mailbox = unquote(match.group(1)).lower()
        if mailbox not in self.mailboxes:
            return _error(req, 404, "ErrorInvalidUser", f"The requested user '{mailbox}' is invalid.")
        return self.delta(req, mailbox)

    def not_found(self, req: Request) -> Response:
        if not self._authorized(req):
            return _error(req, 401, "InvalidAuthenticationToken", "Access token is empty.")
        return _error(req, 400, "BadRequest", f"Resource not found for the segment '{req.path.rsplit('/', 1)[-1]}'.")

    def _authorized(self, req: Request) -> bool:
        scheme, _, credential = req.headers.get("authorization", "").partition(" ")
        return scheme == "Bearer" and self.issuer.accepts(credential, "microsoft") is not None

    def delta(self, req: Request, mailbox: str) -> Response:
        skip, delta = req.arg("$skiptoken"), req.arg("$deltatoken")
        if skip or delta:
            state = self.tokens.decode(skip or delta, mailbox)
            if state is None:
                return _error(req, 400, "ErrorInvalidParameter", "The sync state is not valid.")
            if delta and not self.tokens.current(state):
                first = self._link(req, mailbox, startDateTime=state["a"], endDateTime=state["b"])
                return _error(
                    req, 410, "SyncStateNotFound", "The sync state generation is not found.", {"Location": first}
                )
            if delta:  # a new round: what changed since the last one, up to the org clock now
                state = {**state, "o": 0, "since": state["w"], "w": as_utc(self.org.now).isoformat()}
        else:
            try:
                low, high = parse_time(req.arg("startDateTime") or ""), parse_time(req.arg("endDateTime") or "")
            except ValueError:
                return _error(
                    req,
                    400,
                    "ErrorInvalidParameter",
                    "This request requires a time window specified by the query "
                    "string parameters StartDateTime and EndDateTime.",
                )
            state = {"a": low.isoformat(), "b": high.isoformat(), "o": 0, "since": None}
            state["w"] = as_utc(self.org.now).isoformat()  # the round reflects the org at its first page
        return self._page(req, mailbox, state)

    def _page(self, req: Request, mailbox: str, state: dict) -> Response:
        low, high, since = parse_time(state["a"]), parse_time(state["b"]), state["since"]
        selected = [
            event
            for event in self.mailboxes[mailbox]
            if _overlaps(event, low, high)
            and (since is None or parse_time(event["updated"]) >= parse_time(since))
            and (since is not None or event.get("status") != "cancelled")  # a first round lists what exists
        ]
        size = _page_size(req)
        offset = state["o"]
        zone = _preferred_zone(req)
        body = {"@odata.context": CONTEXT}
        if offset + size < len(selected):
            body["@odata.nextLink"] = self._link(
                req, mailbox, **{"$skiptoken": self._token(mailbox, state, offset + size)}
            )
        else:
            body["@odata.deltaLink"] = self._link(req, mailbox, **{"$deltatoken": self._token(mailbox, state, 0)})
        body["value"] = [graph_event(event, mailbox, zone, self.names) for event in selected[offset : offset + size]]
        return json_response(body, req.origin, 200, {"Preference-Applied": f"odata.maxpagesize={size}"})

    def _token(self, mailbox: str, state: dict, offset: int) -> str:
        return self.tokens.encode(mailbox, a=state["a"], b=state["b"], w=state["w"], since=state["since"], o=offset)

    def _link(self, req: Request, mailbox: str, **query: str) -> str:
        return f"{req.origin}{req.prefix}/users/{quote(mailbox, safe='@')}/calendarView/delta?{urlencode(query)}"


def graph_event(event: dict, mailbox: str, zone: str, names: dict[str, str]) -> dict:
    """A Google event of `mailbox`'s calendar as Graph lists it there (`names`: display name by email)."""
    graph_id = mailbox_id(mailbox, event["id"])
    if event.get("status") == "cancelled":
        return {"@odata.type": "#microsoft.graph.event", "id": graph_id, "@removed": {"reason": "deleted"}}
    organizer = (event.get("organizer") or {}).get("email")
    all_day = "date" in event["start"]
    item = {
        "@odata.type": "#microsoft.graph.event",
        "@odata.etag": f'W/"{_digest(event["id"] + event["updated"])}"',
        "id": graph_id,
        "createdDateTime": event.get("created"),
        "lastModifiedDateTime": event["updated"],
        "categories": ["Focus time"] if event.get("eventType") == "focusTime" else [],
        "originalStartTimeZone": event["start"].get("timeZone", "UTC"),
        "iCalUId": ical_uid(event["id"]),
        "subject": event.get("summary", ""),
        "bodyPreview": event.get("description", ""),
        "body": {"contentType": "text", "content": event.get("description", "")},
        "isAllDay": all_day,
        "isCancelled": False,
        "isOrganizer": organizer == mailbox,
        "seriesMasterId": mailbox_id(mailbox, event["recurringEventId"]) if event.get("recurringEventId") else None,
        "showAs": _show_as(event),
        "type": "occurrence" if event.get("recurringEventId") else "singleInstance",
        # the sandbox page of the meeting, so the demo's links open something
        "webLink": event.get("htmlLink"),
        "sensitivity": SENSITIVITY.get(event.get("visibility"), "normal"),
        "start": _when(event["start"], zone, all_day),
        "end": _when(event["end"], zone, all_day),
        "location": {"displayName": event.get("location", "")},
        "attendees": [_attendee(a, names) for a in event.get("attendees") or [] if not a.get("organizer")],
        "organizer": {"emailAddress": {"name": names.get(organizer, organizer), "address": organizer}},
    }
    return item


def mailbox_id(mailbox: str, google_id: str) -> str:
    """An item's id in one mailbox: Graph's ids are per mailbox."""
    digest = hashlib.sha256(f"{mailbox}|{google_id}".encode()).digest()[:30]
    return "AAMkA" + base64.urlsafe_b64encode(digest).decode().rstrip("=") + "AAA="


def ical_uid(google_id: str) -> str:
    """The meeting's id in every mailbox (Exchange's look: a fixed prefix, then hex)."""
    return "040000008200E00074C5B7101A82E008" + hashlib.sha1(google_id.encode()).hexdigest().upper()


def _attendee(attendee: dict, names: dict[str, str]) -> dict:
    return {
        "type": "resource" if attendee.get("resource") else "optional" if attendee.get("optional") else "required",
        "status": {
            "response": RESPONSE.get(attendee.get("responseStatus"), "notResponded"),
            "time": "0001-01-01T00:00:00Z",
        },
        "emailAddress": {
            "name": attendee.get("displayName") or names.get(attendee["email"], attendee["email"]),
            "address": attendee["email"],
        },
    }


def _show_as(event: dict) -> str:
    kind = event.get("eventType")
    if kind == "outOfOffice":
        return "oof"
    if kind == "workingLocation":
        return "workingElsewhere"
    return "free" if event.get("transparency") == "transparent" else "busy"


def _when(value: dict, zone: str, all_day: bool) -> dict:
    if all_day:
        return {"dateTime": f"{value['date']}T00:00:00.0000000", "timeZone": zone}
    local = parse_time(value["dateTime"]).astimezone(UTC if zone == "UTC" else ZoneInfo(zone))
    return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0", "timeZone": zone}  # 7 digits, as Graph


def _overlaps(event: dict, low: datetime, high: datetime) -> bool:
    start = event.get("start") or event.get("originalStartTime")
    end = event.get("end") or start
    return _instant(start) < high and _instant(end) > low


def _instant(value: dict) -> datetime:
    return parse_time(value.get("dateTime") or value["date"])


def _preferences(req: Request) -> dict[str, str]:
    preferences = {}
    for part in req.headers.get("prefer", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            preferences[name.lower()] = value.strip().strip('"')
    return preferences


def _page_size(req: Request) -> int:
    value = _preferences(req).get("odata.maxpagesize", "")
    return max(1, min(MAX_PAGE_SIZE, int(value))) if value.isdigit() else DEFAULT_PAGE_SIZE


def _preferred_zone(req: Request) -> str:
    zone = _preferences(req).get("outlook.timezone") or "UTC"
    try:
        return "UTC" if zone.upper() == "UTC" else ZoneInfo(zone).key
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"


def _error(req: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
    body = {"error": {"code": code, "message": message, "innerError": {"date": datetime.now(UTC).isoformat()}}}
    return json_response(body, req.origin, status, headers)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]
