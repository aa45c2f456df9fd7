"""The .ics side of the calendar connector on real feed exports (Google, Exchange,
Thunderbird, SabreDAV; tests/fixtures/calendar/*.ics)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from connectors.calendar import calendar_source
from connectors.calendar.ics import expand_feed
from connectors.common.http import SourceError
from tests.connectors.calendar.calendar_helpers import FIXTURES, by_id, events, load, warehouse_text
from tests.support.replay import ReplayServer, Reply

UTC = UTC


def expand(name: str, low: datetime, high: datetime) -> dict[str, dict]:
    return {e["id"]: e for e in expand_feed(name, (FIXTURES / name).read_bytes(), low, high)}


def feed_source(*feeds: str, start_date: str):
    return calendar_source(calendar_ids=[], access_token=None, ics_feeds=list(feeds), start_date=start_date)


def test_weekly_series_across_dst_keeps_its_local_time_and_skips_exdates():
    got = expand("issue_48_dst.ics", datetime(2020, 11, 1, tzinfo=UTC), datetime(2021, 4, 1, tzinfo=UTC))
    series = "c4p6@google.com"
    before, after = got[f"{series}_20210312T141500Z"], got[f"{series}_20210315T131500Z"]
    assert before["start"] == {"dateTime": "2021-03-12T08:15:00-06:00", "timeZone": "America/Chicago"}
    assert after["start"] == {"dateTime": "2021-03-15T08:15:00-05:00", "timeZone": "America/Chicago"}
    assert after["recurringEventId"] == series and after["originalStartTime"] == after["start"]
    # Thanksgiving week was EXDATE'd
    assert f"{series}_20201126T141500Z" not in got and f"{series}_20201127T141500Z" not in got
    assert f"{series}_20201124T141500Z" in got
    # a single event keeps its bare UID as id
    assert got["5dru@google.com"]["start"]["dateTime"].startswith("2020-11-13T")
    assert "recurringEventId" not in got["5dru@google.com"]


def test_moved_instances_keep_the_id_of_the_slot_they_replace():
    got = expand("issue_62_moved_event_2.ics", datetime(2023, 8, 1, tzinfo=UTC), datetime(2023, 9, 1, tzinfo=UTC))
    moved = got["7v3ju5ft4je5iq18nfdk2s3spk@google.com_20230815T040000Z"]
    assert moved["start"]["dateTime"] == "2023-08-14T14:00:00+10:00"
    assert moved["originalStartTime"]["dateTime"] == "2023-08-15T14:00:00+10:00"
    all_day = got["6ep37v20d728v14rcgn17v9is6@google.com_20230817"]
    assert all_day["start"] == {"date": "2023-08-16"} and all_day["originalStartTime"] == {"date": "2023-08-17"}
    assert len(got) == 6  # three Tuesdays, three Thursdays: the moved ones replace, not add


def test_exchange_feed_maps_windows_zones_and_skips_a_broken_event(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="loadbearing.calendar")
    load(feed_source(f"exchange={FIXTURES / 'ms_timezones.ics'}", start_date="2020-06-01"), tmp_path)
    rows = events(tmp_path)
    zones = {(r["start"]["timeZone"], r["start"]["dateTime"][-6:]) for r in rows}
    assert zones == {("Europe/Berlin", "+02:00"), ("America/Los_Angeles", "-07:00"), ("America/Los_Angeles", "-08:00")}
    assert {r["calendar_id"] for r in rows} == {"exchange"} and {r["feed"] for r in rows} == {"ics"}
    assert len(rows) == 137
    # the event whose DTSTART has a mangled TZID is skipped, named by feed and UID
    broken = "040000008200E00074C5B7101A82E008000000008001F1896B63D301"
    warning = next(m for m in caplog.messages if "skipped event" in m)
    assert "'exchange'" in warning and broken in warning
    assert not any(r["i_cal_uid"].startswith(broken) for r in rows)


def test_all_day_series_stays_all_day(tmp_path):
    load(
        feed_source(f"leave={FIXTURES / 'exchange_whole_day_moved_recurrence.ics'}", start_date="2026-01-01"), tmp_path
    )
    rows = by_id(tmp_path)
    assert rows and all(r["is_all_day"] for r in rows.values())
    assert all(set(r["start"]) == {"date"} for r in rows.values())
    # Exchange dates the moved instance's RECURRENCE-ID at local midnight; the id is still the date
    moved = rows["exchange-moved-recurrence_20260226"]
    assert moved["start"] == {"date": "2026-02-27"} and moved["original_start_time"] == {"date": "2026-02-26"}


def test_cancelled_occurrence_is_kept_as_cancelled():
    got = expand("issue_18_cancel_status.ics", datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 3, 1, tzinfo=UTC))
    uid = "b65c2b5b-b785-4edc-9560-e0379036d1f2"
    assert [got[f"{uid}_{day}T210000Z"]["status"] for day in ("20200128", "20200129", "20200130")] == [
        "confirmed",
        "cancelled",
        "confirmed",
    ]


def test_instances_that_vanish_from_the_feed_are_marked_cancelled(tmp_path):
    feed = tmp_path / "team.ics"
    original = (FIXTURES / "each_week_but_two_deleted.ics").read_text()
    feed.write_text(original)
    source = lambda: feed_source(f"team={feed}", start_date="2019-03-01")  # noqa: E731
    load(source(), tmp_path)
    first = by_id(tmp_path)
    assert len(first) == 6  # COUNT=8 less two EXDATEs
    gone = "SX2CURHKFTKKFFU3VUD7K_20190317T233000Z"
    assert first[gone]["status"] == "confirmed"

    feed.write_text(original.replace("EXDATE:20190324T233000Z", "EXDATE:20190324T233000Z\r\nEXDATE:20190317T233000Z"))
    load(source(), tmp_path)
    second = by_id(tmp_path)
    assert len(second) == 6
    assert second[gone]["status"] == "cancelled" and second[gone]["original_start_time"] == first[gone]["start"]
    assert second[gone]["recurring_event_id"] == "SX2CURHKFTKKFFU3VUD7K" and second[gone]["is_all_day"] is False
    assert [r["status"] for k, r in second.items() if k != gone] == ["confirmed"] * 5

    load(source(), tmp_path)  # the same feed again: nothing changes, nothing doubles
    assert by_id(tmp_path) == {
        k: {**v, "_dlt_load_id": by_id(tmp_path)[k]["_dlt_load_id"], "_dlt_id": by_id(tmp_path)[k]["_dlt_id"]}
        for k, v in second.items()
    }


def test_private_ics_events_are_stripped_and_feeds_are_fetched_without_a_token(tmp_path):
    text = (
        (FIXTURES / "issue_18_cancel_status.ics")
        .read_text()
        .replace("SUMMARY:one is cancelled", "SUMMARY:one is cancelled\r\nCLASS:PRIVATE")
        .replace(
            "TRANSP:OPAQUE",
            "TRANSP:OPAQUE\r\nLOCATION:Clinic on Elm Street\r\n"
            "ATTENDEE;CN=Dana Lark;PARTSTAT=ACCEPTED:mailto:dana.lark@loadbearing-demo.example",
            1,
        )
    )
    with ReplayServer(lambda request: Reply(body=text, headers={"Content-Type": "text/calendar"})) as server:
        load(feed_source(f"health={server.url}/ics/health.ics", start_date="2020-01-01"), tmp_path)
        assert [r.path for r in server.requests] == ["/ics/health.ics"]
        assert "Authorization" not in server.requests[0].headers
    stored = warehouse_text(tmp_path)
    for secret in ("one is cancelled", "Clinic on Elm", "Dana Lark"):
        assert secret not in stored
    rows = events(tmp_path)
    assert len(rows) == 3 and all(r["visibility"] == "private" and r["summary"] is None for r in rows)
    confirmed = [r for r in rows if r["status"] == "confirmed"]
    assert confirmed[0]["attendees"] == [{"email": None, "displayName": None, "responseStatus": "accepted"}]
    assert "dana.lark@" not in stored


def test_feed_settings_errors_name_the_setting_and_the_file(tmp_path):
    with pytest.raises(SourceError, match="SOURCES__CALENDAR__ICS_FEEDS"):
        calendar_source(calendar_ids=[], access_token=None, ics_feeds=["no-equals-sign"])
    with pytest.raises(PipelineStepFailed, match="missing.ics"):
        load(feed_source(f"gone={tmp_path / 'missing.ics'}", start_date="2020-01-01"), tmp_path)


def test_a_feed_that_turns_into_a_web_page_is_skipped_instead_of_cancelling_everything(tmp_path, caplog):
    feed = tmp_path / "team.ics"
    feed.write_bytes((FIXTURES / "each_week_but_two_deleted.ics").read_bytes())
    load(feed_source(f"team={feed}", start_date="2019-03-01"), tmp_path)
    loaded = events(tmp_path)
    feed.write_text("<html><body>Please sign in</body></html>")
    load(feed_source(f"team={feed}", start_date="2019-03-01"), tmp_path)
    assert "'team' is not an iCalendar file" in caplog.text
    assert events(tmp_path) == loaded and {r["status"] for r in loaded} == {"confirmed"}


def test_this_and_future_overrides_give_every_shifted_instance_its_own_slot():
    got = expand("issue_75_range_parameter.ics", datetime(2024, 9, 10, tzinfo=UTC), datetime(2024, 9, 25, tzinfo=UTC))
    # RANGE=THISANDFUTURE at 09-13 moved it and what follows by -3 h; the 09-21 one by +1 d 2 h 22 min
    assert got["210_20240917T120000Z"]["start"]["dateTime"] == "2024-09-17T09:00:00+00:00"
    assert got["210_20240923T120000Z"]["start"]["dateTime"] == "2024-09-24T14:22:00+00:00"
    assert got["210_20240915T120000Z"]["start"]["dateTime"] == "2024-09-15T17:00:00+00:00"  # its own override
    assert len(got) == 8  # every other day from 09-11, plus the RDATE on 09-14


def test_a_custom_exchange_time_zone_keeps_its_offset_without_a_made_up_name():
    (event,) = expand(
        "exchange-custom-tz.ics", datetime(2019, 1, 1, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)
    ).values()
    assert event["start"] == {"dateTime": "2019-04-30T09:00:00+07:00"}
