"""End to end on PostgreSQL: the daily job, run through Dagster as `make demo` runs it, once with
the DuckDB warehouse and once with the Postgres warehouse and Dagster's storage in PostgreSQL
(the README's dagster.yaml, exactly as written there), on the same sandbox organization, a first
day and an incremental second one. Every mart readers see must equal DuckDB's each day."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import DagsterInstance
from dagster_postgres import PostgresRunStorage

from connectors.common.warehouse import open_warehouse
from harness.deployment import JobDeployment
from harness.postgres import create_database, dagster_storage_env, readme_dagster_yaml
from harness.warehouses import compare_warehouses
from reports.marts import MARTS

DAYS = 2


@pytest.fixture(scope="module")
def deployments(small_org, sandbox_server, postgres_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("daily_pg")
    duck = JobDeployment(small_org, sandbox_server, root / "duckdb")
    pg = JobDeployment(small_org, sandbox_server, root / "postgres")
    warehouse = create_database(postgres_server, "daily_warehouse")
    storage = create_database(postgres_server, "daily_dagster")
    (Path(pg.env["DAGSTER_HOME"]) / "dagster.yaml").write_text(readme_dagster_yaml())
    pg.env.update({**warehouse.env(), **dagster_storage_env(storage)})
    return duck, pg, warehouse, storage


@pytest.fixture(scope="module")
def days(deployments, small_org):
    """Per day, both runs and every mart compared: DuckDB's published file with Postgres'
    published schema (what readers read) and with its marts schema (what dbt built)."""
    duck, pg, warehouse, _ = deployments
    compared = []
    for day in range(DAYS):
        if day:
            small_org.advance_day()
        runs = [deployment.run_daily_job() for deployment in (duck, pg)]
        for run in runs:
            assert run.returncode == 0, run.output[-6000:]
        compared.append(
            {
                "published": compare_warehouses(
                    duck.published, warehouse, ["marts"], postgres_schemas={"marts": "published"}
                ),
                "marts": compare_warehouses(duck.published, warehouse, ["marts"]),
            }
        )
    return compared


def _report(diffs) -> str:
    return "\n".join(
        f"{d.table}: {d.rows} rows in DuckDB, {d.other_rows} in Postgres, {d.unequal} unequal, "
        f"columns missing {d.missing_columns}\n{d.example}"
        for d in diffs
        if not d.equal
    )


@pytest.mark.parametrize("day", range(DAYS))
@pytest.mark.parametrize("schema", ["published", "marts"])
def test_every_mart_equals_the_duckdb_runs(days, day, schema):
    diffs = days[day][schema]
    tables = {d.table.split(".")[1]: d for d in diffs}
    assert set(MARTS) <= set(tables)
    assert all(tables[mart].rows > 0 for mart in ("fct_work_events", "fct_person_weekly_allocation", "dim_people"))
    assert all(d.equal for d in diffs), _report(diffs)


def test_the_second_day_brought_new_work_events(days):
    first, second = ({d.table: d.rows for d in day["published"]} for day in days)
    assert second["marts.fct_work_events"] > first["marts.fct_work_events"]


def test_the_postgres_run_kept_its_history_in_postgres_and_wrote_no_duckdb_file(deployments, days, monkeypatch):
    _, pg, warehouse, storage = deployments
    for name, value in dagster_storage_env(storage).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DAGSTER_HOME", pg.env["DAGSTER_HOME"])
    with DagsterInstance.from_config(pg.env["DAGSTER_HOME"]) as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        runs = instance.get_runs()
        assert len(runs) == DAYS and all(run.is_success for run in runs)
    assert not pg.working.exists() and not pg.published.exists()
    # and the warehouse's raw tables are there, loaded by dlt
    with open_warehouse(warehouse, read_only=True) as con:
        assert {schema for schema, _ in con.raw_tables()} == {
            "raw_github",
            "raw_jira",
            "raw_calendar",
            "raw_people",
            "raw_selfreports",
        }
