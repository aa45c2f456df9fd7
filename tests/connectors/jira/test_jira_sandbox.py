"""The Jira connector against the sandbox's Jira Cloud stand-in: a full load matches the
ground truth, and the next day's run reads only issues updated since the cursor."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from connectors.common.pipeline import make_pipeline
from connectors.jira import jira_source, settings
from sandbox import api_jira
from sandbox.api_jira import MAX_INLINE_CHILDREN
from sandbox.server import SandboxServer, SandboxTokens
from tests.connectors.sandbox_truth import assert_matches_ground_truth, next_day_changes

PRIMARY_KEYS = {"issues": "id", "issue_changelogs": "id", "worklogs": "id", "comments": "id", "users": "account_id"}
CHILD = re.compile(r"^/jira/rest/api/3/issue/([^/]+)/(worklog|comment|changelog)$")


def _run(server, tmp_path):
    tokens = SandboxTokens()
    pipeline = make_pipeline("jira", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    source = jira_source(site_url=server.jira_url, email=tokens.jira_email, api_token=tokens.jira_api_token)
    pipeline.run(source, loader_file_format="parquet")


def _assert_matches_ground_truth(org, tmp_path):
    assert_matches_ground_truth(org, tmp_path / "warehouse.duckdb", "raw_jira", PRIMARY_KEYS)


def _updated(org) -> dict[str, datetime]:
    return {i["key"]: datetime.fromisoformat(i["fields"]["updated"]) for i in org.jira_issues}


def test_full_load_then_next_day_reads_only_issues_updated_since_the_cursor(small_org, tmp_path):
    org = small_org
    with SandboxServer(org) as server:
        _run(server, tmp_path)
        _assert_matches_ground_truth(org, tmp_path)
        assert {r.status for r in server.request_log} == {200}

        cursor = max(_updated(org).values())
        changed = next_day_changes(org, _updated)
        after = _updated(org)

        server.clear_log()
        _run(server, tmp_path)
        log = server.request_log
        _assert_matches_ground_truth(org, tmp_path)

        searched = [r.query["jql"] for r in log if r.path.endswith("/search/jql") and "expand" in r.query]
        floor = (cursor - settings.OVERLAP).astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        assert searched and all(q.startswith(f'updated >= "{floor}"') for q in searched)
        # worklogs and comments come inline; their own list is asked for every changed issue with
        # more than the search inlines, and only for issues in the window
        for kind, lists in (("worklog", org.jira_worklogs), ("comment", org.jira_comments)):
            asked = {m[1] for r in log if (m := CHILD.match(r.path)) and m[2] == kind}
            long = {i["key"] for i in org.jira_issues if len(lists.get(str(i["id"]), [])) > MAX_INLINE_CHILDREN}
            assert changed & long <= asked <= long, kind
            assert all(after[key] >= cursor - settings.OVERLAP for key in asked), kind
        assert all(CHILD.match(r.path) or r.path.endswith(("/search/jql", "/myself", "/users/search")) for r in log)

        server.clear_log()
        _run(server, tmp_path)  # nothing changed: the search, /myself and users only
        assert not [r.path for r in server.request_log if CHILD.match(r.path)]
        _assert_matches_ground_truth(org, tmp_path)


def test_worklogs_and_comments_beyond_what_the_search_inlines_are_read_from_their_lists(
    small_org, tmp_path, monkeypatch
):
    org = small_org
    monkeypatch.setattr(api_jira, "MAX_INLINE_CHILDREN", 1)  # any issue with two of them overflows
    with SandboxServer(org) as server:
        _run(server, tmp_path)
        log = server.request_log
    _assert_matches_ground_truth(org, tmp_path)
    for kind, lists in (("worklog", org.jira_worklogs), ("comment", org.jira_comments)):
        asked = {m[1] for r in log if (m := CHILD.match(r.path)) and m[2] == kind}
        long = {i["key"] for i in org.jira_issues if len(lists.get(str(i["id"]), [])) > 1}
        assert asked == long and long, kind
