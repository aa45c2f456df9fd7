"""The same pipeline on PostgreSQL: the sandbox organization loaded by the real connectors into
a Postgres database and into DuckDB, `dbt build` on each, and every raw table, the
classification and every mart compared, row for row (floats within 1e-9). The Postgres server
is a throwaway cluster of the session's own (tests/conftest.py, postgres_server)."""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict

import psycopg2
import pytest

from harness.postgres import create_database
from harness.warehouses import FLOAT_TOLERANCE, compare_warehouses
from reports import DashboardSettings, build_packets
from reports.dataset import build_dataset
from reports.marts import MARTS as DASHBOARD_MARTS
from reports.marts import Marts
from reports.packets import PERSON, Period

# what the dashboard and packets read, and the reports analysts read (every table of marts is compared)
MARTS = [*DASHBOARD_MARTS, "rpt_unmapped_identities", "rpt_classification_coverage", "rpt_vocabulary"]

RAW_SCHEMAS = ["raw_github", "raw_jira", "raw_calendar", "raw_people"]
DBT_SCHEMAS = ["seeds", "staging", "intermediate", "marts"]
# fingerprints made with each warehouse's own hash function (macros/portable.sql, row_hash)
OWN_HASHES = {"intermediate.int_activity__classified": {"feature_hash", "rules_version"}}
# a salt that needs libpq's escaping on its way to Postgres (a space, a backslash)
SALT = {"LOADBEARING_PERSON_KEY_SALT": "pg test salt \\ with a backslash"}


def _build(dbt, warehouse, work):
    result = dbt(warehouse, work, "build", env={**os.environ, **SALT}, check=False)
    results = (
        json.loads((work / "target" / "run_results.json").read_text())["results"] if result.returncode == 0 else []
    )
    return result, results


@pytest.fixture(scope="module")
def built(loaded_warehouse, loaded_postgres, dbt):
    """Both warehouses built by dbt with the same settings (the raw tables compared first, before
    the retention hook can touch them)."""
    raw = compare_warehouses(loaded_warehouse, loaded_postgres.postgres, RAW_SCHEMAS)
    duck = _build(dbt, loaded_warehouse, loaded_warehouse.parent / "dbt_duckdb")
    pg = _build(dbt, loaded_postgres.postgres, loaded_postgres.root / "dbt_postgres")
    return {"raw": raw, "duckdb": duck, "postgres": pg}


def _report(diffs) -> str:
    return "\n".join(
        f"{d.table}: {d.rows} rows in DuckDB, {d.other_rows} in Postgres, {d.unequal} unequal, "
        f"columns missing {d.missing_columns}\n{d.example}"
        for d in diffs
        if not d.equal
    )


def test_the_sandbox_loads_into_postgres_with_duckdbs_raw_rows(built):
    raw = built["raw"]
    assert {d.table.split(".")[0] for d in raw} == set(RAW_SCHEMAS)
    assert len(raw) >= 15 and all(d.rows > 0 for d in raw)
    assert all(d.equal for d in raw), _report(raw)


def test_dbt_build_on_postgres_has_no_errors(built):
    result, results = built["postgres"]
    assert result.returncode == 0, result.stdout[-4000:]
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert {"seed", "model", "test", "unit_test"} <= kinds
    assert all(r["status"] in ("success", "pass") for r in results), [
        (r["unique_id"], r["status"]) for r in results if r["status"] not in ("success", "pass")
    ]
    duck_result, duck_results = built["duckdb"]
    assert duck_result.returncode == 0, duck_result.stdout[-4000:]
    assert sorted(r["unique_id"] for r in results) == sorted(r["unique_id"] for r in duck_results)


