"""The Google side of the calendar connector against recorded events.list responses
(SwitchbackTech/compass recordings, tests/fixtures/calendar/compass-events-list) served by a
local HTTP server, run after run, as a daily schedule would."""

from __future__ import annotations

import copy
import json

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from connectors.calendar import calendar_source
from tests.connectors.calendar.calendar_helpers import FIXTURES, by_id, events, load, warehouse_text
from tests.support.replay import ReplayServer, Reply

CALENDAR = "test.user@gmail.com"
TOKEN = "ya29.test-token"
RECORDINGS = FIXTURES / "compass-events-list"


def recording(name: str) -> dict:
    return json.loads((RECORDINGS / f"{name}.json").read_text())


def in_order() -> list[dict]:
    """Every recorded response, oldest first: one calendar's successive incremental syncs."""
    pages = [json.loads(path.read_text()) for path in RECORDINGS.glob("*.json")]
    return sorted(pages, key=lambda page: page["updated"])


def source(server: ReplayServer, **kwargs):
    return calendar_source(
        calendar_ids=[CALENDAR],
        access_token=TOKEN,
        base_url=server.url + "/calendar/v3",
        start_date="2025-01-01",
        **kwargs,
    )


def instance_of(master: dict, instance_id: str, start: str, end: str) -> dict:
    """The confirmed instance a recorded series master expands to (what singleEvents=true lists)."""
    item = {k: v for k, v in copy.deepcopy(master).items() if k != "recurrence"}
    zone = master["start"]["timeZone"]
    item.update(
        id=instance_id,
        recurringEventId=master["id"],
        start={"dateTime": start, "timeZone": zone},
        end={"dateTime": end, "timeZone": zone},
        originalStartTime={"dateTime": start, "timeZone": zone},
    )
    return item


def test_recorded_incremental_syncs_leave_each_event_in_its_last_state(tmp_path):
    sequence = in_order()
    served = {"page": sequence[0]}
    with ReplayServer(lambda request: Reply(body=served["page"])) as server:
        for number, page in enumerate(sequence):
            served["page"] = page
            load(source(server), tmp_path)
            sent = server.requests[-1].query
            if number == 0:
                assert "syncToken" not in sent and sent["timeMin"] == "2025-01-01T00:00:00Z"
                assert sent["singleEvents"] == "true" and sent["showDeleted"] == "true"
            else:  # each later run sends only the token the run before received
                assert sent["syncToken"] == sequence[number - 1]["nextSyncToken"]
                assert "timeMin" not in sent
        assert len(server.requests) == len(sequence)
        assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in server.requests)

    rows = by_id(tmp_path)
    # edited four times across the recordings: the last edit wins, one row
    assert rows["68k0p6ackplecqs9fuvbs1fju0_20250324T123000Z"]["summary"] == "🧽 Dishes"
    assert rows["0e6062d5un60i5sn2m9et69c27_20250326T123000Z"]["start"]["dateTime"] == "2025-03-26T20:45:00-05:00"
    assert rows["3i234gl45i6i1s8rpui7dleor0_20250319T131500Z"]["recurring_event_id"] == "3i234gl45i6i1s8rpui7dleor0"
    assert (
        rows["3i234gl45i6i1s8rpui7dleor0_20250319T131500Z"]["original_start_time"]["dateTime"]
        == "2025-03-19T08:15:00-05:00"
    )
    # deletions arrive as cancelled stubs and stay as cancelled rows
    for cancelled in (
        "5hni4sj3ql1669otmjg7sn1mok_20250325T130000Z",
        "72o12msae3t6au1lim41i8tu6j_20250328T150000Z",
        "6pbua6vjeic3e73gvponeo1qp6",
        "0oije1knkkthb56vr149dub9qa",
    ):
        assert rows[cancelled]["status"] == "cancelled"
    # series definitions are not occurrences: none loaded
    assert not any(row["id"] in {"68k0p6ackplecqs9fuvbs1fju0", "72o12msae3t6au1lim41i8tu6j"} for row in rows.values())
    assert all(row["calendar_id"] == CALENDAR and row["feed"] == "google" for row in rows.values())
    assert len(events(tmp_path)) == len(rows)


