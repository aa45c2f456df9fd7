"""Shared by the calendar connector tests: load into a temp DuckDB, read the events back."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from connectors.common.pipeline import run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "calendar"


def load(source, where: Path):
    return run(source, "calendar", where / "warehouse.duckdb", str(where / "pipelines"))


def events(where: Path) -> list[dict]:
    """Every row of raw_calendar.events, JSON columns parsed, keyed by the loaded column names."""
    con = duckdb.connect(str(where / "warehouse.duckdb"), read_only=True)
    try:
        cursor = con.execute("select * from raw_calendar.events order by calendar_id, id")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()
    for row in rows:
        for key in ("start", "end", "original_start_time", "attendees", "organizer"):
            if isinstance(row.get(key), str):
                row[key] = json.loads(row[key])
    return rows


def by_id(where: Path) -> dict[str, dict]:
    return {row["id"]: row for row in events(where)}


def warehouse_text(where: Path) -> str:
    """Every value of every table in the warehouse (state tables included), as one string."""
    con = duckdb.connect(str(where / "warehouse.duckdb"), read_only=True)
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        return "\n".join(repr(con.execute(f'select * from "{s}"."{t}"').fetchall()) for s, t in tables)
    finally:
        con.close()
