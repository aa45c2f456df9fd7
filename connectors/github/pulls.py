"""Which pull requests of one repository a run loads, through GraphQL's listing by UPDATED_AT,
newest first.

The listing stops at the first PR older than the repo's cursor less PULLS_OVERLAP; PRs in
that overlap already loaded with the same updatedAt (`seen`) are not loaded again. GitHub's
GraphQL cursors carry the sort key, so a PR updated while we page moves to the front without
shifting the rest; it is newer than the cursor this run leaves, and the next run loads it.

A run the quota stops (QuotaDeferred, raised by the client when less than QUOTA_RESERVE is
left) keeps the span of PRs it loaded ("partial") and the listing's position below it
("resume"): the next run lists down to that span, then goes on from the position, so no PR is
listed (and paid for) twice.

Not dlt.sources.incremental: the listing is newest first and stops early, a deferred run must
keep a span and a position rather than a high-water mark, and each repository has its own
cursor (one repo deferred by the quota must not move another's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from connectors.common.time import parse_instant, utc_seconds
from connectors.github import graphql, settings
from connectors.github.client import GitHubClient, QuotaDeferred


class PullListing:
    """The PR nodes one repo's run must load, in listing order. `state` is the repo's part of
    dlt's resource state: {"cursor", "seen": {id: updatedAt}, "partial": [low, high], "resume"};
    it is updated as the listing ends (completely, or by QuotaDeferred)."""

    def __init__(self, client: GitHubClient, repo: str, state: dict, start: datetime | None):
        self.client, self.repo, self.state = client, repo, state
        self.cursor = parse_instant(state.get("cursor"))
        self.seen: dict[str, str] = state.get("seen", {})
        self.low, self.high = (parse_instant(at) for at in state.get("partial", (None, None)))
        self.floor = self.cursor - settings.PULLS_OVERLAP if self.cursor else start
        self.after: str | None = None  # the listing's position: end cursor of the last page read in full

    def __iter__(self) -> Iterator[dict]:
        top = oldest = None  # the newest listed PR, the oldest one loaded (or known loaded) so far
        listed = {}  # {id: updatedAt} of every PR listed in this run
        try:
            for node in self._listing():
                updated = parse_instant(node["updatedAt"])
                top = max(top or updated, updated)
                listed[node["fullDatabaseId"]] = node["updatedAt"]
                if self.seen.get(node["fullDatabaseId"]) != node["updatedAt"]:
                    yield node
                oldest = min(oldest or updated, updated)  # reached once the caller has loaded the node
        except QuotaDeferred:
            self._keep_partial(top, oldest)
            raise
        self._advance(top, listed)

    def _listing(self) -> Iterator[dict]:
        past_floor = lambda updated: self.floor is not None and updated < self.floor  # noqa: E731
        if self.high is None:
            yield from self._newest(past_floor)
            return
        yield from self._newest(lambda updated: updated <= self.high)
        self.after = self.state.get("resume")
        yield from self._newest(past_floor)

    def _newest(self, done: Callable[[datetime], bool]) -> Iterator[dict]:
        """PR nodes from `self.after` (None: the newest) up to the first whose updatedAt is `done`.
        The first page is small: a daily run rarely needs more, and a page carries its PRs' nested lists."""
        owner, name = self.repo.split("/", 1)
        first = settings.PULLS_FIRST_PAGE
        while True:
            variables = {"owner": owner, "name": name, "first": first, "after": self.after}
            pulls = self.client.graphql(graphql.PULLS_QUERY, variables, deferrable=True)["repository"]["pullRequests"]
            for node in pulls["nodes"]:
                if done(parse_instant(node["updatedAt"])):
                    return
                yield node
            if not pulls["pageInfo"]["hasNextPage"]:
                return
            self.after, first = pulls["pageInfo"]["endCursor"], graphql.PAGE_SIZE

    def _keep_partial(self, top: datetime | None, oldest: datetime | None) -> None:
        if oldest and (self.high is None or oldest <= self.high):  # what this run loaded reaches the earlier span
            # the span reaches up to the earlier span's top even when nothing newer was listed
            span = min(oldest, self.low or oldest), max(top, self.high or top)
            self.state["partial"] = [utc_seconds(at) for at in span]
            self.state["resume"] = self.after

    def _advance(self, top: datetime | None, listed: dict[str, str]) -> None:
        # everything up to the earlier span's top was loaded by the runs before
        top = max(top, self.high) if top and self.high else top
        if not top:
            return
        self.state.pop("partial", None)
        self.state.pop("resume", None)
        if self.cursor is None or top > self.cursor:
            self.state["cursor"] = utc_seconds(top)
            window = top - settings.PULLS_OVERLAP
            self.state["seen"] = {pr: at for pr, at in {**self.seen, **listed}.items() if parse_instant(at) >= window}
