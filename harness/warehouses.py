"""Deployments of the connectors against one sandbox, and the comparison of two warehouses.

A deployment is a folder: the DuckDB warehouse and the dlt pipelines folder (state), so a
snapshot is a copy of the folder and every scenario starts from the same history.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from connectors.calendar import calendar_source
from connectors.common.pipeline import dataset_name, run as run_connector
from connectors.github import github_source
from connectors.jira import jira_source
from connectors.people import people_source
from pipelines.defs.ingest.factory import source_failure
from pipelines.settings import REPO_ROOT, PrivacySettings, dbt_invocation
from sandbox.generate import write_roster

SOURCES = ("github", "jira", "calendar", "people")
DBT_DIR = REPO_ROOT / "dbt_project"
DBT_SCHEMAS = ("marts",)  # what dbt builds that people read; compared when a deployment has run dbt
FLOATING_TYPES = ("DOUBLE", "FLOAT", "REAL")
FLOAT_DIGITS = 9


def build_source(name: str, org, server, roster: Path):
    """One connector configured as the demo configures it (docs/CONTRACTS.md, "Sandbox conventions")."""
    tokens, start = server.tokens, org.start.date().isoformat()
    if name == "github":
        return github_source(org=org.github_org, base_url=server.github_url, access_token=tokens.github_token,
                             start_date=start)
    if name == "jira":
        return jira_source(site_url=server.jira_url, email=tokens.jira_email, api_token=tokens.jira_api_token,
                           start_date=start)
    if name == "calendar":
        return calendar_source(calendar_ids=sorted(org.calendars), access_token=tokens.calendar_token,
                               base_url=server.calendar_url, start_date=start,
                               ics_feeds=[f"{n}={server.ics_url(n)}" for n in sorted(org.ics_feeds)])
    return people_source(roster_path=str(roster))


@dataclass
class Deployment:
    root: Path

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def pipelines_dir(self) -> Path:
        return self.root / "dlt"

    def copy_to(self, root: Path) -> Deployment:
        shutil.copytree(self.root, root)
        return Deployment(root)

    def load(self, org, server, sources=SOURCES) -> dict[str, str | None]:
        """Each source once; per source None when it loaded, else its failure message."""
        roster = self.root / "roster.csv"
        write_roster(org, roster)
        outcome = {}
        for name in sources:
            try:
                run_connector(build_source(name, org, server, roster), name, self.warehouse, str(self.pipelines_dir))
                outcome[name] = None
            except Exception as exc:  # the message a Dagster run would show for it
                outcome[name] = source_failure(name, exc).description
        return outcome

    def forget(self, source: str) -> None:
        """The source as never loaded: its dataset and its dlt state gone (a first backfill follows)."""
        with duckdb.connect(str(self.warehouse)) as con:
            con.execute(f"drop schema if exists {dataset_name(source)} cascade")
        shutil.rmtree(self.pipelines_dir / f"loadbearing_{source}", ignore_errors=True)

    def restore(self, source: str, earlier: Deployment) -> None:
        """The source as `earlier` left it: its dataset and dlt state copied back from there."""
        self.forget(source)
        dataset = dataset_name(source)
        with duckdb.connect(str(self.warehouse)) as con:
            con.execute(f"attach '{earlier.warehouse}' as earlier (read_only)")
            con.execute(f"create schema {dataset}")
            for (table,) in con.execute("select table_name from information_schema.tables where table_catalog = "
                                        "'earlier' and table_schema = ?", [dataset]).fetchall():
                con.execute(f'create table {dataset}."{table}" as select * from earlier.{dataset}."{table}"')
        shutil.copytree(earlier.pipelines_dir / f"loadbearing_{source}", self.pipelines_dir / f"loadbearing_{source}")

    def build_marts(self, settings: dict[str, str] | None = None) -> None:
        """dbt's seeds and models (tests are the dbt suite's job) on this warehouse, with a
        deployment's LOADBEARING_* settings (person-key salt, opt-outs, retention) if given."""
        dbt_vars, dbt_env = dbt_invocation(self.warehouse.absolute(), PrivacySettings.from_env(settings or {}))
        env = {**os.environ, **dbt_env, "DBT_LOG_PATH": str(self.root / "dbt_logs"),
               "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        done = subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "build", "--resource-type", "seed", "--resource-type", "model",
             *dbt_vars, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--target-path",
             str(self.root / "dbt_target")],
            cwd=DBT_DIR, env=env, capture_output=True, text=True, timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"dbt build failed on {self.warehouse}:\n{done.stdout[-3000:]}")


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
    rows over the reference's columns; dlt's own columns (load ids, row ids) are left out."""
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
    # sums of doubles come out in the last digit differently run to run (parallel aggregation)
    if data_type in FLOATING_TYPES:
        return f'cast(round("{column}", {FLOAT_DIGITS}) as varchar)'
    return f'cast("{column}" as varchar)'


def _compare_table(con, schema: str, table: str) -> TableDiff:
    wanted = _columns(con, "ref", schema, table)
    present = _columns(con, "got", schema, table)
    name = f"{schema}.{table}"
    (rows,) = con.execute(f'select count(*) from ref."{schema}"."{table}"').fetchall()[0]
    if not present:  # the table (or every column of it) is missing: all its rows are lost
        return TableDiff(name, rows, rows, 0, ())
    # text casts: a column loaded with another type (schema drift) must still hold equal values
    ref_rows = f'select {", ".join(_as_text(c, t) for c, t in wanted.items())} from ref."{schema}"."{table}"'
    got_rows = f'select {", ".join(_as_text(c, present[c]) if c in present else "null" for c in wanted)} ' \
               f'from got."{schema}"."{table}"'
    lost, duplicated = con.execute(
        f"select (select count(*) from ({ref_rows} except all {got_rows})), "
        f"(select count(*) from ({got_rows} except all {ref_rows}))"
    ).fetchall()[0]
    return TableDiff(name, rows, lost, duplicated, tuple(c for c in present if c not in wanted))


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
    print(f"{len(comparison.tables)} tables, {comparison.rows} rows: "
          + ("equal" if comparison.equal else f"{comparison.lost} lost, {comparison.duplicated} extra"))
    return 0 if comparison.equal else 1


if __name__ == "__main__":
    raise SystemExit(main())
