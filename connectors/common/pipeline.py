"""The dlt pipeline every connector loads through, and the command line around it."""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Callable

import dlt
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

# DuckDB caches up to 80 % of RAM by default and keeps it: the load step's process grew to ~2 GB
# on a 200-person backfill; with 256MB it peaked at 0.6 GB in the same time (make bench). Above
# the limit DuckDB spills to a temporary folder beside the file.
MEMORY_LIMIT_SETTING = "LOADBEARING_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "512MB"
LOADER_FILE_FORMAT = "parquet"  # insert_values is ~20x slower and ~10x hungrier on DuckDB


def dataset_name(source_name: str) -> str:
    return f"raw_{source_name}"


def make_pipeline(source_name: str, warehouse: str | os.PathLike, pipelines_dir: str | None = None):
    """A DuckDB pipeline for one source: dataset `raw_<source>`, state kept per source."""
    return dlt.pipeline(
        pipeline_name=f"loadbearing_{source_name}",
        destination=dlt.destinations.duckdb(_credentials(warehouse)),
        dataset_name=dataset_name(source_name),
        pipelines_dir=pipelines_dir or os.environ.get("LOADBEARING_PIPELINES_DIR"),
        progress="log",
    )


def duckdb_memory_limit() -> str:
    """DuckDB's memory_limit for dlt's load and the job's own connections (dbt has its own, profiles.yml)."""
    return os.environ.get(MEMORY_LIMIT_SETTING) or DEFAULT_MEMORY_LIMIT


def _credentials(warehouse) -> DuckDbCredentials:
    return DuckDbCredentials(str(Path(warehouse).absolute()), global_config={"memory_limit": duckdb_memory_limit()})


def run(source, source_name: str, warehouse, pipelines_dir: str | None = None):
    pipeline = make_pipeline(source_name, warehouse, pipelines_dir)
    return pipeline.run(source, loader_file_format=LOADER_FILE_FORMAT)


def main(source_name: str, description: str, settings_help: str, build_source: Callable[[argparse.Namespace], object],
         add_arguments: Callable[[argparse.ArgumentParser], None] | None = None) -> None:
    """`python -m connectors.<source>`: load one source into a DuckDB file, without Dagster."""
    parser = argparse.ArgumentParser(
        prog=f"python -m connectors.{source_name}",
        description=description,
        epilog=settings_help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--warehouse",
        default=os.environ.get("LOADBEARING_WAREHOUSE", "warehouse/work.duckdb"),
        help="DuckDB file to load into (default: $LOADBEARING_WAREHOUSE or warehouse/work.duckdb)",
    )
    parser.add_argument("--pipelines-dir", default=None, help="where dlt keeps state (default: dlt's)")
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args()
    Path(args.warehouse).absolute().parent.mkdir(parents=True, exist_ok=True)
    info = run(build_source(args), source_name, args.warehouse, args.pipelines_dir)
    print(info)
