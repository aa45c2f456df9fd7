"""Outlook / Microsoft 365 calendars through Microsoft Graph, shaped like Google's events.

Auth: the client-credentials grant of an app registration (POST {authority}/{tenant}/oauth2/v2.0/token,
scope https://graph.microsoft.com/.default), renewed before it expires and once after a 401
(connectors.common.auth).

Per user: `calendarView/delta` over [start, now + OUTLOOK_AHEAD_DAYS] in pages (`@odata.nextLink`);
the last page's `@odata.deltaLink` is the user's cursor, kept in resource state with the window's
end, so a later run asks only for what changed. A delta link keeps its first request's window:
when less than OUTLOOK_RENEW_AHEAD_DAYS of it is left, or Graph answers 410 / syncStateNotFound /
resyncRequired, that user is synced in full again (merge on the keys: nothing duplicated). An event
Graph reports `@removed` becomes a stub with `removed_at_source` set, which deletes its row.
A user Graph does not know (404) is skipped with a warning.

Graph's ids differ in each attendee's mailbox; the meeting's id across calendars is its `iCalUId`
(one per occurrence), kept as `iCalUID`, which the staging model reads as the event id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BaseNextUrlPaginator
from requests import Response

from connectors.calendar import settings
from connectors.calendar.ics import iana_zone
from connectors.common.auth import BearerAuth, RefreshingToken
from connectors.common.http import ApiSession, AuthError, SourceError, SourceInfo
from connectors.common.time import utc_seconds

log = logging.getLogger("loadbearing.calendar")

SOURCE = SourceInfo("Microsoft Graph", settings.OUTLOOK_CLIENT_SECRET_SETTING)
TOKEN_SOURCE = SourceInfo("Microsoft token endpoint", settings.OUTLOOK_CLIENT_SECRET_SETTING)


class DeltaExpired(Exception):
    """Graph wants this user's calendar view synced from the start again."""


class UserNotFound(SourceError):
    """HTTP 404: no such user in the tenant, or no mailbox."""


def client_credentials(tenant_id: str, client_id: str, client_secret: str, authority: str) -> RefreshingToken:
    """Graph's app-only token, renewed before it expires."""
    session = ApiSession(TOKEN_SOURCE)
    url = authority.rstrip("/") + settings.OUTLOOK_TOKEN_PATH.format(tenant=quote(tenant_id, safe=""))
    form = {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
        "scope": settings.OUTLOOK_SCOPE,
    }

    def fetch() -> tuple[str, datetime]:
        asked_at = datetime.now(UTC)
        response = session.post(url, data=form)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or "access_token" not in body:
            reason = f"{body.get('error', response.status_code)}: {str(body.get('error_description', ''))[:200]}"
            raise AuthError(
                f"Microsoft Graph: the token endpoint refused the client credentials ({reason.strip(': ')}): "
                f"check {', '.join(settings.OUTLOOK_REQUIRED[1:])} and {settings.OUTLOOK_AUTHORITY_SETTING}"
            )
        return body["access_token"], asked_at + timedelta(seconds=float(body.get("expires_in", 3599)))

    return RefreshingToken(fetch)


class ODataNextLink(BaseNextUrlPaginator):
    """Pages by `@odata.nextLink`; the last page carries `@odata.deltaLink` instead."""

    def update_state(self, response: Response, data: list | None = None) -> None:
        self._next_reference = response.json().get("@odata.nextLink")


