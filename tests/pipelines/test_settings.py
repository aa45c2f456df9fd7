"""Settings: every problem named in one message; an unconfigured source is skipped."""

import json
import os
import subprocess
import sys

import duckdb
import pytest

from connectors.github.settings import GithubSettings
from connectors.jira.settings import JiraSettings
from pipelines.settings import SettingsError, load_settings, schedule_settings


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("person_id,display_name\np1,Ada\n")
    return path


@pytest.fixture
def github_only(roster):
    return {
        "SOURCES__GITHUB__ACCESS_TOKEN": "placeholder-token",
        "SOURCES__GITHUB__ORG": "acme",
        "SOURCES__PEOPLE__ROSTER_PATH": str(roster),
        "LOADBEARING_PERSON_KEY_SALT": "placeholder-salt",
    }


def test_a_source_with_no_settings_is_skipped(github_only):
    # GIVEN only GitHub and the roster are set WHEN the settings load
    settings = load_settings(github_only)
    # THEN Jira and calendars are skipped, GitHub gets its default base URL
    assert settings.configured_sources() == ["github", "people"]
    assert settings.jira is None and settings.calendar is None
    assert settings.github.base_url == "https://api.github.com"
    assert (settings.schedule_cron, settings.schedule_timezone) == ("0 6 * * *", "UTC")
    assert settings.warehouse.is_absolute() and settings.warehouse.name == settings.published_warehouse.name


def test_every_missing_setting_is_named_in_one_message():
    # GIVEN half-configured Jira and calendar, GitHub without a token, no roster
    env = {
        "SOURCES__GITHUB__ORG": "acme",
        "SOURCES__JIRA__SITE_URL": "https://acme.atlassian.net",
        "SOURCES__CALENDAR__CALENDAR_IDS": "ada@example.com",
    }
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    message = str(caught.value)
    # THEN one message lists each of them by name
    for name in (
        "SOURCES__GITHUB__ACCESS_TOKEN",
        "SOURCES__JIRA__EMAIL",
        "SOURCES__JIRA__API_TOKEN",
        "SOURCES__CALENDAR__ACCESS_TOKEN",
        "SOURCES__PEOPLE__ROSTER_PATH",
        "LOADBEARING_PERSON_KEY_SALT",
    ):
        assert name in message
    assert len(caught.value.problems) == 6


def test_nothing_configured_says_so():
    with pytest.raises(SettingsError) as caught:
        load_settings({})
    assert any("no activity source is configured" in problem for problem in caught.value.problems)


def test_invalid_values_are_named(github_only, tmp_path):
    env = {
        **github_only,
        "SOURCES__GITHUB__REPOS": "acme/api,not-a-repo",
        "SOURCES__GITHUB__BASE_URL": "github.example.com",
        "SOURCES__JIRA__SITE_URL": "https://acme.atlassian.net",
        "SOURCES__JIRA__EMAIL": "ops",
        "SOURCES__JIRA__API_TOKEN": "placeholder",
        "SOURCES__JIRA__PROJECTS": '["OPS", "web"]',
        "SOURCES__CALENDAR__ICS_FEEDS": "team",
        "SOURCES__CALENDAR__ICS_HORIZON_DAYS": "soon",
        "LOADBEARING_START_DATE": "01/02/2026",
        "LOADBEARING_SCHEDULE_CRON": "daily at six",
        "LOADBEARING_SCHEDULE_TIMEZONE": "Mars/Olympus",
        "LOADBEARING_PUBLISHED_WAREHOUSE": str(tmp_path / "published.duckdb"),
        "LOADBEARING_HTTP_TIMEOUT_S": "-5",
        "LOADBEARING_TARGET_PROMOTABLE": "170%",
    }
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    message = str(caught.value)
    for fragment in (
        "SOURCES__GITHUB__REPOS: 'not-a-repo'",
        "SOURCES__GITHUB__BASE_URL must be an http(s) URL",
        "SOURCES__JIRA__EMAIL must be an email address",
        "SOURCES__JIRA__PROJECTS: 'web'",
        "SOURCES__CALENDAR__ICS_FEEDS: 'team'",
        "SOURCES__CALENDAR__ICS_HORIZON_DAYS",
        "LOADBEARING_START_DATE",
        "LOADBEARING_SCHEDULE_CRON",
        "LOADBEARING_SCHEDULE_TIMEZONE",
        "LOADBEARING_PUBLISHED_WAREHOUSE must have the same file name",
        "LOADBEARING_HTTP_TIMEOUT_S must be a positive number of seconds",
        "LOADBEARING_TARGET_PROMOTABLE '170%' is outside 0–100 %",
    ):
        assert fragment in message
    assert len(caught.value.problems) == 12


