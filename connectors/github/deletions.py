"""Comments deleted at GitHub, found by the ids a listing no longer shows.

GitHub's `since` lists (issue and review comments) never report a deletion. So each run lists a
repo's comments from DELETIONS_WINDOW before its cursor (rather than from the cursor), and the
ids it loaded in that window before ("recent" in the repo's state) that the listing no longer
shows were deleted: they are yielded as tombstones, rows flagged in DELETED_COLUMN, which dlt's
`hard_delete` hint turns into deletes (DuckDB and Postgres alike).

Cost: the window's comments are listed again each run, ceil(comments updated in the window /
100) requests per repo and list; a window that fitted in part of one page is asked with its
ETag, so an unchanged one answers 304 (free). A comment deleted after it left the window (no update to it for
DELETIONS_WINDOW) stays: finding those means listing every comment of the repo.

Reviews and review request events need none of this: the pull request query lists them all for
every pull request it loads, and their tables merge on the pull request (settings.MERGE_KEYS), so
a reloaded pull request's rows replace its earlier ones.
"""

from __future__ import annotations

from datetime import datetime

from connectors.common.time import parse_instant
from connectors.github import settings

DELETED_COLUMN = "deleted_at_source"


class CommentWindow:
    """The comment ids of one repo's list loaded within the window: state["recent"] is {id: updated_at}."""

    def __init__(self, state: dict):
        self.state = state
        self.recent: dict[str, str] = state.get("recent", {})

    def since(self, cursor: datetime | None, start: datetime | None) -> datetime | None:
        return cursor - settings.DELETIONS_WINDOW if cursor else start

    def etags_trusted(self) -> bool:
        """A 304 on the first page says nothing of later ones (a deletion there, or new items after a
        full first page): only a listing that fitted in part of one page may be asked conditionally."""
        return len(self.recent) < settings.PAGE_SIZE

    def vanished(self, since: datetime | None, listed: dict[str, str]) -> list[int]:
        """Ids loaded in the window that the listing from `since` should have shown and did not."""
        return [
            int(comment)
            for comment, updated in self.recent.items()
            if comment not in listed and (since is None or parse_instant(updated) >= since)
        ]

    def keep(self, listed: dict[str, str], cursor: datetime | None) -> None:
        """After an answered listing: the ids within the window of the new cursor."""
        if cursor is None:
            return
        floor = cursor - settings.DELETIONS_WINDOW
        self.state["recent"] = {c: at for c, at in listed.items() if parse_instant(at) >= floor}


def tombstone(comment_id: int, repo: str) -> dict:
    """The row that deletes a comment's row: its key and the hard_delete flag."""
    return {"id": comment_id, "repo": repo, DELETED_COLUMN: True}
