"""Publishing: readers read a published copy of the marts; a run builds beside it and swaps it in.

DuckDB lets one process hold a file read-write and then no other process may open it, not
even read-only. So the run writes the working file, and only a successful run replaces the
published file, atomically: a reader keeps the version it opened and never sees half a run.

On PostgreSQL readers share the database with the run, and dbt rebuilds the `marts` schema table
by table. So readers read the schema `published` (reports.marts picks it): a successful run
copies the marts into a staging schema and renames it `published` in one transaction, so every
query sees the marts of one whole run, the last one or the one before. The transaction first
locks the published tables without waiting (and tries again while a query reads them): a query
that has resolved one old table then cannot go on to resolve another after the swap.

A run whose marts are the ones last published (their data versions) copies nothing.
"""

import os
import shutil
import time
from pathlib import Path

import duckdb
import psycopg2.errors
from dagster import AssetExecutionContext, DataVersion, MaterializeResult, MetadataValue, asset

from connectors.common.warehouse import PUBLISHED_SCHEMA, PostgresWarehouse
from pipelines.defs.resources import WAREHOUSE_POOL, LoadbearingSettings, warehouse_connection
from pipelines.defs.transform.dbt import loadbearing_dbt_assets
from pipelines.defs.versions import inputs_version, is_current, skipped

MARTS_SCHEMA = "marts"  # where dbt builds them (dbt_project.yml)
STAGING_SCHEMA = f"{PUBLISHED_SCHEMA}_next"  # the copy being made
PREVIOUS_SCHEMA = f"{PUBLISHED_SCHEMA}_previous"  # the copy swapped out, dropped in the same transaction
SWAP_WAIT_S = 600  # how long the swap waits for a moment when no query reads the published tables
SWAP_RETRY_S = 0.05


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


def publish_schema(warehouse: PostgresWarehouse, source: str = MARTS_SCHEMA) -> int:
    """Copy every table and view of `source` into a staging schema, then swap it in as
    PUBLISHED_SCHEMA in one transaction. Returns the rows copied."""
    tables = [
        name
        for (name,) in warehouse.rows(
            "select table_name from information_schema.tables where table_schema = ? order by table_name", [source]
        )
    ]
    warehouse.rows(f'drop schema if exists "{STAGING_SCHEMA}" cascade')
    warehouse.rows(f'create schema "{STAGING_SCHEMA}"')
    for table in tables:
        warehouse.rows(f'create table "{STAGING_SCHEMA}"."{table}" as select * from "{source}"."{table}"')
    rows = sum(warehouse.row_count(STAGING_SCHEMA, table) for table in tables)
    deadline = time.monotonic() + SWAP_WAIT_S
    while True:
        try:
            _swap(warehouse)
            return rows
        except psycopg2.errors.LockNotAvailable:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"publishing waited {SWAP_WAIT_S} s for queries on schema {PUBLISHED_SCHEMA} to end; "
                    f"the new marts are in schema {STAGING_SCHEMA}"
                ) from None
            time.sleep(SWAP_RETRY_S)


def _swap(warehouse: PostgresWarehouse) -> None:
    """STAGING_SCHEMA becomes PUBLISHED_SCHEMA, the old one dropped, in one transaction that holds
    every old published table alone (NOWAIT: never queued while holding some, which could deadlock
    with a query holding others); queries waiting for them then resolve the new tables."""
    published = [
        f'"{PUBLISHED_SCHEMA}"."{name}"'
        for (name,) in warehouse.rows("select tablename from pg_tables where schemaname = ?", [PUBLISHED_SCHEMA])
    ]
    with warehouse.transaction() as cur:
        if published:
            cur.execute(f"lock table {', '.join(published)} in access exclusive mode nowait")
        cur.execute(f'drop schema if exists "{PREVIOUS_SCHEMA}" cascade')  # none, unless a crash left one
        cur.execute("select 1 from information_schema.schemata where schema_name = %s", [PUBLISHED_SCHEMA])
        if cur.fetchone():
            cur.execute(f'alter schema "{PUBLISHED_SCHEMA}" rename to "{PREVIOUS_SCHEMA}"')
        cur.execute(f'alter schema "{STAGING_SCHEMA}" rename to "{PUBLISHED_SCHEMA}"')
        cur.execute(f'drop schema if exists "{PREVIOUS_SCHEMA}" cascade')


def published_exists(warehouse: PostgresWarehouse) -> bool:
    return bool(warehouse.rows("select 1 from information_schema.schemata where schema_name = ?", [PUBLISHED_SCHEMA]))


@asset(
    deps=[loadbearing_dbt_assets],
    pool=WAREHOUSE_POOL,
    group_name="publish",
    kinds={"duckdb", "postgres"},
    description="What readers read: a copy of the working warehouse (DuckDB) or of its marts (the "
    "Postgres schema `published`), swapped in at the end of a successful run.",
)
def published_warehouse(context: AssetExecutionContext, loadbearing: LoadbearingSettings) -> MaterializeResult:
    settings = loadbearing.settings
    version = inputs_version(context.instance, loadbearing_dbt_assets.keys)
    if settings.load.postgres is not None:
        with warehouse_connection(settings) as warehouse:
            if is_current(context, version, published_exists(warehouse)):
                context.log.info(f"schema {PUBLISHED_SCHEMA} holds the marts as last built: not copied")
                return skipped(version, "the marts are the ones last published")
            rows = publish_schema(warehouse)
        context.log.info(f"published the marts as schema {PUBLISHED_SCHEMA} ({rows} rows)")
        return MaterializeResult(data_version=DataVersion(version), metadata={"schema": PUBLISHED_SCHEMA, "rows": rows})
    if is_current(context, version, settings.published_warehouse.exists()):
        context.log.info(f"{settings.published_warehouse} holds the marts as last built: not copied")
        return skipped(version, "the marts are the ones last published")
    size = publish_warehouse(settings.warehouse, settings.published_warehouse)
    context.log.info(f"published {settings.published_warehouse} ({size / 1e6:.1f} MB)")
    return MaterializeResult(
        data_version=DataVersion(version),
        metadata={"path": MetadataValue.path(str(settings.published_warehouse)), "bytes": size},
    )
