"""`make demo`: the daily job, run through Dagster, on a synthetic organization served locally.

    python -m harness.demo            # run the daily job once more (incremental after the first)
    python -m harness.demo --fresh    # start over
    python -m harness.demo --dev      # the Dagster UI (`dagster dev`) on the demo configuration
    python -m harness.demo --calendar outlook   # people's calendars through Microsoft Graph, not Google
    python -m harness.demo --jira server   # Jira Data Center / Server (REST v2, usernames), not Cloud
    python -m harness.demo --warehouse=postgres   # on a throwaway PostgreSQL (harness/demo_postgres.py)

Each run after the first moves the sandbox one day forward, so the run has exactly one new
day of activity to fetch; the day offset is kept in warehouse/demo_state.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from connectors.common.settings import (
    PIPELINES_DIR_SETTING,
    PUBLISHED_WAREHOUSE_SETTING,
    WAREHOUSE_SETTING,
    LoadSettings,
    published_warehouse,
)
from pipelines.defs.transform.project import prepare_manifest
from pipelines.settings import DEFAULT_RETENTION_DAYS, REPO_ROOT, SettingsError, load_settings

WAREHOUSE_DIR = REPO_ROOT / "warehouse"
STATE_FILE = WAREHOUSE_DIR / "demo_state.json"
ROSTER_FILE = WAREHOUSE_DIR / "demo" / "roster.csv"
SELF_REPORTS_FOLDER = WAREHOUSE_DIR / "demo" / "selfreports"  # the team's shared folder of self-reports
DEFAULT_LOAD = LoadSettings.from_env({})  # the demo runs where a deployment's defaults put it
WORK_DIR = DEFAULT_LOAD.warehouse.parent  # the working warehouse and the connectors' dlt state
DAGSTER_HOME = REPO_ROOT / "dagster_home"
DEMO_PATHS = {
    WAREHOUSE_SETTING: DEFAULT_LOAD.warehouse,
    PUBLISHED_WAREHOUSE_SETTING: published_warehouse({}),
    PIPELINES_DIR_SETTING: DEFAULT_LOAD.pipelines_dir,
}
DEPLOYMENT_SETTINGS = ("SOURCES__", "LOADBEARING_")  # prefixes of every setting a run reads
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
# dlt's progress log asks for psutil on every load; memory stats are not what the demo shows
warnings.filterwarnings("ignore", message="psutil dependency is not installed")


@dataclass(frozen=True)
class DemoOrg:
    seed: int
    people: int
    teams: int
    months: int
    calendar: str = "google"  # whose API serves people's calendars: google or outlook (a change starts over)
    jira: str = "cloud"  # which Jira the sandbox serves: cloud or server (Data Center; a change starts over)


@dataclass(frozen=True)
class DemoState:
    org: DemoOrg
    days_advanced: int  # advance_day() calls behind the last successful run

    @staticmethod
    def load(path: Path = STATE_FILE) -> "DemoState | None":
        if not path.exists():
            return None
        raw = json.loads(path.read_text())
        return DemoState(DemoOrg(**raw["org"]), raw["days_advanced"])

    def save(self, path: Path = STATE_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    wanted = DemoOrg(args.seed, args.people, args.teams, args.months, args.calendar, args.jira)
    if args.warehouse == "postgres":
        from harness.demo_postgres import run_on_postgres
        from sandbox.generate import generate_org

        print(f"demo: generating the organization ({_describe(wanted)}) for PostgreSQL", flush=True)
        return run_on_postgres(
            generate_org(seed=wanted.seed, people=wanted.people, teams=wanted.teams, months=wanted.months)
        )
    last = DemoState.load()
    if args.fresh or (last and last.org != wanted):
        if last and last.org != wanted:
            print(f"demo: the organization changed ({_describe(last.org)} -> {_describe(wanted)}): starting over")
        start_over()
        last = None
    # --dev serves the state of the last run; a run moves one day past it
    days = (last.days_advanced if last else 0) + (1 if last and not args.dev else 0)

    from sandbox.generate import generate_org, write_roster, write_self_reports
    from sandbox.server import SandboxServer  # with GitHub's own hourly quotas: the demo's backfill fits one hour

    print(f"demo: generating the organization ({_describe(wanted)}, day +{days})", flush=True)
    org = generate_org(seed=wanted.seed, people=wanted.people, teams=wanted.teams, months=wanted.months)
    # the same seed and the same days replayed: the sandbox the last run saw, then one day more
    for _ in range(days):
        org.advance_day()
    with SandboxServer(org, jira_deployment=wanted.jira) as server:
        write_roster(org, ROSTER_FILE)
        write_self_reports(org, SELF_REPORTS_FOLDER, server.base_url)
        env = sandbox_env(org, server, ROSTER_FILE)
        if wanted.calendar == "outlook":
            env = with_outlook(env, org, server)
        if wanted.jira == "server":
            env = with_jira_server(env)
        use_env({**env, **oncall_env(server, args.oncall), **{k: str(v) for k, v in DEMO_PATHS.items()}})
        try:
            settings = load_settings()
        except SettingsError as exc:
            print(exc, file=sys.stderr)
            return 2
        prepare_manifest()
        if args.dev:
            return serve_ui(server)
        print(
            f"demo: sandbox at {server.base_url} (clock {org.now:%Y-%m-%d}); running the daily job through Dagster",
            flush=True,
        )
        succeeded = run_daily_job(full_refresh=args.full_refresh)
        # the digests' own (Friday) job, so that every demo run shows them
        succeeded = succeeded and run_daily_job(full_refresh=args.full_refresh, job="friday_digest")
        print("demo: stopping the sandbox", flush=True)
    if not succeeded:
        return 1
    DemoState(wanted, days).save()
    from harness.demo_summary import print_summary

    print_summary(settings)
    return 0


def sandbox_env(org, server, roster_path: Path) -> dict[str, str]:
    """The settings that point every connector at the sandbox (docs/CONTRACTS.md, "Sandbox conventions")."""
    tokens = server.tokens
    return {
        "SOURCES__GITHUB__ACCESS_TOKEN": tokens.github_token,
        "SOURCES__GITHUB__ORG": org.github_org,
        "SOURCES__GITHUB__BASE_URL": server.github_url,
        "SOURCES__JIRA__SITE_URL": server.jira_url,
        "SOURCES__JIRA__EMAIL": tokens.jira_email,
        "SOURCES__JIRA__API_TOKEN": tokens.jira_api_token,
        "SOURCES__CALENDAR__CALENDAR_IDS": json.dumps(sorted(org.calendars)),
        "SOURCES__CALENDAR__ACCESS_TOKEN": tokens.calendar_token,
        "SOURCES__CALENDAR__BASE_URL": server.calendar_url,
        "SOURCES__CALENDAR__ICS_FEEDS": json.dumps(
            [f"{name}={server.ics_url(name)}" for name in sorted(org.ics_feeds)]
        ),
        "SOURCES__PEOPLE__ROSTER_PATH": str(roster_path),
        "SOURCES__SELFREPORTS__FOLDER": str(roster_path.parent / "selfreports"),
        "LOADBEARING_START_DATE": org.start.date().isoformat(),
        # synthetic people: a fixed salt keeps the demo's person keys stable between runs
        "LOADBEARING_PERSON_KEY_SALT": f"loadbearing-demo-{org.seed}",
        # the sandbox's history ends on a fixed day: the window must still reach its first day
        # when the demo runs long after it (the default otherwise)
        "LOADBEARING_RETENTION_DAYS": str(max(DEFAULT_RETENTION_DAYS, (date.today() - org.start.date()).days + 1)),
    }


def with_outlook(env: dict[str, str], org, server) -> dict[str, str]:
    """`env` with people's calendars read from the sandbox's Microsoft Graph instead of Google."""
    google = ("SOURCES__CALENDAR__CALENDAR_IDS", "SOURCES__CALENDAR__ACCESS_TOKEN", "SOURCES__CALENDAR__BASE_URL")
    return {
        **{name: value for name, value in env.items() if name not in google},
        **source_env("calendar", outlook_arguments(org, server)),
    }


def outlook_arguments(org, server) -> dict:
    """calendar_source's arguments that read everyone's calendar from the sandbox's Microsoft Graph."""
    from sandbox.auth import DEMO_MICROSOFT_APP

    return {
        "outlook_user_ids": sorted(org.calendars),
        "outlook_tenant_id": DEMO_MICROSOFT_APP.tenant_id,
        "outlook_client_id": DEMO_MICROSOFT_APP.client_id,
        "outlook_client_secret": DEMO_MICROSOFT_APP.client_secret,
        "outlook_authority": server.microsoft_authority,
        "outlook_base_url": server.graph_url,
    }


