"""The dbt project as assets: staging, intermediate and marts, with dbt tests as asset checks."""

import os
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.defs.resources import WAREHOUSE_POOL, LoadbearingSettings
from pipelines.defs.transform.project import WAREHOUSE_ENV, dbt_project


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


def build_args() -> list[str]:
    """`dbt build`: seeds, models and their tests in dependency order; a failing test stops what depends on it."""
    return ["build"]


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=LayeredDbtTranslator(),
    name="dbt",
    pool=WAREHOUSE_POOL,
)
def loadbearing_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, loadbearing: LoadbearingSettings
) -> Iterator:
    # dbt runs with the project as its working directory: the warehouse path must be absolute
    os.environ[WAREHOUSE_ENV] = str(loadbearing.settings.warehouse)
    # person-key salt, opt-outs and retention, normalized as dbt_project.yml reads them
    os.environ.update(loadbearing.settings.privacy.dbt_env())
    # beside the working warehouse, one folder reused by every run: dagster-dbt's default is a new
    # folder under dbt_project/target per run (about 12 MB each, never removed), and reusing one
    # lets dbt parse partially
    target = loadbearing.settings.warehouse.parent / "dbt_target"
    yield from dbt.cli(build_args(), context=context, target_path=target).stream()
