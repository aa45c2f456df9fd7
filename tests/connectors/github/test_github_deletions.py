"""Comments and reviews deleted at GitHub leave the raw tables (connectors.github.deletions), on
DuckDB here; tests/reliability and `make reliability` check it end to end."""

from __future__ import annotations

import duckdb

from connectors.common.pipeline import make_pipeline
from connectors.github import github_source, settings
from sandbox import faults
from sandbox.generate import generate_org
from sandbox.server import SandboxServer, SandboxTokens
from sandbox.truth import ground_truth
from tests.connectors.sandbox_truth import assert_matches_ground_truth


def _run(server, tmp_path):
    pipeline = make_pipeline("github", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    source = github_source(
        org="loadbearing-demo", base_url=server.github_url, access_token=SandboxTokens().github_token
    )
    pipeline.run(source, loader_file_format="parquet")


def _ids(tmp_path, table: str) -> set[int]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return {row[0] for row in con.execute(f"select id from raw_github.{table}").fetchall()}


def _newest(comments: list[dict]) -> dict:
    return max(comments, key=lambda c: c["updated_at"])


def test_deleted_comments_and_reviews_leave_the_raw_tables(tmp_path):
    # GIVEN a loaded organization
    org = generate_org(seed=7, people=12, teams=2, months=1)
    with SandboxServer(org) as server:
        _run(server, tmp_path)
        repo = max(org.issue_comments, key=lambda r: len(org.issue_comments[r]))
        # WHEN a recent comment of each list, and a review with its inline comments, are deleted
        issue_comment = faults.delete_github_comment(org, repo, _newest(org.issue_comments[repo])["id"])
        review_comment = faults.delete_github_comment(org, repo, _newest(org.review_comments[repo])["id"])
        (review_repo, number), review = next(
            (key, r)
            for key, reviews in sorted(org.pull_reviews.items())
            for r in reviews
            if r["state"] == "APPROVED" and len(reviews) > 1
        )
        faults.delete_github_review(org, review_repo, number, review["id"])
        org.ground_truth = ground_truth(org, org.story)  # the counts a fresh load must hold now
        server.refresh()
        _run(server, tmp_path)
        # THEN their rows are gone, and every table holds what a fresh load would
        assert issue_comment["id"] not in _ids(tmp_path, "issue_comments")
        assert review_comment["id"] not in _ids(tmp_path, "review_comments")
        assert review["id"] not in _ids(tmp_path, "reviews")
        assert_matches_ground_truth(org, tmp_path / "warehouse.duckdb", "raw_github", settings.PRIMARY_KEYS)
