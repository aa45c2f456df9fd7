"""Bad credential settings are named before a run starts: the variable, what is wrong with it,
and never the secret itself."""

from __future__ import annotations

import json

import pytest

from connectors.calendar.settings import CalendarSettings
from connectors.github.settings import GithubSettings
from tests.connectors.credentials.keys import APP_ID, key_pair

CALENDARS = {"SOURCES__CALENDAR__CALENDAR_IDS": "a@example.com,b@example.com"}
ORG = {"SOURCES__GITHUB__ORG": "loadbearing-demo"}


def _problems(spec, env):
    return spec.from_env(env).validate()


def _one_problem(spec, env, *fragments):
    problems = _problems(spec, env)
    assert len(problems) == 1, problems
    assert all(fragment in problems[0] for fragment in fragments), problems[0]
    return problems[0]


def test_github_app_settings(tmp_path):
    private = key_pair("github-app")[0]
    good = {**ORG, "SOURCES__GITHUB__APP_ID": APP_ID, "SOURCES__GITHUB__APP_PRIVATE_KEY": private}
    assert _problems(GithubSettings, good) == []
    args = GithubSettings.from_env(good).source_arguments()
    assert args["app_id"] == APP_ID and "BEGIN PRIVATE KEY" in args["app_private_key"] and "access_token" not in args
    # the key pasted into one .env line, its line breaks written \n, or a path to the .pem
    one_line = private.strip().replace("\n", "\\n")
    assert _problems(GithubSettings, {**good, "SOURCES__GITHUB__APP_PRIVATE_KEY": one_line}) == []
    pem = tmp_path / "app.pem"
    pem.write_text(private)
    assert GithubSettings.from_env({**good, "SOURCES__GITHUB__APP_PRIVATE_KEY": str(pem)}).app_private_key == private

    not_pem = _one_problem(
        GithubSettings,
        {**good, "SOURCES__GITHUB__APP_PRIVATE_KEY": "ghp_not-a-key"},
        "SOURCES__GITHUB__APP_PRIVATE_KEY",
    )
    assert "ghp_not-a-key" not in not_pem  # a secret is never echoed
    broken = "-----BEGIN RSA PRIVATE KEY-----\nMIIBroken\n-----END RSA PRIVATE KEY-----"
    _one_problem(
        GithubSettings,
        {**good, "SOURCES__GITHUB__APP_PRIVATE_KEY": broken},
        "SOURCES__GITHUB__APP_PRIVATE_KEY is not a readable PEM private key",
    )
    _one_problem(
        GithubSettings,
        {**good, "SOURCES__GITHUB__APP_ID": "my-app"},
        "SOURCES__GITHUB__APP_ID must be the app's numeric id",
    )
    _one_problem(
        GithubSettings, {**ORG, "SOURCES__GITHUB__APP_ID": APP_ID}, "SOURCES__GITHUB__APP_PRIVATE_KEY is missing"
    )
    _one_problem(
        GithubSettings, {**ORG, "SOURCES__GITHUB__APP_PRIVATE_KEY": private}, "SOURCES__GITHUB__APP_ID is missing"
    )
    _one_problem(
        GithubSettings,
        {**good, "SOURCES__GITHUB__ACCESS_TOKEN": "ghp_x"},
        "SOURCES__GITHUB__ACCESS_TOKEN or the GitHub App",
    )
    _one_problem(GithubSettings, ORG, "SOURCES__GITHUB__ACCESS_TOKEN is missing", "SOURCES__GITHUB__APP_ID")
    _one_problem(
        GithubSettings,
        {**good, "SOURCES__GITHUB__APP_INSTALLATION_ID": "first"},
        "SOURCES__GITHUB__APP_INSTALLATION_ID must be a numeric installation id",
    )


def _key_file(tmp_path, **changes) -> str:
    info = {
        "type": "service_account",
        "client_email": "reader@project.iam.gserviceaccount.com",
        "private_key": key_pair("service-account")[0],
        "token_uri": "https://oauth2.googleapis.com/token",
        **changes,
    }
    path = tmp_path / f"key-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps({k: v for k, v in info.items() if v is not None}))
    return str(path)


