"""HTTP for the calendar connector: Google events.list through dlt's RESTClient on the
shared ApiSession, and .ics downloads through an ApiSession of their own (no token)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator
from requests import Response

from connectors.calendar import settings
from connectors.common.auth import BearerAuth
from connectors.common.http import ApiSession, SourceError, SourceInfo

SOURCE = SourceInfo("Google Calendar", settings.TOKEN_SETTING)


class SyncTokenExpired(Exception):
    """HTTP 410 on a syncToken: Google wants a full sync of that calendar."""


class CalendarNotFound(SourceError):
    """HTTP 404: the calendar is gone or not shared with the token's account."""


class CalendarClient:
    def __init__(
        self, base_url: str, access_token: str | None = None, session: ApiSession | None = None, credentials=None
    ):
        """`credentials`: a connectors.calendar.auth.GoogleCredentials (each calendar's auth);
        without it, the static `access_token` for every calendar."""
        self.credentials = credentials
        self.session = session or ApiSession(
            SourceInfo(SOURCE.name, credentials.settings_named) if credentials else SOURCE
        )
        self.rest = RESTClient(
            base_url=base_url.rstrip("/"),
            auth=BearerAuth(access_token) if access_token else None,
            paginator=JSONResponseCursorPaginator(cursor_path="nextPageToken", cursor_param="pageToken"),
            data_selector="items",
            session=self.session,
        )

    def event_pages(self, calendar_id: str, params: dict) -> Iterator[tuple[list[dict], str | None]]:
        """(items, nextSyncToken) per page of events.list; the token is set on the last page only."""
        path = settings.EVENTS.format(calendar_id=quote(calendar_id, safe="@"))
        query = {**settings.LIST_PARAMS, "maxResults": settings.PAGE_SIZE, **params}
        # an own response hook: dlt's default raises inside send, before errors could be named here
        auth = self.credentials.auth_for(calendar_id) if self.credentials else None
        for page in self.rest.paginate(path, params=query, auth=auth, hooks={"response": [_pass]}):
            _check(page.response, calendar_id)
            yield list(page), page.response.json().get("nextSyncToken")


class IcsReader:
    """Feed text from an http(s) URL (retried like every API call) or from a local file."""

    def __init__(self, session: ApiSession | None = None):
        self.session = session or ApiSession(SourceInfo(".ics feed", settings.ICS_FEEDS_SETTING))

    def read(self, name: str, location: str) -> bytes:
        if location.startswith("webcal://"):  # what calendar apps hand out for a subscription
            location = "https://" + location.removeprefix("webcal://")
        if location.startswith(("http://", "https://")):
            response = self.session.get(location)
            if response.status_code >= 400:
                raise SourceError(
                    f".ics feed {name!r}: HTTP {response.status_code} from its URL; check {settings.ICS_FEEDS_SETTING}"
                )
            return response.content
        try:
            with open(location.removeprefix("file://"), "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise SourceError(
                f".ics feed {name!r}: cannot read {location!r} ({exc.strerror}); check {settings.ICS_FEEDS_SETTING}"
            ) from None


def _pass(response: Response, *args, **kwargs) -> None:
    return None


def _check(response: Response, calendar_id: str) -> None:
    """ApiSession already retried what can be retried and named a 401; the rest fails the run here."""
    if response.status_code == 410:
        raise SyncTokenExpired(calendar_id)
    if response.status_code == 404:
        raise CalendarNotFound(
            f"Google Calendar: calendar {calendar_id!r} not found or not shared with the "
            "account of the credentials; skipped (check SOURCES__CALENDAR__CALENDAR_IDS)"
        )
    if response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:200]
        raise SourceError(
            f"Google Calendar: HTTP {response.status_code} listing events of calendar {calendar_id!r}: {message}"
        )