def test_lists_read_comma_separated_or_json(github_only):
    settings = load_settings(
        {
            **github_only,
            "SOURCES__CALENDAR__CALENDAR_IDS": '["a@example.com", "b@example.com"]',
            "SOURCES__CALENDAR__ACCESS_TOKEN": "placeholder",
            "SOURCES__CALENDAR__ICS_FEEDS": "team=https://example.com/team.ics, rota=/srv/rota.ics",
        }
    )
    assert settings.calendar.calendar_ids == ["a@example.com", "b@example.com"]
    assert settings.calendar.ics_feeds == ["team=https://example.com/team.ics", "rota=/srv/rota.ics"]


def test_tokens_stay_out_of_repr(github_only):
    settings = load_settings(github_only)
    assert "placeholder-token" not in repr(settings)


def test_schedule_settings_alone():
    assert schedule_settings(
        {"LOADBEARING_SCHEDULE_CRON": "30 5 * * 1-5", "LOADBEARING_SCHEDULE_TIMEZONE": "Europe/Berlin"}
    ) == ("30 5 * * 1-5", "Europe/Berlin")


def test_one_message_holds_every_connector_spec_problem_and_the_run_s_own(github_only):
    # GIVEN bad GitHub and Jira settings and a bad setting of the run itself
    env = {
        **github_only,
        "SOURCES__GITHUB__REPOS": "not-a-repo",
        "SOURCES__JIRA__SITE_URL": "acme.atlassian.net",
        "SOURCES__JIRA__EMAIL": "ops",
        "LOADBEARING_RETENTION_DAYS": "a year",
    }
    # WHEN the settings load THEN one error holds what each connector's own spec finds, once, and the run's
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    github, jira = GithubSettings.from_env(env).validate(), JiraSettings.from_env(env).validate()
    assert len(github) == 1 and len(jira) == 3
    run = ["LOADBEARING_RETENTION_DAYS must be a positive number of days, got 'a year'"]
    assert sorted(caught.value.problems) == sorted(github + jira + run)
    assert all(problem in str(caught.value) for problem in github + jira + run)


def test_a_connector_spec_reads_dlt_s_names_and_hands_them_to_its_source(github_only):
    spec = GithubSettings.from_env({**github_only, "SOURCES__GITHUB__REPOS": '["acme/api"]'})
    assert spec.validate() == []
    assert spec.source_arguments() == {
        "access_token": "placeholder-token",
        "org": "acme",
        "repos": ["acme/api"],
        "base_url": "https://api.github.com",
    }
    assert load_settings(github_only).github == GithubSettings.from_env(github_only)


def test_the_connector_command_line_loads_where_the_job_does(github_only):
    # GIVEN no warehouse setting WHEN `python -m connectors.people --help` says where it loads
    env = {name: value for name, value in os.environ.items() if not name.startswith("LOADBEARING_")}
    shown = subprocess.run(
        [sys.executable, "-m", "connectors.people", "--help"],
        env={**env, "COLUMNS": "400"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    # THEN it is the job's working warehouse and dlt state, by the one default of each
    job = load_settings(github_only)
    assert f"$LOADBEARING_WAREHOUSE or {job.warehouse})" in shown
    assert f"$LOADBEARING_PIPELINES_DIR or {job.pipelines_dir})" in shown


def test_privacy_defaults_are_dbt_project_s_vars(github_only):
    privacy = load_settings(github_only).privacy
    assert privacy.dbt_vars() == {
        "opt_out_person_ids": [],
        "opt_out_counts_in_team_totals": False,
        "retention_days": 400,
        "group_min_people": 10,
    }


def test_the_connector_command_line_reads_the_job_s_settings(github_only, tmp_path):
    # GIVEN the job's settings for the roster, the warehouse and dlt's state
    env = {name: value for name, value in os.environ.items() if not name.startswith(("LOADBEARING_", "SOURCES__"))}
    roster = tmp_path / "people.csv"
    roster.write_text("person_id,display_name,team,start_date\np1,Ada,platform,2026-01-05\n")
    settings = {
        **github_only,
        "SOURCES__PEOPLE__ROSTER_PATH": str(roster),
        "LOADBEARING_WAREHOUSE": str(tmp_path / "work" / "loadbearing.duckdb"),
        "LOADBEARING_PIPELINES_DIR": str(tmp_path / "dlt"),
    }
    # WHEN `python -m connectors.people` runs with no argument
    subprocess.run(
        [sys.executable, "-m", "connectors.people"],
        env={**env, **settings},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    # THEN it loaded that roster where the job would have, with its state where the job keeps it
    with duckdb.connect(settings["LOADBEARING_WAREHOUSE"], read_only=True) as con:
        assert con.execute("select person_id, display_name from raw_people.people").fetchall() == [("p1", "Ada")]
    assert (tmp_path / "dlt" / "loadbearing_people").is_dir()


def test_the_organization_s_target_reaches_dbt_as_a_var(github_only):
    dbt_vars, _ = load_settings({**github_only, "LOADBEARING_TARGET_PROMOTABLE": "55%"}).dbt_invocation()
    assert json.loads(dbt_vars[1])["default_target_promotable_share"] == 0.55