def source_env(source: str, arguments: dict) -> dict[str, str]:
    """The env vars dlt resolves a source's arguments from (SOURCES__<SOURCE>__<ARGUMENT>), lists as JSON."""
    return {
        f"SOURCES__{source.upper()}__{name.upper()}": json.dumps(value) if isinstance(value, list) else str(value)
        for name, value in arguments.items()
    }


def with_jira_server(env: dict[str, str]) -> dict[str, str]:
    """`env` with Jira read as Data Center / Server: REST v2, the API token sent as a personal access token."""
    return {
        **{name: value for name, value in env.items() if name != "SOURCES__JIRA__EMAIL"},
        "SOURCES__JIRA__DEPLOYMENT": "server",
    }


def oncall_env(server, provider: str) -> dict[str, str]:
    """The settings that point the on-call connector at the sandbox's PagerDuty or Opsgenie; none for `none`."""
    if provider == "none":
        return {}
    return {"LOADBEARING_ONCALL_PROVIDER": provider, **source_env("oncall", oncall_arguments(server, provider))}


def oncall_arguments(server, provider: str) -> dict:
    """oncall_source's key and addresses for the sandbox's PagerDuty or Opsgenie (whose alerts link
    to pages under the account's web address)."""
    addresses = (
        {"base_url": server.pagerduty_url}
        if provider == "pagerduty"
        else {"base_url": server.opsgenie_url, "web_url": server.opsgenie_web_url}
    )
    return {"api_key": getattr(server.tokens, f"{provider}_api_key"), **addresses}


