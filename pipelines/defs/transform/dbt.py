"""The dbt project as assets: staging, intermediate and marts, with dbt tests as asset checks.

Every dbt asset's code version is the project's code digest and its data version a digest of what
the build reads (pipelines/defs/transform/unchanged.py): a run whose inputs are those of the last
build skips dbt, and says why in each asset's metadata.
"""

import ctypes
import gc
import json
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from graphlib import TopologicalSorter
from typing import Any

import pyarrow
from dagster import AssetExecutionContext, AssetKey, AssetSpec, DataVersion, MaterializeResult, Output
from dagster_dbt import DagsterDbtTranslator, DbtProject, dbt_assets

from pipelines.defs.resources import WAREHOUSE_POOL, LoadbearingSettings, VenvDbtCliResource, warehouse_connection
from pipelines.defs.transform import unchanged
from pipelines.defs.transform.project import dbt_project, target_path
from pipelines.defs.transform.retention import RAW_TABLE_KEYS, RETENTION_KEY
from pipelines.defs.versions import full_refresh_asked, skipped


class LayeredDbtTranslator(DagsterDbtTranslator):
    """Keys models [layer, model] (e.g. ["marts", "fct_work_events"]) and groups them by layer.

    Sources keep dagster-dbt's [source, table] key, which is the raw table's dlt asset key; staging
    models also depend on the retention step, which prunes those tables first. Every asset's code
    version is the project's code digest.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._code_versions: dict[int, str] = {}  # per manifest object: digesting it once is enough

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        layer = asset_layer(props)
        if layer is None:
            return spec
        if id(manifest) not in self._code_versions:
            self._code_versions[id(manifest)] = unchanged.code_digest(manifest)
        spec = spec.replace_attributes(
            key=AssetKey([layer, props["name"]]), group_name=layer, code_version=self._code_versions[id(manifest)]
        )
        return spec.merge_attributes(deps=[RETENTION_KEY]) if layer == "staging" else spec


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
    manifest = json.loads(dbt_project().manifest_path.read_text(encoding="utf-8"))
    keys = context.selected_asset_keys
    version = unchanged.build_version(context.instance, RETENTION_KEY, manifest, settings.privacy)
    rebuild = full_refresh_asked(context)
    with warehouse_connection(settings) as con:
        reason = None
        # a subset of the models is built when asked for, whatever changed
        if not (rebuild or context.is_subset):
            reason = unchanged.skip_reason(
                context.instance,
                con,
                keys,
                version,
                RETENTION_KEY,
                RAW_TABLE_KEYS,
                manifest,
                settings.privacy.retention_days,
                str(context.op_handle),  # the step key of an op at the top of the job
            )
        missing = unchanged.missing_relations(con, manifest)
    if reason:
        context.log.info(f"dbt: {reason}; the marts are current, nothing built")
        for key in in_dependency_order(context.assets_def.asset_deps, keys):
            yield skipped(version, reason, key)
        return
    # opt-outs and retention as --vars; the (absolute) warehouse path and the salt in dbt's environment only
    dbt_vars, dbt_env = settings.dbt_invocation()
    code_version = unchanged.code_digest(manifest)
    full_refresh = rebuild or bool(missing) or unchanged.needs_full_refresh(context.instance, keys, code_version)
    _return_freed_memory()
    invocation = dbt.cli(
        [*build_args(full_refresh), *dbt_vars],
        env=dbt_env,
        context=context,
        target_path=target_path(settings.warehouse),
    )
    for event in invocation.stream():
        yield with_data_version(event, version)


def in_dependency_order(deps: Mapping[AssetKey, AbstractSet[AssetKey]], keys: AbstractSet[AssetKey]) -> list[AssetKey]:
    """`keys`, each after those of them it depends on: the order Dagster wants a multi-asset's results in."""
    return list(TopologicalSorter({key: deps.get(key, set()) & keys for key in keys}).static_order())


def with_data_version(event, version: str):
    """A dbt asset's materialization, with the build's data version; other events as they are."""
    if isinstance(event, Output):
        return Output(
            event.value, event.output_name, metadata=event.metadata, data_version=DataVersion(version), tags=event.tags
        )
    if isinstance(event, MaterializeResult):
        return MaterializeResult(
            asset_key=event.asset_key,
            metadata=event.metadata,
            check_results=event.check_results,
            data_version=DataVersion(version),
            tags=event.tags,
        )
    return event


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
