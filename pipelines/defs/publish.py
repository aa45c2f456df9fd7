"""Publishing: readers keep the published DuckDB file open all day; runs write a working copy.

DuckDB lets one process hold a file read-write and then no other process may open it, not
even read-only. So the run writes the working file, and only a successful run replaces the
published file, atomically: a reader keeps the version it opened and never sees half a run.
A run whose marts are the ones last published (their data versions) copies nothing.
"""

import os
import shutil
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, DataVersion, MaterializeResult, MetadataValue, asset

from pipelines.defs.resources import WAREHOUSE_POOL, LoadbearingSettings
from pipelines.defs.transform.dbt import loadbearing_dbt_assets
from pipelines.defs.versions import inputs_version, is_current, skipped


def publish_warehouse(working: Path, published: Path) -> int:
    """Checkpoint the working file, copy it beside the published one, swap it in. Returns bytes."""
    with duckdb.connect(str(working)) as con:
        con.execute("CHECKPOINT")  # everything in the file itself, nothing left in the .wal
    published.parent.mkdir(parents=True, exist_ok=True)
    # same directory, so os.replace is a rename on one file system
    staging = published.with_name(f".{published.name}.publishing")
    with open(working, "rb") as source, open(staging, "wb") as target:
        shutil.copyfileobj(source, target, length=16 * 1024 * 1024)
        target.flush()
        os.fsync(target.fileno())
    os.replace(staging, published)
    return published.stat().st_size


@asset(
    deps=[loadbearing_dbt_assets],
    pool=WAREHOUSE_POOL,
    group_name="publish",
    kinds={"duckdb"},
    description="The warehouse readers open: a copy of the working warehouse, swapped in at the end of a successful run.",
)
def published_warehouse(context: AssetExecutionContext, loadbearing: LoadbearingSettings) -> MaterializeResult:
    settings = loadbearing.settings
    version = inputs_version(context.instance, loadbearing_dbt_assets.keys)
    if is_current(context, version, settings.published_warehouse.exists()):
        context.log.info(f"{settings.published_warehouse} holds the marts as last built: not copied")
        return skipped(version, "the marts are the ones last published")
    size = publish_warehouse(settings.warehouse, settings.published_warehouse)
    context.log.info(f"published {settings.published_warehouse} ({size / 1e6:.1f} MB)")
    return MaterializeResult(
        data_version=DataVersion(version),
        metadata={"path": MetadataValue.path(str(settings.published_warehouse)), "bytes": size},
    )
