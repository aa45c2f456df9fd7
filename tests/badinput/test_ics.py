""".ics feeds with bad events, loaded by the real calendar connector into DuckDB: each bad
event is named by feed and UID and skipped, a feed that is not iCalendar is named and skipped,
and every other event loads with its title intact (every script, 1 MB, Windows-1252 bytes)."""

from __future__ import annotations

import duckdb
import pytest

from connectors.calendar import calendar_source
from connectors.common.pipeline import run
from tests.badinput.capture import logged
from tests.badinput.samples import EVERY_SCRIPT, huge_title

HUGE = huge_title()


def _event(
    uid: str,
    summary: str,
    lines: str = "",
    start: str = "DTSTART:20261102T100000Z",
    end: str = "DTEND:20261102T110000Z",
) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n{start}\r\n{end}\r\n"
        f"SUMMARY:{summary}\r\n{lines}END:VEVENT\r\n"
    )


def _calendar(*events: str, header: str = "") -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//loadbearing//tests//EN\r\n"
        + header
        + "".join(events)
        + "END:VCALENDAR\r\n"
    )


TEAM_FEED = _calendar(
    _event("scripts", EVERY_SCRIPT),
    _event("huge", HUGE),
    _event("series", "Weekly sync", "RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE:20261109T100000Z\r\n"),
    _event("bad-rrule", "Broken rule", "RRULE:FREQ=SOMETIMES;COUNT=3\r\n"),
    _event("every-second", "Ticker", "RRULE:FREQ=SECONDLY\r\n"),  # millions of instances in the window
    _event("bad-date", "Impossible date", start="DTSTART:20261345T250000Z"),
    _event("backwards", "Ends before it starts", end="DTEND:20261101T110000Z"),
    _event(
        "unknown-tz",
        "Mars time",
        start="DTSTART;TZID=Mars/Olympus:20261102T100000",
        end="DTEND;TZID=Mars/Olympus:20261102T110000",
    ),
    _event("legacy", "Caf\u00e9 r\u00e9union"),
).encode("utf-8")
# one line in Windows-1252 inside an otherwise UTF-8 file, as a hand-edited legacy export has
TEAM_FEED = TEAM_FEED.replace("Caf\u00e9 r\u00e9union".encode(), "Caf\u00e9 r\u00e9union".encode("cp1252"))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    work = tmp_path_factory.mktemp("ics")
    (work / "team.ics").write_bytes(TEAM_FEED)
    (work / "portal.ics").write_text("<html><body>Please sign in</body></html>")
    (work / "other.ics").write_text(_calendar(_event("other-1", "Office hours")))
    # floating times in a calendar zone nobody knows: they cannot be placed; UTC times can
    (work / "mars.ics").write_text(
        _calendar(
            _event("floating", "Local lunch", start="DTSTART:20261102T120000", end="DTEND:20261102T130000"),
            _event("fixed", "UTC call"),
            header="X-WR-TIMEZONE:Mars/Olympus\r\n",
        )
    )
    feeds = [f"{name}={work / name}.ics" for name in ("team", "portal", "other", "mars")]  # a broken one in the middle
    with logged("loadbearing.calendar") as records:
        run(
            calendar_source(calendar_ids=[], access_token=None, ics_feeds=feeds, start_date="2026-10-01"),
            "calendar",
            work / "warehouse.duckdb",
            str(work / "dlt"),
        )
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select calendar_id, id, summary from raw_calendar.events").fetchall()
    return {"events": {(feed, event_id): summary for feed, event_id, summary in rows}, "warnings": records}


def test_the_good_events_of_every_feed_load(loaded):
    assert sorted(loaded["events"]) == [
        ("mars", "fixed"),
        ("other", "other-1"),
        ("team", "huge"),
        ("team", "legacy"),
        ("team", "scripts"),
        ("team", "series_20261102T100000Z"),
        ("team", "series_20261116T100000Z"),
        ("team", "series_20261123T100000Z"),
    ]


def test_titles_arrive_intact(loaded):
    assert loaded["events"][("team", "scripts")] == EVERY_SCRIPT
    assert loaded["events"][("team", "huge")] == HUGE and len(HUGE) == 1_000_000
    assert loaded["events"][("team", "legacy")] == "Caf\u00e9 r\u00e9union"


@pytest.mark.parametrize(
    "words",
    [
        "'team': skipped event UID bad-rrule: ",
        "'team': skipped event UID every-second: RRULE FREQ=SECONDLY repeats more often than any meeting",
        "'team': skipped event UID bad-date: DTSTART '20261345T250000Z' is not a valid date",
        "'team': skipped event UID backwards: it ends (2026-11-01T11:00:00+00:00) before it starts",
        "'team': skipped event UID unknown-tz: DTSTART is in time zone 'Mars/Olympus'",
        "'team': content line(s) ",
        "'portal' is not an iCalendar file",
        "'mars': X-WR-TIMEZONE 'Mars/Olympus' is not a known time zone",
        "'mars': skipped event UID floating: its floating time would be read in the feed's unknown X-WR-TIMEZONE",
    ],
)
def test_each_problem_is_named_by_feed_and_item(loaded, words):
    assert any(words in w for w in loaded["warnings"]), loaded["warnings"]
