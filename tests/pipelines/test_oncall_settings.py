"""The on-call settings in a run's settings: off by default, on when a provider is chosen, and a
half-set or wrong one named in the one settings message."""

import pytest

from connectors.oncall import settings as oncall
from pipelines.defs.ingest.oncall import build_source
from pipelines.settings import SettingsError, load_settings


@pytest.fixture
def base(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("person_id,display_name\np1,Ada\n")
    return {
        "SOURCES__GITHUB__ACCESS_TOKEN": "placeholder-token",
        "SOURCES__GITHUB__ORG": "acme",
        "SOURCES__PEOPLE__ROSTER_PATH": str(roster),
        "LOADBEARING_PERSON_KEY_SALT": "placeholder-salt",
    }


def test_no_oncall_settings_leave_the_source_out(base):
    settings = load_settings(base)
    assert settings.oncall is None and "oncall" not in settings.configured_sources()
    assert build_source(settings) is None


def test_a_chosen_provider_builds_its_source(base):
    settings = load_settings({**base, oncall.PROVIDER_SETTING: "opsgenie", oncall.API_KEY_SETTING: "genie-secret"})
    assert settings.configured_sources()[-1] == "oncall"
    source = build_source(settings)
    assert {"opsgenie_alerts", "opsgenie_alert_logs", "pagerduty_log_entries"} <= set(source.resources)
    assert "genie-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({oncall.PROVIDER_SETTING: "pagerduty"}, oncall.API_KEY_SETTING),
        ({oncall.PROVIDER_SETTING: "splunk", oncall.API_KEY_SETTING: "k"}, "'splunk'"),
        ({oncall.API_KEY_SETTING: "k"}, oncall.PROVIDER_SETTING),
        (
            {oncall.PROVIDER_SETTING: "pagerduty", oncall.API_KEY_SETTING: "k", oncall.BASE_URL_SETTING: "ftp://x"},
            oncall.BASE_URL_SETTING,
        ),
    ],
)
def test_a_wrong_oncall_setting_is_named(base, extra, named):
    with pytest.raises(SettingsError) as error:
        load_settings({**base, **extra})
    assert named in str(error.value)
