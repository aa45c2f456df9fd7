"""Settings: every problem named in one message; an unconfigured source is skipped."""
import pytest

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
    ):
        assert fragment in message
    assert len(caught.value.problems) == 11


def test_lists_read_comma_separated_or_json(github_only):
    settings = load_settings({
        **github_only,
        "SOURCES__CALENDAR__CALENDAR_IDS": '["a@example.com", "b@example.com"]',
        "SOURCES__CALENDAR__ACCESS_TOKEN": "placeholder",
        "SOURCES__CALENDAR__ICS_FEEDS": "team=https://example.com/team.ics, rota=/srv/rota.ics",
    })
    assert settings.calendar.calendar_ids == ["a@example.com", "b@example.com"]
    assert settings.calendar.ics_feeds == ["team=https://example.com/team.ics", "rota=/srv/rota.ics"]


def test_tokens_stay_out_of_repr(github_only):
    settings = load_settings(github_only)
    assert "placeholder-token" not in repr(settings)


def test_schedule_settings_alone():
    assert schedule_settings({"LOADBEARING_SCHEDULE_CRON": "30 5 * * 1-5", "LOADBEARING_SCHEDULE_TIMEZONE": "Europe/Berlin"}) == (
        "30 5 * * 1-5",
        "Europe/Berlin",
    )
