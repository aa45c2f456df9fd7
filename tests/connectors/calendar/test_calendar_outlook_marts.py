"""The models treat Outlook like Google: the same synthetic organization loaded once through
Google Calendar and once through Microsoft Graph (its deleted events never listed, ids per
mailbox) builds the same calendar marts: meetings, attendance, categories, weekly allocations."""

from __future__ import annotations

from collections import Counter

import duckdb

from connectors.calendar import calendar_source
from connectors.common.pipeline import run
from harness.demo import outlook_arguments
from harness.deployment import SourcesDeployment
from sandbox.api_graph import ical_uid
from sandbox.faults import cancel_event

# what a calendar work event is, without the ids that differ between the two APIs (event_key,
# object_id, source_url are Google's event id or Outlook's iCalUId)
WORK_EVENT = (
    "person_key, occurred_at, activity_type, work_category, is_promotable, effort_hours, duration_hours, "
    "rule_id, evidence, time_band, counterpart_person_key, title"
)
WHOLE_MARTS = ("fct_person_weekly_meetings", "fct_person_weekly_allocation", "fct_team_concentration")


def rows(warehouse, sql: str) -> Counter:
    """The answer's rows, sums of hours rounded: rows summed in another order differ in the last bits."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        answer = con.execute(sql).fetchall()
    return Counter(tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in answer)


def test_outlook_and_google_build_the_same_calendar_marts(small_org, sandbox_server, loaded_warehouse, tmp_path):
    google = SourcesDeployment(loaded_warehouse.parent).copy_to(tmp_path / "google")
    outlook = SourcesDeployment(loaded_warehouse.parent).copy_to(tmp_path / "outlook")
    # GIVEN the Outlook deployment's calendars from Graph instead of Google (the .ics feeds stay)
    with duckdb.connect(str(outlook.warehouse)) as con:
        con.execute("delete from raw_calendar.events where feed = 'google'")

    def source():
        return calendar_source(
            start_date=small_org.start.date().isoformat(), **outlook_arguments(small_org, sandbox_server)
        )

    run(source(), "calendar", outlook.warehouse, str(outlook.root / "dlt_outlook"))
    assert set(rows(outlook.warehouse, "select distinct feed from raw_calendar.events")) == {("outlook",), ("ics",)}
    # WHEN both build their marts
    google.build_marts()
    outlook.build_marts()
    # THEN every calendar work event is the same, and so is every mart made of them
    sql = f"select {WORK_EVENT} from marts.fct_work_events where source = 'calendar'"
    google_events, outlook_events = rows(google.warehouse, sql), rows(outlook.warehouse, sql)
    assert sum(google_events.values()) > 100
    assert google_events == outlook_events
    categories = {row[3] for row in google_events}
    assert {"coordination", "hiring", "onboarding_mentoring"} <= categories
    for mart in WHOLE_MARTS:
        assert rows(google.warehouse, f"select * from marts.{mart}") == rows(
            outlook.warehouse, f"select * from marts.{mart}"
        ), mart

    # GIVEN a meeting with guests deleted in Outlook WHEN the next run and build THEN it leaves the marts
    meeting = next(
        event["id"]
        for items in small_org.calendars.values()
        for event in items
        if len(event.get("attendees") or []) > 2 and event.get("status") != "cancelled"
    )
    in_marts = f"select count(*) from marts.fct_work_events where object_id = '{ical_uid(meeting)}'"
    (organized_and_attended,) = rows(outlook.warehouse, in_marts)
    assert organized_and_attended[0] > 1
    assert cancel_event(small_org, meeting) > 1
    sandbox_server.refresh()
    run(source(), "calendar", outlook.warehouse, str(outlook.root / "dlt_outlook"))
    outlook.build_marts()
    assert set(rows(outlook.warehouse, in_marts)) == {(0,)}
    with duckdb.connect(str(outlook.warehouse), read_only=True) as con:
        held = con.execute("select count(*) from raw_calendar.events where i_cal_uid = ?", [ical_uid(meeting)])
        assert held.fetchone() == (0,)
