"""The on-call connector on recorded real payloads, served on 127.0.0.1: PagerDuty's official
REST v2 examples (an incident, a log entry, two users) and Opsgenie answers recorded by the
Cortex XSOAR OpsGenieV3 integration's tests (an alert, its logs with an acknowledgement).
Sources in tests/fixtures/ATTRIBUTION.md. Each recorded list is the first page; later pages are
served empty, as the end of the list."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from connectors.common.pipeline import run
from connectors.oncall import oncall_source, settings
from tests.support.replay import ReplayServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "oncall"
KEY = "recorded-payloads-key"


def _fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _pagerduty(request) -> Reply:
    assert request.headers["Authorization"] == f"Token token={KEY}"
    assert request.headers["Accept"] == settings.PAGERDUTY_ACCEPT
    name = {"/incidents": "incidents", "/log_entries": "log_entries", "/users": "users"}[request.path]
    if int(request.query.get("offset", "0")) > 0:
        return Reply(body={name: [], "limit": 100, "offset": int(request.query["offset"]), "more": False})
    return Reply(body=_fixture(f"pagerduty_{name}"))


def _opsgenie(request) -> Reply:
    assert request.headers["Authorization"] == f"GenieKey {KEY}"
    if request.path == "/v2/alerts":
        return Reply(body=_fixture("opsgenie_alerts"))
    return Reply(body=_fixture("opsgenie_alert_logs"))


def _rows(warehouse, sql: str):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_pagerduty_examples_parse(tmp_path):
    with ReplayServer(_pagerduty) as server:
        run(oncall_source("pagerduty", KEY, server.url, "2015-01-01"), "oncall", tmp_path / "w.duckdb", tmp_path / "d")
    warehouse = tmp_path / "w.duckdb"
    assert _rows(warehouse, "select id, title, urgency, incident_number from raw_oncall.pagerduty_incidents") == [
        ("PT4KHLK", "The server is on fire.", "high", 1234)
    ]
    assert _rows(warehouse, "select id, type, incident_id from raw_oncall.pagerduty_log_entries") == [
        ("Q02JTSNZWHSEKV", "trigger_log_entry", "PT4KHLK")
    ]
    assert sorted(_rows(warehouse, "select id, email from raw_oncall.pagerduty_users")) == [
        ("PAM4FGS", "126_dvm_kyler_kuhn@beahan.name"),
        ("PXPGF42", "125.greenholt.earline@graham.name"),
    ]


def test_opsgenie_recorded_answers_parse(tmp_path):
    with ReplayServer(_opsgenie) as server:
        run(oncall_source("opsgenie", KEY, server.url, "2021-01-01"), "oncall", tmp_path / "w.duckdb", tmp_path / "d")
        asked = [r for r in server.requests if r.path == "/v2/alerts"]
    warehouse = tmp_path / "w.duckdb"
    alert = "b7da6303-0da4-43e2-8e21-9e22faedc594-163775608092676"
    assert _rows(warehouse, "select id, message, priority from raw_oncall.opsgenie_alerts") == [(alert, "123456", "P1")]
    assert sorted(_rows(warehouse, 'select alert_id, type, owner, "offset" from raw_oncall.opsgenie_alert_logs')) == [
        (alert, "alertAction", "demisto@demisto.local", "1691054698894_1691054698894140450"),
        (alert, "alertRecipient", "demisto@demisto.local", "1621054765030_1691034765030249435"),
    ]
    assert asked[0].query["query"].startswith("updatedAt >= ") and asked[0].query["sort"] == "updatedAt"
