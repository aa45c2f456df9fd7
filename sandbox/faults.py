"""Injected failures: the server consults these before answering, so tests can play
rate limits, outages, broken answers and drifting APIs against the real connectors.

    server.faults.add(r"/github/repos/.*/pulls$", 429, times=1, headers={"Retry-After": "1"})
    server.faults.drop(r"/jira/rest/api/3/search/jql$", times=2)
    server.faults.pagination_drift(r"/github/repos/[^/]+/[^/]+/pulls$", page_size=20, times=None)

A fault matches by path regex (and method), fires on every matching request (`times=None`),
a number of `times`, or with a `probability` drawn from the seeded RNG of `Faults(seed)`.
Its action: answer instead of the API (`status`, headers, body, after `delay_s`), or let the
API answer and then delay it, drop the connection unanswered, cut the body short, or
rewrite its JSON (`alter`). Deletions between runs are org mutations (the end of this file).
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sandbox.model import Org
from sandbox.wire import JSON_TYPE, Response

SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
    "again. If you reach out to GitHub Support for help, please include the request ID."
)
# the list inside an answer: GitHub lists are the body, the others sit under one of these keys
LIST_KEYS = ("items", "issues", "values", "worklogs", "comments")

# (decoded JSON, what the fault remembers of this path, whether the request continues a listing) -> JSON
Alteration = Callable[[object, dict, bool], object]
CONTINUATION = ("pageToken", "nextPageToken")
PAGE_SIZE_PARAMS = ("per_page", "maxResults")


@dataclass
class Fault:
    pattern: re.Pattern
    status: int | None  # None: the API answers, then `action` applies to its answer
    times: int | None  # None: every matching request
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    method: str | None = None
    delay_s: float = 0.0  # sleep before answering (to exercise client timeouts)
    probability: float = 1.0  # chance that a matching request is hit
    action: str = "answer"  # answer | drop | truncate | alter
    alteration: Alteration | None = None
    page_size: int | None = None  # the API answers pages this small (real APIs cap page sizes at will)
    memory: dict = field(default_factory=dict)  # per path: what an alteration keeps between answers
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        return self.times != 0 and self.pattern.search(path) is not None

    def query_for_api(self, query: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The request's query as the API reads it: page sizes capped to this fault's."""
        if self.page_size is None:
            return query
        return [(k, str(min(int(v), self.page_size)) if k in PAGE_SIZE_PARAMS and v.isdigit() else v) for k, v in query]

    def response(self) -> Response:
        return Response(self.status, self.body, dict(self.headers), JSON_TYPE)

    def applied_to(self, answer: Response, path: str, query: list[tuple[str, str]]) -> Response:
        """The API's answer to this request as this fault spoils it."""
        if self.action == "drop":
            return Response(0, b"", {}, answer.content_type, drop_connection=True)  # 0 in the request log
        if answer.status != 200:
            return answer
        if self.action == "truncate":
            return Response(200, answer.body[: len(answer.body) // 2], answer.headers, answer.content_type)
        if self.action == "alter":
            payload = self.alteration(json.loads(answer.body), self.memory.setdefault(path, {}), _continues(query))
            return Response(200, json.dumps(payload, ensure_ascii=False).encode(), answer.headers, answer.content_type)
        return answer


class Faults:
    def __init__(self, seed: int = 0):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._rng = random.Random(seed)  # probabilistic faults replay the same for a seed

    def add(
        self,
        path_regex: str,
        status: int | None,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
        body: object = None,
        method: str | None = None,
        delay_s: float = 0.0,
        probability: float = 1.0,
        action: str = "answer",
        alteration: Alteration | None = None,
        page_size: int | None = None,
    ) -> Fault:
        """Answer requests whose full path (e.g. `/github/orgs/x/repos`) matches
        `path_regex` with `status`, `times` times (None: until cleared). With `status=None`
        the API answers and `action` spoils its answer."""
        if body is None:
            body = {"message": f"injected fault: HTTP {status}"}
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        fault = Fault(
            re.compile(path_regex),
            status,
            times,
            dict(headers or {}),
            raw,
            method,
            delay_s,
            probability,
            action,
            alteration,
            page_size,
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    # -- the fault kinds --------------------------------------------------------------

    def too_many_requests(self, path_regex: str, retry_after_s: int = 1, **rate) -> Fault:
        return self.add(path_regex, 429, headers={"Retry-After": str(retry_after_s)}, **rate)

    def secondary_rate_limit(self, path_regex: str, **rate) -> Fault:
        """GitHub's abuse limit: a 403 that only its message tells from a permission error."""
        body = {
            "message": SECONDARY_RATE_LIMIT,
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        }
        return self.add(path_regex, 403, body=body, **rate)

    def quota_exhausted(self, path_regex: str, reset_in_s: int = 1, **rate) -> Fault:
        """The primary quota used up: 403 with X-RateLimit-Remaining 0 and the reset time."""
        headers = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Used": "5000",
            "X-RateLimit-Reset": str(int(time.time()) + reset_in_s),
        }
        body = {"message": "API rate limit exceeded for user ID 1."}
        return self.add(path_regex, 403, headers=headers, body=body, **rate)

    def outage(self, path_regex: str, statuses=(500, 502, 503)) -> list[Fault]:
        """A burst of server errors, one answer each, in this order."""
        return [self.add(path_regex, status, times=1) for status in statuses]

    def slow(self, path_regex: str, delay_s: float, **rate) -> Fault:
        """The API answers after `delay_s` (longer than the client waits: a read timeout)."""
        return self.add(path_regex, None, delay_s=delay_s, **rate)

    def drop(self, path_regex: str, **rate) -> Fault:
        """The connection closes without an answer."""
        return self.add(path_regex, None, action="drop", **rate)

    def truncate(self, path_regex: str, **rate) -> Fault:
        """A 200 whose JSON body stops halfway."""
        return self.add(path_regex, None, action="truncate", **rate)

    def alter(self, path_regex: str, alteration: Alteration, page_size: int | None = None, **rate) -> Fault:
        return self.add(path_regex, None, action="alter", alteration=alteration, page_size=page_size, **rate)

    def pagination_drift(self, path_regex: str, page_size: int = 20, **rate) -> Fault:
        """Pages of `page_size`, each starting with the last item of the page before it."""
        return self.alter(path_regex, repeat_previous_last(), page_size=page_size, **rate)

    def offset_drift(self, path_regex: str, page_size: int = 20, **rate) -> Fault:
        """Pagination drift as an offset (`startAt`) listing shows it: pages of `page_size`,
        the listing one item longer and shifted by one after the first page."""
        return self.alter(path_regex, shift_by_one(page_size), page_size=page_size, **rate)

    # -- serving ----------------------------------------------------------------------

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed fault for this request, spending one of its times."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path) and (fault.probability >= 1 or self._rng.random() < fault.probability):
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


# -- alterations: what a drifting API does to its answers ---------------------------------


def _continues(query: list[tuple[str, str]]) -> bool:
    """Whether a request asks for a page after the first."""
    for key, value in query:
        if key in CONTINUATION or (key == "page" and value not in ("", "1")) or (key == "startAt" and value != "0"):
            return True
    return False


def listed(payload: object) -> list:
    """The items of a list answer (a single object counts as a list of one); of a GraphQL
    answer, the nodes of its outermost connection (a page of pull requests, not their reviews)."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict) and isinstance(payload.get("data"), dict):
        level = [payload["data"]]
        while level:
            for value in level:
                if isinstance(value.get("nodes"), list):
                    return value["nodes"]
            level = [child for value in level for child in value.values() if isinstance(child, dict)]
        return []
    for key in LIST_KEYS:
        if isinstance(payload, dict) and isinstance(payload.get(key), list):
            return payload[key]
    return [payload]


def repeat_previous_last() -> Alteration:
    """Pagination drift: an item inserted above the cursor shifts the listing, so each page
    starts with the last item of the page before it."""

    def alteration(payload: object, memory: dict, continued: bool) -> object:
        items = listed(payload)
        previous = memory.pop("last", None) if continued else None
        if items:
            memory["last"] = items[-1]
        if previous is not None and items:
            items.insert(0, previous)
        return payload

    return alteration


def shift_by_one(page_size: int) -> Alteration:
    """An item inserted above an offset reader: the listing and its `total` grow by one, so from
    the second page on each page starts with the item that ended the page before and pushes its
    own last item to the next page (one more page when the listing ended on a full one)."""

    def alteration(payload: object, memory: dict, continued: bool) -> object:
        items = listed(payload)
        if isinstance(payload, dict) and isinstance(payload.get("total"), int):
            payload["total"] += 1
        if not continued:
            memory["carried"] = items[-1] if items else None  # shown again atop the next page
            return payload
        carried = memory.pop("carried", None)
        if carried is not None:
            items.insert(0, carried)
        memory["carried"] = items.pop() if len(items) > page_size else None
        return payload

    return alteration


def add_field(name: str, value: object) -> Alteration:
    def alteration(payload: object, memory: dict, continued: bool) -> object:
        for item in listed(payload):
            item[name] = value
        return payload

    return alteration


def remove_field(name: str) -> Alteration:
    def alteration(payload: object, memory: dict, continued: bool) -> object:
        for item in listed(payload):
            item.pop(name, None)
        return payload

    return alteration


def change_type(name: str, convert: Callable[[object], object] = str) -> Alteration:
    """A field keeps its name but changes type (e.g. a number sent as a string)."""

    def alteration(payload: object, memory: dict, continued: bool) -> object:
        for item in listed(payload):
            if name in item:
                item[name] = convert(item[name])
        return payload

    return alteration


# -- deletions between runs: the org changes as the real services change ------------------
# Call server.refresh() after these so the server's indexes see the change.


def delete_jira_issue(org: Org, key: str) -> dict:
    """The issue, its worklogs and comments are gone; Jira's search simply stops listing it."""
    issue = next(i for i in org.jira_issues if i["key"] == key)
    org.jira_issues.remove(issue)
    org.jira_worklogs.pop(str(issue["id"]), None)
    org.jira_comments.pop(str(issue["id"]), None)
    return issue


def cancel_event(org: Org, event_id: str) -> int:
    """The organizer cancels: the event turns `cancelled` in every calendar that holds it,
    updated now (so sync tokens return it). Returns how many calendars held it."""
    held = 0
    for events in org.calendars.values():
        for event in events:
            if event["id"] == event_id:
                event["status"] = "cancelled"
                event["updated"] = _stamp(org.now, millis=True)
                held += 1
    return held


def dismiss_review(org: Org, repo: str, number: int, review_id: int) -> dict:
    """A maintainer dismisses a submitted review; the pull request counts as updated."""
    review = next(r for r in org.pull_reviews[(repo, number)] if r["id"] == review_id)
    review["state"] = "DISMISSED"
    stamp = _stamp(org.now)
    for item in [*org.pulls[repo], *org.issues.get(repo, [])]:
        if item.get("number") == number:
            item["updated_at"] = stamp
    return review


def delete_github_comment(org: Org, repo: str, comment_id: int) -> dict:
    """Its author deletes an issue or pull request comment, or an inline review comment: the
    `since` lists stop showing it, and nothing else changes (no item counts as updated)."""
    for comments in (org.issue_comments[repo], org.review_comments[repo]):
        for comment in comments:
            if comment["id"] == comment_id:
                comments.remove(comment)
                return comment
    raise KeyError(f"no comment {comment_id} in {repo}")


def delete_github_review(org: Org, repo: str, number: int, review_id: int) -> dict:
    """A review disappears with its inline comments (its author's account deleted, say); the pull
    request counts as updated."""
    reviews = org.pull_reviews[(repo, number)]
    review = next(r for r in reviews if r["id"] == review_id)
    reviews.remove(review)
    org.review_comments[repo] = [c for c in org.review_comments[repo] if c["pull_request_review_id"] != review_id]
    stamp = _stamp(org.now)
    for item in [*org.pulls[repo], *org.issues.get(repo, [])]:
        if item.get("number") == number:
            item["updated_at"] = stamp
    return review


def _stamp(moment: datetime, millis: bool = False) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (".000Z" if millis else "Z")
