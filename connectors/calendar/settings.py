"""Google Calendar / .ics connector settings: endpoints, page size, windows, defaults."""
from __future__ import annotations

SOURCE_NAME = "calendar"
TOKEN_SETTING = "SOURCES__CALENDAR__ACCESS_TOKEN"
ICS_FEEDS_SETTING = "SOURCES__CALENDAR__ICS_FEEDS"
DEFAULT_BASE_URL = "https://www.googleapis.com/calendar/v3"
PAGE_SIZE = 2500  # Google's maximum for events.list: fewer requests against the daily quota

EVENTS = "/calendars/{calendar_id}/events"
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
}

SETTINGS_HELP = f"""settings (env vars, .dlt/config.toml [sources.calendar], or .dlt/secrets.toml):
  SOURCES__CALENDAR__CALENDAR_IDS   list of Google calendar ids (usually people's emails)
  {TOKEN_SETTING} (secret) OAuth access token that can read them; not needed for .ics only
  SOURCES__CALENDAR__BASE_URL       default {DEFAULT_BASE_URL}
  {ICS_FEEDS_SETTING}        list of name=url-or-path; the name becomes calendar_id
  SOURCES__CALENDAR__START_DATE     optional ISO date: Google full syncs use timeMin=, .ics
                                    expansion starts there (default: {ICS_LOOKBACK_DAYS} days ago)
  SOURCES__CALENDAR__ICS_HORIZON_DAYS  .ics recurrences expanded to today + N days (default {ICS_HORIZON_DAYS})

table (dataset raw_calendar): events, merge on (calendar_id, id), + calendar_id, feed
(google|ics), is_all_day. Google: first run a full sync (singleEvents, showDeleted, timeMin),
later runs only the stored syncToken; HTTP 410 -> full resync of that calendar.
.ics: re-read fully each run; instances that vanished from the window come back as cancelled.
A feed that is not iCalendar is skipped with a warning (its rows stay as loaded); an event that
cannot be placed in time (broken RRULE or date, unknown TZID, end before start) is skipped with a
warning naming its UID; lines that are not UTF-8 are read as Windows-1252, with a warning.
Private/confidential events lose summary, description, location, and the names and emails
of everyone but the calendar's owner."""