class GraphClient:
    def __init__(self, base_url: str, token: RefreshingToken, session: ApiSession | None = None):
        self.base_url = base_url.rstrip("/")
        self.session = session or ApiSession(SOURCE)
        self.rest = RESTClient(
            base_url=self.base_url,
            auth=BearerAuth(token),
            paginator=ODataNextLink(),
            data_selector="value",
            session=self.session,
            headers={"Prefer": f'outlook.timezone="UTC", odata.maxpagesize={settings.OUTLOOK_PAGE_SIZE}'},
        )

    def delta_pages(self, user_id: str, window: tuple[datetime, datetime] | None, delta_link: str | None):
        """(events, deltaLink) per page: from `delta_link`, or a new round over `window`; the
        link is set on the last page only."""
        if delta_link:
            path, params = self._own(delta_link, user_id), None
        else:
            path = settings.OUTLOOK_DELTA.format(user_id=quote(user_id, safe="@"))
            params = {"startDateTime": utc_seconds(window[0]), "endDateTime": utc_seconds(window[1])}
        for page in self.rest.paginate(path, params=params, hooks={"response": [_pass]}):
            _check(page.response, user_id)
            body = page.response.json()
            self._own(body.get("@odata.nextLink"), user_id)
            yield list(page), body.get("@odata.deltaLink")

    def _own(self, link: str | None, user_id: str) -> str | None:
        """A link Graph handed out, refused unless it points at the configured API (the token goes with it)."""
        if link and urlsplit(link)[:2] != urlsplit(self.base_url)[:2]:
            raise SourceError(
                f"Microsoft Graph: the delta link of {user_id!r} points at {urlsplit(link).netloc!r}, not at "
                f"{settings.OUTLOOK_BASE_URL_SETTING}; not followed"
            )
        return link


def outlook_calendar(client: GraphClient, user_id: str, start: datetime, cursors: dict) -> Iterator[list[dict]]:
    """One user's changes since their delta link, or their whole view from `start` without one."""
    try:
        yield from _sync(client, user_id, start, cursors)
    except UserNotFound as missing:  # one departed person must not stop everyone's calendars
        log.warning("%s", missing)


def _sync(client: GraphClient, user_id: str, start: datetime, cursors: dict) -> Iterator[list[dict]]:
    now = datetime.now(UTC)
    cursor = cursors.get(user_id)
    if cursor and datetime.fromisoformat(cursor["window_end"]) - now < timedelta(
        days=settings.OUTLOOK_RENEW_AHEAD_DAYS
    ):
        log.info("Microsoft Graph: the synced window of %r ends soon; full sync over a new one", user_id)
        cursor = None
    try:
        yield from _round(client, user_id, start, now, cursor, cursors)
    except DeltaExpired:
        if not cursor:
            raise SourceError(f"Microsoft Graph: HTTP 410 on a full sync of {user_id!r}") from None
        log.warning("Microsoft Graph: the delta link of %r expired (sync state not found); full resync", user_id)
        cursors.pop(user_id, None)
        yield from _round(client, user_id, start, now, None, cursors)


def _round(
    client: GraphClient, user_id: str, start: datetime, now: datetime, cursor: dict | None, cursors: dict
) -> Iterator[list[dict]]:
    window = None if cursor else (start, now + timedelta(days=settings.OUTLOOK_AHEAD_DAYS))
    for items, delta_link in client.delta_pages(user_id, window, cursor and cursor["delta_link"]):
        yield [google_shaped(item, user_id) for item in items if item.get("type") != "seriesMaster"]
        if delta_link:  # the last page: everything before it has been yielded
            window_end = window[1].isoformat() if window else cursor["window_end"]
            cursors[user_id] = {"delta_link": delta_link, "window_end": window_end}


