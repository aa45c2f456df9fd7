"""The dlt pipeline every connector loads through, and the command line around it."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

import dlt
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials
from dlt.destinations.impl.postgres.configuration import PostgresCredentials

from connectors.common.settings import (
    PIPELINES_DIR_SETTING,
    WAREHOUSE_SETTING,
    LoadSettings,
    PostgresSettings,
    duckdb_memory_limit,
)

LOADER_FILE_FORMAT = "parquet"  # insert_values is ~20x slower and ~10x hungrier on DuckDB
# dlt loads parquet into Postgres only through an ADBC driver (not a dependency): its default there
POSTGRES_LOADER_FILE_FORMAT = "insert_values"


def dataset_name(source_name: str) -> str:
    return f"raw_{source_name}"


Warehouse = str | os.PathLike | PostgresSettings  # a DuckDB file, or a PostgreSQL database


def make_pipeline(source_name: str, warehouse: Warehouse, pipelines_dir: str | os.PathLike):
    """The pipeline of one source into `warehouse` (LoadSettings.destination): dataset
    `raw_<source>` (a schema of the DuckDB file or of the Postgres database), state kept per source."""
    return dlt.pipeline(
        pipeline_name=f"loadbearing_{source_name}",
        destination=destination(warehouse),
        dataset_name=dataset_name(source_name),
        pipelines_dir=str(pipelines_dir),
        progress="log",
    )


def destination(warehouse: Warehouse):
    if isinstance(warehouse, PostgresSettings):
        return dlt.destinations.postgres(_postgres_credentials(warehouse))
    return dlt.destinations.duckdb(_credentials(warehouse))


def loader_file_format(warehouse: Warehouse) -> str:
    return POSTGRES_LOADER_FILE_FORMAT if isinstance(warehouse, PostgresSettings) else LOADER_FILE_FORMAT


def _credentials(warehouse) -> DuckDbCredentials:
    return DuckDbCredentials(str(Path(warehouse).absolute()), global_config={"memory_limit": duckdb_memory_limit()})


def _postgres_credentials(postgres: PostgresSettings) -> PostgresCredentials:
    credentials = PostgresCredentials()
    credentials.host = postgres.host
    credentials.port = postgres.port
    credentials.username = postgres.user
    credentials.password = postgres.password
    credentials.database = postgres.database
    # timestamps without an offset are read as UTC, as DuckDB reads them
    credentials.session_timezone = "UTC"
    return credentials


def run(source, source_name: str, warehouse: Warehouse, pipelines_dir):
    pipeline = make_pipeline(source_name, warehouse, pipelines_dir)
    return pipeline.run(source, loader_file_format=loader_file_format(warehouse))


def main(
    source_name: str,
    description: str,
    settings_help: str,
    build_source: Callable[[argparse.Namespace], object],
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> None:
    """`python -m connectors.<source>`: load one source into the warehouse, without Dagster.

    The warehouse and dlt's state default to the job's own (LoadSettings), so a load from the
    command line continues where the job's left off; with LOADBEARING_WAREHOUSE_KIND=postgres
    it loads into the LOADBEARING_POSTGRES_* database.
    """
    load = LoadSettings.from_env()
    if load.warehouse_kind == "postgres" and load.problems:
        raise SystemExit("\n".join(load.problems))
    parser = argparse.ArgumentParser(
        prog=f"python -m connectors.{source_name}",
        description=description,
        epilog=settings_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--warehouse",
        default=load.warehouse,
        help=f"DuckDB file to load into (default: ${WAREHOUSE_SETTING} or {load.warehouse})",
    )
    parser.add_argument(
        "--pipelines-dir",
        default=load.pipelines_dir,
        help=f"where dlt keeps state (default: ${PIPELINES_DIR_SETTING} or {load.pipelines_dir})",
    )
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args()
    warehouse = load.postgres or args.warehouse
    if load.postgres is None:
        Path(args.warehouse).absolute().parent.mkdir(parents=True, exist_ok=True)
    info = run(build_source(args), source_name, warehouse, args.pipelines_dir)
    print(info)
