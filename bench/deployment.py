"""A benchmark deployment: harness.deployment's, served with quotas no backfill reaches, and its
daily job run as a child process whose process tree's peak RSS is sampled from /proc (psutil
is not installed in the venv)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.deployment import JobDeployment, deployed
from pipelines.settings import REPO_ROOT
from sandbox.api_github import GitHubQuota

RSS_POLL_S = 0.1
# quotas (REST requests, GraphQL points) no backfill reaches: with a real token's 5,000 an hour the
# connector defers the rest of a large backfill (and the next daily run) to the next hour
BENCH_GITHUB_QUOTA = 10_000_000
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class JobRun:
    ok: bool
    wall_s: float
    peak_rss_mb: float
    rss_at_peak_mb: dict[str, float]  # per process of the tree
    requests: list  # the sandbox's RequestRecords during the run
    steps: dict[str, float]  # Dagster step key -> seconds
    output: str


@contextmanager
def bench_deployed(org, root: Path) -> Iterator[JobDeployment]:
    with deployed(
        org,
        root,
        github_quota=GitHubQuota(limit=BENCH_GITHUB_QUOTA),
        graphql_quota=GitHubQuota(limit=BENCH_GITHUB_QUOTA, resource="graphql"),
    ) as deployment:
        yield deployment


def run_measured(deployment: JobDeployment) -> JobRun:
    """The deployment's daily job (bench.job, which also writes its steps' durations), measured."""
    deployment.server.clear_log()
    started = time.monotonic()
    steps_file = deployment.root / "steps.json"
    steps_file.unlink(missing_ok=True)
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.job"],
        cwd=REPO_ROOT,
        env={**deployment.env, "BENCH_STEPS_FILE": str(steps_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    sampler = TreeRssSampler(child.pid)
    sampler.start()
    output = child.communicate()[0]
    wall = time.monotonic() - started
    sampler.stop()
    at_peak = {name: round(kb / 1024) for name, kb in sampler.at_peak.items() if kb > 10 * 1024}
    return JobRun(
        child.returncode == 0,
        wall,
        sampler.peak_kb / 1024,
        at_peak,
        deployment.server.request_log,
        json.loads(steps_file.read_text()) if steps_file.exists() else {},
        output,
    )


class TreeRssSampler(threading.Thread):
    """Largest sum of VmRSS over a process and all its descendants, polled from /proc."""

    def __init__(self, root_pid: int):
        super().__init__(daemon=True)
        self.root_pid, self.peak_kb = root_pid, 0
        self.at_peak: dict[str, int] = {}  # KB per process of the tree when the sum peaked
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            per_process = tree_rss_kb(self.root_pid)
            total = sum(per_process.values())
            if total > self.peak_kb:
                self.peak_kb, self.at_peak = total, per_process
            self._done.wait(RSS_POLL_S)

    def stop(self) -> None:
        self._done.set()
        self.join()


def tree_rss_kb(root_pid: int) -> dict[str, int]:
    """VmRSS in KB of each process in the tree, keyed by pid and a short command line."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
            ppid, resident = int(stat.rsplit(")", 1)[1].split()[1]), 0
            with open(f"/proc/{entry.name}/statm") as f:
                resident = int(f.read().split()[1]) * PAGE_KB
        except (OSError, ValueError, IndexError):
            continue
        pid = int(entry.name)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = resident
    tree, todo = {}, [root_pid]
    while todo:
        pid = todo.pop()
        if pid in rss:
            tree[f"{pid} {_command(pid)}"] = rss[pid]
        todo.extend(children.get(pid, []))
    return tree


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            words = f.read().decode(errors="replace").split("\0")
    except OSError:
        return "?"
    words = [Path(w).name if "/" in w and not w.startswith("-") else w for w in words if w]
    return " ".join(words)[:60]
