"""The on-call models on PostgreSQL: the sandbox organization with both on-call providers' raw
tables (PagerDuty and Opsgenie loaded one after the other into raw_oncall) in Postgres and in
DuckDB, `dbt build` on each, and the on-call models and marts compared row for row."""

from __future__ import annotations

import pytest

from connectors.common.pipeline import run as run_connector
from connectors.oncall import oncall_source
from harness.deployment import SOURCES, SourcesDeployment
from harness.postgres import create_database
from harness.warehouses import compare_warehouses

ONCALL_TABLES = [
    "staging.stg_oncall__pagerduty_log_entries",
    "staging.stg_oncall__opsgenie_alert_logs",
    "intermediate.int_oncall__pages",
    "intermediate.int_activity__oncall",
    "marts.fct_person_weekly_oncall",
    "marts.fct_work_events",
    "marts.fct_evidence_items",
]
SALT = {"LOADBEARING_PERSON_KEY_SALT": "pg oncall salt"}


def _load(org, server, deployment: SourcesDeployment) -> None:
    deployment.must_load(org, server, sources=(*SOURCES, "oncall"))
    opsgenie = oncall_source(
        provider="opsgenie",
        api_key=server.tokens.opsgenie_api_key,
        base_url=server.opsgenie_url,
        start_date=org.start.date().isoformat(),
    )
    run_connector(opsgenie, "oncall", deployment.target, str(deployment.pipelines_dir))
    deployment.build_marts(SALT)


@pytest.fixture(scope="module")
def built(small_org, sandbox_server, postgres_server, tmp_path_factory):
    duck = SourcesDeployment(tmp_path_factory.mktemp("oncall_duckdb"))
    root = tmp_path_factory.mktemp("oncall_pg")
    pg = SourcesDeployment(root, postgres=create_database(postgres_server, root.name.lower()))
    _load(small_org, sandbox_server, duck)
    _load(small_org, sandbox_server, pg)
    return duck, pg


def test_both_providers_pages_build_on_postgres_as_on_duckdb(built):
    duck, pg = built
    diffs = {d.table: d for d in compare_warehouses(duck.warehouse, pg.postgres, ["staging", "intermediate", "marts"])}
    for table in ONCALL_TABLES:
        assert diffs[table].rows > 0, table
        assert diffs[table].equal, f"{table}: {diffs[table].example}"
    providers = compare_warehouses(duck.warehouse, pg.postgres, ["raw_oncall"])
    assert {d.table for d in providers} >= {"raw_oncall.pagerduty_log_entries", "raw_oncall.opsgenie_alert_logs"}
    assert all(d.equal for d in providers), [d.table for d in providers if not d.equal]
