"""The comparison of two warehouses: every raw table and every mart, row for row.

What shows a fault, a crash or a refactoring changed no result (the deployments compared are
harness/deployment.py's). `compare_warehouses` compares a DuckDB file with a Postgres database
(the same sandbox loaded and built on each), floats within a tolerance.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from connectors.common.settings import PostgresSettings

DBT_SCHEMAS = ("marts",)  # what dbt builds that people read; compared when a deployment has run dbt
FLOATING_TYPES = ("DOUBLE", "FLOAT", "REAL")
SIGNIFICANT_DIGITS = 10  # of a floating value compared
# the sandbox's address, written into the data it serves (URLs): a port chosen when it starts
SANDBOX_ADDRESS = r"127\.0\.0\.1:[0-9]+"


@dataclass
class TableDiff:
    table: str  # schema.table
    rows: int  # rows of the reference table
    lost: int  # reference rows missing (counted with multiplicity)
    duplicated: int  # rows beyond the reference's (extra copies or rows it does not have)
    extra_columns: tuple[str, ...]  # columns the reference does not have (not compared)


@dataclass
class Comparison:
    tables: list[TableDiff]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def lost(self) -> int:
        return sum(t.lost for t in self.tables)

    @property
    def duplicated(self) -> int:
        return sum(t.duplicated for t in self.tables)

    @property
    def equal(self) -> bool:
        return self.lost == 0 and self.duplicated == 0

    def differences(self) -> list[TableDiff]:
        return [t for t in self.tables if t.lost or t.duplicated]


def compare(reference: Path, candidate: Path) -> Comparison:
    """Every raw_* table and every mart of `reference` against `candidate`, as multisets of
    rows over the reference's columns; dlt's own columns (load ids, row ids) are left out, and
    so is the sandbox's port, so that two runs of `make demo` compare equal."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{reference}' as ref (read_only)")
        con.execute(f"attach '{candidate}' as got (read_only)")
        return Comparison([_compare_table(con, schema, table) for schema, table in _tables(con, "ref")])
    finally:
        con.close()


def _tables(con, catalog: str) -> list[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? and table_type = 'BASE TABLE' and table_name not like '\\_dlt%' escape '\\' "
        "and ((table_schema like 'raw\\_%' escape '\\' and table_schema not like '%\\_staging' escape '\\') "
        "or table_schema in (select unnest(?))) order by 1, 2",
        [catalog, list(DBT_SCHEMAS)],
    ).fetchall()
    return [(schema, table) for schema, table in rows]


def _columns(con, catalog: str, schema: str, table: str) -> dict[str, str]:
    """{column: data type}, dlt's own columns left out."""
    rows = con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = ? "
        "and table_schema = ? and table_name = ? and column_name not like '\\_dlt%' escape '\\' "
        "order by column_name",
        [catalog, schema, table],
    ).fetchall()
    return dict(rows)


def _as_text(column: str, data_type: str) -> str:
    # sums of doubles come out in the last digits differently run to run (parallel aggregation):
    # relative noise, so compared to significant digits (decimals would not hold for large sums)
    if data_type in FLOATING_TYPES:
        return f"printf('%.{SIGNIFICANT_DIGITS}g', \"{column}\")"
    return f"regexp_replace(cast(\"{column}\" as varchar), '{SANDBOX_ADDRESS}', '127.0.0.1:port', 'g')"


def _compare_table(con, schema: str, table: str) -> TableDiff:
    wanted = _columns(con, "ref", schema, table)
    present = _columns(con, "got", schema, table)
    name = f"{schema}.{table}"
    (rows,) = con.execute(f'select count(*) from ref."{schema}"."{table}"').fetchall()[0]
    if not present:  # the table (or every column of it) is missing: all its rows are lost
        return TableDiff(name, rows, rows, 0, ())
    # text casts: a column loaded with another type (schema drift) must still hold equal values
    ref_rows = f'select {", ".join(_as_text(c, t) for c, t in wanted.items())} from ref."{schema}"."{table}"'
    got_rows = (
        f"select {', '.join(_as_text(c, present[c]) if c in present else 'null' for c in wanted)} "
        f'from got."{schema}"."{table}"'
    )
    lost, duplicated = con.execute(
        f"select (select count(*) from ({ref_rows} except all {got_rows})), "
        f"(select count(*) from ({got_rows} except all {ref_rows}))"
    ).fetchall()[0]
    return TableDiff(name, rows, lost, duplicated, tuple(c for c in present if c not in wanted))


# --- a DuckDB warehouse against a Postgres one ------------------------------------------------

FLOAT_TOLERANCE = 1e-9  # absolute, or relative for values above 1


@dataclass
class CrossDiff:
    table: str  # schema.table
    rows: int  # rows in DuckDB
    other_rows: int  # rows in Postgres
    columns: tuple[str, ...]  # the columns compared
    missing_columns: tuple[str, ...]  # in DuckDB, not in Postgres (or the reverse)
    unequal: int  # rows (in sorted order) that differ
    example: str = ""  # the first differing pair

    @property
    def equal(self) -> bool:
        return not self.missing_columns and self.rows == self.other_rows and self.unequal == 0


