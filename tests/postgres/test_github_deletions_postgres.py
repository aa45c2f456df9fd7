"""GitHub comments and a review deleted between two loads leave a PostgreSQL warehouse too: dlt's
hard_delete hint (connectors.github.deletions) and the reviews' merge on their pull request work
on this destination as on DuckDB (tests/reliability/test_deletions.py)."""

from __future__ import annotations

import psycopg2

from harness.deployment import SourcesDeployment
from harness.fault_lab import delete_github_items
from harness.postgres import create_database
from sandbox.generate import generate_org
from sandbox.server import SandboxServer


def _count(database, table: str, item: int) -> int:
    with psycopg2.connect(**database.connect_kwargs()) as con, con.cursor() as cur:
        cur.execute(f"select count(*) from {table} where id = %s", [item])
        return cur.fetchone()[0]


def test_deleted_github_items_leave_postgres(postgres_server, tmp_path):
    org = generate_org(seed=7, people=12, teams=2, months=1)
    database = create_database(postgres_server, "github_deletions")
    deployment = SourcesDeployment(tmp_path, postgres=database)
    with SandboxServer(org) as server:
        deployment.must_load(org, server, ["github"])
        deleted = delete_github_items(org)
        assert all(_count(database, table, item) == 1 for table, item in deleted.items())
        server.refresh()
        deployment.must_load(org, server, ["github"])
    assert {table: _count(database, table, item) for table, item in deleted.items()} == dict.fromkeys(deleted, 0)