def test_the_classification_and_every_mart_equal_duckdbs(built, loaded_warehouse, loaded_postgres):
    assert built["duckdb"][0].returncode == 0 and built["postgres"][0].returncode == 0
    diffs = compare_warehouses(loaded_warehouse, loaded_postgres.postgres, DBT_SCHEMAS, OWN_HASHES)
    tables = {d.table: d for d in diffs}
    classified = tables["intermediate.int_activity__classified"]
    assert classified.rows > 1000 and {"work_category", "rule_id", "evidence"} <= set(classified.columns)
    assert {f"marts.{mart}" for mart in MARTS} <= set(tables)
    assert all(tables[f"marts.{mart}"].rows > 0 for mart in MARTS)
    assert all(d.equal for d in diffs), _report(diffs)


def test_the_salt_reaches_postgres_and_stays_out_of_its_sql(built, loaded_warehouse, loaded_postgres):
    """Equal person keys (above) could also come from two default salts: the keys are the salted
    ones, and the salt is in no SQL text dbt wrote or logged."""
    import duckdb

    with duckdb.connect(str(loaded_warehouse), read_only=True) as con:
        person_id, key = con.execute("select person_id, person_key from marts.dim_people limit 1").fetchone()
    with psycopg2.connect(**loaded_postgres.postgres.connect_kwargs()) as con, con.cursor() as cur:
        cur.execute(
            "select md5(%s || '|' || %s), md5('loadbearing-default-salt|' || %s)",
            [SALT["LOADBEARING_PERSON_KEY_SALT"], person_id, person_id],
        )
        salted, unsalted = cur.fetchone()
        cur.execute("select person_key from marts.dim_people where person_id = %s", [person_id])
        (pg_key,) = cur.fetchone()
    assert key == salted == pg_key != unsalted
    work = loaded_postgres.root / "dbt_postgres"
    for path in [*work.rglob("*.sql"), *work.rglob("*.json"), *work.rglob("*.log")]:
        assert SALT["LOADBEARING_PERSON_KEY_SALT"] not in path.read_text(errors="replace"), path


def _without_build_time(dataset: dict) -> dict:
    return {**dataset, "meta": {k: v for k, v in dataset["meta"].items() if k != "generated_at"}}