def google_shaped(item: dict, user_id: str) -> dict:
    """A Graph event as the Google event the models read (docs/CONTRACTS.md); a removed one as a
    stub that deletes its row."""
    if "@removed" in item:
        return {"id": item["id"], "removed_at_source": True}
    owner = user_id.lower()
    organizer = _person(item.get("organizer"), owner)
    attendees = [_attendee(a, owner) for a in item.get("attendees") or []]
    # Google lists the organizer among the attendees of a meeting with guests; Graph does not
    if attendees and organizer.get("email") and not any(a.get("email") == organizer["email"] for a in attendees):
        attendees.insert(0, {**organizer, "organizer": True, "responseStatus": "accepted"})
    else:
        attendees = [{**a, "organizer": True} if a.get("email") == organizer.get("email") else a for a in attendees]
    categories = {str(c).lower() for c in item.get("categories") or []}
    focus = settings.OUTLOOK_FOCUS_CATEGORY in categories
    event = {
        "kind": "calendar#event",
        "id": item["id"],
        "iCalUID": item.get("iCalUId"),
        "status": "cancelled" if item.get("isCancelled") else "confirmed",
        "htmlLink": item.get("webLink"),
        "created": item.get("createdDateTime"),
        "updated": item.get("lastModifiedDateTime"),
        "summary": item.get("subject"),
        "description": item.get("bodyPreview"),
        "location": (item.get("location") or {}).get("displayName") or None,
        "organizer": organizer or None,
        "attendees": attendees,
        "start": _when(item.get("start"), item.get("isAllDay")),
        "end": _when(item.get("end"), item.get("isAllDay")),
        "visibility": settings.OUTLOOK_VISIBILITY.get(item.get("sensitivity") or "normal", "default"),
        "transparency": "transparent" if item.get("showAs") == "free" else "opaque",
        "eventType": "focusTime" if focus else settings.OUTLOOK_EVENT_TYPE.get(item.get("showAs"), "default"),
        "recurringEventId": item.get("seriesMasterId"),
    }
    return {key: value for key, value in event.items() if value is not None}


def _person(value: dict | None, owner: str) -> dict:
    address = (value or {}).get("emailAddress") or {}
    person = {"email": (address.get("address") or "").lower() or None, "displayName": address.get("name")}
    person = {key: item for key, item in person.items() if item}
    if person.get("email") == owner:
        person["self"] = True
    return person


def _attendee(value: dict, owner: str) -> dict:
    person = _person(value, owner)
    response = ((value.get("status") or {}).get("response")) or "none"
    person["responseStatus"] = settings.OUTLOOK_RESPONSE_STATUS.get(response, "needsAction")
    if value.get("type") == "optional":
        person["optional"] = True
    if value.get("type") == "resource":  # a room is no participant
        person["resource"] = True
    return person


def _when(value: dict | None, all_day: bool | None) -> dict | None:
    """Graph's {dateTime (no offset), timeZone} as Google's: an instant with its offset, or a date."""
    if not value or not value.get("dateTime"):
        return None
    whole, _, fraction = value["dateTime"].partition(".")
    wall = datetime.fromisoformat(f"{whole}.{(fraction + '000000')[:6]}")  # Graph writes 7 digits
    if all_day:
        return {"date": wall.date().isoformat()}
    zone_name = value.get("timeZone") or "UTC"
    try:
        zone = UTC if zone_name.upper() in ("UTC", "Z") else ZoneInfo(iana_zone(zone_name) or zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SourceError(f"Microsoft Graph: an event is in the unknown time zone {zone_name!r}") from None
    return {"dateTime": wall.replace(tzinfo=zone).isoformat(), "timeZone": zone_name}


def _pass(response: Response, *args, **kwargs) -> None:
    return None


def _check(response: Response, user_id: str) -> None:
    """ApiSession already retried what can be retried (429 after Retry-After) and named a 401."""
    if response.status_code < 400:
        return
    try:
        error = response.json()["error"]
        code, message = str(error.get("code", "")), str(error.get("message", ""))[:200]
    except (ValueError, KeyError, TypeError, AttributeError):
        code, message = "", response.text[:200]
    if response.status_code == 410 or code.lower() in settings.OUTLOOK_RESYNC_CODES:
        raise DeltaExpired(user_id)
    if response.status_code == 404:
        raise UserNotFound(
            f"Microsoft Graph: user {user_id!r} not found or without a mailbox ({code}); skipped "
            f"(check {settings.OUTLOOK_USER_IDS_SETTING})"
        )
    raise SourceError(
        f"Microsoft Graph: HTTP {response.status_code} reading the calendar of {user_id!r}: {code} {message}".strip()
    )
