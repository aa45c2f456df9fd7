"""Retention: the raw rows past the retention window deleted, a step of its own between the loads
and dbt (so an analyst's `dbt build` deletes nothing).

Which time ages which table is dbt's (`dbt run-operation prune_raw_data`,
dbt_project/macros/retention.sql), so the rules run on whatever warehouse dbt runs on; this step
counts what they removed and reports the raw tables' content after it as its data version, the
version the dbt step compares with the one it last built from.
"""

from datetime import date, timedelta

from dagster import AssetExecutionContext, AssetKey, DataVersion, MaterializeResult, MetadataValue, asset

from pipelines.defs.ingest import INGEST_ASSETS
from pipelines.defs.resources import WAREHOUSE_POOL, LoadbearingSettings, VenvDbtCliResource, warehouse_connection
from pipelines.defs.transform.project import dbt_project, target_path
from pipelines.defs.versions import digest

RETENTION_KEY = AssetKey(["raw_retention"])
RAW_TABLE_KEYS = [key for assets in INGEST_ASSETS for key in assets.keys]


@asset(
    key=RETENTION_KEY,
    deps=RAW_TABLE_KEYS,
    pool=WAREHOUSE_POOL,
    group_name="retention",
    kinds={"dbt", "duckdb"},
    description="Deletes raw rows older than the retention window (LOADBEARING_RETENTION_DAYS) "
    "before dbt reads them; reports what it deleted per table.",
)
def raw_retention(
    context: AssetExecutionContext, dbt: VenvDbtCliResource, loadbearing: LoadbearingSettings
) -> MaterializeResult:
    settings = loadbearing.settings
    with warehouse_connection(settings) as con:
        before = {f"{schema}.{table}": con.row_count(schema, table) for schema, table in con.raw_tables()}
    dbt_vars, dbt_env = settings.dbt_invocation()
    dbt.cli(
        ["run-operation", "prune_raw_data", *dbt_vars],
        env=dbt_env,
        manifest=dbt_project().manifest_path,
        target_path=target_path(settings.warehouse),
    ).wait()
    with warehouse_connection(settings) as con:
        tables = con.raw_tables()
        after = {f"{schema}.{table}": con.row_count(schema, table) for schema, table in tables}
        versions = [f"{schema}.{table}={con.table_version(schema, table)}" for schema, table in tables]
    deleted = {table: before.get(table, rows) - rows for table, rows in after.items()}
    cutoff = date.today() - timedelta(days=settings.privacy.retention_days)
    context.log.info(
        f"retention: {sum(deleted.values())} raw rows from before {cutoff} deleted"
        + "".join(f", {rows} from {table}" for table, rows in deleted.items() if rows)
    )
    return MaterializeResult(
        data_version=DataVersion(digest(versions)),
        metadata={
            "rows_deleted": sum(deleted.values()),
            "rows_deleted_by_table": MetadataValue.json(deleted),
            "kept_since": cutoff.isoformat(),
        },
    )