def _equal_within_tolerance(duck, pg, where="dataset") -> list[str]:
    """Where the two differ: the same structure and order, floats within FLOAT_TOLERANCE."""
    if isinstance(duck, dict) and isinstance(pg, dict):
        if duck.keys() != pg.keys():
            return [f"{where}: keys {sorted(duck)} != {sorted(pg)}"]
        return [d for k in duck for d in _equal_within_tolerance(duck[k], pg[k], f"{where}.{k}")]
    if isinstance(duck, list) and isinstance(pg, list):
        if len(duck) != len(pg):
            return [f"{where}: {len(duck)} items != {len(pg)}"]
        return [d for i, (a, b) in enumerate(zip(duck, pg)) for d in _equal_within_tolerance(a, b, f"{where}[{i}]")]
    if isinstance(duck, float) or isinstance(pg, float):
        return (
            []
            if math.isclose(duck, pg, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
            else [f"{where}: {duck} != {pg}"]
        )
    return [] if duck == pg else [f"{where}: {duck!r} != {pg!r}"]


@pytest.mark.parametrize("privacy_mode", ["pseudonymous", "named"])
def test_the_dashboard_data_from_postgres_equals_duckdbs(built, loaded_warehouse, loaded_postgres, privacy_mode):
    """Row for row and in the same order: the page built from either warehouse is the same."""
    assert built["duckdb"][0].returncode == 0 and built["postgres"][0].returncode == 0
    settings = DashboardSettings(privacy_mode=privacy_mode)
    with Marts(loaded_warehouse) as duck, Marts(loaded_postgres.postgres) as pg:
        duck_data, pg_data = build_dataset(duck, settings), build_dataset(pg, settings)
    assert len(duck_data["allocation"]) > 100 and len(duck_data["people"]) == 12
    assert (len(duck_data["evidence"]) > 100) is (privacy_mode == "named")
    differences = _equal_within_tolerance(_without_build_time(duck_data), _without_build_time(pg_data))
    assert not differences, differences[:20]


def test_the_evidence_packets_from_postgres_equal_duckdbs(
    built, small_org, loaded_warehouse, loaded_postgres, tmp_path
):
    """Every person's packet, as data (its text rounds hours to a tenth, where a sum equal within
    FLOAT_TOLERANCE may fall either side of a half), and the same files written."""
    assert built["duckdb"][0].returncode == 0 and built["postgres"][0].returncode == 0
    since, until = small_org.start.date(), small_org.now.date()
    packets, files = {}, {}
    for kind, warehouse in (("duckdb", loaded_warehouse), ("postgres", loaded_postgres.postgres)):
        with Marts(warehouse) as marts:
            period = Period.read(marts, since, until)
            people = sorted(marts.rows(PERSON), key=lambda person: person["person_key"])
            packets[kind] = [asdict(period.packet(person)) for person in people]
        files[kind] = [f.name for f in build_packets(warehouse, tmp_path / kind, since=since, until=until)]
    assert len(packets["duckdb"]) == 12 and sum(len(s["items"]) for p in packets["duckdb"] for s in p["sections"]) > 100
    differences = _equal_within_tolerance(packets["duckdb"], packets["postgres"], "packets")
    assert not differences, differences[:20]
    assert len(files["duckdb"]) >= 2 * 6 and files["duckdb"] == files["postgres"]


def test_a_second_day_builds_incrementally_to_equal_warehouses(
    built, small_org, sandbox_server, loaded_warehouse, loaded_postgres, dbt
):
    """A day later: each source loads what changed (dlt's cursors), dbt classifies only changed
    activities (int_activity__classified is incremental), and the two warehouses still agree."""
    assert built["duckdb"][0].returncode == 0 and built["postgres"][0].returncode == 0
    small_org.advance_day()
    duck_deployment = type(loaded_postgres)(loaded_warehouse.parent)
    duck_deployment.must_load(small_org, sandbox_server)
    loaded_postgres.must_load(small_org, sandbox_server)
    for warehouse, work in (
        (loaded_warehouse, loaded_warehouse.parent / "dbt_duckdb"),
        (loaded_postgres.postgres, loaded_postgres.root / "dbt_postgres"),
    ):
        result, results = _build(dbt, warehouse, work)
        assert result.returncode == 0, result.stdout[-4000:]
        (classified,) = [r for r in results if r["unique_id"] == "model.loadbearing.int_activity__classified"]
        assert "not exists" in classified["compiled_code"]  # only the changed activities classified
    diffs = compare_warehouses(loaded_warehouse, loaded_postgres.postgres, [*RAW_SCHEMAS, *DBT_SCHEMAS], OWN_HASHES)
    assert all(d.equal for d in diffs), _report(diffs)
    raw_rows = sum(d.rows for d in diffs if d.table.startswith("raw_"))
    assert raw_rows > sum(d.rows for d in built["raw"])  # the day brought new activity


def test_the_comparison_finds_a_float_beyond_the_tolerance(postgres_server, tmp_path):
    """The comparison itself: within FLOAT_TOLERANCE equal, beyond it a difference."""
    import duckdb

    database = create_database(postgres_server, "tolerance_probe")
    duck_file = tmp_path / "probe.duckdb"
    values = [1.0, 2.5, 1234.5]
    with duckdb.connect(str(duck_file)) as con:
        con.execute("create schema marts; create table marts.t (k varchar, x double)")
        con.executemany("insert into marts.t values (?, ?)", [[str(v), v] for v in values])
    for shift, equal in ((FLOAT_TOLERANCE / 10, True), (FLOAT_TOLERANCE * 1e4, False)):
        with psycopg2.connect(**database.connect_kwargs()) as con, con.cursor() as cur:
            cur.execute(
                "drop schema if exists marts cascade; create schema marts; create table marts.t (k text, x float8)"
            )
            cur.executemany(
                "insert into marts.t values (%s, %s)", [[str(v), v + (shift if v == 2.5 else 0)] for v in values]
            )
        (diff,) = compare_warehouses(duck_file, database, ["marts"])
        assert diff.rows == diff.other_rows == 3
        assert diff.equal is equal, diff
