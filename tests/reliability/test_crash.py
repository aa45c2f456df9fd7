"""A daily run killed (SIGKILL, its whole process group) during extract, during load and
during dbt; the next run repairs it: it succeeds, and the published warehouse equals, row for
row, the one of a deployment whose run was never killed (same organization, same sandbox
day), with no primary key twice in a raw table, and Dagster records the dead run as failed
with no pool slot left claimed. An analyst keeps querying the published warehouse
throughout, and the killed run never touches it.

Every deployment starts from a copy of one that ran yesterday (so there is a published
warehouse to read and the runs are incremental), and all are served by one sandbox, so the
links the sandbox writes into the data are the same everywhere.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus

from harness.warehouses import compare
from tests.reliability.crash import PHASE_EVIDENCE, PublishedReader, deployment_at, duplicated_keys, kill_during

# primary keys of the raw tables (docs/CONTRACTS.md, "Raw tables")
RAW_KEYS = {
    "raw_github.repositories": "id",
    "raw_github.pull_requests": "id",
    "raw_github.pull_request_files": "repo, pull_number, filename",
    "raw_github.reviews": "id",
    "raw_github.review_comments": "id",
    "raw_github.issue_comments": "id",
    "raw_github.pull_request_commits": "repo, pull_number, sha",
    "raw_github.issues": "id",
    "raw_github.releases": "id",
    "raw_jira.issues": "id",
    "raw_jira.issue_changelogs": "id",
    "raw_jira.worklogs": "id",
    "raw_jira.comments": "id",
    "raw_jira.users": "account_id",
    "raw_calendar.events": "calendar_id, id",
    "raw_people.people": "person_id",
}


@pytest.fixture(scope="module")
def yesterday(small_org, sandbox_server, tmp_path_factory) -> Path:
    """The folder of a deployment after yesterday's successful run; then the sandbox moves a day on."""
    deployment = deployment_at(small_org, sandbox_server, tmp_path_factory.mktemp("crash") / "yesterday")
    run = deployment.run_daily_job()
    assert run.returncode == 0, run.output[-6000:]
    small_org.advance_day()
    return deployment.root


@pytest.fixture(scope="module")
def never_killed(small_org, sandbox_server, yesterday):
    """Today's run, not interrupted: the reference."""
    deployment = deployment_at(small_org, sandbox_server, yesterday.parent / "never_killed", copied_from=yesterday)
    run = deployment.run_daily_job()
    assert run.returncode == 0, run.output[-6000:]
    return deployment


@pytest.mark.parametrize("phase", list(PHASE_EVIDENCE))
def test_a_run_killed_mid_phase_is_repaired_by_the_next_run(
    phase, small_org, sandbox_server, yesterday, never_killed, monkeypatch
):
    deployment = deployment_at(
        small_org, sandbox_server, yesterday.parent / f"killed_during_{phase}", copied_from=yesterday
    )
    published_before = digest(deployment.published)

    with PublishedReader(deployment.published) as reader:
        started = time.monotonic()
        killed = kill_during(deployment, phase)
        killed_at = time.monotonic()
        published_after_kill = digest(deployment.published)
        rerun = deployment.run_daily_job()
        rerun_done = time.monotonic()

    context = f"killed during {phase} ({killed.evidence}, after {killed.after_s:.0f} s)"
    print(f"{context}; rerun took {rerun_done - killed_at:.0f} s")  # shown with -rP: where the kill landed
    assert published_after_kill == published_before, f"{context}: the killed run changed the published warehouse"
    assert rerun.returncode == 0, f"{context}; the rerun failed:\n{rerun.output[-6000:]}"
    # the analyst could open and query it while the killed run and the rerun went on
    assert reader.errors == [], f"{context}: {reader.errors[:3]}"
    assert reader.reads_between(started, killed_at), f"{context}: no read while the killed run went on"
    assert reader.reads_between(killed_at, rerun_done), f"{context}: no read during the rerun"

    comparison = compare(never_killed.published, deployment.published)
    assert {t.table.split(".")[0] for t in comparison.tables} >= {
        "raw_github",
        "raw_jira",
        "raw_calendar",
        "raw_people",
        "marts",
    }
    assert comparison.equal, f"{context}: {comparison.differences()}"
    assert duplicated_keys(deployment.published, RAW_KEYS) == {}, context

    # the dead run is recorded as over, and holds no slot of the warehouse pool
    monkeypatch.setenv("DAGSTER_HOME", deployment.env["DAGSTER_HOME"])  # dagster.yaml reads it
    with DagsterInstance.from_config(deployment.env["DAGSTER_HOME"]) as instance:
        newest_first = [run.status for run in instance.get_runs()]
        storage = instance.event_log_storage
        claimed = [
            slot for pool in storage.get_concurrency_keys() for slot in storage.get_concurrency_info(pool).claimed_slots
        ]
    assert newest_first[:2] == [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE], (context, newest_first)
    assert claimed == [], context


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
