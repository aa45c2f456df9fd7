"""The Outlook side of the calendar connector: Microsoft Graph's documented calendarView/delta
answers (tests/fixtures/calendar/graph-calendarview-delta) replayed by a local server, then the
sandbox's Graph with tokens that expire, a delta link that turns stale and events that are deleted."""

from __future__ import annotations

import json
import time

import duckdb
import pytest

from connectors.calendar import calendar_source
from connectors.calendar.outlook import google_shaped
from sandbox.api_graph import mailbox_id
from sandbox.auth import DEMO_MICROSOFT_APP, SandboxAuth
from sandbox.faults import cancel_event
from sandbox.server import SandboxServer
from tests.connectors.calendar.calendar_helpers import FIXTURES, by_id, events, load
from tests.support.replay import ReplayServer, Reply

RECORDINGS = FIXTURES / "graph-calendarview-delta"
USER = "samanthab@contoso.onmicrosoft.com"
TENANT, CLIENT_ID, SECRET = "contoso-tenant", "app-client-id", "app-client-secret"


def recording(name: str) -> str:
    """A documented answer, its links pointing at the replay server (as Graph's point at itself)."""
    return (RECORDINGS / f"{name}.json").read_text().replace("https://graph.microsoft.com", "{base}")


def documented_graph(request) -> Reply:
    if request.path.endswith("/oauth2/v2.0/token"):
        return Reply(body={"token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0-documented"})
    pages = {"R0usmcCM996atia_s": "round1-page2", "R0usmci39OQxqJrxK4": "round1-page3"}
    if "$skiptoken" in request.query:
        return Reply(body=recording(pages[request.query["$skiptoken"]]))
    if request.query.get("$deltatoken") == "R0usmcMDNGg0J1E":
        return Reply(body=recording("round2-page1"))
    return Reply(body=recording("round1-page1"))


def outlook(users, authority: str, base_url: str, **credentials):
    given = {
        "outlook_tenant_id": TENANT,
        "outlook_client_id": CLIENT_ID,
        "outlook_client_secret": SECRET,
        "start_date": "2016-12-01",
    }
    return calendar_source(
        outlook_user_ids=users, outlook_authority=authority, outlook_base_url=base_url, **{**given, **credentials}
    )


def test_documented_delta_rounds_load_every_event_and_continue_from_the_delta_link(tmp_path):
    with ReplayServer(documented_graph) as server:
        # GIVEN Graph's three-page first round WHEN loaded THEN every page is followed, each event once
        load(outlook([USER], server.url, server.url + "/v1.0"), tmp_path)
        first = [r for r in server.requests if "calendarView" in r.path]
        assert first[0].path == f"/v1.0/users/{USER}/calendarView/delta"
        assert {"startDateTime", "endDateTime"} <= set(first[0].query)
        assert [r.query.get("$skiptoken") for r in first[1:]] == ["R0usmcCM996atia_s", "R0usmci39OQxqJrxK4"]
        assert all(r.headers["Authorization"] == "Bearer eyJ0-documented" for r in first)
        assert (
            "odata.maxpagesize=" in first[0].headers["Prefer"]
            and 'outlook.timezone="UTC"' in first[0].headers["Prefer"]
        )
        token_form = server.requests[0].body.decode()
        assert "grant_type=client_credentials" in token_form and "graph.microsoft.com%2F.default" in token_form
        rows = by_id(tmp_path)
        assert sorted(row["summary"] for row in rows.values()) == [
            "Get food",
            "Pick up car",
            "Plan shopping list",
            "Prepare food",
            "Rest!",
        ]
        rest = rows["AAMkADj1HuAAA="]
        assert rest["start"]["dateTime"] == "2016-12-12T02:00:00+00:00" and rest["location"] == "Home"
        assert rest["feed"] == "outlook" and rest["calendar_id"] == USER and rest["status"] == "confirmed"

        # WHEN the next run THEN it asks only the delta link, and loads what changed
        server.requests.clear()
        load(outlook([USER], server.url, server.url + "/v1.0"), tmp_path)
        assert [r.query for r in server.requests if "calendarView" in r.path] == [{"$deltatoken": "R0usmcMDNGg0J1E"}]
    rows = by_id(tmp_path)
    assert rows["AAMkADj1HvAAA="]["summary"] == "Attend service" and len(rows) == 6
    # the removal of an event never loaded leaves no stub behind
    assert "AAMkADk0MGFkODE3LWE4MmYtNDRhOS04OGQLkRkXbBznTvAADb6ytyAAA=" not in rows


