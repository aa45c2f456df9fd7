"""build_dashboard: the published marts -> one self-contained HTML file that opens offline."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from connectors.common.settings import PUBLISHED_WAREHOUSE_SETTING, published_warehouse
from reports.charts import chart_specs
from reports.dataset import build_dataset, time_bands
from reports.marts import Marts
from reports.render import render_dashboard
from reports.settings import DashboardSettings


def build_dashboard(warehouse_path: Path, out_path: Path, settings: DashboardSettings | None = None) -> Path:
    """Read the marts read-only and write the dashboard to out_path (replaced atomically)."""
    settings = settings or DashboardSettings()
    with Marts(warehouse_path) as marts:
        data = build_dataset(marts, settings)
        bands = time_bands(marts)
    html = render_dashboard(
        data, chart_specs(data["categories"], bands, settings.target_promotable_share), settings.named
    )
    return write_atomically(Path(out_path), html)


def add_document_arguments(parser: argparse.ArgumentParser, folder: str, files: str) -> None:
    """--warehouse (the published DuckDB file) and --out (`folder` beside it) of a command that
    writes documents from the marts; `files` says what goes in the folder."""
    default_warehouse = published_warehouse()
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=default_warehouse,
        help=f"the published DuckDB file (default: ${PUBLISHED_WAREHOUSE_SETTING} or {default_warehouse})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=default_warehouse.parent / folder,
        help=f"folder for {files} (default: {folder}/ beside the warehouse)",
    )


def write_atomically(path: Path, text: str) -> Path:
    """A reader with the file open never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.writing")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)
    return path
