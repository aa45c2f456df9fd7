"""The demo's configuration passes the same checks as a real one; its day counter survives runs."""

from harness.demo import DemoOrg, DemoState, sandbox_env
from pipelines.settings import load_settings
from sandbox.generate import generate_org, write_roster, write_self_reports
from sandbox.server import SandboxServer


def test_the_demo_settings_configure_every_source_against_the_sandbox(tmp_path):
    # GIVEN a small organization served by the sandbox, its roster and self-reports written
    org = generate_org(seed=7, people=12, teams=2, months=1)
    roster = tmp_path / "roster.csv"
    write_roster(org, roster)
    with SandboxServer(org) as server:
        write_self_reports(org, tmp_path / "selfreports", server.base_url)
        # WHEN the demo's settings are checked like any deployment's
        settings = load_settings(sandbox_env(org, server, roster))
        github_url = server.github_url
    # THEN every source is configured, pointed at the sandbox, from the org's first day
    assert settings.configured_sources() == ["github", "jira", "calendar", "people", "selfreports"]
    assert settings.selfreports.folder == tmp_path / "selfreports"
    assert settings.github.base_url == github_url
    assert settings.calendar.calendar_ids == sorted(org.calendars)
    assert len(settings.calendar.ics_feeds) == len(org.ics_feeds)
    assert settings.start_date == org.start.date().isoformat()


def test_the_demo_remembers_how_many_days_the_sandbox_moved(tmp_path):
    state = DemoState(DemoOrg(seed=7, people=60, teams=8, months=6), days_advanced=3)
    state.save(tmp_path / "demo_state.json")
    assert DemoState.load(tmp_path / "demo_state.json") == state
    assert DemoState.load(tmp_path / "missing.json") is None
