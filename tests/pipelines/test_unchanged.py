"""The conditions of the dbt step's skip that do not need a build to show (the e2e suite shows the
skip itself): the step that made the current versions must have succeeded, and the retention
window must leave out no work event that the marts hold."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dagster import AssetKey, AssetSpec, DagsterInstance, MaterializeResult, materialize, multi_asset

from connectors.common.warehouse import open_warehouse
from pipelines.defs.transform.unchanged import expired_work_events, made_by_a_successful_step

KEYS = [AssetKey(["marts", "a"]), AssetKey(["marts", "b"])]


def build(fail_after_outputs: bool):
    @multi_asset(specs=[AssetSpec(key) for key in KEYS], name="dbt")
    def dbt_like():
        for key in KEYS:
            yield MaterializeResult(asset_key=key)
        if fail_after_outputs:  # as dbt's step does when a data test fails after every model was built
            raise RuntimeError("a data test failed")

    return dbt_like


def test_assets_made_by_a_step_that_failed_are_not_current():
    instance = DagsterInstance.ephemeral()
    # GIVEN a step that materialized every asset and succeeded
    assert materialize([build(fail_after_outputs=False)], instance=instance).success
    assert made_by_a_successful_step(instance, KEYS, "dbt")
    # WHEN the next one materializes them all again, then fails
    assert not materialize([build(fail_after_outputs=True)], instance=instance, raise_on_error=False).success
    # THEN what it made does not count as current
    assert not made_by_a_successful_step(instance, KEYS, "dbt")


def test_never_materialized_assets_are_not_current():
    assert not made_by_a_successful_step(DagsterInstance.ephemeral(), KEYS, "dbt")


@pytest.mark.parametrize(("occurred_at", "expired"), [(datetime(2026, 3, 1), 0), (datetime(2026, 2, 28, 23, 59), 1)])
def test_a_work_event_before_the_window_start_has_expired(occurred_at, expired, tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        con.rows("create schema intermediate")
        con.rows(
            "create table intermediate.int_work_events__all_people as select ?::timestamp as occurred_at", [occurred_at]
        )
        # the window of 10 days on 2026-03-11 starts at 2026-03-01 00:00
        assert expired_work_events(con, 10, today=date(2026, 3, 11)) == expired


def test_no_built_work_events_is_no_answer(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as con:
        assert expired_work_events(con, 10) is None
