"""Whether a run's dbt build (and so its publishing) can be skipped: nothing it reads has changed.

A day with no new activity still costs a full `dbt build` unless the run can tell that the marts
would come out the same. They would when all of these hold since the last build:
- every raw table holds the same rows (compared by content: a daily run re-merges some unchanged
  rows and replaces the roster, which gives them new dlt load ids, not new values);
- the dbt project, the privacy settings, the dashboard settings and the evidence packets' quarter
  are the same;
- the retention window removes nothing more today (the check dbt recorded, macros/retention.sql);
- the last run of the job succeeded as a whole, so what it built was also published.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.settings import Settings
from reports.packets import last_quarter
from reports.settings import dashboard_settings

BUILD_TABLE = "main.loadbearing_build"  # the inputs of the last successful build
RETENTION_CHECK_TABLE = "main.loadbearing_retention_check"  # written by dbt's on-run-end hook
DLT_COLUMNS = ("_dlt_load_id", "_dlt_id")
# seeds the incremental classification follows row by row (it hashes the mapped features and the
# rules): editing them reclassifies what they change, not everything
CLASSIFICATION_SEEDS = ("classification_rules", "label_mappings")


@dataclass(frozen=True)
class Build:
    inputs: str  # inputs_fingerprint()
    project: str  # code_digest()


def project_digest(manifest: Path) -> str:
    """The dbt project's code, seeds and settings, as dbt parsed them."""
    return hashlib.sha256(manifest.read_bytes()).hexdigest()


def code_digest(manifest: Path) -> str:
    """The dbt project as far as a change needs every incremental model rebuilt from scratch: all
    of it but when it was parsed (the run metadata, every node's created_at) and the contents of
    CLASSIFICATION_SEEDS."""
    parsed = json.loads(manifest.read_text(encoding="utf-8"))
    parsed["metadata"] = {"dbt_version": parsed.get("metadata", {}).get("dbt_version")}
    for node in parsed.get("nodes", {}).values():
        if node.get("resource_type") == "seed" and node.get("name") in CLASSIFICATION_SEEDS:
            node.pop("checksum", None)

    def without_parse_times(value):
        if isinstance(value, dict):
            return {
                k: without_parse_times(v)
                for k, v in value.items()
                if not (k == "created_at" and isinstance(v, (int, float)))
            }
        if isinstance(value, list):
            return [without_parse_times(v) for v in value]
        return value

    return hashlib.sha256(json.dumps(without_parse_times(parsed), sort_keys=True).encode()).hexdigest()


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, settings: Settings, manifest: Path) -> str:
    """A digest of what the marts and the published files are made from; secrets enter it hashed."""
    digest = hashlib.sha256()
    for schema, table, count, content in raw_table_contents(con):
        digest.update(f"{schema}.{table} {count} {content}\n".encode())
    digest.update(project_digest(manifest).encode())
    for name, value in sorted({**settings.privacy.dbt_vars(), "salt": settings.privacy.person_key_salt}.items()):
        digest.update(f"{name}={value}\n".encode())
    digest.update(f"{dashboard_settings()}\npackets {last_quarter(date.today())}\n".encode())
    return digest.hexdigest()


def raw_table_contents(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, str]]:
    """(schema, table, rows, sum of row hashes) of every raw table dlt loads, its own columns left out."""
    tables = con.execute(
        r"""select table_schema, table_name from information_schema.tables
        where table_catalog = current_database() and table_schema like 'raw\_%' escape '\'
            and table_schema not like '%\_staging' escape '\' and table_name not like '\_dlt\_%' escape '\'
        order by all"""
    ).fetchall()
    contents = []
    for schema, table in tables:
        columns = {
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = current_database() "
                "and table_schema = ? and table_name = ?",
                [schema, table],
            ).fetchall()
        }
        excluded = ", ".join(c for c in DLT_COLUMNS if c in columns)
        selection = f"* exclude ({excluded})" if excluded else "*"
        count, content = con.execute(
            f'select count(*), sum(hash(*columns({selection})))::varchar from "{schema}"."{table}"'
        ).fetchone()
        contents.append((schema, table, count, content or ""))
    return contents


def last_build(con: duckdb.DuckDBPyConnection) -> Build | None:
    """The inputs and project of the last successful build, if this warehouse has one."""
    if not _exists(con, BUILD_TABLE):
        return None
    try:
        row = con.execute(f"select inputs, project from {BUILD_TABLE}").fetchone()
    except duckdb.BinderException:  # recorded by an earlier version: as good as none
        return None
    return Build(*row) if row else None


def past_retention(con: duckdb.DuckDBPyConnection) -> int | None:
    """How many rows the retention window would remove now; None when no build recorded its check."""
    if not _exists(con, RETENTION_CHECK_TABLE):
        return None
    row = con.execute(f"select check_sql from {RETENTION_CHECK_TABLE}").fetchone()
    return con.execute(row[0]).fetchone()[0] if row else None


def forget_build(con: duckdb.DuckDBPyConnection) -> None:
    """Before a build: a build that stops halfway must not look current."""
    con.execute(f"create or replace table {BUILD_TABLE} (inputs varchar, project varchar)")


def record_build(con: duckdb.DuckDBPyConnection, build: Build) -> None:
    con.execute(
        f"create or replace table {BUILD_TABLE} as select ? as inputs, ? as project", [build.inputs, build.project]
    )


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    return (
        con.execute(
            "select count(*) from information_schema.tables where table_catalog = current_database() "
            "and table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
        > 0
    )
