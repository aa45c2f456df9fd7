"""The calendar connector against the sandbox's Google Calendar stand-in and .ics feeds:
a full first load matches the ground truth, the next day's run uses sync tokens only."""

from __future__ import annotations

from collections import Counter

import pytest

from connectors.calendar import calendar_source
from sandbox.generate import generate_org
from sandbox.server import SandboxServer
from tests.connectors.calendar.calendar_helpers import events, load


@pytest.fixture
def org():
    return generate_org(seed=7, people=12, teams=2, months=2)


def source(org, server, calendar_ids=None):
    return calendar_source(
        calendar_ids=calendar_ids or sorted(org.calendars),
        access_token=server.tokens.calendar_token,
        base_url=server.calendar_url,
        ics_feeds=[f"{name}={server.ics_url(name)}" for name in sorted(org.ics_feeds)],
        start_date=org.start.date().isoformat(),
    )


def test_first_load_matches_ground_truth_and_next_day_uses_sync_tokens(org, tmp_path):
    with SandboxServer(org) as server:
        load(source(org, server), tmp_path)
        first = server.request_log
        rows = events(tmp_path)
        first_count = len(rows)
        assert first_count == org.ground_truth["counts"]["raw_calendar.events"]
        assert {r["feed"] for r in rows} == {"google", "ics"}
        assert {r["calendar_id"] for r in rows if r["feed"] == "ics"} == set(org.ics_feeds)
        # one page per calendar is enough here; every listing was a full one
        google = [r for r in first if r.path.startswith("/calendar/v3/")]
        assert len(google) == len(org.calendars) and all(r.status == 200 for r in first)
        assert all(
            "syncToken" not in r.query and r.query["timeMin"].startswith(org.start.date().isoformat()) for r in google
        )
        # .ics ids: the UID for a single interview, UID_start-in-UTC for an on-call instance
        interviews = [r for r in rows if r["calendar_id"] == "interviews"]
        assert interviews and all(r["id"] == r["i_cal_uid"] and r["recurring_event_id"] is None for r in interviews)
        oncall = [r for r in rows if r["calendar_id"].startswith("oncall-")]
        assert oncall and all(r["id"].startswith(r["recurring_event_id"] + "_") for r in oncall)
        private = [r for r in rows if r["visibility"] in ("private", "confidential")]
        assert private and all(r["summary"] is None for r in private)

        org.advance_day()
        server.clear_log()
        load(source(org, server), tmp_path)
        second = [r for r in server.request_log if r.path.startswith("/calendar/v3/")]
        assert len(second) == len(org.calendars)
        assert all(set(r.query) == {"syncToken", "singleEvents", "showDeleted", "maxResults"} for r in second)
        assert all(r.status == 200 for r in second)
        rows = events(tmp_path)
        assert len(rows) == len({(r["calendar_id"], r["id"]) for r in rows}) > first_count
        assert len(rows) == org.ground_truth["counts"]["raw_calendar.events"]


def test_invalidated_tokens_resync_every_calendar_without_duplicates(org, tmp_path):
    with SandboxServer(org) as server:
        load(source(org, server), tmp_path)
        before = Counter((r["calendar_id"], r["id"]) for r in events(tmp_path))
        server.invalidate_sync_tokens()
        server.clear_log()
        load(source(org, server), tmp_path)
        statuses = [
            (bool(r.query.get("syncToken")), r.status) for r in server.request_log if r.path.startswith("/calendar/v3/")
        ]
        assert statuses == [(True, 410), (False, 200)] * len(org.calendars)
        after = Counter((r["calendar_id"], r["id"]) for r in events(tmp_path))
        assert after == before


def test_a_calendar_that_is_gone_is_skipped_with_a_warning(org, tmp_path, caplog):
    with SandboxServer(org) as server:
        one = sorted(org.calendars)[0]
        load(source(org, server, [one, "left.the.company@loadbearing-demo.example"]), tmp_path)
    assert any("left.the.company@loadbearing-demo.example" in m and "not found" in m for m in caplog.messages)
    assert {r["calendar_id"] for r in events(tmp_path) if r["feed"] == "google"} == {one}