def test_documented_events_map_to_the_google_fields_the_models_read():
    with_attendees = json.loads((RECORDINGS / "event-get-with-attendees.json").read_text())
    event = google_shaped(with_attendees, "danas@contoso.onmicrosoft.com")
    assert event["summary"] == "Plan summer company picnic"
    assert event["organizer"] == {"email": "adelev@contoso.onmicrosoft.com", "displayName": "Adele Vance"}
    # the organizer joins the attendees as Google lists them; the owner's own entry is `self`
    assert [(a["email"], a.get("organizer"), a["responseStatus"], a.get("self")) for a in event["attendees"]] == [
        ("adelev@contoso.onmicrosoft.com", True, "accepted", None),
        ("danas@contoso.onmicrosoft.com", None, "needsAction", True),
        ("alexw@contoso.onmicrosoft.com", None, "needsAction", None),
    ]
    assert event["start"] == {"dateTime": "2017-08-30T11:00:00+00:00", "timeZone": "UTC"}
    assert event["eventType"] == "default" and event["visibility"] == "default"

    series = json.loads((RECORDINGS / "event-list-instances.json").read_text())["value"]
    shaped = [google_shaped(item, USER) for item in series]
    assert {e["recurringEventId"] for e in shaped} == {"AAMkAGUzYRgWAAA="}
    assert shaped[0]["start"]["dateTime"] == "2019-04-16T20:30:00+00:00"  # the exception, moved a day

    removed = json.loads((RECORDINGS / "round2-page1.json").read_text())["value"][0]
    assert google_shaped(removed, USER) == {"id": removed["id"], "removed_at_source": True}


# -- the sandbox's Graph -------------------------------------------------------------------------


@pytest.fixture
def graph_org():
    from harness.deployment import SMALL_ORG
    from sandbox.generate import generate_org

    return generate_org(**SMALL_ORG)


def sandbox_outlook(org, server):
    return outlook(
        sorted(org.calendars),
        server.microsoft_authority,
        server.graph_url,
        outlook_tenant_id=DEMO_MICROSOFT_APP.tenant_id,
        outlook_client_id=DEMO_MICROSOFT_APP.client_id,
        outlook_client_secret=DEMO_MICROSOFT_APP.client_secret,
        start_date=org.start.date().isoformat(),
    )


def in_graph(org) -> set[tuple[str, str]]:
    """(mailbox, Graph id) of every event the org's mailboxes hold (deleted ones are gone)."""
    return {
        (mailbox, mailbox_id(mailbox, event["id"]))
        for mailbox, items in org.calendars.items()
        for event in items
        if event.get("status") != "cancelled"
    }


def loaded(where) -> list[tuple[str, str]]:
    return [(row["calendar_id"], row["id"]) for row in events(where)]


def test_a_daily_schedule_across_token_expiry_loads_every_mailbox(graph_org, tmp_path):
    with SandboxServer(graph_org, auth=SandboxAuth(token_life_s=1)) as server:
        # each answer takes a while: one run outlives several tokens
        server.faults.add(r"^/graph/v1\.0/users/.*/calendarView/delta$", None, times=None, delay_s=0.25)
        for day in range(3):
            before = len(server.issuer.grants("microsoft"))
            started = time.monotonic()
            load(sandbox_outlook(graph_org, server), tmp_path)
            assert time.monotonic() - started > 2  # longer than two tokens' lives
            assert len(server.issuer.grants("microsoft")) - before >= 2
            rows = loaded(tmp_path)
            assert len(rows) == len(set(rows)) and set(rows) == in_graph(graph_org), f"day {day}"
            graph_org.advance_day()
        # a token that lapsed on its way is renewed once after the 401; nothing else failed
        assert {r.status for r in server.request_log if "/calendarView/" in r.path} <= {200, 401}


def test_a_stale_delta_link_resyncs_the_user_and_loses_and_duplicates_nothing(graph_org, tmp_path):
    with SandboxServer(graph_org) as server:
        load(sandbox_outlook(graph_org, server), tmp_path)
        graph_org.advance_day()
        server.invalidate_graph_delta_tokens()
        server.clear_log()
        load(sandbox_outlook(graph_org, server), tmp_path)
        delta = [r for r in server.request_log if "/calendarView/" in r.path]
        gone = [r for r in delta if r.status == 410]
        assert len(gone) == len(graph_org.calendars)  # every user's link answered 410 once
        assert sum("startDateTime" in r.query for r in delta) == len(graph_org.calendars)  # then a full round
    rows = loaded(tmp_path)
    assert len(rows) == len(set(rows)) and set(rows) == in_graph(graph_org)