def isolated_env(org, server, root: Path) -> dict[str, str]:
    """Settings for a deployment of its own under `root` (warehouses, dlt state, roster, a
    Dagster instance): what `make accuracy` and the end-to-end tests run in."""
    from sandbox.generate import write_roster, write_self_reports

    roster = root / "roster.csv"
    write_roster(org, roster)
    write_self_reports(org, root / "selfreports", server.base_url)
    dagster_home = root / "dagster_home"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copy(DAGSTER_HOME / "dagster.yaml", dagster_home)
    return {
        **sandbox_env(org, server, roster),
        "LOADBEARING_WAREHOUSE": str(root / "work" / "loadbearing.duckdb"),
        "LOADBEARING_PUBLISHED_WAREHOUSE": str(root / "published" / "loadbearing.duckdb"),
        "LOADBEARING_PIPELINES_DIR": str(root / "work" / "dlt"),
        "DAGSTER_HOME": str(dagster_home),
    }


def run_daily_job(full_refresh: bool = False, job: str = "daily") -> bool:
    """The `daily` job (or another `job`) in this process, recorded in the instance of $DAGSTER_HOME; a failure
    is reported on stderr, one line per failed step. `full_refresh`: rebuild every model from
    the raw tables even if nothing changed."""
    from dagster import DagsterInstance

    prepare_manifest()
    from pipelines.definitions import defs
    from pipelines.defs.versions import FULL_REFRESH_TAG

    with DagsterInstance.get() as instance:
        release_abandoned_runs(instance)
        result = defs.resolve_job_def(job).execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=QUIET_LOGS,
            tags={FULL_REFRESH_TAG: "true"} if full_refresh else None,
        )
    if not result.success:
        print(f"\nThe {job} job failed:", file=sys.stderr)
        for message in failure_messages(result):
            print(f"  - {message}", file=sys.stderr)
    return result.success


