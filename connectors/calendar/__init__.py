"""Google Calendar events, Outlook calendars (Microsoft Graph) and .ics feeds -> raw_calendar.events
(docs/CONTRACTS.md). Outlook: connectors.calendar.outlook (delta links, removed events deleted).

Google, per calendar: the first run is a full sync (singleEvents, showDeleted, timeMin =
start_date); its last page's nextSyncToken goes to dlt resource state, which dlt commits
only with the load of the pages yielded before it, so a token never runs ahead of data.
Later runs send only that token (a changed start_date does not re-backfill). HTTP 410
drops it and resyncs that calendar in full: merge on (calendar_id, id) keeps one row per
event; events deleted in the gap come back as cancelled while Google still lists them
(showDeleted), older deletions keep their last loaded row. A calendar answering 404 is
skipped with a warning. Only occurrences are loaded: a series master (an item with
`recurrence`, which singleEvents=true never lists) is dropped. A cancelled item is a stub
(id, status, recurringEventId, originalStartTime): merge replaces the row, so the
event's other columns become null.

.ics feeds are re-read fully each run and expanded over [start_date, today + horizon]; a
feed that does not parse as iCalendar is skipped with a warning (its rows stay as loaded);
an instance loaded by an earlier run that is no longer in the feed while its slot is
still in the window is loaded again as a cancelled stub (instance ids per feed are kept
in resource state).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

import dlt

from connectors.calendar import settings
from connectors.calendar.auth import GoogleCredentials, google_credentials
from connectors.calendar.client import CalendarClient, CalendarNotFound, IcsReader, SyncTokenExpired
from connectors.calendar.ics import NotICalendar, expand_feed
from connectors.calendar.outlook import GraphClient, client_credentials, outlook_calendar
from connectors.common.http import SourceError
from connectors.common.time import parse_instant, start_of, utc_millis, utc_seconds

log = logging.getLogger("loadbearing.calendar")


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def calendar_source(
    calendar_ids: Sequence[str] | None = dlt.config.value,
    access_token: str | None = dlt.secrets.value,
    base_url: str = settings.DEFAULT_BASE_URL,
    ics_feeds: Sequence[str] | None = None,
    start_date: str | None = None,
    ics_horizon_days: int = settings.ICS_HORIZON_DAYS,
    client_id: str | None = None,
    client_secret: str | None = dlt.secrets.value,
    refresh_token: str | None = dlt.secrets.value,
    service_account_key: str | None = dlt.secrets.value,
    token_uri: str | None = None,
    outlook_user_ids: Sequence[str] | None = None,
    outlook_tenant_id: str | None = None,
    outlook_client_id: str | None = None,
    outlook_client_secret: str | None = dlt.secrets.value,
    outlook_authority: str = settings.DEFAULT_OUTLOOK_AUTHORITY,
    outlook_base_url: str = settings.DEFAULT_OUTLOOK_BASE_URL,
):
    """Credentials (connectors.calendar.auth): a service account's key (JSON), or OAuth
    refresh-token credentials, or a static access token; `token_uri` is the token endpoint.
    Outlook users are read with the app registration's client credentials."""
    calendar_ids = _config_list(calendar_ids)
    outlook = _outlook(
        _config_list(outlook_user_ids),
        outlook_tenant_id,
        outlook_client_id,
        outlook_client_secret,
        outlook_authority,
        outlook_base_url,
    )
    feeds = _parse_feeds(_config_list(ics_feeds))
    credentials = google_credentials(
        access_token, client_id, client_secret, refresh_token, service_account_key, token_uri
    )
    if calendar_ids and credentials is None:
        raise SourceError(
            f"Google Calendar: set {settings.SERVICE_ACCOUNT_SETTING}, the refresh-token settings or "
            f"{settings.TOKEN_SETTING} to read SOURCES__CALENDAR__CALENDAR_IDS"
        )
    start = start_of(start_date, "Google Calendar", "SOURCES__CALENDAR__START_DATE")
    return dlt.resource(
        _events(calendar_ids, credentials, base_url, feeds, start, int(ics_horizon_days), outlook),
        name="events",
        primary_key=("calendar_id", "id"),
        write_disposition="merge",
        columns=settings.COLUMNS,
    )


def _events(
    calendar_ids: list[str],
    credentials: GoogleCredentials | None,
    base_url: str,
    feeds: dict[str, str],
    start: datetime | None,
    horizon_days: int,
    outlook: tuple[GraphClient, list[str]] | None,
):
    def events() -> Iterator[list[dict]]:
        state = dlt.current.resource_state()
        if calendar_ids:
            client = CalendarClient(base_url, credentials=credentials)
            for calendar_id in calendar_ids:
                yield from google_calendar(client, calendar_id, start, state.setdefault("sync_tokens", {}))
        if outlook:
            graph, user_ids = outlook
            since = start or datetime.now(UTC) - timedelta(days=settings.ICS_LOOKBACK_DAYS)
            for user_id in user_ids:
                for page in outlook_calendar(graph, user_id, since, state.setdefault("outlook_delta_links", {})):
                    yield [shaped(event, user_id.lower(), "outlook") for event in page]
        if feeds:
            reader = IcsReader()
            now = datetime.now(UTC)
            window = (start or now - timedelta(days=settings.ICS_LOOKBACK_DAYS), now + timedelta(days=horizon_days))
            for name, location in feeds.items():
                seen = state.setdefault("ics_seen", {}).setdefault(name, {})
                try:
                    yield list(ics_feed(name, reader.read(name, location), window, seen))
                except NotICalendar as unreadable:  # like a missing Google calendar: the others still load
                    log.warning("%s; its events stay as last loaded", unreadable)

    return events


