"""One small interface for the code that reads the warehouse itself (not dlt, not dbt).

`open_warehouse(destination)` gives a `Warehouse` over a DuckDB file (a Path) or a PostgreSQL
database (PostgresSettings): `rows(sql, params)` with `?` placeholders whatever the kind (they
become `%s` on Postgres), `raw_tables()`, `row_count()`, `relations()` and
`table_version(schema, table)`, the SQL that differs between the two dispatched here rather than
at every caller. The daily job's steps (pipelines.defs.resources.warehouse_connection), the
dashboard, the packets and the harness read through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from connectors.common.settings import PostgresSettings

DLT_COLUMNS = ("_dlt_load_id", "_dlt_id")
# on PostgreSQL, the schema readers read: the marts of the last successful run (pipelines/defs/publish.py)
PUBLISHED_SCHEMA = "published"
ABSENT = "absent"  # the version of a table that is not in the warehouse (a source never loaded)

# a `?` outside single-quoted literals and double-quoted identifiers
_QMARK = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*")|\?""")


def qmark_to_format(sql: str) -> str:
    """`?` placeholders as psycopg2's `%s` (a literal `%` doubled), quoted text left alone."""

    def replace(match: re.Match) -> str:
        return match.group(1).replace("%", "%%") if match.group(1) else "%s"

    out, last = [], 0
    for match in _QMARK.finditer(sql):
        out.append(sql[last : match.start()].replace("%", "%%"))
        out.append(replace(match))
        last = match.end()
    out.append(sql[last:].replace("%", "%%"))
    return "".join(out)


class Warehouse(Protocol):
    kind: str

    def rows(self, sql: str, params: list | None = None) -> list[tuple]: ...
    def columns(self, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]: ...
    def raw_tables(self) -> list[tuple[str, str]]: ...
    def row_count(self, schema: str, table: str) -> int: ...
    def relations(self) -> set[str]: ...
    def table_version(self, schema: str, table: str) -> str: ...
    def close(self) -> None: ...


_RAW_TABLES = r"""select table_schema, table_name from information_schema.tables
    where table_catalog = current_database() and table_schema like 'raw\_%' escape '\'
        and table_schema not like '%\_staging' escape '\' and table_name not like '\_dlt\_%' escape '\'
    order by table_schema, table_name"""
_COLUMNS = (
    "select column_name from information_schema.columns where table_catalog = current_database() "
    "and table_schema = ? and table_name = ? order by ordinal_position"
)


class _Base:
    kind = ""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.columns(sql, params)[1]

    def raw_tables(self) -> list[tuple[str, str]]:
        return [tuple(row) for row in self.rows(_RAW_TABLES)]

    def row_count(self, schema: str, table: str) -> int:
        return self.rows(f'select count(*) from "{schema}"."{table}"')[0][0]

    def relations(self) -> set[str]:
        """Every table and view of the database, as lower-case `schema.name`."""
        return {
            f"{schema}.{name}".lower()
            for schema, name in self.rows(
                "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
            )
        }

    def _table_columns(self, schema: str, table: str) -> list[str]:
        return [c for (c,) in self.rows(_COLUMNS, [schema, table])]


class DuckDBWarehouse(_Base):
    kind = "duckdb"

    def __init__(self, path: Path, read_only: bool = False, config: dict | None = None):
        import duckdb

        self.path = Path(path)
        self._con = duckdb.connect(str(path), read_only=read_only, config=config or {})

    @property
    def connection(self):
        return self._con

    def columns(self, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
        cursor = self._con.execute(sql, params or [])
        return [c[0] for c in cursor.description or []], cursor.fetchall()

    def table_version(self, schema: str, table: str) -> str:
        """A raw table's content as a version: rows and the sum of DuckDB's row hashes, dlt's columns left out."""
        columns = set(self._table_columns(schema, table))
        if not columns:
            return ABSENT
        excluded = ", ".join(c for c in DLT_COLUMNS if c in columns)
        selection = f"* exclude ({excluded})" if excluded else "*"
        count, content = self._con.execute(
            f'select count(*), sum(hash(*columns({selection})))::varchar from "{schema}"."{table}"'
        ).fetchone()
        return f"{count}:{content or 0}"

    def close(self) -> None:
        self._con.close()


class PostgresWarehouse(_Base):
    kind = "postgres"

    def __init__(self, settings: PostgresSettings, read_only: bool = False):
        import psycopg2

        self.settings = settings
        self._con = psycopg2.connect(**settings.connect_kwargs())
        self._con.set_session(readonly=read_only, autocommit=True)
        with self._con.cursor() as cur:
            cur.execute("set TimeZone = 'UTC'")

    @property
    def connection(self):
        return self._con

    def columns(self, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
        with self._con.cursor() as cur:
            if params:
                cur.execute(qmark_to_format(sql), list(params))
            else:
                cur.execute(sql)
            names = [c[0] for c in cur.description or []]
            return names, cur.fetchall() if cur.description else []

    def table_version(self, schema: str, table: str) -> str:
        """Rows and the sum of md5-derived hashes of each row's columns (dlt's left out), as text.

        Not the DuckDB value (hash functions differ): a version only compares with itself."""
        columns = [c for c in self._table_columns(schema, table) if c not in DLT_COLUMNS]
        if not columns:
            return ABSENT
        row = "row(" + ", ".join(f'"{c}"' for c in columns) + ")::text"
        # the first 15 hex digits of md5 as a bigint; summed as numeric, so no overflow
        count, content = self.rows(
            f"select count(*), sum(('x' || substr(md5({row}), 1, 15))::bit(60)::bigint::numeric)::text "
            f'from "{schema}"."{table}"'
        )[0]
        return f"{count}:{content or 0}"

    @contextmanager
    def transaction(self) -> Iterator:
        """A cursor whose statements commit together at the end of the block (or not at all)."""
        self._con.autocommit = False
        try:
            with self._con, self._con.cursor() as cur:  # psycopg2: commit on success, rollback on error
                yield cur
        finally:
            self._con.autocommit = True

    def close(self) -> None:
        self._con.close()


def open_warehouse(
    destination: Path | PostgresSettings, read_only: bool = False, duckdb_memory_limit: str | None = None
) -> DuckDBWarehouse | PostgresWarehouse:
    """The warehouse at `destination` (settings.load.destination, or a published DuckDB path);
    `duckdb_memory_limit` caps DuckDB's cache (LOADBEARING_DUCKDB_MEMORY_LIMIT)."""
    if isinstance(destination, PostgresSettings):
        return PostgresWarehouse(destination, read_only=read_only)
    config = {"memory_limit": duckdb_memory_limit} if duckdb_memory_limit else None
    return DuckDBWarehouse(Path(destination), read_only=read_only, config=config)
