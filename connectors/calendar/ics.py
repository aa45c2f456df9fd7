"""An .ics feed expanded into instances shaped like Google Calendar Event resources.

Recurrences are expanded over a window with recurring_ical_events: EXDATE'd instances
are not emitted, a RECURRENCE-ID override replaces its instance, STATUS:CANCELLED
instances are emitted with status "cancelled" (as Google lists deleted instances). Ids
follow Google: `{UID}` for a single event, `{UID}_{original start in UTC as
YYYYMMDDTHHMMSSZ}` for an instance of a series. Each UID is expanded on its own, so one
broken event is skipped with a warning instead of failing the feed.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, timezone, tzinfo
from typing import Iterator
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import recurring_ical_events
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from connectors.calendar import settings
from connectors.common.http import SourceError

log = logging.getLogger("loadbearing.calendar")
UTC = timezone.utc
IANA_ZONES = frozenset(available_timezones()) | {"UTC"}


def expand_feed(name: str, body: bytes, start: datetime, end: datetime) -> Iterator[dict]:
    """Every instance of the feed `name` starting in [start, end), as Google-shaped dicts."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except ValueError as exc:
        raise SourceError(f".ics feed {name!r} is not an iCalendar file ({str(exc)[:200]}); "
                          f"check {settings.ICS_FEEDS_SETTING}") from None
    time_zones = list(calendar.walk("VTIMEZONE"))
    default_tz = _iana(str(calendar.get("X-WR-TIMEZONE", "")))
    by_uid: dict[str, list] = defaultdict(list)
    emitted: set[str] = set()
    for component in calendar.walk("VEVENT"):
        if not component.get("UID"):
            log.warning(".ics feed %r: skipped an event without UID (it would have no stable id)", name)
            continue
        by_uid[str(component["UID"])].append(component)
    for uid, components in by_uid.items():
        series = icalendar.Calendar()
        for component in time_zones + components:
            series.add_component(component)
        # decided on the feed's components: recurring_ical_events puts a RECURRENCE-ID on every occurrence
        recurring = any(key in c for c in components for key in ("RRULE", "RDATE", "RECURRENCE-ID"))
        try:
            all_day_series = any("RRULE" in c and not isinstance(c.decoded("DTSTART"), datetime)
                                 for c in components)
            shifts = {c.decoded("RECURRENCE-ID"): c.decoded("DTSTART") - c.decoded("RECURRENCE-ID")
                      for c in components if _this_and_future(c)}
            instances = [_instance(uid, c, default_tz, recurring, all_day_series, shifts)
                         for c in recurring_ical_events.of(series).between(start, end)]
        except Exception as exc:  # a broken RRULE or date must not stop the feed
            log.warning(".ics feed %r: skipped event UID %s: %s: %s", name, uid, type(exc).__name__,
                        str(exc)[:200])
            continue
        for instance in instances:
            if instance["id"] in emitted:  # one slot, two occurrences: an id must stay a key
                log.warning(".ics feed %r: UID %s yields instance %s twice; kept the first", name, uid,
                            instance["id"])
                continue
            emitted.add(instance["id"])
            yield instance


def _instance(uid: str, c, default_tz: str | None, recurring: bool, all_day_series: bool, shifts: dict) -> dict:
    start, end = c.decoded("DTSTART"), _end(c)
    original = c.decoded("RECURRENCE-ID") if "RECURRENCE-ID" in c else start
    if _this_and_future(c) and original in shifts:
        # every later occurrence carries the range's RECURRENCE-ID: its own slot is its start less the shift
        original = start - shifts[original]
    if all_day_series and isinstance(original, datetime):
        original = original.date()  # Exchange dates a moved all-day instance at local midnight
    status = str(c.get("STATUS", "CONFIRMED")).lower()
    event = {
        "kind": "calendar#event",
        "id": f"{uid}_{_utc_suffix(original)}" if recurring else uid,
        "iCalUID": uid,
        "status": status,
        "summary": _text(c, "SUMMARY"),
        "description": _text(c, "DESCRIPTION"),
        "location": _text(c, "LOCATION"),
        "organizer": _person(c.get("ORGANIZER")),
        "attendees": [_attendee(a) for a in _as_list(c.get("ATTENDEE"))],
        "start": _when(start, c["DTSTART"], default_tz),
        "end": _when(end, c.get("DTEND") or c["DTSTART"], default_tz),
        "transparency": "transparent" if str(c.get("TRANSP", "")).upper() == "TRANSPARENT" else "opaque",
        "visibility": _visibility(c),
        "created": _stamp(c, "CREATED"),
        "updated": _stamp(c, "LAST-MODIFIED") or _stamp(c, "DTSTAMP"),
        "sequence": int(c.get("SEQUENCE", 0)),
        "eventType": "default",
    }
    if recurring:
        event["recurringEventId"] = uid
        event["originalStartTime"] = _when(original, c.get("RECURRENCE-ID") or c["DTSTART"], default_tz)
    return event