def google_calendar(
    client: CalendarClient, calendar_id: str, start: datetime | None, tokens: dict
) -> Iterator[list[dict]]:
    """One calendar's changes since its sync token, or everything from `start` without one."""
    try:
        yield from _sync(client, calendar_id, start, tokens)
    except CalendarNotFound as missing:  # one departed person's calendar must not stop everyone's
        log.warning("%s", missing)


def _sync(client: CalendarClient, calendar_id: str, start: datetime | None, tokens: dict) -> Iterator[list[dict]]:
    token = tokens.get(calendar_id)
    try:
        yield from _listing(client, calendar_id, {"syncToken": token} if token else _full(start), tokens)
    except SyncTokenExpired:
        if not token:
            raise SourceError(f"Google Calendar: HTTP 410 on a full sync of {calendar_id!r}") from None
        log.warning("Google Calendar: sync token of %r expired (HTTP 410); full resync", calendar_id)
        tokens.pop(calendar_id, None)
        yield from _listing(client, calendar_id, _full(start), tokens)


def _listing(client: CalendarClient, calendar_id: str, params: dict, tokens: dict) -> Iterator[list[dict]]:
    for items, next_sync_token in client.event_pages(calendar_id, params):
        # a series definition is not an occurrence (singleEvents=true lists none): it would count twice
        yield [shaped(item, calendar_id, "google") for item in items if "recurrence" not in item]
        if next_sync_token:  # the last page: everything before it has been yielded
            tokens[calendar_id] = next_sync_token


def ics_feed(name: str, body: bytes, window: tuple[datetime, datetime], seen: dict) -> Iterator[dict]:
    """The feed's instances in the window, then cancelled stubs for loaded ones that vanished.

    `seen` (resource state) maps each instance id loaded from this feed to [its original
    start, its series UID or None]."""
    low, high = window
    current = {}
    for event in expand_feed(name, body, low, high):
        current[event["id"]] = [event.get("originalStartTime") or event["start"], event.get("recurringEventId")]
        yield shaped(event, name, "ics")
    for event_id, (when, series) in seen.items():
        if event_id not in current and low <= _instant(when) < high:
            yield shaped(_vanished(event_id, when, series), name, "ics")
    seen.clear()  # what is cancelled now, or fell out of the window, need not be remembered
    seen.update(current)


def shaped(event: dict, calendar_id: str, feed: str) -> dict:
    """The row as loaded: private details stripped, the three derived columns added."""
    row = dict(event)
    if row.get("visibility") in settings.PRIVATE_VISIBILITY:
        for key in settings.PRIVATE_FIELDS:
            if key in row:
                row[key] = None
        # who else was there is private too: only the calendar owner's own entry keeps its email
        if row.get("attendees"):
            row["attendees"] = [_anonymous(a) for a in row["attendees"]]
        for key in ("organizer", "creator"):
            if row.get(key):
                row[key] = _anonymous(row[key])
    when = row.get("start") or row.get("originalStartTime") or {}
    row.update(calendar_id=calendar_id, feed=feed, is_all_day="date" in when)
    return row


def _anonymous(person: dict) -> dict:
    """A person of a private event: no name; no email unless it is the calendar's owner (`self`)."""
    hidden = ("displayName",) if person.get("self") else ("displayName", "email")
    return {**person, **{key: None for key in hidden if key in person}}


def _vanished(event_id: str, when: dict, series: str | None) -> dict:
    """A cancelled stub like Google's: an instance keeps its series and slot, a single event its start."""
    stub = {"kind": "calendar#event", "id": event_id, "status": "cancelled", "updated": utc_millis(datetime.now(UTC))}
    if series:
        stub.update(recurringEventId=series, originalStartTime=when)
    else:
        stub["start"] = when
    return stub


def _full(start: datetime | None) -> dict:
    return {"timeMin": utc_seconds(start)} if start else {}


def _instant(when: dict) -> datetime:
    if "dateTime" in when:
        return parse_instant(when["dateTime"]).astimezone(UTC)
    return datetime.combine(date.fromisoformat(when["date"]), time(), UTC)


def _outlook(
    user_ids: list[str],
    tenant_id: str | None,
    client_id: str | None,
    client_secret: str | None,
    authority: str,
    base_url: str,
) -> tuple[GraphClient, list[str]] | None:
    """Graph's client and the users to read, or None when no Outlook user is configured."""
    if not user_ids:
        return None
    given = dict(zip(settings.OUTLOOK_REQUIRED[1:], (tenant_id, client_id, client_secret)))
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise SourceError(f"Microsoft Graph: {', '.join(missing)} missing (the app's client credentials)")
    token = client_credentials(tenant_id, client_id, client_secret, authority)
    return GraphClient(base_url, token), user_ids


def _parse_feeds(entries: list[str]) -> dict[str, str]:
    feeds = {}
    for entry in entries:
        name, sep, location = str(entry).partition("=")
        if not sep or not name.strip() or not location.strip():
            raise SourceError(f"{settings.ICS_FEEDS_SETTING}: {entry!r} is not name=url-or-path")
        feeds[name.strip()] = location.strip()
    return feeds


def _config_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):  # an env var may hold a comma-separated list
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value)
