"""The on-call connector against the sandbox's PagerDuty and Opsgenie, over real HTTP: every
incident and every page of the ground truth (sandbox.oncall) loaded once, re-runs adding no
duplicates and asking only for what is past the cursor, a day later's pages picked up, and a
rejected key named."""

from __future__ import annotations

import html
from datetime import timedelta

import duckdb
import pytest
import requests
from dlt.pipeline.exceptions import PipelineStepFailed

from connectors.common.http import AuthError
from connectors.common.pipeline import run
from connectors.common.time import parse_instant
from connectors.oncall import oncall_source, settings
from connectors.oncall.settings import OncallSettings
from harness.deployment import SMALL_ORG
from sandbox.generate import generate_org
from sandbox.oncall import oncall_incidents
from sandbox.server import SandboxServer

START = "2026-01-01"


@pytest.fixture(scope="module")
def org():
    return generate_org(**SMALL_ORG)


@pytest.fixture(scope="module")
def server(org):
    with SandboxServer(org) as server:
        yield server


def _source(server, provider: str, api_key: str | None = None):
    url = server.pagerduty_url if provider == "pagerduty" else server.opsgenie_url
    key = api_key or getattr(server.tokens, f"{provider}_api_key")
    return oncall_source(provider=provider, api_key=key, base_url=url, start_date=START)


def _rows(warehouse, sql: str):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _expected_pagerduty(org) -> dict[str, int]:
    incidents = oncall_incidents(org)
    return {
        "incidents": len(incidents),
        "notify": sum(len(i.notifications) for i in incidents),
        "acknowledge": sum(1 for i in incidents if i.acknowledged_by),
    }


def test_pagerduty_loads_every_incident_and_page_once(org, server, tmp_path):
    # GIVEN the sandbox's incidents, some escalated past a teammate and some never acknowledged
    expected = _expected_pagerduty(org)
    assert expected["notify"] > expected["incidents"] > expected["acknowledge"] > 0
    warehouse, state = tmp_path / "w.duckdb", tmp_path / "dlt"
    # WHEN it loads twice
    run(_source(server, "pagerduty"), "oncall", warehouse, state)
    server.clear_log()
    run(_source(server, "pagerduty"), "oncall", warehouse, state)
    # THEN each incident and each notification and acknowledgement is there once
    [(incidents, distinct)] = _rows(
        warehouse, "select count(*), count(distinct id) from raw_oncall.pagerduty_incidents"
    )
    assert incidents == distinct == expected["incidents"]
    by_type = dict(_rows(warehouse, "select type, count(*) from raw_oncall.pagerduty_log_entries group by type"))
    assert by_type["notify_log_entry"] == expected["notify"]
    assert by_type["acknowledge_log_entry"] == expected["acknowledge"]
    [(users,)] = _rows(warehouse, "select count(*) from raw_oncall.pagerduty_users where email is not null")
    assert users == len(org.people)
    # AND an incident's link opens its page on the sandbox (the packets link to it)
    [(url, title)] = _rows(warehouse, "select html_url, title from raw_oncall.pagerduty_incidents limit 1")
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and html.escape(title) in page.text
    # AND the second run asked for log entries from its cursor on (less the overlap), not from the start
    sinces = [parse_instant(r.query["since"]) for r in server.request_log if r.path == "/pagerduty/log_entries"]
    newest_entry = max(
        at
        for i in oncall_incidents(org)
        for at in (i.triggered_at, i.acknowledged_at, i.resolved_at, *(n.at for n in i.notifications))
        if at
    )
    assert sinces == [newest_entry - timedelta(seconds=settings.OVERLAP_S)]
    assert all(r.query.get("is_overview") == "false" for r in server.request_log if r.path.endswith("/log_entries"))


