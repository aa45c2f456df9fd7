"""Google Calendar / Outlook (Microsoft Graph) / .ics connector settings: endpoints, page size,
windows, defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from connectors.common.settings import Reader

SOURCE_NAME = "calendar"
TOKEN_SETTING = "SOURCES__CALENDAR__ACCESS_TOKEN"
CALENDAR_IDS_SETTING = "SOURCES__CALENDAR__CALENDAR_IDS"
BASE_URL_SETTING = "SOURCES__CALENDAR__BASE_URL"
ICS_FEEDS_SETTING = "SOURCES__CALENDAR__ICS_FEEDS"
ICS_HORIZON_SETTING = "SOURCES__CALENDAR__ICS_HORIZON_DAYS"
# credentials that last (connectors.calendar.auth): OAuth refresh-token ones, or a service account
CLIENT_ID_SETTING = "SOURCES__CALENDAR__CLIENT_ID"
CLIENT_SECRET_SETTING = "SOURCES__CALENDAR__CLIENT_SECRET"
REFRESH_TOKEN_SETTING = "SOURCES__CALENDAR__REFRESH_TOKEN"
SERVICE_ACCOUNT_SETTING = "SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY"
TOKEN_URI_SETTING = "SOURCES__CALENDAR__TOKEN_URI"
REFRESH_SETTINGS = (CLIENT_ID_SETTING, CLIENT_SECRET_SETTING, REFRESH_TOKEN_SETTING)
DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"
CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar.readonly"
DEFAULT_BASE_URL = "https://www.googleapis.com/calendar/v3"
PAGE_SIZE = 2500  # Google's maximum for events.list: fewer requests against the daily quota

EVENTS = "/calendars/{calendar_id}/events"

# Outlook / Microsoft 365 through Microsoft Graph (connectors.calendar.outlook): an app registration's
# client credentials (application permission Calendars.Read), each user's calendarView read by delta
OUTLOOK_USER_IDS_SETTING = "SOURCES__CALENDAR__OUTLOOK_USER_IDS"
OUTLOOK_TENANT_SETTING = "SOURCES__CALENDAR__OUTLOOK_TENANT_ID"
OUTLOOK_CLIENT_ID_SETTING = "SOURCES__CALENDAR__OUTLOOK_CLIENT_ID"
OUTLOOK_CLIENT_SECRET_SETTING = "SOURCES__CALENDAR__OUTLOOK_CLIENT_SECRET"
OUTLOOK_AUTHORITY_SETTING = "SOURCES__CALENDAR__OUTLOOK_AUTHORITY"
OUTLOOK_BASE_URL_SETTING = "SOURCES__CALENDAR__OUTLOOK_BASE_URL"
OUTLOOK_REQUIRED = (
    OUTLOOK_USER_IDS_SETTING,
    OUTLOOK_TENANT_SETTING,
    OUTLOOK_CLIENT_ID_SETTING,
    OUTLOOK_CLIENT_SECRET_SETTING,
)
DEFAULT_OUTLOOK_AUTHORITY = "https://login.microsoftonline.com"
DEFAULT_OUTLOOK_BASE_URL = "https://graph.microsoft.com/v1.0"
OUTLOOK_SCOPE = "https://graph.microsoft.com/.default"
OUTLOOK_TOKEN_PATH = "/{tenant}/oauth2/v2.0/token"
OUTLOOK_DELTA = "/users/{user_id}/calendarView/delta"
OUTLOOK_PAGE_SIZE = 500  # Prefer: odata.maxpagesize; Graph may answer smaller pages
# a delta link keeps the window of its first request: it reaches this far ahead, and a user's
# view is synced in full again when less than OUTLOOK_RENEW_AHEAD_DAYS of it is left
OUTLOOK_AHEAD_DAYS = 365
OUTLOOK_RENEW_AHEAD_DAYS = 30
# Graph's error codes that mean "start over" (besides HTTP 410 itself), compared in lower case
OUTLOOK_RESYNC_CODES = frozenset({"syncstatenotfound", "resyncrequired", "syncstateinvalid"})
# attendee status.response -> Google responseStatus
OUTLOOK_RESPONSE_STATUS = {
    "accepted": "accepted",
    "organizer": "accepted",
    "tentativelyAccepted": "tentative",
    "declined": "declined",
    "none": "needsAction",
    "notResponded": "needsAction",
}
# sensitivity -> Google visibility (personal items are private to their owner)
OUTLOOK_VISIBILITY = {"normal": "default", "personal": "private", "private": "private", "confidential": "confidential"}
# showAs -> Google eventType for the entries that are no meetings; focus time (Viva Insights) is a category
OUTLOOK_EVENT_TYPE = {"oof": "outOfOffice", "workingElsewhere": "workingLocation"}
OUTLOOK_FOCUS_CATEGORY = "focus time"
# every events.list call, full or incremental, asks for instances and cancelled items alike
LIST_PARAMS = {"singleEvents": "true", "showDeleted": "true"}

ICS_HORIZON_DAYS = 30  # recurrences are expanded up to today + this many days
ICS_LOOKBACK_DAYS = 365  # without start_date, .ics expansion starts this many days ago

# ICS PARTSTAT -> Google attendee responseStatus
RESPONSE_STATUS = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}
# ICS CLASS -> Google visibility
VISIBILITY = {"PUBLIC": "public", "PRIVATE": "private", "CONFIDENTIAL": "confidential"}
PRIVATE_VISIBILITY = frozenset({"private", "confidential"})
# what a private event loses before it leaves the connector (attachment titles name things too)
PRIVATE_FIELDS = ("summary", "description", "location", "attachments")

# types fixed up front: a load where every value is null (all events private) must not drop a column
COLUMNS = {
    "summary": {"data_type": "text"},
    "description": {"data_type": "text"},
    "location": {"data_type": "text"},
    "status": {"data_type": "text"},
    "visibility": {"data_type": "text"},
    "transparency": {"data_type": "text"},
    "recurringEventId": {"data_type": "text"},
    "organizer": {"data_type": "json"},
    "attendees": {"data_type": "json"},
    "start": {"data_type": "json"},
    "end": {"data_type": "json"},
    "originalStartTime": {"data_type": "json"},
    "updated": {"data_type": "timestamp"},
    "feed": {"data_type": "text", "nullable": False},
    "is_all_day": {"data_type": "bool"},
    # the same meeting in every attendee's calendar (Outlook ids differ per mailbox)
    "iCalUID": {"data_type": "text"},
    # set on the stub of an event Graph reports @removed: the merge deletes its row
    "removed_at_source": {"data_type": "bool", "hard_delete": True},
}

SETTINGS_HELP = f"""settings (env vars, .dlt/config.toml [sources.calendar], or .dlt/secrets.toml):
  SOURCES__CALENDAR__CALENDAR_IDS   list of Google calendar ids (usually people's emails)
  credentials for them, one of (not needed for .ics only):
  {SERVICE_ACCOUNT_SETTING} (secret) a service account's JSON key file (its text or
      its path), with domain-wide delegation of {CALENDAR_SCOPE}: each calendar is read
      as the person whose email is its id
  {CLIENT_ID_SETTING}, {CLIENT_SECRET_SETTING} (secret), {REFRESH_TOKEN_SETTING}
      (secret) OAuth refresh-token credentials of an account the calendars are shared with
  {TOKEN_SETTING} (secret) an OAuth access token (expires within an hour: for a try only)
  {TOKEN_URI_SETTING}   the token endpoint (default {DEFAULT_TOKEN_URI}, or the key file's token_uri)
  SOURCES__CALENDAR__BASE_URL       default {DEFAULT_BASE_URL}
  Outlook / Microsoft 365 (Microsoft Graph, application permission Calendars.Read):
  {OUTLOOK_USER_IDS_SETTING}  list of users (emails / user principal names) whose calendars to read
  {OUTLOOK_TENANT_SETTING}, {OUTLOOK_CLIENT_ID_SETTING}, {OUTLOOK_CLIENT_SECRET_SETTING} (secret)
      the app registration's client credentials
  {OUTLOOK_AUTHORITY_SETTING}  default {DEFAULT_OUTLOOK_AUTHORITY}
  {OUTLOOK_BASE_URL_SETTING}   default {DEFAULT_OUTLOOK_BASE_URL}
  {ICS_FEEDS_SETTING}        list of name=url-or-path; the name becomes calendar_id
  SOURCES__CALENDAR__START_DATE     optional ISO date: Google full syncs use timeMin=, .ics
                                    expansion starts there (default: {ICS_LOOKBACK_DAYS} days ago)
  SOURCES__CALENDAR__ICS_HORIZON_DAYS  .ics recurrences expanded to today + N days (default {ICS_HORIZON_DAYS})

table (dataset raw_calendar): events, merge on (calendar_id, id), + calendar_id, feed
(google|ics|outlook), is_all_day. Outlook: calendarView/delta per user, the deltaLink kept as the
cursor, 410/syncStateNotFound -> full resync of that user, @removed events deleted. Google: first run a full sync (singleEvents, showDeleted, timeMin),
later runs only the stored syncToken; HTTP 410 -> full resync of that calendar.
.ics: re-read fully each run; instances that vanished from the window come back as cancelled.
A feed that is not iCalendar is skipped with a warning (its rows stay as loaded); an event that
cannot be placed in time (broken RRULE or date, unknown TZID, end before start) is skipped with a
warning naming its UID; lines that are not UTF-8 are read as Windows-1252, with a warning.
Private/confidential events lose summary, description, location, and the names and emails
of everyone but the calendar's owner."""


@dataclass(frozen=True)
class CalendarSettings:
    """The source's settings, by dlt's names (so the job and `python -m connectors.calendar` share them)."""

    calendar_ids: list[str] = field(default_factory=list)
    access_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    service_account_key: str | None = field(default=None, repr=False)  # the key file's JSON
    token_uri: str | None = None  # None: Google's, or the key file's
    base_url: str | None = None  # None: the source's default
    ics_feeds: list[str] = field(default_factory=list)
    ics_horizon_days: int | None = None  # None: the source's default
    outlook_user_ids: list[str] = field(default_factory=list)
    outlook_tenant_id: str | None = None
    outlook_client_id: str | None = None
    outlook_client_secret: str | None = field(default=None, repr=False)
    outlook_authority: str | None = None  # None: Microsoft's
    outlook_base_url: str | None = None  # None: Graph's v1.0
    problems: tuple[str, ...] = field(default=(), repr=False)  # found while reading

    @staticmethod
    def configured(env: Mapping[str, str] | None = None) -> bool:
        """Any of its settings set: a source with none is skipped, a half-set one is an error."""
        return Reader(env).any_set(
            (
                CALENDAR_IDS_SETTING,
                TOKEN_SETTING,
                *REFRESH_SETTINGS,
                SERVICE_ACCOUNT_SETTING,
                TOKEN_URI_SETTING,
                BASE_URL_SETTING,
                ICS_FEEDS_SETTING,
                ICS_HORIZON_SETTING,
                *OUTLOOK_REQUIRED,
                OUTLOOK_AUTHORITY_SETTING,
                OUTLOOK_BASE_URL_SETTING,
            )
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CalendarSettings:
        read = Reader(env)
        return cls(
            calendar_ids=read.items(CALENDAR_IDS_SETTING) or [],
            access_token=read.text(TOKEN_SETTING),
            client_id=read.text(CLIENT_ID_SETTING),
            client_secret=read.text(CLIENT_SECRET_SETTING),
            refresh_token=read.text(REFRESH_TOKEN_SETTING),
            service_account_key=read.service_account_key(SERVICE_ACCOUNT_SETTING),
            token_uri=read.url(TOKEN_URI_SETTING),
            base_url=read.url(BASE_URL_SETTING),
            ics_feeds=read.items(ICS_FEEDS_SETTING, r"[^=\s]+=\S+", "name=url-or-path") or [],
            ics_horizon_days=read.count(ICS_HORIZON_SETTING, None, "days"),
            outlook_user_ids=read.items(OUTLOOK_USER_IDS_SETTING) or [],
            outlook_tenant_id=read.text(OUTLOOK_TENANT_SETTING),
            outlook_client_id=read.text(OUTLOOK_CLIENT_ID_SETTING),
            outlook_client_secret=read.text(OUTLOOK_CLIENT_SECRET_SETTING),
            outlook_authority=read.url(OUTLOOK_AUTHORITY_SETTING),
            outlook_base_url=read.url(OUTLOOK_BASE_URL_SETTING),
            problems=tuple(read.problems),
        )

    def validate(self) -> list[str]:
        problems = list(self.problems)
        refresh = {CLIENT_ID_SETTING: self.client_id, CLIENT_SECRET_SETTING: self.client_secret}
        refresh[REFRESH_TOKEN_SETTING] = self.refresh_token
        # a key that did not parse is still the mode chosen (its problem is listed already)
        key_given = self.service_account_key or SERVICE_ACCOUNT_SETTING in " ".join(self.problems)
        modes = [
            name
            for name, given in (
                (SERVICE_ACCOUNT_SETTING, key_given),
                ("the refresh-token settings", any(refresh.values())),
                (TOKEN_SETTING, self.access_token),
            )
            if given
        ]
        if len(modes) > 1:
            problems.append(f"Google credentials: set one of {' or '.join(modes)}, not several")
        elif any(refresh.values()) and not all(refresh.values()):
            missing = ", ".join(name for name, value in refresh.items() if not value)
            problems.append(f"{missing} missing: refresh-token credentials need {', '.join(REFRESH_SETTINGS)}")
        elif self.calendar_ids and not modes:
            problems.append(
                f"Google credentials are missing (needed to read {CALENDAR_IDS_SETTING}): set "
                f"{SERVICE_ACCOUNT_SETTING}, or {', '.join(REFRESH_SETTINGS)}, or {TOKEN_SETTING}"
            )
        outlook = dict(
            zip(
                OUTLOOK_REQUIRED,
                (self.outlook_user_ids, self.outlook_tenant_id, self.outlook_client_id, self.outlook_client_secret),
            )
        )
        if any(outlook.values()) and not all(outlook.values()):
            missing = ", ".join(name for name, value in outlook.items() if not value)
            problems.append(f"{missing} missing: Outlook calendars need {', '.join(OUTLOOK_REQUIRED)}")
        if not self.calendar_ids and not self.ics_feeds and not self.outlook_user_ids:
            problems.append(
                f"{CALENDAR_IDS_SETTING}, {OUTLOOK_USER_IDS_SETTING} or {ICS_FEEDS_SETTING} is missing: "
                "which calendars to read"
            )
        return problems

    def source_arguments(self) -> dict:
        """calendar_source's arguments; the ones left out resolve through dlt (its defaults, config files)."""
        optional = {
            "access_token": self.access_token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": self.refresh_token,
            "service_account_key": self.service_account_key,
            "token_uri": self.token_uri,
            "base_url": self.base_url,
            "ics_horizon_days": self.ics_horizon_days,
            "outlook_tenant_id": self.outlook_tenant_id,
            "outlook_client_id": self.outlook_client_id,
            "outlook_client_secret": self.outlook_client_secret,
            "outlook_authority": self.outlook_authority,
            "outlook_base_url": self.outlook_base_url,
        }
        return {
            "calendar_ids": self.calendar_ids,
            "ics_feeds": self.ics_feeds,
            "outlook_user_ids": self.outlook_user_ids,
            **{name: value for name, value in optional.items() if value is not None},
        }