def test_expired_sync_token_resyncs_in_full_without_duplicates(tmp_path):
    edits = recording("edit_single_single.instance-1")
    master = next(i for i in recording("delete_single_delete.single-2")["items"] if "recurrence" in i)
    meeting = instance_of(
        master, "72o12msae3t6au1lim41i8tu6j_20250328T150000Z", "2025-03-28T10:00:00-05:00", "2025-03-28T11:00:00-05:00"
    )
    dishes = next(i for i in edits["items"] if "recurringEventId" in i)
    journal = recording("edit_this-and-following_this-and-following-2")["items"][1]
    deleted = next(i for i in recording("delete_single_delete.single-2")["items"] if i["status"] == "cancelled")
    edited = next(i for i in recording("edit_all_all-2")["items"] if i["id"] == dishes["id"])
    later = recording("edit_single_single.instance-2")

    phase = {"run": 1}

    def answer(request):
        query = request.query
        if phase["run"] == 1:  # the first full sync, in two pages
            if "pageToken" not in query:
                return Reply(body={"kind": "calendar#events", "items": [dishes], "nextPageToken": "p2"})
            return Reply(body={"kind": "calendar#events", "items": [meeting, journal], "nextSyncToken": "T1"})
        if phase["run"] == 2:
            if query.get("syncToken") == "T1":
                return Reply(
                    410,
                    {
                        "error": {
                            "code": 410,
                            "message": "Sync token is no longer valid, a full sync is required.",
                            "errors": [{"reason": "fullSyncRequired"}],
                        }
                    },
                )
            # the resync: one edit and one deletion happened while the token was stale
            return Reply(body={"kind": "calendar#events", "items": [edited, deleted, journal], "nextSyncToken": "T2"})
        assert query.get("syncToken") == "T2"
        return Reply(body=later)

    with ReplayServer(answer) as server:
        load(source(server), tmp_path)
        assert [r.query.get("pageToken") for r in server.requests] == [None, "p2"]
        assert len(events(tmp_path)) == 3

        phase["run"] = 2
        load(source(server), tmp_path)
        second = server.requests[2:]
        assert [r.query.get("syncToken") for r in second] == ["T1", None]
        assert second[1].query["timeMin"] == "2025-01-01T00:00:00Z"
        rows = events(tmp_path)
        assert len(rows) == len({(r["calendar_id"], r["id"]) for r in rows}) == 3
        current = {r["id"]: r for r in rows}
        assert current[dishes["id"]]["summary"] == "🧽 Dishes"
        assert current[meeting["id"]]["status"] == "cancelled"
        # a cancelled stub carries no title: merge replaced the row, so its details are gone
        assert current[meeting["id"]]["summary"] is None

        phase["run"] = 3
        load(source(server), tmp_path)
        assert [r.query.get("syncToken") for r in server.requests[4:]] == ["T2"]
        assert len(events(tmp_path)) == 4


def test_a_failed_listing_does_not_advance_the_sync_token(tmp_path):
    first = recording("edit_single_single.instance-3")
    fail = {"on": True}

    def answer(request):
        if "pageToken" not in request.query:
            return Reply(body={"kind": "calendar#events", "items": first["items"][:2], "nextPageToken": "p2"})
        if fail["on"]:
            return Reply(400, {"error": {"code": 400, "message": "Invalid page token value."}})
        return Reply(body={"kind": "calendar#events", "items": first["items"][2:], "nextSyncToken": "T1"})

    with ReplayServer(answer) as server:
        with pytest.raises(PipelineStepFailed) as failure:
            load(source(server), tmp_path)
        assert "HTTP 400" in str(failure.value) and CALENDAR in str(failure.value)
        fail["on"] = False
        load(source(server), tmp_path)
        # nothing was kept from the failed run: the retry is a full sync again
        assert "syncToken" not in server.requests[-2].query
        assert len(events(tmp_path)) == 3


def test_private_events_lose_title_description_location_and_attendee_names(tmp_path):
    item = copy.deepcopy(
        next(i for i in recording("edit_single_single.instance-3")["items"] if "recurringEventId" in i)
    )
    item.update(
        visibility="private",
        summary="Therapy appointment",
        description="Room 4, bring referral",
        location="Clinic on Elm Street",
        attendees=[
            {"email": "dana.lark@loadbearing-demo.example", "displayName": "Dana Lark", "responseStatus": "accepted"}
        ],
    )
    confidential = {
        **copy.deepcopy(item),
        "id": item["id"] + "x",
        "visibility": "confidential",
        "summary": "Severance talk",
    }
    public = recording("edit_single_single.instance-2")["items"][1]
    page = {"kind": "calendar#events", "items": [item, confidential, public], "nextSyncToken": "T1"}
    with ReplayServer(lambda request: Reply(body=page)) as server:
        load(source(server), tmp_path)

    stored = warehouse_text(tmp_path)
    for secret in ("Therapy appointment", "Room 4", "Clinic on Elm", "Dana Lark", "Severance talk"):
        assert secret not in stored
    rows = by_id(tmp_path)
    assert rows[item["id"]]["attendees"] == [{"email": None, "displayName": None, "responseStatus": "accepted"}]
    assert "dana.lark@" not in stored
    assert rows[item["id"]]["start"] == item["start"]  # counted by duration, so times stay
    assert rows[public["id"]]["summary"] == public["summary"]


def test_rejected_token_fails_with_one_clear_message(tmp_path):
    body = {
        "error": {
            "code": 401,
            "message": "Request had invalid authentication credentials.",
            "status": "UNAUTHENTICATED",
        }
    }
    with ReplayServer(lambda request: Reply(401, body)) as server:
        with pytest.raises(PipelineStepFailed) as failure:
            load(source(server), tmp_path)
        assert len(server.requests) == 1  # not retried
    message = str(failure.value)
    assert "Google Calendar" in message and "SOURCES__CALENDAR__ACCESS_TOKEN" in message
    assert TOKEN not in message


def test_calendar_ids_without_a_token_are_refused_up_front():
    with pytest.raises(Exception, match="SOURCES__CALENDAR__ACCESS_TOKEN"):
        calendar_source(calendar_ids=[CALENDAR], access_token=None, ics_feeds=[])
