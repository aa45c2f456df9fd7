"""Reads the published warehouse, read-only: the marts and nothing else."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from connectors.common.settings import PostgresSettings
from connectors.common.warehouse import PUBLISHED_SCHEMA, open_warehouse

MARTS = (
    "dim_people",
    "fct_work_events",
    "fct_person_weekly_allocation",
    "fct_team_concentration",
    "fct_review_exchange",
    "fct_competence_trap_signals",
    "fct_group_comparison",
    "fct_evidence_items",
    "dim_work_categories",
    "fct_team_monthly_allocation",
    "fct_person_weekly_incidents",
    "fct_person_weekly_onboarding",
    "fct_person_weekly_meetings",
    "fct_person_daily_load",
    "fct_rotation_suggestions",
)


class MartsError(RuntimeError):
    """The warehouse is missing, or does not (yet) hold the marts."""


class Marts:
    """A read-only connection to the published warehouse; `rows()` runs SQL whose `{m}` is the marts schema.

    `warehouse`: the published DuckDB file, or PostgresSettings of a PostgreSQL warehouse (then
    the PUBLISHED_SCHEMA if it holds the marts, else dbt's `marts`), through
    connectors.common.warehouse."""

    def __init__(self, warehouse: Path | PostgresSettings):
        if isinstance(warehouse, PostgresSettings):
            self.path = f"postgresql://{warehouse.host}:{warehouse.port}/{warehouse.database}"
            self._warehouse = open_warehouse(warehouse, read_only=True)
        else:
            warehouse = Path(warehouse)
            if not warehouse.is_file():
                raise MartsError(
                    f"no warehouse at {warehouse}: run the daily job first (`make demo`), "
                    "or point LOADBEARING_PUBLISHED_WAREHOUSE at the published DuckDB file"
                )
            self.path = warehouse
            self._warehouse = open_warehouse(warehouse, read_only=True)
            # weeks, months and dates in UTC whatever the machine's zone; per-person hours flags come from the marts
            self._warehouse.rows("set TimeZone = 'UTC'")
        self.schema = self._marts_schema()

    def __enter__(self) -> Marts:
        return self

    def __exit__(self, *exc) -> None:
        self._warehouse.close()

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        """Rows as dicts; dates and times as ISO strings, ready for JSON."""
        try:
            columns, rows = self._warehouse.columns(sql.format(m=self.schema), params or [])
        except Exception as exc:
            if not _missing_object(exc):
                raise
            raise MartsError(f"{self.path}: a mart lacks a column the dashboard reads ({exc})") from None
        return [{c: _plain(v) for c, v in zip(columns, row)} for row in rows]

    def _marts_schema(self) -> str:
        found = self._warehouse.rows(
            "select table_schema, table_name from information_schema.tables where table_name in ("
            + ", ".join("?" * len(MARTS))
            + ")",
            list(MARTS),
        )
        schemas: dict[str, set[str]] = {}
        for schema, table in found:
            schemas.setdefault(schema, set()).add(table)
        # `marts` as dbt names it; with a custom schema prefix (main_marts) the fullest one wins;
        # on Postgres the swapped-in `published` schema before the one dbt is building
        best = max(schemas, key=lambda s: (len(schemas[s]), s == PUBLISHED_SCHEMA, s == "marts"), default=None)
        missing = sorted(set(MARTS) - schemas.get(best, set()))
        if missing:
            raise MartsError(
                f"{self.path} lacks the marts {', '.join(missing)}: run `dbt build` (the daily job) "
                "and publish the warehouse before building dashboards"
            )
        return f'"{best}"'


def _missing_object(exc: Exception) -> bool:
    """A missing table or column, as DuckDB or psycopg2 reports it."""
    import duckdb

    if isinstance(exc, (duckdb.BinderException, duckdb.CatalogException)):
        return True
    return getattr(exc, "pgcode", None) in ("42703", "42P01")  # undefined column, undefined table


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # PostgreSQL sums integers as numeric without a scale, DuckDB as an integer: an int either way
        return int(value) if value.as_tuple().exponent >= 0 else float(value)
    return value
