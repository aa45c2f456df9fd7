"""A fault through the whole Dagster daily job: Jira answers a burst of 500/502/503 and GitHub
cuts a pull request's JSON short while the job runs; the connectors retry, the job succeeds,
and the published warehouse (raw tables and marts) equals a clean load of the same
organization made by the connectors and dbt directly."""

from __future__ import annotations

import pytest

from harness.deployment import SMALL_ORG, JobDeployment, SourcesDeployment
from harness.fault_scenarios import GITHUB_GRAPHQL, JIRA_SEARCH
from harness.warehouses import compare
from sandbox.generate import generate_org


@pytest.fixture(scope="module")
def small_org():
    return generate_org(**{**SMALL_ORG, "months": 1})  # a month is enough for the faults to land


def test_daily_job_retries_through_faults_and_publishes_what_a_clean_run_would(small_org, sandbox_server, tmp_path):
    job = JobDeployment(small_org, sandbox_server, tmp_path / "job")
    job.server.faults.outage(JIRA_SEARCH)
    job.server.faults.truncate(GITHUB_GRAPHQL, times=1)
    run = job.run_daily_job()
    job.server.faults.clear()
    clean = SourcesDeployment(tmp_path / "clean")
    assert set(clean.load(small_org, job.server).values()) == {None}
    assert run.returncode == 0, run.output[-4000:]
    assert sorted(r.status for r in run.requests if r.status >= 500) == [500, 502, 503]
    clean.build_marts({k: v for k, v in job.env.items() if k.startswith("LOADBEARING_")})
    comparison = compare(clean.warehouse, job.published)
    assert {t.table.split(".")[0] for t in comparison.tables} >= {"raw_github", "raw_jira", "marts"}
    assert comparison.equal, comparison.differences()