def test_opsgenie_loads_every_alert_and_log_once_and_a_new_day(org, server, tmp_path):
    warehouse, state = tmp_path / "w.duckdb", tmp_path / "dlt"
    run(_source(server, "opsgenie"), "oncall", warehouse, state)
    # GIVEN one more day of the organization's life
    org.advance_day()
    # WHEN it loads again
    run(_source(server, "opsgenie"), "oncall", warehouse, state)
    # THEN every alert and each of its notifications and acknowledgements is there once
    incidents = oncall_incidents(org)
    [(alerts, distinct)] = _rows(warehouse, "select count(*), count(distinct id) from raw_oncall.opsgenie_alerts")
    assert alerts == distinct == len(incidents)
    [(logs, distinct_logs)] = _rows(
        warehouse, 'select count(*), count(distinct (alert_id, "offset")) from raw_oncall.opsgenie_alert_logs'
    )
    assert logs == distinct_logs
    [(notified,)] = _rows(
        warehouse, "select count(*) from raw_oncall.opsgenie_alert_logs where log like '%notification to [%'"
    )
    assert notified == sum(len(i.notifications) for i in incidents)
    acknowledged = _rows(
        warehouse, "select alert_id, owner from raw_oncall.opsgenie_alert_logs where log like 'Alert acknowledged%'"
    )
    assert sorted(acknowledged) == sorted(
        (i.opsgenie_id, i.acknowledged_by.email) for i in incidents if i.acknowledged_by
    )


def test_opsgenie_alerts_link_to_their_page_only_when_the_web_address_is_given(server, tmp_path):
    without, given = tmp_path / "without.duckdb", tmp_path / "given.duckdb"
    run(_source(server, "opsgenie"), "oncall", without, tmp_path / "dlt-without")
    # Opsgenie's API has no web link: without the account's address the raw table has no link column
    columns = {
        c
        for (c,) in _rows(
            without, "select column_name from information_schema.columns where table_name = 'opsgenie_alerts'"
        )
    }
    assert "id" in columns and "html_url" not in columns
    source = oncall_source(
        provider="opsgenie",
        api_key=server.tokens.opsgenie_api_key,
        base_url=server.opsgenie_url,
        web_url=server.opsgenie_web_url + "/",
        start_date=START,
    )
    run(source, "oncall", given, tmp_path / "dlt-given")
    links = _rows(given, "select id, html_url, message from raw_oncall.opsgenie_alerts")
    assert links and all(url == f"{server.opsgenie_web_url}/alert/detail/{i}/details" for i, url, _ in links)
    _, url, message = links[0]
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and html.escape(message) in page.text


@pytest.mark.parametrize("provider", ["pagerduty", "opsgenie"])
def test_a_rejected_key_names_the_setting(server, tmp_path, provider):
    with pytest.raises(PipelineStepFailed) as failed:
        run(_source(server, provider, api_key="wrong"), "oncall", tmp_path / "w.duckdb", tmp_path / "dlt")
    cause = failed.value.__cause__ or failed.value.exception
    while cause is not None and not isinstance(cause, AuthError):
        cause = getattr(cause, "exception", None) or cause.__cause__
    assert isinstance(cause, AuthError)
    assert settings.API_KEY_SETTING in str(cause)


def test_settings_default_to_no_oncall_source_and_name_what_is_wrong():
    assert not OncallSettings.configured({})
    assert not OncallSettings.configured({settings.PROVIDER_SETTING: "none"})
    assert OncallSettings.from_env({settings.PROVIDER_SETTING: "pagerduty"}).validate() == [
        f"{settings.API_KEY_SETTING} is missing (a pagerduty API key; {settings.PROVIDER_SETTING}=pagerduty)"
    ]
    [problem] = OncallSettings.from_env(
        {settings.PROVIDER_SETTING: "victorops", settings.API_KEY_SETTING: "k"}
    ).validate()
    assert settings.PROVIDER_SETTING in problem and "victorops" in problem
    [problem] = OncallSettings.from_env({settings.API_KEY_SETTING: "k"}).validate()
    assert settings.PROVIDER_SETTING in problem
    eu = OncallSettings.from_env(
        {
            settings.PROVIDER_SETTING: "opsgenie",
            settings.API_KEY_SETTING: "k",
            settings.BASE_URL_SETTING: "https://api.eu.opsgenie.com/",
        }
    )
    assert eu.validate() == []
    assert eu.source_arguments() == {"provider": "opsgenie", "api_key": "k", "base_url": "https://api.eu.opsgenie.com"}
