"""Google Calendar v3 Event resources and .ics feed text.

Only instances are stored (what `events.list?singleEvents=true` returns): an instance of
a recurring meeting has id `{seriesId}_{start as YYYYMMDDTHHMMSSZ}`, `recurringEventId`
and `originalStartTime`. `htmlLink` is `{PLACEHOLDER_ORIGIN}/web/calendar/event?eid={id}`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from sandbox.model import PLACEHOLDER_ORIGIN


def google_time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def local_time(t: datetime, tz: str) -> dict:
    return {"dateTime": t.astimezone(ZoneInfo(tz)).isoformat(), "timeZone": tz}


def instance_suffix(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    eid: str,
    summary: str,
    organizer: str,
    attendees: list[dict],
    start: datetime,
    end: datetime,
    tz: str,
    created: datetime,
    *,
    description: str = "",
    event_type: str = "default",
    transparent: bool = False,
    private: bool = False,
    series: tuple[str, datetime] | None = None,
    all_day: tuple[date, date] | None = None,
    etag_seq: int = 0,
) -> dict:
    """One Event resource as the organizer's calendar lists it."""
    item = {
        "kind": "calendar#event",
        "etag": f'"{3480000000000000 + etag_seq}"',
        "id": eid,
        "status": "confirmed",
        "htmlLink": f"{PLACEHOLDER_ORIGIN}/web/calendar/event?eid={eid}",
        "created": google_time(created),
        "updated": google_time(created),
        "summary": summary,
        "creator": {"email": organizer},
        "organizer": {"email": organizer},
    }
    if description:
        item["description"] = description
    if all_day:
        item["start"] = {"date": all_day[0].isoformat()}
        item["end"] = {"date": all_day[1].isoformat()}
    else:
        item["start"] = local_time(start, tz)
        item["end"] = local_time(end, tz)
    if transparent:
        item["transparency"] = "transparent"
    if private:
        item["visibility"] = "private"
    if series:
        item["recurringEventId"] = series[0]
        item["originalStartTime"] = local_time(series[1], tz)
    item["iCalUID"] = f"{series[0] if series else eid}@google.com"
    item["sequence"] = 0
    if attendees:
        item["attendees"] = attendees
    item["reminders"] = {"useDefault": True}
    item["eventType"] = event_type
    return item


def cancelled_instance(series_id: str, original: datetime, tz: str, updated: datetime) -> dict:
    """A deleted instance of a recurring meeting, as showDeleted=true lists it."""
    eid = f"{series_id}_{instance_suffix(original)}"
    return {
        "kind": "calendar#event",
        "etag": '"3480000000000001"',
        "id": eid,
        "status": "cancelled",
        "htmlLink": f"{PLACEHOLDER_ORIGIN}/web/calendar/event?eid={eid}",
        "updated": google_time(updated),
        "recurringEventId": series_id,
        "originalStartTime": local_time(original, tz),
    }


def copy_for(item: dict, calendar_email: str) -> dict:
    """The same event as it appears in one participant's calendar (`self` marks them).
    Parts that do not differ between calendars are shared, never modified afterwards."""
    mine = dict(item)
    if item.get("organizer", {}).get("email") == calendar_email:
        mine["organizer"] = {**item["organizer"], "self": True}
        mine["creator"] = {**item["creator"], "self": True}
    if "attendees" in item:
        mine["attendees"] = [{**a, "self": True} if a["email"] == calendar_email else a for a in item["attendees"]]
    return mine


def duration_hours(item: dict) -> float:
    if "date" in item.get("start", {}):
        return 24.0 * (date.fromisoformat(item["end"]["date"]) - date.fromisoformat(item["start"]["date"])).days
    start = datetime.fromisoformat(item["start"]["dateTime"])
    end = datetime.fromisoformat(item["end"]["dateTime"])
    return (end - start) / timedelta(hours=1)


# --- .ics feeds -------------------------------------------------------------------------------


def ics_time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_local(t: datetime, tz: str) -> str:
    return t.astimezone(ZoneInfo(tz)).strftime("%Y%m%dT%H%M%S")


def ics_calendar(name: str, vevents: list[str], zones: list[str], first: date, last: date) -> str:
    """A VCALENDAR with a VTIMEZONE for every TZID its events use, as exporters write them."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Loadbearing sandbox//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{name}",
    ]
    for zone in sorted(set(zones)):
        block = icalendar.Timezone.from_tzinfo(ZoneInfo(zone), first_date=first, last_date=last).to_ical().decode()
        lines += [line for line in block.splitlines() if line and not line.startswith("COMMENT:")]
    return "\r\n".join(lines + vevents + ["END:VCALENDAR"]) + "\r\n"


def ics_event(
    uid: str,
    summary: str,
    organizer: str,
    attendees: list[tuple[str, str]],
    start: datetime,
    end: datetime,
    tz: str,
    stamp: datetime,
    *,
    rrule: str | None = None,
    exdates: list[datetime] = (),
    recurrence_id: datetime | None = None,
    private: bool = False,
) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{ics_time(stamp)}",
        f"DTSTART;TZID={tz}:{ics_local(start, tz)}",
        f"DTEND;TZID={tz}:{ics_local(end, tz)}",
        f"SUMMARY:{summary}",
        f"ORGANIZER:mailto:{organizer}",
    ]
    for email, partstat in attendees:
        lines.append(f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat}:mailto:{email}")
    if rrule:
        lines.append(f"RRULE:{rrule}")
    for ex in exdates:
        lines.append(f"EXDATE;TZID={tz}:{ics_local(ex, tz)}")
    if recurrence_id:
        lines.append(f"RECURRENCE-ID;TZID={tz}:{ics_local(recurrence_id, tz)}")
    if private:
        lines.append("CLASS:PRIVATE")
    lines.append("END:VEVENT")
    return "\r\n".join(lines)
