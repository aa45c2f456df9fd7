"""The code location: loads without secrets, raw tables meet the dbt sources, one writer pool."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey

from pipelines.defs.resources import WAREHOUSE_POOL
from pipelines.defs.transform.dbt import asset_layer
from pipelines.defs.transform.project import dbt_project
from pipelines.settings import REPO_ROOT

# names only: nothing in the definitions may read a secret when Dagster loads them
PLACEHOLDER_ENV = {
    "SOURCES__GITHUB__ACCESS_TOKEN": "placeholder",
    "SOURCES__GITHUB__ORG": "placeholder",
    "SOURCES__PEOPLE__ROSTER_PATH": "placeholder.csv",
}
INGESTED_SOURCES = ("github", "jira", "calendar", "people", "selfreports", "oncall")


@pytest.fixture(scope="module")
def defs():
    with pytest.MonkeyPatch.context() as patch:
        for name, value in PLACEHOLDER_ENV.items():
            patch.setenv(name, value)
        from pipelines.definitions import defs

        yield defs


@pytest.fixture(scope="module")
def asset_graph(defs):
    return defs.resolve_asset_graph()


def raw_keys(asset_graph) -> set[AssetKey]:
    return {key for key in asset_graph.get_all_asset_keys() if asset_graph.get(key).group_name in INGESTED_SOURCES}


def dbt_source_keys() -> set[AssetKey]:
    manifest = json.loads(dbt_project().manifest_path.read_text())
    return {AssetKey([source["source_name"], source["name"]]) for source in manifest["sources"].values()}


def test_dagster_validates_the_definitions():
    env = {**os.environ, **PLACEHOLDER_ENV, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("DAGSTER_HOME", None)
    result = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-m", "pipelines.definitions"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_raw_table_is_the_dbt_source_it_feeds(asset_graph):
    # a raw table no dbt source reads, or a dbt source no connector loads, breaks lineage
    assert raw_keys(asset_graph) == dbt_source_keys()


def test_marts_descend_from_raw_tables(asset_graph):
    ancestors = asset_graph.upstream_key_iterator(AssetKey(["marts", "fct_work_events"]))
    assert AssetKey(["github", "pull_requests"]) in set(ancestors)
    assert AssetKey(["jira", "issues"]) in set(
        asset_graph.upstream_key_iterator(AssetKey(["marts", "fct_work_events"]))
    )


def test_published_warehouse_comes_after_every_mart(asset_graph):
    marts = {key for key in asset_graph.get_all_asset_keys() if key.path[0] == "marts"}
    assert marts
    assert marts <= set(asset_graph.upstream_key_iterator(AssetKey("published_warehouse")))


def test_every_asset_that_writes_the_warehouse_is_in_one_pool(defs):
    pools = {
        assets_def.node_def.name: assets_def.node_def.pool
        for assets_def in defs.resolve_asset_graph().assets_defs
        if assets_def.is_executable
    }
    writers = {
        "github",
        "jira",
        "calendar",
        "people",
        "selfreports",
        "oncall",
        "raw_retention",
        "dbt",
        "published_warehouse",
    }
    assert {name: pools.get(name) for name in writers} == dict.fromkeys(writers, WAREHOUSE_POOL)
    # the dashboard and packets read the published copy only: they need no slot
    assert {name for name, pool in pools.items() if pool == WAREHOUSE_POOL} == writers


def test_dbt_tests_are_asset_checks(asset_graph):
    checks = asset_graph.asset_check_keys
    assert any(check.asset_key.path[0] == "marts" for check in checks)


def test_connector_assets_retry_and_have_freshness(asset_graph):
    for key in raw_keys(asset_graph):
        node = asset_graph.get(key)
        assert node.freshness_policy is not None, key
        assert node.assets_def.node_def.retry_policy is not None, key


def test_daily_schedule_defaults_to_six_utc(defs):
    schedule = defs.resolve_schedule_def("daily_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 6 * * *", "UTC")
    assert schedule.job_name == "daily"


def test_the_daily_job_materializes_every_asset_but_the_friday_digest(defs):
    job = defs.resolve_job_def("daily")
    every = set(defs.resolve_asset_graph().executable_asset_keys)
    assert set(job.asset_layer.executable_asset_keys) == every - {AssetKey("weekly_digests")}
    assert set(defs.resolve_job_def("friday_digest").asset_layer.executable_asset_keys) == {AssetKey("weekly_digests")}


def test_the_schedule_reads_cron_and_time_zone_from_the_environment(monkeypatch):
    from pipelines.defs.schedules import daily_schedule

    monkeypatch.setenv("LOADBEARING_SCHEDULE_CRON", "30 5 * * 1-5")
    monkeypatch.setenv("LOADBEARING_SCHEDULE_TIMEZONE", "Europe/Berlin")
    schedule = daily_schedule()
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("30 5 * * 1-5", "Europe/Berlin")


@pytest.mark.parametrize(
    ("props", "layer"),
    [
        ({"resource_type": "model", "fqn": ["loadbearing", "marts", "people", "fct_work_events"]}, "marts"),
        ({"resource_type": "model", "fqn": ["loadbearing", "staging", "github", "stg_github__reviews"]}, "staging"),
        ({"resource_type": "seed", "fqn": ["loadbearing", "work_categories"]}, "seeds"),
        ({"resource_type": "source", "fqn": ["loadbearing", "staging", "github", "pull_requests"]}, None),
    ],
)
def test_dbt_keys_name_the_layer(props, layer):
    assert asset_layer(props) == layer


def test_retention_runs_between_the_loads_and_staging(asset_graph):
    retention = AssetKey("raw_retention")
    assert raw_keys(asset_graph) <= set(asset_graph.get(retention).parent_keys)
    staging = [key for key in asset_graph.get_all_asset_keys() if key.path[0] == "staging"]
    assert staging and all(retention in asset_graph.get(key).parent_keys for key in staging)


def test_every_dbt_asset_has_the_projects_code_version(asset_graph):
    versions = {
        asset_graph.get(key).code_version
        for key in asset_graph.get_all_asset_keys()
        if key.path[0] in ("marts", "seeds")
    }
    assert len(versions) == 1 and None not in versions
