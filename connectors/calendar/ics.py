"""An .ics feed expanded into instances shaped like Google Calendar Event resources.

Recurrences are expanded over a window with recurring_ical_events: EXDATE'd instances
are not emitted, a RECURRENCE-ID override replaces its instance, STATUS:CANCELLED
instances are emitted with status "cancelled" (as Google lists deleted instances). Ids
follow Google: `{UID}` for a single event, `{UID}_{original start in UTC as
YYYYMMDDTHHMMSSZ}` for an instance of a series. Each UID is expanded on its own, so one
broken event (a broken RRULE or one repeating every minute or second, an invalid date, an
end before its start, a TZID that neither icalendar nor the feed's VTIMEZONEs resolve) is
skipped with a warning naming its UID instead of failing the feed. Text is UTF-8 (RFC 5545);
a line that is not is read as Windows-1252 (legacy Outlook exports), with a warning naming
the feed and the lines.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import recurring_ical_events
from icalendar.prop import vBroken
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from connectors.calendar import settings
from connectors.common.http import SourceError
from connectors.common.time import as_utc, utc_millis

log = logging.getLogger("loadbearing.calendar")
IANA_ZONES = frozenset(available_timezones()) | {"UTC"}
FOLD = re.compile(rb"\r?\n[ \t]")  # a content line continued on the next physical line
TIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
SUB_HOURLY = frozenset({"SECONDLY", "MINUTELY"})


class NotICalendar(SourceError):
    """The feed as a whole does not parse: none of its events can be read."""


class BadEvent(ValueError):
    """One event cannot be placed in time; it is skipped, the feed goes on."""


def expand_feed(name: str, body: bytes, start: datetime, end: datetime) -> Iterator[dict]:
    """Every instance of the feed `name` starting in [start, end), as Google-shaped dicts."""
    try:
        calendar = icalendar.Calendar.from_ical(_decoded(name, body))
    except ValueError as exc:
        raise NotICalendar(
            f".ics feed {name!r} is not an iCalendar file ({str(exc)[:200]}); check {settings.ICS_FEEDS_SETTING}"
        ) from None
    time_zones = list(calendar.walk("VTIMEZONE"))
    calendar_tz = str(calendar.get("X-WR-TIMEZONE", "")) or None
    default_tz = iana_zone(calendar_tz)
    if calendar_tz and not default_tz:
        # floating times would be placed in a zone nobody meant: such events are skipped below
        log.warning(".ics feed %r: X-WR-TIMEZONE %r is not a known time zone", name, calendar_tz)
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
            for c in components:
                _check_event(c, calendar_tz, default_tz)
            all_day_series = any("RRULE" in c and not isinstance(c.decoded("DTSTART"), datetime) for c in components)
            shifts = {
                c.decoded("RECURRENCE-ID"): c.decoded("DTSTART") - c.decoded("RECURRENCE-ID")
                for c in components
                if _this_and_future(c)
            }
            instances = [
                _instance(uid, c, default_tz, recurring, all_day_series, shifts)
                for c in recurring_ical_events.of(series).between(start, end)
            ]
        except Exception as exc:  # a broken RRULE or date must not stop the feed
            reason = str(exc) if isinstance(exc, BadEvent) else f"{type(exc).__name__}: {exc}"
            log.warning(".ics feed %r: skipped event UID %s: %s", name, uid, reason[:300])
            continue
        for instance in instances:
            if instance["id"] in emitted:  # one slot, two occurrences: an id must stay a key
                log.warning(".ics feed %r: UID %s yields instance %s twice; kept the first", name, uid, instance["id"])
                continue
            emitted.add(instance["id"])
            yield instance


def _decoded(name: str, body: bytes) -> str:
    """The feed as text: UTF-8, and any content line that is not read as Windows-1252."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lines, legacy = [], []
    for number, line in enumerate(FOLD.sub(b"", body).splitlines(), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            legacy.append(f"{number} ({line.split(b':')[0].split(b';')[0].decode('ascii', 'replace')})")
    log.warning(
        ".ics feed %r: content line(s) %s are not UTF-8; read as Windows-1252",
        name,
        ", ".join(legacy[:10]) + (f" and {len(legacy) - 10} more" if len(legacy) > 10 else ""),
    )
    return "\r\n".join(lines) + "\r\n"


def _check_event(c, calendar_tz: str | None, default_tz: str | None) -> None:
    """Raise BadEvent when the event cannot be placed in time as its author meant."""
    if "DTSTART" not in c:
        raise BadEvent("it has no DTSTART")
    for name in TIME_PROPERTIES:
        for prop in _as_list(c.get(name)):
            if isinstance(prop, vBroken):  # icalendar keeps a value it cannot parse as text
                raise BadEvent(f"{name} {str(prop)[:40]!r} is not a valid date or date-time")
            tzid = prop.params.get("TZID")
            values = [d.dt for d in prop.dts] if hasattr(prop, "dts") else [prop.dt]  # EXDATE, RDATE: lists
            if tzid and any(isinstance(v, datetime) and v.tzinfo is None for v in values):  # icalendar could not
                raise BadEvent(
                    f"{name} is in time zone {str(tzid)!r}, which is neither an IANA or Windows "
                    "name nor defined by a VTIMEZONE of the feed"
                )
    for rule in _as_list(c.get("RRULE")):
        too_fine = [str(f) for f in _as_list(rule.get("FREQ")) if str(f).upper() in SUB_HOURLY]
        if too_fine:  # no calendar app repeats a meeting so often; expanding it would flood the window
            raise BadEvent(f"RRULE FREQ={too_fine[0]} repeats more often than any meeting (at most HOURLY is read)")
    start, end = c.decoded("DTSTART"), _end(c)
    if (
        isinstance(start, datetime)
        and start.tzinfo is None
        and "TZID" not in c["DTSTART"].params
        and calendar_tz
        and not default_tz
    ):
        raise BadEvent(f"its floating time would be read in the feed's unknown X-WR-TIMEZONE {calendar_tz!r}")
    if type(start) is not type(end):
        raise BadEvent("DTSTART and DTEND are not both dates or both date-times")
    if _comparable(end) < _comparable(start):
        raise BadEvent(f"it ends ({end.isoformat()}) before it starts ({start.isoformat()})")


def _comparable(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, datetime.min.time(), UTC)
    return as_utc(value)


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
    zone = iana_zone(prop.params.get("TZID")) or _zone_name(value.tzinfo)
    if value.tzinfo is None:  # floating time: the calendar's zone, else UTC
        zone = zone or default_tz or "UTC"
        value = value.replace(tzinfo=ZoneInfo(zone))
    # a custom VTIMEZONE ("(UTC+07:00) Bangkok, ...") has no IANA name: the offset says it all
    return {"dateTime": value.isoformat(), "timeZone": zone} if zone else {"dateTime": value.isoformat()}


def iana_zone(tzid: str | None) -> str | None:
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
        return iana_zone(key)
    return "UTC" if tz.utcoffset(None) is not None and tz.utcoffset(None).total_seconds() == 0 else None


def _utc_suffix(value: date | datetime) -> str:
    if not isinstance(value, datetime):
        return value.strftime("%Y%m%d")  # Google's instance id of an all-day series
    return as_utc(value).strftime("%Y%m%dT%H%M%SZ")


def _stamp(c, name: str) -> str | None:
    if name not in c:
        return None
    value = c.decoded(name)
    if not isinstance(value, datetime):
        return None
    return utc_millis(value)


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
        str(value.params.get("PARTSTAT", "")).upper(), "needsAction"
    )
    return attendee


def _email(value) -> str:
    text = str(value)
    return text[7:] if text.lower().startswith("mailto:") else text
