"""The GitHub connector against the sandbox's GitHub stand-in (REST and GraphQL): a full load
matches the ground truth, and the next day's run loads only what changed."""

from __future__ import annotations

import time
from datetime import timedelta

import duckdb

from connectors.common.pipeline import make_pipeline
from connectors.github import github_source, graphql, settings
from sandbox.api_github import GitHubQuota
from sandbox.generate import generate_org
from sandbox.server import SandboxServer, SandboxTokens
from tests.connectors.sandbox_truth import assert_matches_ground_truth, next_day_changes

GRAPHQL = "/github/graphql"


def _run(server, tmp_path):
    pipeline = make_pipeline("github", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    source = github_source(
        org="loadbearing-demo", base_url=server.github_url, access_token=SandboxTokens().github_token
    )
    pipeline.run(source, loader_file_format="parquet")


def _assert_matches_ground_truth(org, tmp_path):
    assert_matches_ground_truth(org, tmp_path / "warehouse.duckdb", "raw_github", settings.PRIMARY_KEYS)


def _loaded_last(tmp_path, table: str, columns: str) -> set[tuple]:
    """Rows of `table` written by the latest load."""
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return set(
            con.execute(
                f"select {columns} from raw_github.{table} where _dlt_load_id = "
                "(select max(load_id) from raw_github._dlt_loads)"
            ).fetchall()
        )


def _pull_versions(org) -> dict[tuple[str, int], str]:
    return {(repo, p["number"]): p["updated_at"] for repo, pulls in org.pulls.items() for p in pulls}


def test_full_load_then_next_day_fetches_only_what_changed(small_org, tmp_path):
    org = small_org
    with SandboxServer(org) as server:
        _run(server, tmp_path)
        first_run = len(server.request_log)
        _assert_matches_ground_truth(org, tmp_path)

        changed = next_day_changes(org, _pull_versions)

        server.clear_log()
        _run(server, tmp_path)
        log = server.request_log
        _assert_matches_ground_truth(org, tmp_path)
        # the changed PRs and only they were loaded again, with their reviews, commits and files
        assert _loaded_last(tmp_path, "pull_requests", "repo, number") == changed
        for table in ("reviews", "pull_request_files", "pull_request_commits"):
            assert {pr for pr in _loaded_last(tmp_path, table, "repo, pull_number")} <= changed, table
        assert _loaded_last(tmp_path, "pull_request_files", "repo, pull_number") == {
            pr for pr in changed if org.pull_files.get(pr)
        }
        assert not [r.path for r in log if "/pulls" in r.path and not r.path.endswith("/pulls/comments")]
        assert len(log) <= 1 + 5 * len(org.repos) < first_run  # a day's change fits one page of each list

        server.clear_log()
        _run(server, tmp_path)  # nothing changed: one GraphQL query per repo; unmoved cursors' lists answer 304
        log = server.request_log
        assert len([r for r in log if r.path == GRAPHQL]) == len(org.repos)
        assert {r.status for r in log if r.path.endswith("/releases")} == {304}
        server.clear_log()
        _run(server, tmp_path)  # every cursor as last time: every REST list but the repositories answers 304
        lists = [r for r in server.request_log if not r.path.endswith(("/repos", GRAPHQL))]
        assert lists and all(r.status == 304 for r in lists)
        _assert_matches_ground_truth(org, tmp_path)


def test_backfill_larger_than_the_hourly_quotas_completes_over_several_runs(tmp_path, monkeypatch):
    # pages of 5 pull requests: a GraphQL query costs 1 point, so points = queries
    monkeypatch.setattr(graphql, "PAGE_SIZE", 5)
    monkeypatch.setattr(settings, "PULLS_FIRST_PAGE", 5)
    org = generate_org(seed=7, people=12, teams=2, months=1)
    with SandboxServer(org) as server:  # what a full load spends of each quota
        _run(server, tmp_path / "unbounded")
        points = sum(r.path == GRAPHQL for r in server.request_log)
        requests = len(server.request_log) - points
    assert points > 10 and requests > 10

    monkeypatch.setattr(settings, "QUOTA_RESERVE", 5)
    hour = [time.time()]
    # each hour allows half of a full load beyond the reserve the connector leaves unspent
    rest = GitHubQuota(limit=5 + requests // 2, window_s=3600, clock=lambda: hour[0])
    points_quota = GitHubQuota(limit=5 + points // 2, window_s=3600, clock=lambda: hour[0], resource="graphql")
    with SandboxServer(org, github_quota=rest, graphql_quota=points_quota) as server:
        runs = 0
        while True:
            runs += 1
            _run(server, tmp_path)
            assert max(r.status for r in server.request_log) < 400  # deferred, never refused
            try:
                _assert_matches_ground_truth(server.org, tmp_path)
                break
            except AssertionError:
                assert runs < 6, "a deferred backfill must progress every run"
                hour[0] += 3600  # the next hour's quotas
        assert runs > 1  # the quotas really were too small for one run


def test_a_force_push_leaves_only_the_pull_requests_current_files_and_commits(tmp_path):
    org = generate_org(seed=7, people=12, teams=2, months=1)
    with SandboxServer(org) as server:
        _run(server, tmp_path)
        key = next(
            k for k in sorted(org.pull_files) if len(org.pull_files[k]) > 1 and len(org.pull_commits.get(k, [])) > 1
        )
        repo, number = key
        dropped_file, dropped_commit = org.pull_files[key].pop()["filename"], org.pull_commits[key].pop()["sha"]
        pull = next(p for p in org.pulls[repo] if p["number"] == number)
        pull["updated_at"] = org.now.strftime("%Y-%m-%dT%H:%M:%SZ")  # the push updates the PR
        server.refresh()
        _run(server, tmp_path)
        with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
            where = f"repo = '{repo}' and pull_number = {number}"
            files = {
                r[0]
                for r in con.execute(f"select filename from raw_github.pull_request_files where {where}").fetchall()
            }
            shas = {
                r[0] for r in con.execute(f"select sha from raw_github.pull_request_commits where {where}").fetchall()
            }
        assert files == {f["filename"] for f in org.pull_files[key]} and dropped_file not in files
        assert shas == {c["sha"] for c in org.pull_commits[key]} and dropped_commit not in shas


def test_start_date_bounds_the_first_backfill(tmp_path):
    org = generate_org(seed=7, people=12, teams=2, months=1)
    start = (org.now - timedelta(days=10)).date()
    with SandboxServer(org) as server:
        pipeline = make_pipeline("github", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
        pipeline.run(
            github_source(
                org="loadbearing-demo",
                base_url=server.github_url,
                start_date=start.isoformat(),
                access_token=SandboxTokens().github_token,
            ),
            loader_file_format="parquet",
        )
    recent = {p["id"] for pulls in org.pulls.values() for p in pulls if p["updated_at"] >= start.isoformat()}
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        loaded = {r[0] for r in con.execute("select id from raw_github.pull_requests").fetchall()}
        oldest_comment = con.execute("select min(updated_at) from raw_github.issue_comments").fetchall()[0][0]
    assert loaded == recent and 0 < len(recent) < sum(map(len, org.pulls.values()))
    assert oldest_comment.date() >= start
