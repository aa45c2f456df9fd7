"""The GitHub connector against the sandbox's GitHub stand-in: a full load matches the
ground truth, and the next day's run asks only for what changed."""
from __future__ import annotations

import re
import time
from datetime import timedelta

import duckdb

from connectors.common.pipeline import make_pipeline
from connectors.github import github_source, settings
from sandbox.api_github import GitHubQuota
from sandbox.generate import generate_org
from sandbox.server import SandboxServer, SandboxTokens

CHILD = re.compile(r"^/github/repos/([^/]+/[^/]+)/pulls/(\d+)/(reviews|commits|files)$")


def _run(server, tmp_path):
    pipeline = make_pipeline("github", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    source = github_source(org="loadbearing-demo", base_url=server.github_url,
                           access_token=SandboxTokens().github_token)
    pipeline.run(source, loader_file_format="parquet")


def _assert_matches_ground_truth(org, tmp_path):
    expected = {k.split(".", 1)[1]: v for k, v in org.ground_truth["counts"].items() if k.startswith("raw_github.")}
    assert set(expected) == set(settings.PRIMARY_KEYS)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        for table, key in settings.PRIMARY_KEYS.items():
            key = key if isinstance(key, str) else ", ".join(key)
            rows, keys = con.execute(f"select count(*), count(distinct ({key})) from raw_github.{table}").fetchall()[0]
            assert rows == keys == expected[table], table


def _pull_versions(org) -> dict[tuple[str, int], str]:
    return {(repo, p["number"]): p["updated_at"] for repo, pulls in org.pulls.items() for p in pulls}


def test_full_load_then_next_day_fetches_only_what_changed(tmp_path):
    org = generate_org(seed=7, people=12, teams=2, months=2)
    with SandboxServer(org) as server:
        _run(server, tmp_path)
        first_run = len(server.request_log)
        _assert_matches_ground_truth(org, tmp_path)

        before = _pull_versions(org)
        org.advance_day()
        after = _pull_versions(org)
        changed = {pr for pr, at in after.items() if before.get(pr) != at}
        assert changed, "the sandbox day should touch some pull requests"

        server.clear_log()
        _run(server, tmp_path)
        log = server.request_log
        _assert_matches_ground_truth(org, tmp_path)
        for kind in ("reviews", "commits", "files"):
            asked = {(m[1], int(m[2])) for r in log if (m := CHILD.match(r.path)) and m[3] == kind}
            assert asked == changed, kind
        assert len(log) < first_run / 4

        server.clear_log()
        _run(server, tmp_path)  # nothing changed: no pull request fetched; unmoved cursors' lists answer 304
        assert not [r.path for r in server.request_log if re.search(r"/pulls/\d+", r.path)]
        assert {r.status for r in server.request_log if r.path.endswith(("/pulls", "/releases"))} == {304}
        server.clear_log()
        _run(server, tmp_path)  # every cursor as last time: every list but the repositories answers 304
        lists = [r for r in server.request_log if not r.path.endswith("/repos")]
        assert lists and all(r.status == 304 for r in lists)
        _assert_matches_ground_truth(org, tmp_path)


def test_backfill_larger_than_the_hourly_quota_completes_over_several_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "QUOTA_RESERVE", 100)
    hour = [time.time()]
    quota = GitHubQuota(limit=300, window_s=3600, clock=lambda: hour[0])  # a full load needs ~380
    with SandboxServer(generate_org(seed=7, people=12, teams=2, months=1), github_quota=quota) as server:
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
                hour[0] += 3600  # the next hour's quota
        assert runs > 1  # the quota really was too small for one run


def test_a_force_push_leaves_only_the_pull_requests_current_files_and_commits(tmp_path):
    org = generate_org(seed=7, people=12, teams=2, months=1)
    with SandboxServer(org) as server:
        _run(server, tmp_path)
        key = next(k for k in sorted(org.pull_files) if len(org.pull_files[k]) > 1 and len(org.pull_commits.get(k, [])) > 1)
        repo, number = key
        dropped_file, dropped_commit = org.pull_files[key].pop()["filename"], org.pull_commits[key].pop()["sha"]
        pull = next(p for p in org.pulls[repo] if p["number"] == number)
        pull["updated_at"] = org.now.strftime("%Y-%m-%dT%H:%M:%SZ")  # the push updates the PR
        server.refresh()
        _run(server, tmp_path)
        with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
            where = f"repo = '{repo}' and pull_number = {number}"
            files = {r[0] for r in con.execute(f"select filename from raw_github.pull_request_files where {where}").fetchall()}
            shas = {r[0] for r in con.execute(f"select sha from raw_github.pull_request_commits where {where}").fetchall()}
        assert files == {f["filename"] for f in org.pull_files[key]} and dropped_file not in files
        assert shas == {c["sha"] for c in org.pull_commits[key]} and dropped_commit not in shas


def test_start_date_bounds_the_first_backfill(tmp_path):
    org = generate_org(seed=7, people=12, teams=2, months=1)
    start = (org.now - timedelta(days=10)).date()
    with SandboxServer(org) as server:
        pipeline = make_pipeline("github", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
        pipeline.run(github_source(org="loadbearing-demo", base_url=server.github_url, start_date=start.isoformat(),
                                   access_token=SandboxTokens().github_token), loader_file_format="parquet")
    recent = {p["id"] for pulls in org.pulls.values() for p in pulls if p["updated_at"] >= start.isoformat()}
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        loaded = {r[0] for r in con.execute("select id from raw_github.pull_requests").fetchall()}
        oldest_comment = con.execute("select min(updated_at) from raw_github.issue_comments").fetchall()[0][0]
    assert loaded == recent and 0 < len(recent) < sum(map(len, org.pulls.values()))
    assert oldest_comment.date() >= start
