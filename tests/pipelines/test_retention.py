"""Retention is the daily job's raw_retention step, not a side effect of dbt: on one sandbox load
(tests/conftest.py's `loaded_warehouse`), a manual `dbt build` deletes no raw row, and the step
deletes the rows past the window and reports how many per table."""

from __future__ import annotations

import os
import shutil
from datetime import date, timedelta

import duckdb
import pytest
from dagster import materialize
from dagster._core.definitions.data_version import DATA_VERSION_TAG

from harness.demo import child_env, isolated_env

RAW_TABLES = (
    "raw_github.pull_requests",
    "raw_github.pull_request_commits",
    "raw_github.reviews",
    "raw_jira.issue_changelogs",
    "raw_calendar.events",
    "raw_people.people",
)


@pytest.fixture(scope="module")
def retention_days(small_org) -> int:
    """A window that starts a month after the organization's first day: it cuts through its history."""
    return (date.today() - (small_org.start.date() + timedelta(days=30))).days


def copy_of(warehouse, tmp_path):
    copy = tmp_path / "copy" / "loadbearing.duckdb"  # the name the published copy has
    copy.parent.mkdir()
    shutil.copy(warehouse, copy)
    return copy


def counts(warehouse) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in RAW_TABLES}


def test_a_manual_dbt_build_prunes_nothing(loaded_warehouse, dbt, retention_days, tmp_path):
    # GIVEN a loaded warehouse and a retention window that cuts through its history
    copy = copy_of(loaded_warehouse, tmp_path)
    before = counts(copy)
    # WHEN an analyst builds the models by hand
    dbt(
        copy,
        tmp_path,
        "build",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
        env={**os.environ, "LOADBEARING_RETENTION_DAYS": str(retention_days)},
    )
    # THEN every raw row is still there, while the marts keep to the window
    assert counts(copy) == before
    cutoff = date.today() - timedelta(days=retention_days)
    with duckdb.connect(str(copy), read_only=True) as con:
        oldest = con.execute("select min(occurred_at) from marts.fct_work_events").fetchone()[0]
    assert oldest.date() >= cutoff


def test_the_retention_step_removes_old_rows_and_reports_counts_per_table(
    small_org, sandbox_server, loaded_warehouse, retention_days, tmp_path, monkeypatch
):
    from pipelines.defs.resources import resources
    from pipelines.defs.transform.retention import raw_retention

    # GIVEN the daily job's settings on a copy of a loaded warehouse, with a window through its history
    copy = copy_of(loaded_warehouse, tmp_path)
    env = child_env(isolated_env(small_org, sandbox_server, tmp_path / "deployment"))
    for name, value in {
        **env,
        "LOADBEARING_WAREHOUSE": str(copy),
        "LOADBEARING_RETENTION_DAYS": str(retention_days),
    }.items():
        monkeypatch.setenv(name, value)
    before = counts(copy)
    # WHEN the retention step runs, twice
    runs = [materialize([raw_retention], resources=resources()) for _ in range(2)]
    # THEN the first deletes old activity (and the commits of deleted pull requests), and says how much per table
    first, second = (run.asset_materializations_for_node("raw_retention")[0] for run in runs)
    deleted = first.metadata["rows_deleted_by_table"].value
    after = counts(copy)
    assert {table: before[table] - after[table] for table in RAW_TABLES} == {t: deleted[t] for t in RAW_TABLES}
    assert all(deleted[t] > 0 for t in RAW_TABLES if t != "raw_people.people")
    assert deleted["raw_people.people"] == 0  # the roster is not activity
    assert first.metadata["rows_deleted"].value == sum(deleted.values())
    with duckdb.connect(str(copy), read_only=True) as con:
        orphans = con.execute(
            """select count(*) from raw_github.pull_request_commits c where not exists
            (select 1 from raw_github.pull_requests p where p.repo = c.repo and p.number = c.pull_number)"""
        ).fetchone()[0]
    assert orphans == 0
    # ... and the second finds nothing more to delete: the raw tables, and so its data version, are the same
    assert second.metadata["rows_deleted"].value == 0
    assert second.tags[DATA_VERSION_TAG] == first.tags[DATA_VERSION_TAG]