def _this_and_future(c) -> bool:
    return "RECURRENCE-ID" in c and str(c["RECURRENCE-ID"].params.get("RANGE", "")).upper() == "THISANDFUTURE"


def _visibility(c) -> str:
    """CLASS as Google's visibility; repeated CLASS lines (Thunderbird adds an empty one) -> the strictest."""
    found = {settings.VISIBILITY.get(str(value).strip().upper()) for value in _as_list(c.get("CLASS"))}
    for visibility in ("confidential", "private", "public"):
        if visibility in found:
            return visibility
    return "default"


def _end(c) -> date | datetime:
    if "DTEND" in c:
        return c.decoded("DTEND")
    if "DURATION" in c:
        return c.decoded("DTSTART") + c.decoded("DURATION")
    return c.decoded("DTSTART")


def _when(value: date | datetime, prop, default_tz: str | None) -> dict:
    """Google's EventDateTime: {date} for all-day, else {dateTime with offset, timeZone if IANA}."""
    if not isinstance(value, datetime):
        return {"date": value.isoformat()}
    zone = _iana(prop.params.get("TZID")) or _zone_name(value.tzinfo)
    if value.tzinfo is None:  # floating time: the calendar's zone, else UTC
        zone = zone or default_tz or "UTC"
        value = value.replace(tzinfo=ZoneInfo(zone))
    # a custom VTIMEZONE ("(UTC+07:00) Bangkok, ...") has no IANA name: the offset says it all
    return {"dateTime": value.isoformat(), "timeZone": zone} if zone else {"dateTime": value.isoformat()}


def _iana(tzid: str | None) -> str | None:
    """The IANA name for a TZID, Windows names (Exchange, Outlook) mapped through CLDR; else None."""
    if not tzid:
        return None
    name = WINDOWS_TO_OLSON.get(tzid.strip('"'), tzid.strip('"'))
    return name if name in IANA_ZONES else None


def _zone_name(tz: tzinfo | None) -> str | None:
    if tz is None:
        return None
    key = getattr(tz, "key", None) or getattr(tz, "zone", None)
    if key:
        return _iana(key)
    return "UTC" if tz.utcoffset(None) is not None and tz.utcoffset(None).total_seconds() == 0 else None


def _utc_suffix(value: date | datetime) -> str:
    if not isinstance(value, datetime):
        return value.strftime("%Y%m%d")  # Google's instance id of an all-day series
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _stamp(c, name: str) -> str | None:
    if name not in c:
        return None
    value = c.decoded(name)
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _text(c, name: str) -> str | None:
    value = c.get(name)
    return str(value) if value is not None else None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _person(value) -> dict | None:
    if value is None:
        return None
    person = {"email": _email(value)}
    if value.params.get("CN"):
        person["displayName"] = str(value.params["CN"])
    return person


def _attendee(value) -> dict:
    attendee = _person(value)
    attendee["responseStatus"] = settings.RESPONSE_STATUS.get(
        str(value.params.get("PARTSTAT", "")).upper(), "needsAction")
    return attendee


def _email(value) -> str:
    text = str(value)
    return text[7:] if text.lower().startswith("mailto:") else text
