"""A fault through the whole Dagster daily job: Jira answers a burst of 500/502/503 and GitHub
cuts a pull request's JSON short while the job runs; the connectors retry, the job succeeds,
and the published warehouse (raw tables and marts) equals a clean load of the same
organization made by the connectors and dbt directly."""
from __future__ import annotations

from sandbox.generate import generate_org
from harness.deployment import deployed
from harness.warehouses import Deployment, compare
from harness.fault_scenarios import GITHUB_GRAPHQL, JIRA_SEARCH


def test_daily_job_retries_through_faults_and_publishes_what_a_clean_run_would(tmp_path):
    org = generate_org(seed=7, people=12, teams=2, months=1)
    with deployed(org, tmp_path / "job") as job:
        job.server.faults.outage(JIRA_SEARCH)
        job.server.faults.truncate(GITHUB_GRAPHQL, times=1)
        run = job.run_daily_job()
        job.server.faults.clear()
        clean = Deployment(tmp_path / "clean")
        clean.root.mkdir()
        assert set(clean.load(org, job.server).values()) == {None}
    assert run.returncode == 0, run.output[-4000:]
    assert sorted(r.status for r in run.requests if r.status >= 500) == [500, 502, 503]
    clean.build_marts({k: v for k, v in job.env.items() if k.startswith("LOADBEARING_")})
    comparison = compare(clean.warehouse, job.published)
    assert {t.table.split(".")[0] for t in comparison.tables} >= {"raw_github", "raw_jira", "marts"}
    assert comparison.equal, comparison.differences()
