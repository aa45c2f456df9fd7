"""The dbt project as assets: staging, intermediate and marts, with dbt tests as asset checks."""

import ctypes
import gc
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow
from dagster import AssetExecutionContext, AssetKey, AssetSpec, DagsterRunStatus, RunsFilter
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from pipelines.defs.resources import WAREHOUSE_POOL, LoadbearingSettings, VenvDbtCliResource
from pipelines.defs.transform import unchanged
from pipelines.defs.transform.project import dbt_project
from pipelines.settings import Settings

# a run with this tag set to "true" rebuilds every model from the raw tables, changed or not
# (the UI's launchpad; `make demo ARGS=--full-refresh`)
FULL_REFRESH_TAG = "loadbearing/full_refresh"


class LayeredDbtTranslator(DagsterDbtTranslator):
    """Keys models [layer, model] (e.g. ["marts", "fct_work_events"]) and groups them by layer.

    Sources keep dagster-dbt's [source, table] key, which is the raw table's dlt asset key.
    """

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        layer = asset_layer(props)
        if layer is None:
            return spec
        return spec.replace_attributes(key=AssetKey([layer, props["name"]]), group_name=layer)


def asset_layer(props: Mapping[str, Any]) -> str | None:
    """models/<layer>/... gives the layer; seeds are their own; sources keep their key."""
    if props["resource_type"] == "model":
        fqn = props["fqn"]
        return fqn[1] if len(fqn) > 2 else "models"
    if props["resource_type"] in ("seed", "snapshot"):
        return f"{props['resource_type']}s"
    return None


def build_args(full_refresh: bool) -> list[str]:
    """`dbt build`: seeds, models and their data tests in dependency order; a failing test stops what
    depends on it. Unit tests check the SQL, not the day's data: `make test` runs them, a daily run
    does not (15 of them, each building its fixtures, cost a few seconds a run). A changed project
    rebuilds incremental models from scratch: their earlier rows were made by other code."""
    return ["build", "--exclude-resource-type", "unit_test", *(["--full-refresh"] if full_refresh else [])]


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=LayeredDbtTranslator(),
    name="dbt",
    pool=WAREHOUSE_POOL,
)
def loadbearing_dbt_assets(
    context: AssetExecutionContext, dbt: VenvDbtCliResource, loadbearing: LoadbearingSettings
) -> Iterator:
    settings = loadbearing.settings
    manifest = dbt_project().manifest_path
    rebuild = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    with _warehouse(settings) as con:
        last = unchanged.last_build(con)
        # the inputs are read (all raw rows) only when the build could be skipped
        if not (rebuild or context.is_subset) and build_is_current(context, con, last, settings, manifest):
            # no output: the publishing steps after this one are skipped too
            context.log.info(
                "dbt: no raw row, setting or day-dependent input changed since the last build, "
                "which was published; the marts are current, nothing built"
            )
            return
        unchanged.forget_build(con)
    project = unchanged.code_digest(manifest)
    # opt-outs and retention as --vars; the (absolute) warehouse path and the salt in dbt's environment only
    dbt_vars, dbt_env = settings.dbt_invocation()
    # beside the working warehouse, one folder reused by every run: dagster-dbt's default is a new
    # folder under dbt_project/target per run (about 12 MB each, never removed), and reusing one
    # lets dbt parse partially
    target = settings.warehouse.parent / "dbt_target"
    full_refresh = rebuild or last is None or last.project != project
    _return_freed_memory()
    yield from dbt.cli(
        [*build_args(full_refresh), *dbt_vars], env=dbt_env, context=context, target_path=target
    ).stream()
    # the build pruned raw rows past the retention window: the inputs it leaves are what it used
    with _warehouse(settings) as con:
        unchanged.record_build(con, unchanged.Build(unchanged.inputs_fingerprint(con, settings, manifest), project))


def _return_freed_memory() -> None:
    """Hand what the loads before this step freed back to the system: Arrow's allocator (mimalloc)
    and glibc's malloc keep it for reuse, and the dbt process now runs beside this one (the
    peak memory of a run is the sum of the two)."""
    gc.collect()
    pyarrow.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _warehouse(settings: Settings) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(settings.warehouse), config={"memory_limit": settings.load.duckdb_memory_limit})


def build_is_current(
    context: AssetExecutionContext,
    con: duckdb.DuckDBPyConnection,
    last: unchanged.Build | None,
    settings: Settings,
    manifest: Path,
) -> bool:
    """The last build used today's inputs, the retention window removes nothing more today, and the
    job's previous run, of the same assets, succeeded (so it published what was built)."""
    if last is None or last.inputs != unchanged.inputs_fingerprint(con, settings, manifest):
        return False
    if unchanged.past_retention(con) != 0:
        return False
    finished = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]
    previous = context.instance.get_runs(RunsFilter(job_name=context.job_name, statuses=finished), limit=1)
    return (
        bool(previous)
        and previous[0].status == DagsterRunStatus.SUCCESS
        and previous[0].asset_selection == context.run.asset_selection
    )
