"""Killing the daily job mid-phase, and an analyst reading the published warehouse meanwhile.

The job runs in its own process group (dbt's process included). A phase is recognised by
what the run leaves behind, not by timing: the sandbox's request log and dlt's open extract
package (extract), a dlt load package that has merged some tables and not others (load), a
running `dbt build` whose output shows some marts rebuilt (dbt). On that evidence the group
is stopped (SIGSTOP), the evidence checked again on the frozen processes, then the group is
SIGKILLed; if the run moved past the phase in between, it continues and the next source
gives another chance.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from harness.deployment import RUN_DAILY_JOB, JobDeployment
from pipelines.settings import REPO_ROOT

PHASE_TIMEOUT_S = 600  # a daily job takes 1-2 min here; a phase never seen in 10 min is not coming
POLL_S = 0.005  # a load's merges take a few tenths of a second
# sources with several tables and merge loads: a kill there leaves the most half-done work
KILLED_SOURCES = ("github", "jira")
MIN_REQUESTS = 5  # the source's extract is under way, not just starting


def deployment_at(org, server, root: Path, copied_from: Path | None = None) -> JobDeployment:
    """A deployment under `root` served by `server` (shared, so links in the data are equal),
    continuing from a copy of another deployment's folder if given."""
    if copied_from is not None:
        shutil.copytree(copied_from, root)
    return JobDeployment(org, server, root)


class JobProcess:
    """The daily job in a process group of its own, its output collected as it comes."""

    def __init__(self, deployment: JobDeployment):
        deployment.server.clear_log()
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUN_DAILY_JOB],
            cwd=REPO_ROOT,
            # unbuffered: dbt's progress lines are evidence of the phase only if they come as they happen
            env={**deployment.env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._collector = threading.Thread(target=self._collect, daemon=True)
        self._collector.start()

    def _collect(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def group(self) -> dict[int, tuple[str, str]]:
        """{pid: (state, command line)} of every process in the job's group."""
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:  # ended meanwhile
                continue
            state, _, pgid = stat.rsplit(")", 1)[1].split()[:3]
            if int(pgid) == self.process.pid:
                found[int(entry)] = (state, command)
        return found

    def freeze(self) -> None:
        """SIGSTOP the group and wait until every process in it is stopped."""
        os.killpg(self.process.pid, signal.SIGSTOP)
        _wait_for(lambda: all(state in "TtZX" for state, _ in self.group().values()), 30, "the job to stop")

    def kill(self) -> None:
        """SIGKILL the whole group, and wait until none of it is left."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=60)
        self._collector.join(timeout=60)
        _wait_for(lambda: all(state in "ZX" for state, _ in self.group().values()), 60, "the job's processes to end")


@dataclass
class Killed:
    phase: str
    evidence: str  # what showed the run was in the phase
    after_s: float


def kill_during(deployment: JobDeployment, phase: str, timeout_s: float = PHASE_TIMEOUT_S) -> Killed:
    """Run the daily job and SIGKILL it, with everything it started, while it is in `phase`."""
    evidence_of = PHASE_EVIDENCE[phase]
    job = JobProcess(deployment)
    started = time.monotonic()
    try:
        while True:
            if job.process.poll() is not None:
                raise AssertionError(
                    f"the daily job ended (exit {job.process.returncode}) before its {phase} phase "
                    f"was seen; its output ends:\n{job.output[-3000:]}"
                )
            if time.monotonic() - started > timeout_s:
                raise AssertionError(
                    f"no evidence of the {phase} phase within {timeout_s} s; "
                    f"the job's output ends:\n{job.output[-3000:]}"
                )
            if evidence_of(deployment, job):
                job.freeze()
                evidence = evidence_of(deployment, job)  # still so, now that nothing moves
                if evidence:
                    job.kill()
                    return Killed(phase, evidence, time.monotonic() - started)
                os.killpg(job.process.pid, signal.SIGCONT)
            time.sleep(POLL_S)
    finally:
        if job.process.poll() is None:
            job.kill()


def extracting(deployment: JobDeployment, job: JobProcess) -> str | None:
    """A source's extract package is still being written and the source has been requesting."""
    requests = list(deployment.server.request_log)
    for source in KILLED_SOURCES:
        normalize = _pipeline_dir(deployment, source) / "normalize"
        packages = [
            package for folder in _children(normalize) if folder.name != "extracted" for package in _children(folder)
        ]
        asked = sum(1 for record in requests if record.path.startswith(f"/{source}/"))
        if packages and asked >= MIN_REQUESTS:
            return f"{source}: extract package {packages[0].name} open after {asked} requests"
    return None


def loading(deployment: JobDeployment, job: JobProcess) -> str | None:
    """A source's load package has merged some tables into the dataset and not yet others:
    the riskiest moment, since dlt loads the package's state row before the merges."""
    for source in KILLED_SOURCES:
        for package in _children(_pipeline_dir(deployment, source) / "load" / "normalized"):
            merged = [done.name for done in _children(package / "completed_jobs") if done.suffix == ".sql"]
            waiting = _children(package / "new_jobs") + _children(package / "started_jobs")
            if merged and waiting:
                return f"{source}: load package {package.name} merged {len(merged)} tables, {len(waiting)} jobs to go"
    return None


def building_models(deployment: JobDeployment, job: JobProcess) -> str | None:
    """`dbt build` is running and has rebuilt some marts, not all of them yet."""
    lines = list(job.lines)
    marts = sum(1 for line in lines if "OK created sql table model marts." in line)
    # the retention step's `dbt run-operation` before it finishes a dbt command too
    if not marts or any("Finished dbt command" in line and " build " in line for line in lines):
        return None
    if any("dbt" in command and " build" in command and state not in "ZX" for state, command in job.group().values()):
        return f"dbt build running, {marts} marts rebuilt"
    return None


PHASE_EVIDENCE: dict[str, Callable[[JobDeployment, JobProcess], str | None]] = {
    "extract": extracting,
    "load": loading,
    "dbt": building_models,
}


class PublishedReader:
    """An analyst opening the published warehouse read-only and querying it, over and over,
    from a thread; `reads` holds (monotonic time, rows of the work-events mart)."""

    QUERY = "select count(*) from marts.fct_work_events"

    def __init__(self, path: Path, every_s: float = 0.2):
        self.path, self.every_s = path, every_s
        self.reads: list[tuple[float, int]] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> PublishedReader:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                with duckdb.connect(str(self.path), read_only=True) as con:
                    self.reads.append((time.monotonic(), con.execute(self.QUERY).fetchall()[0][0]))
            except Exception as exc:  # what the analyst would see
                self.errors.append(f"{type(exc).__name__}: {exc}")
            self._stop.wait(self.every_s)

    def reads_between(self, start: float, end: float) -> list[int]:
        return [rows for at, rows in self.reads if start <= at <= end]


def duplicated_keys(warehouse: Path, keys: dict[str, str]) -> dict[str, int]:
    """{table: rows beyond one per primary key} for each table that has any."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = {}
        for table, key in keys.items():
            total, distinct = con.execute(f"select count(*), count(distinct ({key})) from {table}").fetchall()[0]
            if total != distinct:
                found[table] = total - distinct
        return found


def _pipeline_dir(deployment: JobDeployment, source: str) -> Path:
    return deployment.pipelines_dir / f"loadbearing_{source}"


def _children(folder: Path) -> list[Path]:
    """Sub-folders and files; none when the folder is not there (dlt moves packages between stages)."""
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(POLL_S)
