"""Publishing swaps a complete copy in; a reader holding the old file keeps reading it."""

import subprocess
import sys

import duckdb

from pipelines.defs.publish import publish_warehouse

HOLD_OPEN = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from marts.fct_work_events").fetchall()[0][0], flush=True)
sys.stdin.readline()
print(con.execute("select count(*) from marts.fct_work_events").fetchall()[0][0], flush=True)
"""


def write_events(path, rows):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.fct_work_events as select range as event_key from range(?)", [rows])


def test_a_reader_keeps_its_version_while_a_new_one_is_published(tmp_path):
    # GIVEN a published warehouse that another process holds open read-only
    working, published = tmp_path / "work" / "lb.duckdb", tmp_path / "lb.duckdb"
    working.parent.mkdir()
    write_events(working, 3)
    publish_warehouse(working, published)
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(published)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "3"
        # WHEN the run writes more and publishes again
        write_events(working, 5)
        publish_warehouse(working, published)
        # THEN the reader still sees its complete old version ...
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "3"
    finally:
        reader.communicate(timeout=30)
    # ... and a new reader sees the new one; no temporary file is left behind
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_work_events").fetchall() == [(5,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lb.duckdb", "work"]
