"""An isolated deployment for end-to-end tests: a sandbox organization served locally, and its
own warehouses, dlt state, roster and Dagster instance in temporary folders, so a test never
touches warehouse/. The daily job runs in a separate process, exactly as `make demo` runs it."""
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness.demo import child_env, isolated_env
from pipelines.settings import REPO_ROOT
from sandbox.server import SandboxServer

# the smallest organization the story allows: 12 people, 2 teams, every planted role
SMALL_ORG = {"seed": 7, "people": 12, "teams": 2, "months": 2}
RUN_DAILY_JOB = ("import sys; from harness.demo import run_daily_job; "
                 "sys.exit(0 if run_daily_job(full_refresh=sys.argv[1:] == ['--full-refresh']) else 1)")


@dataclass
class Run:
    returncode: int
    output: str
    requests: list  # the sandbox's request log during the run


@dataclass
class Deployment:
    org: object
    server: object
    env: dict[str, str]
    root: Path
    runs: list[Run] = field(default_factory=list)

    @property
    def published(self) -> Path:
        return Path(self.env["LOADBEARING_PUBLISHED_WAREHOUSE"])

    @property
    def working(self) -> Path:
        return Path(self.env["LOADBEARING_WAREHOUSE"])

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


def deployment_env(org, server, root: Path) -> dict[str, str]:
    return child_env(isolated_env(org, server, root))


@contextmanager
def deployed(org, root: Path):
    """The organization served by a sandbox, and a deployment of its own under `root`."""
    with SandboxServer(org) as server:
        yield Deployment(org, server, deployment_env(org, server, root), root)
