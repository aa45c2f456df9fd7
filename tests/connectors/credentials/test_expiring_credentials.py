"""Credentials that last: a daily schedule of runs against a sandbox whose tokens expire after
a second, each run built from the settings a deployment sets (SOURCES__*), as the Dagster
job builds it. Google's service account (a token per person, JWT-bearer grant), Google's
refresh-token credentials and a GitHub App (installation tokens) all load every day, renewing
their tokens before they expire and once after a 401; the sandbox's grants show the renewals.
Real HTTP against the local sandbox, keys made at test time."""

from __future__ import annotations

import logging
import time
from collections import Counter

import duckdb
import pytest

from connectors.calendar import calendar_source
from connectors.calendar.auth import ServiceAccountCredentials, google_credentials
from connectors.calendar.client import CalendarClient
from connectors.calendar.settings import CalendarSettings
from connectors.common.http import AuthError
from connectors.common.pipeline import run
from connectors.github import github_source
from connectors.github.app import installation_auth
from connectors.github.client import GitHubClient
from connectors.github.settings import PRIMARY_KEYS, GithubSettings
from sandbox.generate import generate_org
from sandbox.server import SandboxServer
from tests.connectors.calendar.calendar_helpers import warehouse_text
from tests.connectors.credentials.keys import (
    APP_ID,
    CLIENT,
    calendar_env,
    github_env,
    key_pair,
    sandbox_auth,
    service_account_file,
)
from tests.connectors.sandbox_truth import assert_matches_ground_truth

TOKEN_LIFE_S = 1  # the sandbox states lives in whole seconds, as Google and GitHub do
DAYS = 3


@pytest.fixture
def org():
    return generate_org(seed=7, people=12, teams=2, months=2)


@pytest.fixture
def server(org):
    with SandboxServer(org, auth=sandbox_auth(TOKEN_LIFE_S)) as server:
        yield server


def _calendar_from_settings(env: dict, org):
    settings = CalendarSettings.from_env(env)
    assert settings.validate() == []
    return calendar_source(**settings.source_arguments(), start_date=org.start.date().isoformat())


def _github_from_settings(env: dict, org):
    settings = GithubSettings.from_env(env)
    assert settings.validate() == []
    return github_source(**settings.source_arguments(), start_date=org.start.date().isoformat())


def _daily_schedule(org, server, build, name: str, tmp_path) -> list[float]:
    """DAYS runs, a day apart in the org and more than a token's life apart in time; each run's seconds."""
    durations = []
    for day in range(DAYS):
        if day:
            org.advance_day()
            time.sleep(TOKEN_LIFE_S + 0.5)  # yesterday's tokens are dead
        started = time.monotonic()
        run(build(), name, tmp_path / "warehouse.duckdb", str(tmp_path / "dlt"))
        durations.append(time.monotonic() - started)
    return durations


def _assert_no_secret_kept(server, tmp_path, *secrets: str) -> None:
    """Neither the credentials nor any token they bought is in the warehouse or dlt's state and trace."""
    stored = warehouse_text(tmp_path) + "".join(
        path.read_bytes().decode("latin-1") for path in (tmp_path / "dlt").rglob("*") if path.is_file()
    )
    tokens = [grant.token for grant in server.issuer.grants()]
    assert tokens
    for secret in (*secrets, *tokens):
        assert secret not in stored


def _data_requests(server, prefix: str) -> list:
    return [r for r in server.request_log if r.path.startswith(prefix)]


@pytest.mark.parametrize("mode", ["service_account", "refresh_token"])
def test_google_calendar_daily_schedule_across_token_expiry(mode, org, server, tmp_path):
    env = calendar_env(mode, org, server, tmp_path)
    # small, slow pages: each calendar's listing outlives a token, so tokens expire mid-run
    server.faults.add(r"^/calendar/v3/", None, times=None, delay_s=0.08, page_size=10)
    durations = _daily_schedule(org, server, lambda: _calendar_from_settings(env, org), "calendar", tmp_path)

    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        rows, keys = con.execute(
            "select count(*), count(distinct (calendar_id, id)) from raw_calendar.events"
        ).fetchone()
    assert rows == keys == org.ground_truth["counts"]["raw_calendar.events"]

    grants = server.issuer.grants("google")
    data = _data_requests(server, "/calendar/v3/")
    assert data and all(r.status in (200, 401) for r in data)
    # every 401 (a token refused a moment after the client last checked it) was answered by a renewal
    assert all(r.status == 200 for r in data[-len(org.calendars) :])
    if mode == "service_account":
        assert {g.grant_type for g in grants} == {"jwt_bearer"}
        per_person = Counter(g.subject for g in grants)
        assert set(per_person) == set(org.calendars)  # each calendar read as its owner
        # a token per person every day (yesterday's are dead), and more where a listing outlived one
        assert all(count >= DAYS for count in per_person.values()), per_person
        assert sum(per_person.values()) > DAYS * len(org.calendars), per_person
    else:
        assert {g.grant_type for g in grants} == {"refresh_token"}
        longest = max(durations)
        assert longest > 2 * TOKEN_LIFE_S, durations  # the runs outlived several tokens
        assert len(grants) > DAYS * 2, (len(grants), durations)
    private_key_body = key_pair("service-account")[0].splitlines()[1]
    _assert_no_secret_kept(server, tmp_path, CLIENT.client_secret, CLIENT.refresh_token, private_key_body)


