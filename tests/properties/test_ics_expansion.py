"""ICS expansion (connectors.calendar.ics.expand_feed) on generated series: a series with
COUNT=n and k EXDATEs yields n - k instances, each id is the series UID and its original
slot in UTC (so ids are unique), a moved instance (RECURRENCE-ID) keeps its slot's id and
takes its new start, and local wall time holds across DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.calendar.ics import expand_feed

UTC = UTC
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
STEP = {"DAILY": timedelta(days=1), "WEEKLY": timedelta(weeks=1)}


@st.composite
def series(draw):
    count = draw(st.integers(1, 12))
    return {
        "zone": draw(st.sampled_from(ZONES)),
        # hours outside every DST gap, so each local slot exists exactly once
        "start": datetime(2026, 1, 5, draw(st.sampled_from([8, 9, 13, 17])), draw(st.sampled_from([0, 30])))
        + timedelta(days=draw(st.integers(0, 300))),
        "freq": draw(st.sampled_from(sorted(STEP))),
        "interval": draw(st.integers(1, 3)),
        "count": count,
        "exdates": draw(st.sets(st.integers(0, count - 1), max_size=count)),
        "moved": draw(st.none() | st.tuples(st.integers(0, count - 1), st.integers(1, 30))),  # (slot, hours)
    }


def _stamp(local: datetime, zone: str) -> str:
    if zone == "UTC":
        return local.strftime("%Y%m%dT%H%M%SZ")
    return f"TZID={zone}:" + local.strftime("%Y%m%dT%H%M%S")


def _prop(name: str, local: datetime, zone: str) -> str:
    value = _stamp(local, zone)
    return f"{name};{value}" if value.startswith("TZID") else f"{name}:{value}"


def feed(s: dict, slots: list[datetime]) -> bytes:
    master = [
        "BEGIN:VEVENT",
        "UID:series-1",
        "DTSTAMP:20260101T000000Z",
        "SUMMARY:Standup",
        _prop("DTSTART", s["start"], s["zone"]),
        _prop("DTEND", s["start"] + timedelta(minutes=15), s["zone"]),
        f"RRULE:FREQ={s['freq']};INTERVAL={s['interval']};COUNT={s['count']}",
        *(_prop("EXDATE", slots[i], s["zone"]) for i in sorted(s["exdates"])),
        "END:VEVENT",
    ]
    moved = []
    if s["moved"] and s["moved"][0] not in s["exdates"]:
        slot, hours = s["moved"]
        new = slots[slot] + timedelta(hours=hours)
        moved = [
            "BEGIN:VEVENT",
            "UID:series-1",
            "DTSTAMP:20260101T000000Z",
            "SUMMARY:Standup (moved)",
            _prop("RECURRENCE-ID", slots[slot], s["zone"]),
            _prop("DTSTART", new, s["zone"]),
            _prop("DTEND", new + timedelta(minutes=15), s["zone"]),
            "END:VEVENT",
        ]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//loadbearing//properties//EN",
        *master,
        *moved,
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def utc(local: datetime, zone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


@settings(max_examples=60, deadline=None)
@given(s=series())
def test_expansion_yields_each_slot_once_under_its_original_id(s):
    slots = [s["start"] + i * s["interval"] * STEP[s["freq"]] for i in range(s["count"])]  # local wall time
    instances = list(expand_feed("props", feed(s, slots), *WINDOW))
    ids = [e["id"] for e in instances]
    kept = [i for i in range(s["count"]) if i not in s["exdates"]]
    assert len(ids) == s["count"] - len(s["exdates"]) == len(set(ids))
    assert set(ids) == {f"series-1_{utc(slots[i], s['zone']):%Y%m%dT%H%M%SZ}" for i in kept}
    by_id = {e["id"]: e for e in instances}
    for i in kept:
        event = by_id[f"series-1_{utc(slots[i], s['zone']):%Y%m%dT%H%M%SZ}"]
        start = datetime.fromisoformat(event["start"]["dateTime"])
        moved = s["moved"] and s["moved"][0] == i
        expected = slots[i] + timedelta(hours=s["moved"][1]) if moved else slots[i]
        assert start == utc(expected, s["zone"]) and start.replace(tzinfo=None) == expected  # local time kept
        assert event["summary"] == ("Standup (moved)" if moved else "Standup")
