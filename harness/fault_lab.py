"""One sandbox organization, its clean deployments, and a scenario run against them.

    with Lab(root) as lab:
        result = lab.run(scenario)   # faulted run, recovery run, comparison with the reference

The lab loads every source once (day 0), moves the sandbox one day on, and loads again
(day 1): that deployment is the reference of incremental scenarios. A backfill scenario's
reference is the same deployment with its source forgotten and loaded again, cleanly.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from connectors.common.settings import TIMEOUT_SETTING
from harness.deployment import SMALL_ORG, SOURCES, SourcesDeployment
from harness.fault_scenarios import CLOUD_APIS, HTTP_TIMEOUT_S, Apis, Scenario
from harness.warehouses import Comparison, compare
from sandbox import faults
from sandbox.generate import generate_org
from sandbox.server import SandboxServer

# every source, and the on-call one (off by default elsewhere), so its faults have a clean run to meet
LAB_SOURCES = (*SOURCES, "oncall")


@dataclass
class ScenarioResult:
    scenario: Scenario
    faulted: str | None  # the faulted run's failure message, None when it loaded
    recovery: str | None  # the recovery run's failure message, None when it loaded
    comparison: Comparison
    deployment: SourcesDeployment
    runs: int = 2

    @property
    def recovered(self) -> bool:
        return self.recovery is None and self.comparison.equal

    @property
    def outcome(self) -> str:
        if self.recovery is not None:
            return f"NOT RECOVERED: {self.recovery}"
        if not self.comparison.equal:
            return "NOT EQUAL to the clean run"
        return "recovered" if self.faulted is None else f"failed with message, then recovered: {self.faulted}"


class Lab:
    def __init__(self, root: Path, org_args: dict | None = None, apis: Apis = CLOUD_APIS):
        self.root = root
        self.apis = apis
        self.org = generate_org(**(org_args or SMALL_ORG))
        self.server = SandboxServer(self.org, jira_deployment=apis.jira)
        self._backfill_references: dict[str, SourcesDeployment] = {}
        self._saved_timeout = os.environ.get(TIMEOUT_SETTING)

    def __enter__(self) -> Lab:
        os.environ[TIMEOUT_SETTING] = str(HTTP_TIMEOUT_S)
        self.server.start()
        self.day0 = self._loaded(
            SourcesDeployment(self.root / "day0", calendar=self.apis.calendar, oncall=self.apis.oncall)
        )
        self.org.advance_day()
        self.day1 = self._loaded(self.day0.copy_to(self.root / "day1"))
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()
        if self._saved_timeout is None:
            os.environ.pop(TIMEOUT_SETTING, None)
        else:
            os.environ[TIMEOUT_SETTING] = self._saved_timeout

    def _loaded(self, deployment: SourcesDeployment, sources=LAB_SOURCES) -> SourcesDeployment:
        deployment.must_load(self.org, self.server, sources)
        return deployment

    def reference(self, scenario: Scenario) -> SourcesDeployment:
        if scenario.phase == "incremental":
            return self.day1
        if scenario.source not in self._backfill_references:
            clean = self.day1.copy_to(self.root / f"clean-backfill-{scenario.source}")
            clean.forget(scenario.source)
            self._backfill_references[scenario.source] = self._loaded(clean, [scenario.source])
        return self._backfill_references[scenario.source]

    def start(self, scenario: Scenario) -> SourcesDeployment:
        """Where the scenario's faulted run begins: day 1 with its source as day 0 left it, or
        day 1 without its source."""
        deployment = self.day1.copy_to(self.root / scenario.id)
        if scenario.phase == "incremental":
            deployment.restore(scenario.source, self.day0)
        else:
            deployment.forget(scenario.source)
        return deployment

    def run(self, scenario: Scenario) -> ScenarioResult:
        assert scenario.apis == self.apis, f"{scenario.id} needs a lab of {scenario.apis}"
        reference = self.reference(scenario)
        deployment = self.start(scenario)
        scenario.arm(self.server.faults, scenario.endpoint)
        try:
            faulted = deployment.load(self.org, self.server, [scenario.source])[scenario.source]
        finally:
            self.server.faults.clear()
        recovery = deployment.load(self.org, self.server, [scenario.source])[scenario.source]
        return ScenarioResult(
            scenario, faulted, recovery, compare(reference.warehouse, deployment.warehouse), deployment
        )


class Labs:
    """A lab per set of APIs the scenarios read through, each started the first time a scenario
    needs it (`on_start` is told), all stopped on exit."""

    def __init__(self, root: Path, on_start: Callable[[Apis], None] | None = None):
        self.root = root
        self._on_start = on_start
        self._stack = ExitStack()
        self._labs: dict[Apis, Lab] = {}

    def __enter__(self) -> Labs:
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def for_scenario(self, scenario: Scenario) -> Lab:
        if scenario.apis not in self._labs:
            if self._on_start:
                self._on_start(scenario.apis)
            lab = Lab(self.root / f"lab-{len(self._labs)}", apis=scenario.apis)
            self._labs[scenario.apis] = self._stack.enter_context(lab)
        return self._labs[scenario.apis]


DELETION_SOURCES = ("github", "jira", "calendar")


@dataclass
class Deletions:
    """Two runs around items deleted between them, and a fresh load of what is left."""

    comparison: Comparison  # the fresh load (reference) against the incremental deployment
    warehouse: Path  # the incremental deployment's
    cancelled_event: str
    dismissed_review: int
    deleted_issue: dict  # the Jira issue as it was before deletion
    github_deleted: dict[str, int] = field(default_factory=dict)  # raw table -> id of a GitHub item deleted

    def tables(self, source: str) -> Comparison:
        return Comparison([t for t in self.comparison.tables if t.table.startswith(f"raw_{source}.")])

    def kept_rows(self) -> dict[str, int]:
        """Rows of the deleted Jira issue still in the warehouse, per table that has any."""
        issue = self.deleted_issue
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            kept = {
                table: con.execute(f"select count(*) from {table} where {column} = ?", [value]).fetchall()[0][0]
                for table, column, value in (
                    ("raw_jira.issues", "id", str(issue["id"])),
                    ("raw_jira.issue_changelogs", "issue_key", issue["key"]),
                    ("raw_jira.worklogs", "issue_key", issue["key"]),
                    ("raw_jira.comments", "issue_key", issue["key"]),
                )
            }
        return {table: rows for table, rows in kept.items() if rows}

    def deleted_issue_gone(self) -> bool:
        """Jira equals a fresh load: the deleted issue left every table (id reconciliation)."""
        return not self.kept_rows() and self.tables("jira").equal

    def github_kept(self) -> dict[str, int]:
        """Rows of the deleted GitHub comments and review still in the warehouse, per table."""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return {
                table: con.execute(f"select count(*) from {table} where id = ?", [item]).fetchall()[0][0]
                for table, item in self.github_deleted.items()
            }


def run_deletions(root: Path, org_args: dict | None = None) -> Deletions:
    """Load; cancel an event, dismiss a review, delete a Jira issue, GitHub comments and a review;
    load again; load afresh."""
    org = generate_org(**(org_args or {**SMALL_ORG, "seed": 11, "months": 1}))
    with SandboxServer(org) as server:
        incremental = SourcesDeployment(root / "incremental")
        incremental.must_load(org, server, DELETION_SOURCES)
        # one of each deletion kind
        event = next(
            e
            for events in org.calendars.values()
            for e in events
            if e.get("status") == "confirmed" and len(e.get("attendees") or []) > 1
        )
        (repo, number), review = next(
            (key, r) for key, reviews in org.pull_reviews.items() for r in reviews if r["state"] == "APPROVED"
        )
        issue = faults.delete_jira_issue(org, org.jira_issues[0]["key"])
        faults.cancel_event(org, event["id"])
        faults.dismiss_review(org, repo, number, review["id"])
        github_deleted = delete_github_items(org, exclude=review["id"])
        server.refresh()
        incremental.must_load(org, server, DELETION_SOURCES)
        fresh = SourcesDeployment(root / "fresh")
        fresh.must_load(org, server, DELETION_SOURCES)
    return Deletions(
        compare(fresh.warehouse, incremental.warehouse),
        incremental.warehouse,
        event["id"],
        review["id"],
        issue,
        github_deleted=github_deleted,
    )


def delete_github_items(org, exclude: int | None = None) -> dict[str, int]:
    """The newest issue comment and review comment of the busiest repo, and a review (not `exclude`)
    of another pull request with more than one, deleted; raw table -> the deleted item's id."""
    repo = max(org.issue_comments, key=lambda r: len(org.issue_comments[r]))
    newest = lambda comments: max(comments, key=lambda c: c["updated_at"])["id"]  # noqa: E731
    issue_comment = faults.delete_github_comment(org, repo, newest(org.issue_comments[repo]))
    review_comment = faults.delete_github_comment(org, repo, newest(org.review_comments[repo]))
    (review_repo, number), review = next(
        (key, r)
        for key, reviews in sorted(org.pull_reviews.items())
        for r in reviews
        if r["state"] == "APPROVED" and len(reviews) > 1 and all(x["id"] != exclude for x in reviews)
    )
    faults.delete_github_review(org, review_repo, number, review["id"])
    return {
        "raw_github.issue_comments": issue_comment["id"],
        "raw_github.review_comments": review_comment["id"],
        "raw_github.reviews": review["id"],
    }