def test_github_app_daily_schedule_across_token_expiry(org, server, tmp_path):
    env = github_env(org, server, tmp_path)
    server.faults.add(r"^/github/(repos/|graphql)", None, times=None, delay_s=0.08)
    durations = _daily_schedule(org, server, lambda: _github_from_settings(env, org), "github", tmp_path)

    assert_matches_ground_truth(org, tmp_path / "warehouse.duckdb", "raw_github", PRIMARY_KEYS)
    grants = server.issuer.grants("github")
    assert {g.grant_type for g in grants} == {"installation"}
    assert max(durations) > 2 * TOKEN_LIFE_S, durations
    assert len(grants) > DAYS * 2, (len(grants), durations)  # renewed within runs
    log = server.request_log
    # the installation was found from the org, then tokens were bought with the app's JWT
    assert sum(r.path == f"/github/orgs/{org.github_org}/installation" for r in log) == DAYS
    assert sum(r.path == "/github/app/installations/4242/access_tokens" and r.status == 201 for r in log) == len(grants)
    data = [r for r in log if r.path.startswith(("/github/repos/", "/github/graphql"))]
    assert data and all(r.status in (200, 304, 401) for r in data)
    _assert_no_secret_kept(server, tmp_path, key_pair("github-app")[0].splitlines()[1])


def test_a_static_token_dies_with_its_life_but_renewing_credentials_do_not(org, server, tmp_path):
    """What a real schedule met on day two: a token taken once stops working when it expires."""
    fetched = google_credentials(
        client_id=CLIENT.client_id,
        client_secret=CLIENT.client_secret,
        refresh_token=CLIENT.refresh_token,
        token_uri=server.google_token_url,
    )
    static_token = fetched.auth_for("x").token.get()
    calendar = sorted(org.calendars)[0]
    static = CalendarClient(server.calendar_url, static_token)
    assert sum(len(items) for items, _ in static.event_pages(calendar, {}))
    time.sleep(TOKEN_LIFE_S + 0.5)
    with pytest.raises(AuthError, match="SOURCES__CALENDAR__ACCESS_TOKEN"):
        list(static.event_pages(calendar, {}))
    renewing = CalendarClient(server.calendar_url, credentials=fetched)
    assert sum(len(items) for items, _ in renewing.event_pages(calendar, {}))


def test_a_revoked_token_is_renewed_once_after_the_401(org, tmp_path):
    # tokens of an hour: a one-second token could expire between the reads on a slow machine,
    # and be renewed before it is refused
    with SandboxServer(org, auth=sandbox_auth(3600)) as server:
        _read_twice_across_a_revocation(org, server, tmp_path)


def _read_twice_across_a_revocation(org, server, tmp_path):
    calendar = sorted(org.calendars)[0]
    key = service_account_file(tmp_path, server.google_token_url).read_text()
    google = CalendarClient(server.calendar_url, credentials=ServiceAccountCredentials(key))
    github = GitHubClient(
        server.github_url,
        auth=installation_auth(server.github_url, APP_ID, key_pair("github-app")[0], org=org.github_org),
    )
    for read in (lambda: list(google.event_pages(calendar, {})), lambda: github.get(f"/orgs/{org.github_org}/repos")):
        read()
        grants = len(server.issuer.grants())
        server.issuer.revoke_all()
        server.clear_log()
        assert read()
        assert len(server.issuer.grants()) == grants + 1
        statuses = [r.status for r in server.request_log]
        assert statuses[0] == 401 and statuses[-1] == 200 and statuses.count(401) == 1


def test_refused_credentials_name_their_settings(org, server, tmp_path, caplog):
    calendar = sorted(org.calendars)[0]
    # a key the sandbox does not know: the assertion's signature does not verify
    wrong_key = service_account_file(tmp_path, server.google_token_url, key="stranger").read_text()
    client = CalendarClient(server.calendar_url, credentials=ServiceAccountCredentials(wrong_key))
    with pytest.raises(AuthError, match=r"Invalid JWT Signature.*SOURCES__CALENDAR__SERVICE_ACCOUNT_KEY"):
        list(client.event_pages(calendar, {}))

    wrong_secret = google_credentials(
        client_id=CLIENT.client_id,
        client_secret="nope",
        refresh_token=CLIENT.refresh_token,
        token_uri=server.google_token_url,
    )
    with pytest.raises(AuthError, match="SOURCES__CALENDAR__CLIENT_SECRET"):
        list(CalendarClient(server.calendar_url, credentials=wrong_secret).event_pages(calendar, {}))

    app = installation_auth(server.github_url, APP_ID, key_pair("stranger")[0], org=org.github_org)
    with pytest.raises(AuthError, match="app's JWT.*SOURCES__GITHUB__APP_PRIVATE_KEY"):
        GitHubClient(server.github_url, auth=app).get(f"/orgs/{org.github_org}/repos")
    elsewhere = installation_auth(server.github_url, APP_ID, key_pair("github-app")[0], org="another-org")
    with pytest.raises(AuthError, match="not installed on organization 'another-org'"):
        GitHubClient(server.github_url, auth=elsewhere).get(f"/orgs/{org.github_org}/repos")

    # a calendar whose owner the domain does not know (a departed person) is skipped, the others load
    env = calendar_env("service_account", org, server, tmp_path)
    env["SOURCES__CALENDAR__CALENDAR_IDS"] += ",departed.person@loadbearing-demo.example"
    with caplog.at_level(logging.WARNING, logger="loadbearing.calendar"):
        run(_calendar_from_settings(env, org), "calendar", tmp_path / "warehouse.duckdb", str(tmp_path / "dlt"))
    assert "no user 'departed.person@loadbearing-demo.example' to impersonate" in caplog.text
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        query = "select distinct calendar_id from raw_calendar.events where feed = 'google'"
        loaded = {c for (c,) in con.execute(query).fetchall()}
    assert loaded == set(org.calendars)
