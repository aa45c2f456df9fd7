"""The dlt pipeline every connector loads through, and the command line around it."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

import dlt
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

from connectors.common.settings import PIPELINES_DIR_SETTING, WAREHOUSE_SETTING, LoadSettings, duckdb_memory_limit

LOADER_FILE_FORMAT = "parquet"  # insert_values is ~20x slower and ~10x hungrier on DuckDB


def dataset_name(source_name: str) -> str:
    return f"raw_{source_name}"


def make_pipeline(source_name: str, warehouse: str | os.PathLike, pipelines_dir: str | os.PathLike):
    """A DuckDB pipeline for one source: dataset `raw_<source>`, state kept per source."""
    return dlt.pipeline(
        pipeline_name=f"loadbearing_{source_name}",
        destination=dlt.destinations.duckdb(_credentials(warehouse)),
        dataset_name=dataset_name(source_name),
        pipelines_dir=str(pipelines_dir),
        progress="log",
    )


def _credentials(warehouse) -> DuckDbCredentials:
    return DuckDbCredentials(str(Path(warehouse).absolute()), global_config={"memory_limit": duckdb_memory_limit()})


def run(source, source_name: str, warehouse, pipelines_dir):
    pipeline = make_pipeline(source_name, warehouse, pipelines_dir)
    return pipeline.run(source, loader_file_format=LOADER_FILE_FORMAT)


def main(
    source_name: str,
    description: str,
    settings_help: str,
    build_source: Callable[[argparse.Namespace], object],
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> None:
    """`python -m connectors.<source>`: load one source into a DuckDB file, without Dagster.

    The warehouse and dlt's state default to the job's own (LoadSettings), so a load from the
    command line continues where the job's left off.
    """
    load = LoadSettings.from_env()
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
    Path(args.warehouse).absolute().parent.mkdir(parents=True, exist_ok=True)
    info = run(build_source(args), source_name, args.warehouse, args.pipelines_dir)
    print(info)
