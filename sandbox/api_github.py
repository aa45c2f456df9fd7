"""GitHub REST (the subset the connectors use), served from an Org under /github.

Faithful where clients notice: page/per_page with Link headers (prev, next, last,
first; absolute URLs keeping the query), `since` = updated_at >= since, list items of
/pulls without the detail-only counts, ETag + 304 for If-None-Match (304s cost no
quota), X-RateLimit-* on every answer, GitHub's error bodies. POST /graphql is GitHub's
GraphQL API (sandbox.api_github_graphql), with its own points quota.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sandbox.api_github_graphql import GitHubGraphQL
from sandbox.auth import TokenIssuer
from sandbox.model import Org
from sandbox.wire import Request, Response, encode_json, json_response, parse_time

DOCS = "https://docs.github.com/rest"
# keys GET /pulls/{n} has and the list endpoint's pull-request-simple lacks
PULL_DETAIL_ONLY = (
    "merged",
    "mergeable",
    "rebaseable",
    "mergeable_state",
    "merged_by",
    "comments",
    "review_comments",
    "maintainer_can_modify",
    "commits",
    "additions",
    "deletions",
    "changed_files",
)


class GitHubQuota:
    """The primary rate limit: `limit` requests per `window_s` (for `resource` "graphql",
    points: a query spends its cost). With enforce=False (default) a spent window simply
    starts a new one, so headers stay real-looking but a long benchmark never stalls;
    enforce=True refuses like GitHub until reset."""

    def __init__(
        self, limit: int = 5000, window_s: int = 3600, enforce: bool = False, clock=time.time, resource: str = "core"
    ):
        self.limit, self.window_s, self.enforce, self._clock = limit, window_s, enforce, clock
        self.resource = resource
        self._lock = threading.Lock()
        self._used = 0
        self._reset = int(clock()) + window_s

    def spend(self, counted: bool, cost: int = 1) -> tuple[dict[str, str], bool]:
        """Headers for this answer and whether the quota is exhausted (too little left for `cost`)."""
        with self._lock:
            now = self._clock()
            if now >= self._reset or (not self.enforce and self._used + cost > self.limit):
                self._used, self._reset = 0, int(now) + self.window_s
            exhausted = self.enforce and self._used + cost > self.limit
            if counted and not exhausted:
                self._used += cost
            headers = {
                "X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(self.limit - self._used),
                "X-RateLimit-Reset": str(self._reset),
                "X-RateLimit-Used": str(self._used),
                "X-RateLimit-Resource": self.resource,
            }
        return headers, exhausted


@dataclass
class _Ordered:
    """One repo's objects of a kind, ordered for paging and for `since`."""

    by_created: list[dict]
    by_updated: list[dict]
    updated_at: list[datetime]  # parallel to by_updated

    @classmethod
    def of(cls, items: list[dict]) -> _Ordered:
        by_created = sorted(items, key=lambda o: (o.get("created_at") or "", o.get("id") or 0))
        keyed = sorted(((parse_time(o["updated_at"]), o.get("id") or 0, o) for o in items), key=lambda t: t[:2])
        return cls(by_created, [o for _, _, o in keyed], [t for t, _, _ in keyed])

    def updated_since(self, since: datetime) -> list[dict]:
        return self.by_updated[bisect.bisect_left(self.updated_at, since) :]


