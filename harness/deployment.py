"""Deployments of a sandbox organization, one place for the tests, the reliability lab and the benchmark.

- `load_sandbox`: every connector, configured as the demo configures it, loading a served
  organization into a warehouse (no Dagster).
- `SourcesDeployment`: a folder holding such a warehouse and its dlt state; a snapshot is a
  copy of the folder, so every scenario can start from the same history.
- `JobDeployment`: an isolated deployment (its own warehouses, dlt state, roster and Dagster
  instance under one folder, never warehouse/) whose daily job runs in a separate process,
  exactly as `make demo` runs it.
- `run_dbt`: dbt on a given warehouse, the way every one of them runs it.

A warehouse is a DuckDB file (a path) or a PostgreSQL database (PostgresSettings, e.g. one of
harness.postgres's throwaway cluster).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from connectors.calendar import calendar_source
from connectors.common.pipeline import Warehouse, dataset_name
from connectors.common.pipeline import run as run_connector
from connectors.common.settings import PostgresSettings
from connectors.github import github_source
from connectors.jira import jira_source
from connectors.oncall import oncall_source
from connectors.people import people_source
from connectors.selfreports import selfreports_source
from harness.demo import child_env, isolated_env, oncall_arguments, outlook_arguments
from pipelines.defs.ingest.factory import source_failure
from pipelines.settings import REPO_ROOT, PrivacySettings, dbt_invocation
from sandbox.generate import write_roster, write_self_reports
from sandbox.server import SandboxServer

# the smallest organization the story allows: 12 people, 2 teams, every planted role
SMALL_ORG = {"seed": 7, "people": 12, "teams": 2, "months": 2}
SOURCES = ("github", "jira", "calendar", "people", "selfreports")
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT = str(Path(sys.executable).parent / "dbt")
DBT_TIMEOUT_S = 600
# the daily job's raw_retention step (pipelines/defs/transform/retention.py), as dbt arguments
PRUNE_RAW_DATA = ("run-operation", "prune_raw_data")
RUN_DAILY_JOB = (
    "import sys; from harness.demo import run_daily_job; "
    "sys.exit(0 if run_daily_job(full_refresh=sys.argv[1:] == ['--full-refresh']) else 1)"
)


class DbtFailed(RuntimeError):
    pass


def run_dbt(
    warehouse: Path | PostgresSettings,
    work: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    privacy: PrivacySettings | None = None,
    project_dir: Path = DBT_PROJECT_DIR,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """`dbt <args>` on `warehouse`, its logs and target (manifest, run results) under `work`.
    `env`: the environment it runs in (default this process's); `privacy` (default: read from `env`)
    reaches dbt as the daily job hands it over (pipelines.settings.dbt_invocation). A failure
    raises DbtFailed unless `check` is false."""
    env = os.environ if env is None else env
    target = warehouse if isinstance(warehouse, PostgresSettings) else Path(warehouse).absolute()
    dbt_vars, dbt_env = dbt_invocation(target, privacy or PrivacySettings.from_env(env))
    env = {**env, **dbt_env, "DBT_LOG_PATH": str(work / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(
        [
            DBT,
            *args,
            *dbt_vars,
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            str(project_dir),
            "--target-path",
            str(work / "target"),
        ],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=DBT_TIMEOUT_S,
    )
    if check and done.returncode != 0:
        raise DbtFailed(f"dbt {' '.join(args)} failed on {warehouse}:\n{done.stdout[-4000:]}{done.stderr[-2000:]}")
    return done


def build_source(name: str, org, server, roster: Path, calendar: str = "google", oncall: str = "pagerduty"):
    """One connector configured as the demo configures it (docs/CONTRACTS.md, "Sandbox conventions");
    people's calendars from Google or Outlook (Microsoft Graph), pages from PagerDuty or Opsgenie."""
    tokens, start = server.tokens, org.start.date().isoformat()
    if name == "github":
        return github_source(
            org=org.github_org, base_url=server.github_url, access_token=tokens.github_token, start_date=start
        )
    if name == "jira":
        # a sandbox serving Jira Server is read as Server is: REST v2, the token as a personal access token
        account = {"deployment": "server"} if server.jira_deployment == "server" else {"email": tokens.jira_email}
        return jira_source(site_url=server.jira_url, api_token=tokens.jira_api_token, start_date=start, **account)
    if name == "calendar":
        people = (
            {"calendar_ids": sorted(org.calendars), "access_token": tokens.calendar_token}
            if calendar == "google"
            else {"calendar_ids": [], **outlook_arguments(org, server)}
        )
        return calendar_source(
            base_url=server.calendar_url,
            start_date=start,
            ics_feeds=[f"{n}={server.ics_url(n)}" for n in sorted(org.ics_feeds)],
            **people,
        )
    if name == "selfreports":  # the team's folder, written beside the roster
        return selfreports_source(folder=str(write_self_reports(org, roster.parent / "selfreports", server.base_url)))
    if name == "oncall":  # not in SOURCES: the on-call source is off unless chosen
        return oncall_source(provider=oncall, start_date=start, **oncall_arguments(server, oncall))
    return people_source(roster_path=str(roster))


def load_sandbox(
    org, server, warehouse: Warehouse, pipelines_dir: Path, sources=SOURCES, **apis: str
) -> dict[str, str | None]:
    """Each source once from the sandbox into `warehouse` (the roster written beside the DuckDB
    file, or beside dlt's state for Postgres); per source None when it loaded, else the message a
    Dagster run would show for its failure."""
    beside = Path(pipelines_dir).parent if isinstance(warehouse, PostgresSettings) else Path(warehouse).parent
    roster = beside / "roster.csv"
    write_roster(org, roster)
    outcome = {}
    for name in sources:
        try:
            run_connector(build_source(name, org, server, roster, **apis), name, warehouse, str(pipelines_dir))
            outcome[name] = None
        except Exception as exc:  # the message a Dagster run would show for it
            outcome[name] = source_failure(name, exc).description
    return outcome


@dataclass
class SourcesDeployment:
    """The connectors' warehouse and dlt state in one folder, loaded without Dagster. With
    `postgres`, the warehouse is that database instead of the folder's DuckDB file (the folder
    keeps dlt's state, the roster and dbt's target); copy_to, forget and restore are DuckDB's only."""

    root: Path
    postgres: PostgresSettings | None = None
    calendar: str = "google"  # people's calendars through Google, or "outlook" (Microsoft Graph)
    oncall: str = "pagerduty"  # pages from PagerDuty, or "opsgenie"

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def target(self) -> Warehouse:
        """Where the loads and dbt write: the Postgres database, or the DuckDB file."""
        return self.postgres or self.warehouse

    @property
    def pipelines_dir(self) -> Path:
        return self.root / "dlt"

    def copy_to(self, root: Path) -> SourcesDeployment:
        shutil.copytree(self.root, root)
        return SourcesDeployment(root, calendar=self.calendar, oncall=self.oncall)

    def load(self, org, server, sources=SOURCES) -> dict[str, str | None]:
        """Each source once; per source None when it loaded, else its failure message."""
        return load_sandbox(
            org, server, self.target, self.pipelines_dir, sources, calendar=self.calendar, oncall=self.oncall
        )

    def must_load(self, org, server, sources=SOURCES) -> None:
        failures = {name: message for name, message in self.load(org, server, sources).items() if message}
        if failures:
            raise RuntimeError(f"a clean run failed: {failures}")

    def forget(self, source: str) -> None:
        """The source as never loaded: its dataset and its dlt state gone (a first backfill follows)."""
        with duckdb.connect(str(self.warehouse)) as con:
            con.execute(f"drop schema if exists {dataset_name(source)} cascade")
        shutil.rmtree(self.pipelines_dir / f"loadbearing_{source}", ignore_errors=True)

    def restore(self, source: str, earlier: SourcesDeployment) -> None:
        """The source as `earlier` left it: its dataset and dlt state copied back from there."""
        self.forget(source)
        dataset = dataset_name(source)
        with duckdb.connect(str(self.warehouse)) as con:
            con.execute(f"attach '{earlier.warehouse}' as earlier (read_only)")
            con.execute(f"create schema {dataset}")
            for (table,) in con.execute(
                "select table_name from information_schema.tables where table_catalog = 'earlier' and table_schema = ?",
                [dataset],
            ).fetchall():
                con.execute(f'create table {dataset}."{table}" as select * from earlier.{dataset}."{table}"')
        shutil.copytree(earlier.pipelines_dir / f"loadbearing_{source}", self.pipelines_dir / f"loadbearing_{source}")

    def build_marts(self, settings: Mapping[str, str] | None = None) -> None:
        """As the daily job's steps after the loads: the raw rows past the retention window
        pruned, then dbt's seeds and models (tests are the dbt suite's job), with a deployment's
        LOADBEARING_* settings (person-key salt, opt-outs, retention) if given."""
        env = {**os.environ, **(settings or {})}
        work = self.root / "dbt"
        run_dbt(self.target, work, *PRUNE_RAW_DATA, env=env)
        run_dbt(self.target, work, "build", "--resource-type", "seed", "--resource-type", "model", env=env)


@dataclass
class Run:
    returncode: int
    output: str
    requests: list  # the sandbox's request log during the run


@dataclass
class JobDeployment:
    """An organization served by `server`, and a deployment of its own under `root`."""

    org: object
    server: SandboxServer
    root: Path
    env: dict[str, str] = field(init=False)  # the daily job's whole environment
    runs: list[Run] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.env = child_env(isolated_env(self.org, self.server, self.root))

    @property
    def published(self) -> Path:
        return Path(self.env["LOADBEARING_PUBLISHED_WAREHOUSE"])

    @property
    def working(self) -> Path:
        return Path(self.env["LOADBEARING_WAREHOUSE"])

    @property
    def pipelines_dir(self) -> Path:
        return Path(self.env["LOADBEARING_PIPELINES_DIR"])

    def run_daily_job(self, full_refresh: bool = False, **env_overrides: str) -> Run:
        self.server.clear_log()
        done = subprocess.run(
            [sys.executable, "-c", RUN_DAILY_JOB, *(["--full-refresh"] if full_refresh else [])],
            cwd=REPO_ROOT,
            env={**self.env, **env_overrides},
            capture_output=True,
            text=True,
            timeout=600,
        )
        run = Run(done.returncode, done.stdout + done.stderr, list(self.server.request_log))
        self.runs.append(run)
        return run


@contextmanager
def deployed(org, root: Path, **server_options) -> Iterator[JobDeployment]:
    """The organization served by a sandbox of its own (`server_options`: e.g. its quotas), and
    a deployment of its own under `root`."""
    with SandboxServer(org, **server_options) as server:
        yield JobDeployment(org, server, root)
