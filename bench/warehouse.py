"""What a run left in the working warehouse: dlt load ids, rows a run wrote, activities in the marts."""

from __future__ import annotations

from pathlib import Path

import duckdb

RAW_DATASETS = ("raw_github", "raw_jira", "raw_calendar", "raw_people")


def _connect(path: Path):
    return duckdb.connect(str(path), read_only=True)


def load_ids(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with _connect(path) as con:
        return {
            row[0]
            for dataset in RAW_DATASETS
            for row in con.execute(f"SELECT load_id FROM {dataset}._dlt_loads").fetchall()
        }


def rows_written(path: Path, before: set[str]) -> dict[str, int]:
    """Rows per raw table whose _dlt_load_id is a load that `before` did not know: inserted or merged."""
    with _connect(path) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
            f"({', '.join(repr(d) for d in RAW_DATASETS)}) AND table_name NOT LIKE '\\_dlt%' ESCAPE '\\'"
        ).fetchall()
        known = list(before) or [""]
        written = {}
        for schema, table in tables:
            count = con.execute(
                f'SELECT count(*) FROM {schema}."{table}" WHERE _dlt_load_id NOT IN (SELECT unnest(?::VARCHAR[]))',
                [known],
            ).fetchall()[0][0]
            written[f"{schema}.{table}"] = count
        return written


def raw_rows(path: Path) -> int:
    return sum(rows_written(path, set()).values())


def work_events(path: Path) -> int:
    with _connect(path) as con:
        return con.execute("SELECT count(*) FROM marts.fct_work_events").fetchall()[0][0]
