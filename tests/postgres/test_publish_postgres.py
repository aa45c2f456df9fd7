"""Publishing on PostgreSQL: the marts copied to a staging schema and swapped in as `published` in
one transaction, so a query running beside the publishing step sees one whole run, never half."""

from __future__ import annotations

import threading
import time

import psycopg2
import pytest

from connectors.common.warehouse import PUBLISHED_SCHEMA, open_warehouse
from harness.postgres import create_database
from pipelines.defs.publish import publish_schema

RUNS = 6
# two marts a run rebuilds one after the other; a reader joining them would notice a half run
CONSISTENT_READ = f"""
    select (select min(run) from {PUBLISHED_SCHEMA}.fct_a), (select max(run) from {PUBLISHED_SCHEMA}.fct_a),
           (select count(*) from {PUBLISHED_SCHEMA}.fct_a),
           (select min(run) from {PUBLISHED_SCHEMA}.fct_b), (select count(*) from {PUBLISHED_SCHEMA}.fct_b)
"""


def rows_of(run: int) -> int:
    return 20_000 * run


def build_marts(warehouse, run: int) -> None:
    """As dbt builds them: each mart replaced in its own statement."""
    for table in ("fct_a", "fct_b"):
        warehouse.rows(f"drop table if exists marts.{table}")
        warehouse.rows(
            f"create table marts.{table} as select {run} as run, g from generate_series(1, ?) g", [rows_of(run)]
        )


@pytest.fixture
def database(postgres_server):
    database = create_database(postgres_server, "publish_swap")
    with open_warehouse(database) as warehouse:
        warehouse.rows("create schema marts")
    return database


def test_the_first_publish_creates_the_published_schema_that_readers_read(database):
    with open_warehouse(database) as warehouse:
        build_marts(warehouse, 1)
        assert publish_schema(warehouse) == 2 * rows_of(1)
        schemas = {s for (s,) in warehouse.rows("select schema_name from information_schema.schemata")}
        assert warehouse.rows(CONSISTENT_READ) == [(1, 1, rows_of(1), 1, rows_of(1))]
    assert PUBLISHED_SCHEMA in schemas and not {f"{PUBLISHED_SCHEMA}_next", f"{PUBLISHED_SCHEMA}_previous"} & schemas


def test_a_concurrent_reader_sees_the_old_run_or_the_new_one(database):
    # GIVEN a published run, and a reader querying it over and over in another connection
    with open_warehouse(database) as warehouse:
        build_marts(warehouse, 1)
        publish_schema(warehouse)
    seen: list[tuple] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def read() -> None:
        con = psycopg2.connect(**database.connect_kwargs())
        con.autocommit = True
        try:
            with con.cursor() as cur:
                while not stop.is_set():
                    cur.execute(CONSISTENT_READ)
                    seen.append(cur.fetchone())
        except Exception as exc:  # reported below: a query must never fail during a swap
            errors.append(exc)
        finally:
            con.close()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        # WHEN runs rebuild the marts (half rebuilt in between) and publish them, one after the other
        with open_warehouse(database) as warehouse:
            for run in range(2, RUNS + 1):
                build_marts(warehouse, run)
                publish_schema(warehouse)
        published = len(seen)
        while len(seen) < published + 2 and reader.is_alive():  # a read that began after the last swap
            time.sleep(0.01)
    finally:
        stop.set()
        reader.join(timeout=60)
    # THEN every read saw one whole run: both marts of the same run, complete
    assert not errors, errors
    runs = [row[0] for row in seen]
    assert all(row == (run, run, rows_of(run), run, rows_of(run)) for run, row in zip(runs, seen)), [
        row for run, row in zip(runs, seen) if row != (run, run, rows_of(run), run, rows_of(run))
    ]
    assert runs == sorted(runs) and runs[-1] == RUNS
    assert len(set(runs)) > 2  # it read while the runs were published, not only before and after
