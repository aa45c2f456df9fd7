"""connectors.common.warehouse: one reading interface over DuckDB and PostgreSQL."""

import duckdb

from connectors.common.warehouse import ABSENT, open_warehouse, qmark_to_format


def test_placeholders_become_psycopg2s_outside_quotes():
    assert qmark_to_format("select ?, '?', \"a?\" where x like 'a%' and y = ?") == (
        "select %s, '?', \"a?\" where x like 'a%%' and y = %s"
    )


def _fill(execute):
    execute("create schema raw_x")
    execute("create table raw_x.items (id integer, title text, _dlt_load_id text, _dlt_id text)")
    execute("insert into raw_x.items values (1, 'a', 'l1', 'd1'), (2, null, 'l1', 'd2')")


def test_duckdb_reader(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        _fill(con.execute)
    with open_warehouse(path, duckdb_memory_limit="256MB") as warehouse:
        assert warehouse.raw_tables() == [("raw_x", "items")]
        assert warehouse.row_count("raw_x", "items") == 2
        assert "raw_x.items" in warehouse.relations()
        first = warehouse.table_version("raw_x", "items")
        assert first.startswith("2:") and first != "2:0"
        assert warehouse.table_version("raw_x", "nothing") == ABSENT
        assert warehouse.rows("select title from raw_x.items where id = ?", [1]) == [("a",)]
        # dlt's columns do not count: a reload with new load ids keeps the version
        warehouse.rows("update raw_x.items set _dlt_load_id = 'l2'")
        assert warehouse.table_version("raw_x", "items") == first
        warehouse.rows("update raw_x.items set title = 'b' where id = 1")
        assert warehouse.table_version("raw_x", "items") != first
        assert warehouse.rows("select current_setting('memory_limit')") == [("244.1 MiB",)]  # 256 MB


def test_postgres_reader(postgres_server):
    import psycopg2

    from harness.postgres import create_database

    database = create_database(postgres_server, "reader_test")
    con = psycopg2.connect(**database.connect_kwargs())
    con.autocommit = True
    with con.cursor() as cur:
        _fill(cur.execute)
    with open_warehouse(database) as warehouse:
        assert warehouse.raw_tables() == [("raw_x", "items")]
        assert warehouse.row_count("raw_x", "items") == 2
        assert "raw_x.items" in warehouse.relations()
        first = warehouse.table_version("raw_x", "items")
        assert first.startswith("2:") and first != "2:0"
        assert warehouse.table_version("raw_x", "nothing") == ABSENT
        assert warehouse.rows("select title from raw_x.items where id = ? and title like '%'", [1]) == [("a",)]
        # dlt's columns do not count: a reload with new load ids keeps the version
        with con.cursor() as cur:
            cur.execute("update raw_x.items set _dlt_load_id = 'l2'")
        assert warehouse.table_version("raw_x", "items") == first
        with con.cursor() as cur:
            cur.execute("update raw_x.items set title = 'b' where id = 1")
        assert warehouse.table_version("raw_x", "items") != first
    con.close()
