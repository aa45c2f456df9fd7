"""`make demo ARGS=--warehouse=postgres`: the demo's daily job with the warehouse in PostgreSQL and
Dagster's storage there too (the README's dagster.yaml, as written), on a throwaway local cluster
(harness/postgres.py) that lives as long as the demo does.

Each time a first run on a new cluster: the sandbox organization loaded from its first day, the
marts built and published as the schema `published`, the dashboard and packets written under
warehouse/demo-postgres/. The DuckDB demo's warehouse and state are left alone.
"""

from __future__ import annotations

import shutil
import sys

from connectors.common.settings import PIPELINES_DIR_SETTING, PUBLISHED_WAREHOUSE_SETTING, WAREHOUSE_SETTING
from harness.postgres import create_database, dagster_storage_env, postgres_cluster, readme_dagster_yaml
from pipelines.settings import REPO_ROOT, SettingsError, load_settings

ROOT = REPO_ROOT / "warehouse" / "demo-postgres"  # dlt's state, the roster, dbt's target, the outputs


def run_on_postgres(org) -> int:
    """The daily job once on `org` (served by a sandbox) into a new cluster; the summary printed."""
    from harness.demo import run_daily_job, sandbox_env, use_env
    from harness.demo_summary import print_summary
    from pipelines.defs.transform.project import prepare_manifest
    from sandbox.generate import write_roster, write_self_reports
    from sandbox.server import SandboxServer

    shutil.rmtree(ROOT, ignore_errors=True)  # the cluster is new: so is everything that follows it
    dagster_home = ROOT / "dagster_home"
    dagster_home.mkdir(parents=True)
    (dagster_home / "dagster.yaml").write_text(readme_dagster_yaml(), encoding="utf-8")
    print("demo: starting a throwaway PostgreSQL cluster (harness/postgres.py)", flush=True)
    with postgres_cluster() as server, SandboxServer(org) as sandbox:
        warehouse, storage = create_database(server, "warehouse"), create_database(server, "dagster")
        roster = ROOT / "roster.csv"
        write_roster(org, roster)
        write_self_reports(org, roster.parent / "selfreports", sandbox.base_url)
        use_env(
            {
                **sandbox_env(org, sandbox, roster),
                **warehouse.env(),
                **dagster_storage_env(storage),
                "DAGSTER_HOME": str(dagster_home),
                # dlt's state and dbt's target; the dashboard and packets beside the published path
                WAREHOUSE_SETTING: str(ROOT / "work" / "loadbearing.duckdb"),
                PUBLISHED_WAREHOUSE_SETTING: str(ROOT / "published" / "loadbearing.duckdb"),
                PIPELINES_DIR_SETTING: str(ROOT / "work" / "dlt"),
            }
        )
        try:
            settings = load_settings()
        except SettingsError as exc:
            print(exc, file=sys.stderr)
            return 2
        prepare_manifest()
        print(
            f"demo: sandbox at {sandbox.base_url}; PostgreSQL at {server.host}:{server.port} (databases "
            f"{warehouse.database}: the warehouse, {storage.database}: Dagster's storage); running the daily job",
            flush=True,
        )
        if not run_daily_job():
            return 1
        print_summary(settings)
        print(
            "\ndemo: stopping the sandbox and removing the cluster (for one that stays: README, 'The warehouse on PostgreSQL')"
        )
    return 0
