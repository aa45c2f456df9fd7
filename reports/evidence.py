"""The items behind a packet or a digest, read from the marts and grouped: one line per pull
request, Jira issue or meeting series with what was done to it and how often, not one per
comment. Self-reported entries never share a line with work a tool recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

from reports.marts import Marts

# every attributed activity (promotable or hidden, never `other`) in [since, until) on the
# person's own clock, with its self-report mark and endorsements, and its evidence sentence when hidden
# (promotable work has no evidence item: the marks come from the work event itself)
ITEMS = """
    select e.person_key, e.occurred_at_local as occurred_at, e.work_category as category, e.is_promotable,
           e.source, e.activity_type, e.title, e.source_url as url, e.counterpart_person_key as counterpart,
           e.time_band, e.effort_hours as hours, e.is_default_guess as guessed, i.description,
           e.self_reported, e.endorsed_by_n
    from {m}.fct_work_events e left join {m}.fct_evidence_items i on i.evidence_key = e.event_key
    where e.occurred_at_local >= ? and e.occurred_at_local < ? and e.is_promotable is not null
    order by e.person_key, e.occurred_at_local, e.event_key
"""

# (one, several) of each activity, as a count on its item's line
ACTIVITY_COUNTS = {
    "pr_authored": ("pull request opened", "pull requests opened"),
    "review_submitted": ("review", "reviews"),
    "review_comment": ("review comment", "review comments"),
    "issue_comment": ("comment", "comments"),
    "commit_on_others_pr": ("commit pushed", "commits pushed"),
    "co_authored_commit": ("co-authored commit", "co-authored commits"),
    "release_published": ("release published", "releases published"),
    "gh_issue_opened": ("issue opened", "issues opened"),
    "jira_issue_completed": ("completion", "completions"),
    "jira_issue_edited": ("triage edit", "triage edits"),
    "jira_worklog": ("worklog", "worklogs"),
    "jira_comment": ("comment", "comments"),
    "meeting_organized": ("meeting organized", "meetings organized"),
    "meeting_attended": ("meeting attended", "meetings attended"),
}


def read_items(marts: Marts, since: date, until: date) -> dict[str, list[dict]]:
    """Each person's items from `since` to `until` (inclusive days), by person_key."""
    grouped: dict[str, list[dict]] = {}
    for row in marts.rows(ITEMS, [since.isoformat(), (until + timedelta(days=1)).isoformat()]):
        grouped.setdefault(row["person_key"], []).append(row)
    return grouped


@dataclass
class ItemGroup:
    """One pull request, issue or meeting series: its items in date order."""

    category: str
    items: list[dict] = field(default_factory=list)

    @property
    def first(self) -> str:
        return day(self.items[0]["occurred_at"])

    @property
    def last(self) -> str:
        return day(self.items[-1]["occurred_at"])

    @property
    def dates(self) -> str:
        return self.first if self.first == self.last else f"{self.first} to {self.last}"

    @property
    def hours(self) -> float:
        return sum(item["hours"] or 0 for item in self.items)

    @property
    def url(self) -> str | None:
        """The object's link: a lone review or comment keeps its anchor, a group links the whole object."""
        url = self.items[0]["url"]
        if url and len(self.items) > 1 and self.items[0]["source"] not in ("calendar", "ics"):
            url = url.split("#", 1)[0]
        return web_url(url)

    @property
    def title(self) -> str | None:
        return self.items[0]["title"]

    @property
    def guessed(self) -> bool:
        return all(item["guessed"] for item in self.items)

    @property
    def self_reported(self) -> bool:
        return bool(self.items[0]["self_reported"])

    @property
    def endorsed_by_n(self) -> int:
        return max(item["endorsed_by_n"] or 0 for item in self.items)

    @property
    def counts(self) -> str:
        """What was done to it: "2 reviews, 3 review comments"."""
        done = Counter(item["activity_type"] for item in self.items)
        return ", ".join(_count(activity, n) for activity, n in done.items())

    @property
    def description(self) -> str:
        """A single item keeps its past-tense sentence; several say what the object is and what was done."""
        if len(self.items) == 1 and self.items[0]["description"]:
            return self.items[0]["description"]
        title = f'"{self.title}"' if self.title else "(private or untitled)"
        return f"{_noun(self.items[0])} {title}: {self.counts}."


def group_items(items: list[dict]) -> list[ItemGroup]:
    """Items grouped by the object they touched (first seen first)."""
    groups: dict[tuple, ItemGroup] = {}
    for item in items:
        groups.setdefault(_object_of(item), ItemGroup(item["category"])).items.append(item)
    return list(groups.values())


def highlights(groups: list[ItemGroup], n: int = 3) -> list[ItemGroup]:
    """The groups that took the most effort, leaving out guessed categories."""
    decided = [g for g in groups if not g.guessed]
    return sorted(decided, key=lambda g: (-g.hours, -len(g.items), g.first))[:n]


def _object_of(item: dict) -> tuple:
    # meetings recur with a new event (and link) each time: one line per series, by title; meetings
    # of a feed (no link) apart from linked ones, so that a line's link is every item's
    url = item["url"]
    if item["source"] in ("calendar", "ics") or not url:
        return item["category"], item["self_reported"], item["source"], item["title"] or None, url is None
    # a review or comment links to an anchor in its pull request or issue
    return item["category"], item["self_reported"], url.split("#", 1)[0]


def _noun(item: dict) -> str:
    url = item["url"] or ""
    if item["source"] in ("calendar", "ics"):
        return "Meeting"
    if item["source"] == "jira":
        return "Jira issue"
    if "/pull/" in url:
        return "Pull request"
    if "/issues/" in url:
        return "GitHub issue"
    return "Item"


def _count(activity: str, n: int) -> str:
    one, several = ACTIVITY_COUNTS.get(activity, (activity.replace("_", " "),) * 2)
    return f"{n} {one if n == 1 else several}"


def web_url(url: str | None) -> str | None:
    """An http(s) link, percent-encoded so it cannot break out of a Markdown link or an attribute."""
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


# what could start markup, raw HTML or a table cell mid-line; `&` only where it would start an entity
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")


def md(text: str) -> str:
    """Literal text in Markdown (one line): markup and raw HTML are escaped, so they show as typed."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def day(value) -> str:
    return str(value)[:10]


# sums in another order (another warehouse) differ in the last bits: round those away before a
# figure is shown, so that 4.6499999 and 4.6500001 both read 4.7
SHOWN_PRECISION = 6


def hours(value: float) -> str:
    return f"{round(value, SHOWN_PRECISION):.1f} h"


def share(value: float | None) -> str:
    return "—" if value is None else f"{round(value, SHOWN_PRECISION):.0%}"


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "person"