def compare_warehouses(
    duckdb_file: Path,
    postgres: PostgresSettings,
    schemas: list[str],
    ignore_columns: dict[str, set[str]] | None = None,
    postgres_schemas: dict[str, str] | None = None,
) -> list[CrossDiff]:
    """Every table of `schemas` (raw_* schemas: dlt's own tables and columns left out) in the
    DuckDB file against the same table in Postgres: the same columns, and the same rows (as
    multisets; JSON compared as parsed values, timestamps as instants, numbers of any type by
    value and floats within FLOAT_TOLERANCE). `ignore_columns`: per schema.table, columns whose
    values are each warehouse's own (e.g. its hash function's). `postgres_schemas`: per DuckDB
    schema, the Postgres schema it is compared with when the name differs (e.g. marts: published)."""
    import psycopg2

    ignore_columns = ignore_columns or {}
    duck = duckdb.connect(str(duckdb_file), read_only=True)
    pg = psycopg2.connect(**postgres.connect_kwargs())
    try:
        diffs = []
        for schema in schemas:
            for table in _duckdb_tables(duck, schema):
                name = f"{schema}.{table}"
                other = (postgres_schemas or {}).get(schema, schema)
                diffs.append(_cross_compare(duck, pg, schema, table, ignore_columns.get(name, set()), other))
        return diffs
    finally:
        duck.close()
        pg.close()


def _duckdb_tables(con, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' "
        "and table_name not like '\\_dlt%' escape '\\' order by 1",
        [schema],
    ).fetchall()
    return [table for (table,) in rows]


def _cross_compare(duck, pg, schema: str, table: str, ignore: set[str], pg_schema: str) -> CrossDiff:
    name = f"{schema}.{table}"
    duck_types = dict(
        duck.execute(
            "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    )
    with pg.cursor() as cur:
        cur.execute(
            "select column_name from information_schema.columns where table_schema = %s and table_name = %s",
            [pg_schema, table],
        )
        pg_columns = {column for (column,) in cur.fetchall()}
    wanted = {c for c in duck_types if not c.startswith("_dlt") and c not in ignore}
    others = {c for c in pg_columns if not c.startswith("_dlt") and c not in ignore}
    columns = sorted(wanted & others)
    missing = tuple(sorted(wanted ^ others))
    quoted = ", ".join(f'"{c}"' for c in columns)
    json_columns = {i for i, c in enumerate(columns) if duck_types[c] == "JSON"}
    duck_rows = [
        _normal(row, json_columns) for row in duck.execute(f'select {quoted} from "{schema}"."{table}"').fetchall()
    ]
    with pg.cursor() as cur:
        cur.execute(f'select {quoted} from "{pg_schema}"."{table}"')
        pg_rows = [_normal(row, set()) for row in cur.fetchall()]
    duck_rows.sort(key=_sort_key)
    pg_rows.sort(key=_sort_key)
    unequal, example = 0, ""
    for mine, theirs in zip(duck_rows, pg_rows):
        if not _same(mine, theirs):
            unequal += 1
            if not example:
                example = f"duckdb {dict(zip(columns, mine))}\npostgres {dict(zip(columns, theirs))}"
    return CrossDiff(name, len(duck_rows), len(pg_rows), tuple(columns), missing, unequal, example)


def _normal(row: tuple, json_columns: set[int]) -> tuple:
    """Each value in one form across the two drivers."""
    out = []
    for i, value in enumerate(row):
        if i in json_columns and isinstance(value, str):
            value = json.loads(value)
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        elif isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC)
        elif isinstance(value, tuple):
            value = list(value)
        out.append(value)
    return tuple(out)


def _sort_key(row: tuple) -> tuple:
    return tuple(_key(value) for value in row)


def _key(value) -> tuple:
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, int | float):
        return (2, f"{float(value):.6e}" if isinstance(value, float) else f"{float(value):.6e}")
    if isinstance(value, dict | list):
        return (3, json.dumps(value, sort_keys=True, default=str))
    return (4, str(value))


def _same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))


def _same_value(x, y) -> bool:
    numbers = (int, float)
    if isinstance(x, numbers) and isinstance(y, numbers) and not isinstance(x, bool) and not isinstance(y, bool):
        if isinstance(x, int) and isinstance(y, int):
            return x == y
        return math.isclose(x, y, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(x, dict | list) and isinstance(y, dict | list):
        return json.dumps(x, sort_keys=True, default=str) == json.dumps(y, sort_keys=True, default=str)
    return x == y


def main(argv: list[str] | None = None) -> int:
    """`python -m harness.warehouses REFERENCE CANDIDATE`: every raw table and mart compared; exit 1 on a difference.

    How a refactoring shows it changed no result: the published warehouse of `make demo` before and after."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m harness.warehouses", description=main.__doc__.split("\n\n")[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("candidate", type=Path)
    args = parser.parse_args(argv)
    comparison = compare(args.reference, args.candidate)
    for diff in comparison.tables:
        state = "equal" if not (diff.lost or diff.duplicated) else f"{diff.lost} lost, {diff.duplicated} extra"
        extra = f" (new columns: {', '.join(diff.extra_columns)})" if diff.extra_columns else ""
        print(f"{diff.table:55} {diff.rows:>8} rows  {state}{extra}")
    print(
        f"{len(comparison.tables)} tables, {comparison.rows} rows: "
        + ("equal" if comparison.equal else f"{comparison.lost} lost, {comparison.duplicated} extra")
    )
    return 0 if comparison.equal else 1


if __name__ == "__main__":
    raise SystemExit(main())