def test_google_service_account_settings(tmp_path):
    good = {**CALENDARS, "SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY": _key_file(tmp_path)}
    assert _problems(CalendarSettings, good) == []
    args = CalendarSettings.from_env(good).source_arguments()
    assert json.loads(args["service_account_key"])["client_email"] == "reader@project.iam.gserviceaccount.com"
    # the key file's JSON itself works too
    inline = {
        **CALENDARS,
        "SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY": open(good["SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY"]).read(),
    }
    assert _problems(CalendarSettings, inline) == []

    setting = "SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY"
    _one_problem(CalendarSettings, {**CALENDARS, setting: str(tmp_path / "missing.json")}, setting, "readable file")
    _one_problem(CalendarSettings, {**CALENDARS, setting: "{not json"}, setting, "not the JSON of a service account")
    _one_problem(
        CalendarSettings,
        {**CALENDARS, setting: _key_file(tmp_path, private_key="MIIE-not-pem")},
        setting,
        "private_key is not a PEM",
    )
    _one_problem(
        CalendarSettings, {**CALENDARS, setting: _key_file(tmp_path, client_email=None)}, setting, "has no client_email"
    )
    _one_problem(
        CalendarSettings,
        {**CALENDARS, setting: _key_file(tmp_path, type="authorized_user")},
        setting,
        "not service_account",
    )
    _one_problem(
        CalendarSettings,
        {**good, "SOURCES__CALENDAR__ACCESS_TOKEN": "ya29.x"},
        "set one of SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY or SOURCES__CALENDAR__ACCESS_TOKEN",
    )
    _one_problem(
        CalendarSettings,
        {**good, "SOURCES__CALENDAR__TOKEN_URI": "oauth2.example"},
        "SOURCES__CALENDAR__TOKEN_URI must be an http(s) URL",
    )


def test_google_refresh_token_settings():
    good = {
        **CALENDARS,
        "SOURCES__CALENDAR__CLIENT_ID": "id.apps.googleusercontent.com",
        "SOURCES__CALENDAR__CLIENT_SECRET": "secret",
        "SOURCES__CALENDAR__REFRESH_TOKEN": "1//refresh",
    }
    assert _problems(CalendarSettings, good) == []
    settings = CalendarSettings.from_env(good)
    assert "secret" not in repr(settings) and "1//refresh" not in repr(settings)
    for name in (
        "SOURCES__CALENDAR__REFRESH_TOKEN",
        "SOURCES__CALENDAR__CLIENT_SECRET",
        "SOURCES__CALENDAR__CLIENT_ID",
    ):
        _one_problem(CalendarSettings, {k: v for k, v in good.items() if k != name}, f"{name} missing")
    _one_problem(
        CalendarSettings, CALENDARS, "Google credentials are missing", "SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY"
    )


@pytest.mark.parametrize(
    "env, named",
    [
        (
            {**ORG, "SOURCES__GITHUB__APP_ID": APP_ID, "SOURCES__GITHUB__APP_PRIVATE_KEY": "nonsense"},
            "SOURCES__GITHUB__APP_PRIVATE_KEY",
        ),
        (
            {**CALENDARS, "SOURCES__CALENDAR__CLIENT_ID": "id", "SOURCES__CALENDAR__CLIENT_SECRET": "s"},
            "SOURCES__CALENDAR__REFRESH_TOKEN",
        ),
    ],
)
def test_the_run_refuses_to_start_and_names_the_variable(env, named, tmp_path):
    from pipelines.settings import SettingsError, load_settings

    with pytest.raises(SettingsError) as raised:
        load_settings(
            {**env, "LOADBEARING_PERSON_KEY_SALT": "salt", "SOURCES__PEOPLE__ROSTER_PATH": str(tmp_path / "r.csv")}
        )
    assert named in str(raised.value)


def test_the_sandboxs_demo_credentials_are_valid_settings(tmp_path):
    """`python -m sandbox serve --expiring-credentials FOLDER` prints these settings."""
    from sandbox.auth import DemoCredentials

    settings = DemoCredentials.make(60).write(tmp_path, "http://127.0.0.1:1/google/token")
    github = {**ORG, **{k: v for k, v in settings.items() if k.startswith("SOURCES__GITHUB__")}}
    calendar = {**CALENDARS, **{k: v for k, v in settings.items() if k.startswith("SOURCES__CALENDAR__")}}
    assert _problems(GithubSettings, github) == [] and _problems(CalendarSettings, calendar) == []


def test_a_token_is_renewed_before_it_expires_and_once_per_wave_of_401s():
    from datetime import UTC, datetime

    from connectors.common.auth import RefreshingToken

    now = [1000.0]
    issued = []

    def fetch():
        issued.append(f"token-{len(issued)}")
        return issued[-1], datetime.fromtimestamp(now[0] + 3600, UTC)

    token = RefreshingToken(fetch, clock=lambda: now[0])
    assert token.get() == token.get() == "token-0"
    now[0] += 3600 - 61  # more than a minute left: kept
    assert token.get() == "token-0"
    now[0] += 2  # less than a minute left: renewed
    assert token.get() == "token-1"
    # two requests refused with token-1: one renewal serves both
    assert token.renew("token-1") == token.renew("token-1") == "token-2"
    assert token.fetches == 3
