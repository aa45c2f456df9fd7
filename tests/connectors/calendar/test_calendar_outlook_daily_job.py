"""The Dagster daily job, as `make demo ARGS="--calendar outlook"` runs it, reading people's
calendars through the sandbox's Microsoft Graph with tokens that expire within a run, set only
by SOURCES__CALENDAR__OUTLOOK_* variables: two days, the second one from the delta links."""

from __future__ import annotations

import duckdb

from harness.demo import with_outlook
from harness.deployment import deployed
from sandbox.auth import SandboxAuth

TOKEN_LIFE_S = 1


def test_the_daily_job_loads_outlook_calendars_across_token_expiry(small_org, tmp_path):
    with deployed(small_org, tmp_path / "deployment", auth=SandboxAuth(token_life_s=TOKEN_LIFE_S)) as deployment:
        server = deployment.server
        deployment.env = with_outlook(deployment.env, small_org, server)
        # each calendar answer takes a while: one run's calendar step outlives several tokens
        server.faults.add(r"^/graph/v1\.0/users/.*/calendarView/delta$", None, times=None, delay_s=0.2)
        for day in range(2):
            run = deployment.run_daily_job()
            assert run.returncode == 0, run.output[-6000:]
            calendar = [r for r in run.requests if "/calendarView/" in r.path]
            assert calendar and {r.status for r in calendar} <= {200, 401}
            # the first day syncs every calendar in full, the second asks only for what changed since
            full_rounds = sum("startDateTime" in r.query and r.status == 200 for r in calendar)
            assert full_rounds == (len(small_org.calendars) if day == 0 else 0)
            assert not any(r.path.startswith("/calendar/v3/") for r in run.requests)
            small_org.advance_day()
        assert len(server.issuer.grants("microsoft", "client_credentials")) >= 4
        assert not any(g.token in run.output for g in server.issuer.grants())
    with duckdb.connect(str(deployment.working), read_only=True) as con:
        feeds = dict(con.execute("select feed, count(*) from raw_calendar.events group by feed").fetchall())
        meetings = con.execute(
            "select count(*) from marts.fct_work_events where source = 'calendar' and activity_type = 'meeting_organized'"
        ).fetchone()[0]
    assert set(feeds) == {"outlook", "ics"} and feeds["outlook"] > 100
    assert meetings > 50