class GitHubApi:
    def __init__(
        self, org: Org, token: str, quota: GitHubQuota, graphql_quota: GitHubQuota, issuer: TokenIssuer | None = None
    ):
        self.org, self.token, self.quota = org, token, quota
        self.issuer = issuer  # installation tokens of a GitHub App, beside the static token
        self.graphql = GitHubGraphQL(self, graphql_quota)
        self.repos_by_owner: dict[str, list[dict]] = {}
        for repo in sorted(org.repos, key=lambda r: (r.get("created_at") or "", r["id"])):
            self.repos_by_owner.setdefault(repo["owner"]["login"].lower(), []).append(repo)
        self.repo_names = {r["full_name"].lower(): r["full_name"] for r in org.repos}
        self.pulls = {name: _Ordered.of(items) for name, items in org.pulls.items()}
        self.pull_by_number = {(name, p["number"]): p for name, items in org.pulls.items() for p in items}
        self.issues = {name: _Ordered.of(items) for name, items in org.issues.items()}
        self.review_comments = {name: _Ordered.of(items) for name, items in org.review_comments.items()}
        self.issue_comments = {name: _Ordered.of(items) for name, items in org.issue_comments.items()}
        self.releases = {
            name: sorted(items, key=lambda r: (r.get("created_at") or "", r["id"]), reverse=True)
            for name, items in org.releases.items()
        }
        self._selections: dict[tuple, list[dict]] = {}  # filtered+sorted lists, so paging is O(page)
        self._routes = [
            (re.compile(r"^/orgs/([^/]+)/repos$"), self.org_repos),
            (re.compile(r"^/repos/([^/]+/[^/]+)/pulls$"), self.pulls_list),
            (re.compile(r"^/repos/([^/]+/[^/]+)/pulls/comments$"), self.review_comments_list),
            (re.compile(r"^/repos/([^/]+/[^/]+)/pulls/(\d+)$"), self.pull_get),
            (re.compile(r"^/repos/([^/]+/[^/]+)/pulls/(\d+)/reviews$"), self.pull_reviews),
            (re.compile(r"^/repos/([^/]+/[^/]+)/pulls/(\d+)/commits$"), self.pull_commits),
            (re.compile(r"^/repos/([^/]+/[^/]+)/pulls/(\d+)/files$"), self.pull_files),
            (re.compile(r"^/repos/([^/]+/[^/]+)/issues$"), self.issues_list),
            (re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments$"), self.issue_comments_list),
            (re.compile(r"^/repos/([^/]+/[^/]+)/releases$"), self.releases_list),
        ]

    # -- entry points the server calls -------------------------------------------------

    def handle(self, req: Request) -> Response | None:
        """The answer for a known route, or None so the server can try an HTML page."""
        if req.method == "POST" and req.path == "/graphql":
            return self.graphql.handle(req)  # its own auth, quota and error bodies
        app = self.issuer.github_app(req, self.org) if self.issuer else None
        if app is not None:  # the app's own endpoints, authenticated by its JWT
            return app
        if req.method != "GET":
            return None
        for pattern, endpoint in self._routes:
            match = pattern.match(req.path)
            if match:
                # called before the loop goes on: the lambda sees this endpoint and match
                return self._answer(req, lambda: endpoint(req, *match.groups()))  # noqa: B023
        return None

    def not_found(self, req: Request) -> Response:
        return self._answer(req, lambda: self._error(req, 404, "Not Found"))

    # -- endpoints --------------------------------------------------------------------

    def org_repos(self, req: Request, owner: str) -> Response:
        repos = self.repos_by_owner.get(owner.lower())
        if repos is None:
            return self._error(req, 404, "Not Found")
        sort = req.arg("sort", "created")
        direction = req.arg("direction", "asc" if sort == "full_name" else "desc")
        field = {"created": "created_at", "updated": "updated_at", "pushed": "pushed_at"}.get(sort, "full_name")
        ordered = sorted(repos, key=lambda r: (r.get(field) or "", r["id"]), reverse=direction == "desc")
        return self._page(req, ordered)

    def pulls_list(self, req: Request, repo: str) -> Response:
        name = self._repo(repo)
        if name is None:
            return self._error(req, 404, "Not Found")
        sort = "updated" if req.arg("sort") == "updated" else "created"
        # GitHub: desc when sort is created or unspecified, otherwise asc
        direction = req.arg("direction", "desc" if sort == "created" else "asc")
        state = req.arg("state", "open")
        items = self._select(
            ("pulls", name, sort, direction, state), self.pulls.get(name), sort, direction, None, state
        )
        return self._page(req, items, transform=_pull_simple)

    def pull_get(self, req: Request, repo: str, number: str) -> Response:
        pull = self.pull_by_number.get((self._repo(repo), int(number)))
        if pull is None:
            return self._error(req, 404, "Not Found")
        return json_response(pull, req.origin)

    def pull_reviews(self, req: Request, repo: str, number: str) -> Response:
        return self._pull_children(req, repo, number, self.org.pull_reviews)

    def pull_commits(self, req: Request, repo: str, number: str) -> Response:
        return self._pull_children(req, repo, number, self.org.pull_commits)

    def pull_files(self, req: Request, repo: str, number: str) -> Response:
        return self._pull_children(req, repo, number, self.org.pull_files)

    def review_comments_list(self, req: Request, repo: str) -> Response:
        return self._comments(req, repo, "review_comments", self.review_comments)

    def issue_comments_list(self, req: Request, repo: str) -> Response:
        return self._comments(req, repo, "issue_comments", self.issue_comments)

    def issues_list(self, req: Request, repo: str) -> Response:
        name = self._repo(repo)
        if name is None:
            return self._error(req, 404, "Not Found")
        since = self._since(req)
        if isinstance(since, Response):
            return since
        sort = "updated" if req.arg("sort") == "updated" else "created"
        direction = req.arg("direction", "desc")
        state = req.arg("state", "open")
        key = ("issues", name, sort, direction, since, state)
        return self._page(req, self._select(key, self.issues.get(name), sort, direction, since, state))

    def releases_list(self, req: Request, repo: str) -> Response:
        name = self._repo(repo)
        if name is None:
            return self._error(req, 404, "Not Found")
        return self._page(req, self.releases.get(name, []))

    # -- helpers ----------------------------------------------------------------------

    def _answer(self, req: Request, run) -> Response:
        """Auth, quota, then the endpoint; ETag and 304 on every successful answer."""
        if not self._authorized(req):
            headers, _ = self.quota.spend(counted=False)
            return self._error(req, 401, "Bad credentials", headers)
        response = run()
        if response.status == 200:
            etag = '"' + hashlib.sha256(response.body).hexdigest() + '"'
            response.headers["ETag"] = etag
            if _etag_matches(req.headers.get("if-none-match", ""), etag):
                headers, _ = self.quota.spend(counted=False)  # conditional hits are free
                return Response(304, b"", {"ETag": etag, **headers})
        headers, exhausted = self.quota.spend(counted=True)
        if exhausted:
            return self._error(
                req,
                403,
                "API rate limit exceeded for user ID 1. If you reach out to GitHub "
                "Support for help, please include the request ID.",
                headers,
            )
        response.headers.update(headers)
        response.headers.setdefault("X-GitHub-Media-Type", "github.v3; format=json")
        return response

    def _authorized(self, req: Request) -> bool:
        scheme, _, credential = req.headers.get("authorization", "").partition(" ")
        if scheme.lower() not in ("bearer", "token"):
            return False
        credential = credential.strip()
        return credential == self.token or bool(self.issuer and self.issuer.accepts(credential, "github"))

    def _error(
        self, req: Request, status: int, message: str, headers: dict | None = None, docs: str = DOCS
    ) -> Response:
        body = {"message": message, "documentation_url": docs, "status": str(status)}
        return json_response(body, req.origin, status, headers)

    def _repo(self, repo: str) -> str | None:
        return self.repo_names.get(repo.lower())

    def _since(self, req: Request) -> datetime | None | Response:
        since = req.arg("since")
        if not since:
            return None
        try:
            return parse_time(since)
        except ValueError:
            return self._error(req, 422, "Validation Failed")

    def _select(
        self, key: tuple, ordered: _Ordered | None, sort: str, direction: str, since: datetime | None, state: str | None
    ) -> list[dict]:
        cached = self._selections.get(key)
        if cached is not None:
            return cached
        if ordered is None:
            return []
        if since is not None and sort == "updated":
            items = ordered.updated_since(since)
        elif since is not None:
            recent = {id(o) for o in ordered.updated_since(since)}
            items = [o for o in ordered.by_created if id(o) in recent]
        else:
            items = ordered.by_updated if sort == "updated" else ordered.by_created
        if state and state != "all":
            items = [o for o in items if o.get("state") == state]
        if direction == "desc":
            items = items[::-1]
        if len(self._selections) > 512:  # a long-running server sees many distinct `since`s
            self._selections.clear()
        self._selections[key] = items
        return items

    def _comments(self, req: Request, repo: str, kind: str, index: dict[str, _Ordered]) -> Response:
        name = self._repo(repo)
        if name is None:
            return self._error(req, 404, "Not Found")
        since = self._since(req)
        if isinstance(since, Response):
            return since
        sort = req.arg("sort")
        # without sort the order is by id, ascending; direction is ignored
        direction = req.arg("direction", "asc") if sort else "asc"
        sort = "updated" if sort == "updated" else "created"
        key = (kind, name, sort, direction, since)
        return self._page(req, self._select(key, index.get(name), sort, direction, since, None))

    def _pull_children(self, req: Request, repo: str, number: str, source: dict) -> Response:
        key = (self._repo(repo), int(number))
        if key not in self.pull_by_number:
            return self._error(req, 404, "Not Found")
        return self._page(req, source.get(key, []))

    def _page(self, req: Request, items: list[dict], transform=None) -> Response:
        per_page = req.int_arg("per_page", 30, 1, 100)
        page = req.int_arg("page", 1, 1, 10**9)
        last = max(1, math.ceil(len(items) / per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        if transform:
            chunk = [transform(o) for o in chunk]
        links = []
        if page > 1:
            links.append((page - 1, "prev"))
        if page < last:
            links += [(page + 1, "next"), (last, "last")]
        if page > 1:
            links.append((1, "first"))
        headers = {}
        if links:
            headers["Link"] = ", ".join(f'<{req.url_with(page=str(n))}>; rel="{rel}"' for n, rel in links)
        return Response(200, encode_json(chunk, req.origin), headers)


def _pull_simple(pull: dict) -> dict:
    return {k: v for k, v in pull.items() if k not in PULL_DETAIL_ONLY}


def _etag_matches(if_none_match: str, etag: str) -> bool:
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in wanted or "*" in wanted