def test_an_event_deleted_in_outlook_leaves_the_raw_table(graph_org, tmp_path):
    with SandboxServer(graph_org) as server:
        load(sandbox_outlook(graph_org, server), tmp_path)
        shared = max(
            {e["id"] for items in graph_org.calendars.values() for e in items if e.get("status") != "cancelled"},
            key=lambda eid: sum(e["id"] == eid for items in graph_org.calendars.values() for e in items),
        )
        assert cancel_event(graph_org, shared) > 1
        server.refresh()
        # Graph throttles once on the way: Retry-After is honoured and the run goes on
        server.faults.add(r"^/graph/v1\.0/users/.*/calendarView/delta$", 429, times=1, headers={"Retry-After": "1"})
        load(sandbox_outlook(graph_org, server), tmp_path)
        assert [r.status for r in server.request_log if "/calendarView/" in r.path].count(429) == 1
    rows = loaded(tmp_path)
    assert set(rows) == in_graph(graph_org)
    assert not any(row_id == mailbox_id(mailbox, shared) for mailbox, row_id in rows)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw_calendar.events where removed_at_source").fetchone() == (0,)


def test_refused_client_credentials_name_the_settings(graph_org, tmp_path):
    with SandboxServer(graph_org) as server:
        source = outlook(
            ["x@loadbearing-demo.example"],
            server.microsoft_authority,
            server.graph_url,
            outlook_tenant_id=DEMO_MICROSOFT_APP.tenant_id,
            outlook_client_id=DEMO_MICROSOFT_APP.client_id,
            outlook_client_secret="wrong",
        )
        with pytest.raises(Exception) as failure:
            load(source, tmp_path)
    message = str(failure.value)
    assert "Microsoft token endpoint" in message and "SOURCES__CALENDAR__OUTLOOK_CLIENT_SECRET" in message
    assert "wrong" not in message


def test_outlook_settings_need_the_users_and_all_three_credentials():
    from connectors.calendar.settings import CalendarSettings

    half = CalendarSettings.from_env(
        {"SOURCES__CALENDAR__OUTLOOK_USER_IDS": "a@x.example", "SOURCES__CALENDAR__OUTLOOK_TENANT_ID": "t"}
    )
    (problem,) = half.validate()
    assert "SOURCES__CALENDAR__OUTLOOK_CLIENT_ID, SOURCES__CALENDAR__OUTLOOK_CLIENT_SECRET missing" in problem
    full = CalendarSettings.from_env(
        {
            "SOURCES__CALENDAR__OUTLOOK_USER_IDS": "a@x.example,b@x.example",
            "SOURCES__CALENDAR__OUTLOOK_TENANT_ID": "t",
            "SOURCES__CALENDAR__OUTLOOK_CLIENT_ID": "c",
            "SOURCES__CALENDAR__OUTLOOK_CLIENT_SECRET": "s",
            "SOURCES__CALENDAR__OUTLOOK_BASE_URL": "not a url",
        }
    )
    assert full.validate() == ["SOURCES__CALENDAR__OUTLOOK_BASE_URL must be an http(s) URL, got 'not a url'"]
    assert full.source_arguments()["outlook_user_ids"] == ["a@x.example", "b@x.example"]
    assert "'s'" not in repr(full)  # the secret stays out of logs


def test_an_event_deleted_in_outlook_leaves_a_postgres_warehouse_too(graph_org, postgres_server, tmp_path):
    import psycopg2

    from connectors.common.pipeline import run
    from harness.postgres import create_database

    database = create_database(postgres_server, "outlook_deletions")
    with SandboxServer(graph_org) as server:
        run(sandbox_outlook(graph_org, server), "calendar", database, str(tmp_path / "dlt"))
        meeting = next(
            e["id"] for items in graph_org.calendars.values() for e in items if len(e.get("attendees") or []) > 2
        )
        assert cancel_event(graph_org, meeting) > 1
        server.refresh()
        run(sandbox_outlook(graph_org, server), "calendar", database, str(tmp_path / "dlt"))
    with psycopg2.connect(**database.connect_kwargs()) as con, con.cursor() as cur:
        cur.execute("select calendar_id, id from raw_calendar.events")
        held = cur.fetchall()
    assert len(held) == len(set(held)) and set(held) == in_graph(graph_org)


def test_a_delta_window_about_to_end_is_synced_in_full_over_a_new_one(tmp_path, monkeypatch):
    from connectors.calendar import settings

    # GIVEN windows that reach less far ahead than the renewal margin
    monkeypatch.setattr(settings, "OUTLOOK_AHEAD_DAYS", settings.OUTLOOK_RENEW_AHEAD_DAYS - 1)
    with ReplayServer(documented_graph) as server:
        load(outlook([USER], server.url, server.url + "/v1.0"), tmp_path)
        server.requests.clear()
        # WHEN the next run THEN a new full round instead of the delta link, and no row twice
        load(outlook([USER], server.url, server.url + "/v1.0"), tmp_path)
        asked = [r.query for r in server.requests if "calendarView" in r.path]
    assert "startDateTime" in asked[0] and not any("$deltatoken" in query for query in asked)
    assert len(events(tmp_path)) == 5
