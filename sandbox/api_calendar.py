"""Google Calendar v3 events.list, served from an Org under /calendar/v3.

Faithful where sync clients notice: `nextPageToken` on every page but the last,
`nextSyncToken` only on the last; a syncToken returns what changed since the token
(cancelled events included) and cannot be combined with timeMin/timeMax/updatedMin/
orderBy/q/iCalUID (400); an unknown or invalidated token answers 410
fullSyncRequired. Without showDeleted a full listing omits cancelled events.

Sync tokens are base64url JSON of (org seed, calendar, the org clock when the listing
began, an epoch), so they survive a server restart for the same org; only
`invalidate()` (a new epoch) or another org turns them stale.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote

from sandbox.auth import TokenIssuer
from sandbox.model import Org
from sandbox.wire import Request, Response, as_utc, json_response, parse_time

FULL_SYNC_REQUIRED = "Sync token is no longer valid, a full sync is required."
NOT_WITH_SYNC_TOKEN = ("timeMin", "timeMax", "updatedMin", "orderBy", "q", "iCalUID")
_EVENTS = re.compile(r"^/calendars/([^/]+)/events$")
_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)


class SyncTokens:
    def __init__(self, seed: int):
        self.seed = seed
        self._epoch = 0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._epoch += 1

    def issue(self, calendar_id: str, watermark: datetime) -> str:
        data = {"s": self.seed, "c": _digest(calendar_id), "w": watermark.isoformat(), "e": self._epoch}
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()

    def read(self, token: str, calendar_id: str) -> datetime | None:
        """The watermark a token carries, or None when it is no longer valid."""
        try:
            data = json.loads(base64.urlsafe_b64decode(token.encode()))
            if (data["s"], data["c"], data["e"]) != (self.seed, _digest(calendar_id), self._epoch):
                return None
            return parse_time(data["w"])
        except (binascii.Error, ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class _Page:
    """Where a listing stands: self-contained, so a page token alone continues it."""

    offset: int
    watermark: datetime  # the org clock when the listing began; the next sync token's
    since: datetime | None  # set for an incremental (syncToken) listing

    def token(self) -> str:
        data = {"o": self.offset, "w": self.watermark.isoformat(), "s": self.since and self.since.isoformat()}
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


@dataclass(frozen=True)
class _Entry:
    event: dict
    updated: datetime
    start: datetime | None
    end: datetime | None


class CalendarApi:
    def __init__(self, org: Org, token: str, sync_tokens: SyncTokens, issuer: TokenIssuer | None = None):
        self.org, self.token, self.sync_tokens = org, token, sync_tokens
        self.issuer = issuer  # tokens of Google's token endpoint (sandbox.auth), beside the static one
        self.calendars = {
            cal: sorted((_entry(e) for e in events), key=lambda x: (x.updated, x.event["id"]))
            for cal, events in org.calendars.items()
        }
        self.time_zones = {
            email: person.get("time_zone") or "UTC" for person in org.people for email in _emails(person)
        }

    def handle(self, req: Request) -> Response | None:
        match = _EVENTS.match(req.path)
        if match is None or req.method != "GET":
            return None
        allowed, reader = self._reader(req)
        if not allowed:
            return self._unauthorized(req)
        calendar_id = unquote(match.group(1))
        if reader is not None and reader != calendar_id.lower():
            # a service account impersonating one person sees that person's calendar, not another's
            return _error(req, 404, "Not Found", "notFound")
        return self.events(req, calendar_id)

    def not_found(self, req: Request) -> Response:
        if not self._reader(req)[0]:
            return self._unauthorized(req)
        return _error(req, 404, "Not Found", "notFound")

    def _reader(self, req: Request) -> tuple[bool, str | None]:
        """(authorized, the one person whose calendar the token may read, None for any)."""
        scheme, _, credential = req.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer":
            return False, None
        if credential == self.token:
            return True, None
        grant = self.issuer.accepts(credential, "google") if self.issuer else None
        if grant is None:
            return False, None
        return True, grant.subject if grant.grant_type == "jwt_bearer" else None

    def events(self, req: Request, calendar_id: str) -> Response:
        entries = self.calendars.get(calendar_id)
        if entries is None:
            return _error(req, 404, "Not Found", "notFound")
        single = req.arg("singleEvents", "false").lower() == "true"
        sync_token, page_token = req.arg("syncToken"), req.arg("pageToken")
        if sync_token:
            clashing = [name for name in NOT_WITH_SYNC_TOKEN if req.arg(name)]
            if clashing:
                return _error(
                    req, 400, f"The parameter {clashing[0]} cannot be used together with syncToken.", "invalid"
                )
        if page_token:
            page = _read_page_token(page_token)
            if page is None:
                return _error(req, 400, "Invalid page token value.", "invalid")
        elif sync_token:
            since = self.sync_tokens.read(sync_token, calendar_id)
            if since is None:
                return _error(req, 410, FULL_SYNC_REQUIRED, "fullSyncRequired")
            page = _Page(0, as_utc(self.org.now), since)
        else:
            page = _Page(0, as_utc(self.org.now), None)  # the listing reflects the org at its first page
        if page.since is not None:
            # >=: advance_day dates new activity from the old clock reading on, inclusive
            selected = [x for x in entries if x.updated >= page.since and _wanted_kind(x.event, single)]
        else:
            try:
                selected = self._full_listing(req, entries, single)
            except ValueError as exc:
                return _error(req, 400, str(exc), "invalid")
        return self._answer(req, calendar_id, selected, page)

    def _full_listing(self, req: Request, entries: list[_Entry], single: bool) -> list[_Entry]:
        show_deleted = req.arg("showDeleted", "false").lower() == "true"
        time_min = _time_arg(req, "timeMin")
        time_max = _time_arg(req, "timeMax")
        updated_min = _time_arg(req, "updatedMin")
        selected = [
            x
            for x in entries
            if _wanted_kind(x.event, single)
            and (show_deleted or x.event.get("status") != "cancelled")
            and (time_min is None or x.end is None or x.end > time_min)
            and (time_max is None or x.start is None or x.start < time_max)
            and (updated_min is None or x.updated >= updated_min)
        ]
        order = req.arg("orderBy")
        if order == "startTime":
            if not single:
                raise ValueError("The requested ordering is not available for the particular query.")
            selected.sort(key=lambda x: (x.start or _FAR_PAST, x.event["id"]))
        return selected

    def _answer(self, req: Request, calendar_id: str, selected: list[_Entry], page: _Page) -> Response:
        size = req.int_arg("maxResults", 250, 1, 2500)
        offset, watermark = page.offset, page.watermark
        chunk = selected[offset : offset + size]
        body = {
            "kind": "calendar#events",
            "etag": f'"{_digest(calendar_id + str(len(selected)) + watermark.isoformat())}"',
            "summary": calendar_id,
            "description": "",
            "updated": _google_time(max((x.updated for x in selected), default=watermark)),
            "timeZone": self.time_zones.get(calendar_id, "UTC"),
            "accessRole": "owner",
            "defaultReminders": [],
        }
        if offset + size < len(selected):
            body["nextPageToken"] = _Page(offset + size, watermark, page.since).token()
        else:
            body["nextSyncToken"] = self.sync_tokens.issue(calendar_id, watermark)
        body["items"] = [x.event for x in chunk]
        return json_response(body, req.origin)

    def _unauthorized(self, req: Request) -> Response:
        body = {
            "error": {
                "code": 401,
                "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                "login cookie or other valid authentication credential. See "
                "https://developers.google.com/identity/sign-in/web/devconsole-project.",
                "errors": [
                    {
                        "message": "Invalid Credentials",
                        "domain": "global",
                        "reason": "authError",
                        "location": "Authorization",
                        "locationType": "header",
                    }
                ],
                "status": "UNAUTHENTICATED",
            }
        }
        return json_response(body, req.origin, 401, {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})


def _error(req: Request, status: int, message: str, reason: str) -> Response:
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"domain": "global", "reason": reason, "message": message}],
        }
    }
    return json_response(body, req.origin, status)


def _entry(event: dict) -> _Entry:
    start = event.get("start") or event.get("originalStartTime")
    return _Entry(event, parse_time(event["updated"]), _when(start), _when(event.get("end")))


def _when(value: dict | None) -> datetime | None:
    if not value:
        return None
    return parse_time(value.get("dateTime") or value["date"])


def _wanted_kind(event: dict, single: bool) -> bool:
    """singleEvents=true lists instances, not recurring masters; false lists masters, not instances."""
    return "recurrence" not in event if single else "recurringEventId" not in event


def _time_arg(req: Request, name: str) -> datetime | None:
    value = req.arg(name)
    if not value:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise ValueError(f"Bad Request: {name} is not an RFC3339 timestamp") from None


def _emails(person: dict) -> list[str]:
    emails = person.get("emails") or []
    return emails.split(";") if isinstance(emails, str) else list(emails)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _google_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _read_page_token(token: str) -> _Page | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        return _Page(int(data["o"]), parse_time(data["w"]), parse_time(data["s"]) if data["s"] else None)
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
