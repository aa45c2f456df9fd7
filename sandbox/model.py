"""The synthetic organization as the APIs would return it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PLACEHOLDER_ORIGIN = "http://sandbox.invalid"


@dataclass
class Org:
    """API-shaped objects of one synthetic organization.

    Every object is a plain dict shaped exactly like the real API's response item;
    URLs use PLACEHOLDER_ORIGIN, which the server rewrites to its own origin.
    """

    seed: int
    now: datetime  # the sandbox clock (UTC); advance_day() moves it
    start: datetime | None = None  # first instant of generated activity (UTC): end - months
    people: list[dict] = field(default_factory=list)  # roster rows (docs/CONTRACTS.md)
    github_org: str = "loadbearing-demo"
    repos: list[dict] = field(default_factory=list)  # GitHub repository objects
    # keyed by repo full name ("owner/name")
    pulls: dict[str, list[dict]] = field(default_factory=dict)  # as GET /pulls/{n} returns them
    issues: dict[str, list[dict]] = field(default_factory=dict)  # GitHub issues (PRs appear too, as in the API)
    review_comments: dict[str, list[dict]] = field(default_factory=dict)
    issue_comments: dict[str, list[dict]] = field(default_factory=dict)
    releases: dict[str, list[dict]] = field(default_factory=dict)
    # keyed by (repo full name, pull number)
    pull_reviews: dict[tuple[str, int], list[dict]] = field(default_factory=dict)
    pull_commits: dict[tuple[str, int], list[dict]] = field(default_factory=dict)
    pull_files: dict[tuple[str, int], list[dict]] = field(default_factory=dict)
    # review_requested / review_request_removed items of the pull request's timeline, oldest first
    pull_timeline: dict[tuple[str, int], list[dict]] = field(default_factory=dict)
    # Jira: issues carry "fields" and the full "changelog": {"histories": [...]}
    jira_issues: list[dict] = field(default_factory=list)
    jira_worklogs: dict[str, list[dict]] = field(default_factory=dict)  # issue id -> worklogs
    jira_comments: dict[str, list[dict]] = field(default_factory=dict)  # issue id -> comments
    jira_users: list[dict] = field(default_factory=list)
    # Google Calendar: calendar id (a person's email) -> Event resources, cancelled ones included
    calendars: dict[str, list[dict]] = field(default_factory=dict)
    ics_feeds: dict[str, str] = field(default_factory=dict)  # feed name -> .ics text
    ground_truth: dict = field(default_factory=dict)  # docs/CONTRACTS.md, "Ground truth"
    story: object = field(default=None, repr=False, compare=False)  # sandbox.generate.Story that drives it

    def advance_day(self) -> None:
        """One more day of activity: new objects, existing ones updated, `now` one day later."""
        if self.story is None:
            raise RuntimeError("this Org was not made by sandbox.generate.generate_org; it cannot advance")
        self.story.advance_day()