def failure_messages(result) -> list[str]:
    """What failed and why, one line per failed step: a connector's Failure names its source,
    any other error is reported by its innermost cause."""
    messages = []
    for event in result.all_events:
        if event.is_step_failure:
            data = event.step_failure_data
            if data.user_failure_data and data.user_failure_data.description:
                reason = data.user_failure_data.description
            else:
                error = data.error
                while error.cause is not None:
                    error = error.cause
                reason = error.message.strip()
            messages.append(reason if reason.startswith(f"{event.step_key}:") else f"{event.step_key}: {reason}")
    return messages or ["the run failed before any step ran; see the log above"]


def release_abandoned_runs(instance) -> None:
    """A run killed mid-step (Ctrl-C) keeps its slot in the warehouse pool and would block
    every later run: runs of this local instance still marked in progress are over."""
    from dagster import DagsterRunStatus, RunsFilter

    in_progress = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
    for run in instance.get_runs(filters=RunsFilter(statuses=in_progress)):
        instance.report_run_failed(run, "abandoned: its process ended before the run did")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


def serve_ui(server) -> int:
    """`dagster dev` with the sandbox up; Ctrl-C stops both."""
    print(f"demo: sandbox at {server.base_url}; starting the Dagster UI (Ctrl-C stops it)", flush=True)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [sys.executable, "-m", "dagster", "dev", "-m", "pipelines.definitions"]
    try:
        return subprocess.call(command, cwd=REPO_ROOT, env=env)
    except KeyboardInterrupt:
        return 0


def start_over() -> None:
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    shutil.rmtree(ROSTER_FILE.parent, ignore_errors=True)
    STATE_FILE.unlink(missing_ok=True)


def child_env(settings: dict[str, str]) -> dict[str, str]:
    """The environment of a child process that runs a deployment: these settings, and none of
    the shell's own (a real token, another Dagster instance)."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith((*DEPLOYMENT_SETTINGS, "DAGSTER_"))}
    return {**kept, **settings}


def use_env(env: dict[str, str]) -> None:
    """These settings only: a real token left in the shell must not reach a sandbox run."""
    for name in list(os.environ):
        if name.startswith(DEPLOYMENT_SETTINGS):
            del os.environ[name]
    os.environ.update({"DAGSTER_HOME": str(DAGSTER_HOME), **env})


def _describe(org: DemoOrg) -> str:
    calendars = ", Outlook calendars" if org.calendar == "outlook" else ""
    jira = ", Jira Server" if org.jira == "server" else ""
    return f"seed {org.seed}, {org.people} people, {org.teams} teams, {org.months} months{calendars}{jira}"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m harness.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--teams", type=int, default=8)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--fresh", action="store_true", help="start over: forget the warehouse and the sandbox day")
    parser.add_argument("--dev", action="store_true", help="serve the Dagster UI on the demo configuration")
    parser.add_argument(
        "--calendar",
        choices=("google", "outlook"),
        default="google",
        help="serve people's calendars through Google Calendar or Microsoft Graph (Outlook)",
    )
    parser.add_argument(
        "--jira",
        choices=("cloud", "server"),
        default="cloud",
        help="serve Jira as Jira Cloud (REST v3) or as Jira Data Center / Server (REST v2, usernames)",
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every dbt model from the raw tables, even if nothing changed",
    )
    parser.add_argument(
        "--oncall",
        choices=("pagerduty", "opsgenie", "none"),
        default="none",
        help="load the sandbox's on-call pages from this provider too (default none)",
    )
    parser.add_argument(
        "--warehouse",
        choices=("duckdb", "postgres"),
        default="duckdb",
        help="postgres: one run into a throwaway PostgreSQL cluster, Dagster's storage there too",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
