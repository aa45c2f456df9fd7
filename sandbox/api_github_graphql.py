"""GitHub GraphQL (the subset of its public schema the connectors use), served from an
Org at POST /github/graphql with graphql-core.

Faithful where clients notice:
- the schema's names, types and nullability (PullRequest, its reviews, commits, files,
  labels, review requests and the review request events of `timelineItems`; `node(id:)`;
  `rateLimit`), resolved from the Org's REST
  objects: databaseId <- id, id <- node_id, url <- html_url, author <- user (a Bot's login
  without REST's `[bot]`), state MERGED when merged_at is set, `GitActor.user` null for a
  bot (it is no User), REST file status "removed" -> DELETED; `Int` is 32-bit, so a
  databaseId above 2^31 - 1 (every review id GitHub hands out now, and the sandbox's) is
  null with an error, and `fullDatabaseId` (BigInt, a string) carries it, as on GitHub;
- connections: `first`/`last` 0..100, else EXCESSIVE_PAGINATION; neither, when nodes or
  edges are asked, MISSING_PAGINATION_BOUNDARIES (a bare totalCount needs none); more
  than 500,000 nodes, MAX_NODE_LIMIT_EXCEEDED; opaque base64 cursors, INVALID_CURSOR_ARGUMENTS
  for a foreign one; `pullRequests` ordered CREATED_AT ASC unless `orderBy` says otherwise;
- cursors are keys, not offsets: a pull request cursor encodes the sort value and the
  databaseId (as GitHub's `cursor:v2` ones do), so `after` continues strictly after that
  key, and a PR updated between pages moves without shifting the others (with UPDATED_AT
  DESC it jumps to the front, already read, and the listing neither loses nor repeats any
  other PR). Nested lists (reviews, commits, files, labels) only grow, so their cursors
  encode the item's position in the pull request's whole list, filters aside;
- errors: HTTP 200 with `errors` [{type, path, locations, message}] and the `data` that
  could be resolved (an unknown repository: NOT_FOUND, data.repository null); parse and
  validation errors carry no `data`; a bad token 401, a body that is not JSON 400;
- the points quota: its own GitHubQuota (resource "graphql"), the cost GitHub documents
  (each connection needs the product of its enclosing connections' first/last requests;
  their sum / 100, rounded half up, at least 1), X-RateLimit-* headers and `rateLimit` in
  the body. An enforced, spent quota answers HTTP 200 with a RATE_LIMITED error, as the
  GitHub GraphQL docs describe (X-RateLimit-Remaining tells the client to wait).

Not faithful: error messages of parse and validation failures are graphql-core's, not
GitHub's wording; pending reviews are listed to everyone (as the sandbox's REST does;
GitHub shows them only to their author); `node(id:)` finds pull requests only; GraphQL
answers carry no ETag (POSTs are not conditional, as on GitHub).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import graphql
from graphql import FieldNode, GraphQLError, InlineFragmentNode
from graphql.execution.values import get_argument_values, get_variable_values

from sandbox.wire import Request, Response, json_response

if TYPE_CHECKING:
    from sandbox.api_github import GitHubApi, GitHubQuota

DOCS = "https://docs.github.com/graphql"
MAX_PAGE = 100
MAX_NODES = 500_000
CURSOR_PREFIX = "cursor:v2:"
# REST file status -> GraphQL PatchStatus
PATCH_STATUS = {
    "added": "ADDED",
    "removed": "DELETED",
    "modified": "MODIFIED",
    "renamed": "RENAMED",
    "copied": "COPIED",
    "changed": "CHANGED",
}
# REST timeline event -> GraphQL's PullRequestTimelineItemsItemType, and the item's type name
TIMELINE_ITEM_TYPE = {
    "review_requested": "REVIEW_REQUESTED_EVENT",
    "review_request_removed": "REVIEW_REQUEST_REMOVED_EVENT",
}
TIMELINE_ITEM_TYPENAME = {
    "review_requested": "ReviewRequestedEvent",
    "review_request_removed": "ReviewRequestRemovedEvent",
}
# IssueOrderField -> the REST pull request's sort value
ORDER_VALUE: dict[str, Callable[[dict], object]] = {
    "CREATED_AT": lambda pull: pull["created_at"],  # GitHub's timestamps sort as text
    "UPDATED_AT": lambda pull: pull["updated_at"],
    "COMMENTS": lambda pull: pull.get("comments", 0),
}

SDL = """
scalar DateTime
scalar URI
scalar GitTimestamp
scalar GitObjectID
scalar BigInt

type Query {
  repository(owner: String!, name: String!): Repository
  node(id: ID!): Node
  rateLimit: RateLimit
}

interface Node { id: ID! }
interface Actor { login: String! url: URI! }

type User implements Node & Actor { id: ID! databaseId: Int login: String! url: URI! }
type Bot implements Node & Actor { id: ID! databaseId: Int login: String! url: URI! }
type Team implements Node { id: ID! databaseId: Int name: String! slug: String! }
union RequestedReviewer = User | Team | Bot

type RateLimit { cost: Int! limit: Int! nodeCount: Int! remaining: Int! resetAt: DateTime! used: Int! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

enum OrderDirection { ASC DESC }
enum IssueOrderField { CREATED_AT UPDATED_AT COMMENTS }
input IssueOrder { field: IssueOrderField! direction: OrderDirection! }
enum PullRequestState { OPEN CLOSED MERGED }
enum PullRequestReviewState { PENDING COMMENTED APPROVED CHANGES_REQUESTED DISMISSED }
enum PatchStatus { ADDED CHANGED COPIED DELETED MODIFIED RENAMED }
enum CommentAuthorAssociation {
  COLLABORATOR CONTRIBUTOR FIRST_TIMER FIRST_TIME_CONTRIBUTOR MANNEQUIN MEMBER NONE OWNER
}

type Repository implements Node {
  id: ID!
  databaseId: Int
  name: String!
  nameWithOwner: String!
  url: URI!
  pullRequests(first: Int, after: String, last: Int, before: String, orderBy: IssueOrder,
               states: [PullRequestState!]): PullRequestConnection!
}

type PullRequest implements Node {
  id: ID!
  databaseId: Int
  fullDatabaseId: BigInt
  number: Int!
  title: String!
  body: String!
  state: PullRequestState!
  url: URI!
  createdAt: DateTime!
  updatedAt: DateTime!
  mergedAt: DateTime
  closedAt: DateTime
  author: Actor
  authorAssociation: CommentAuthorAssociation!
  headRefName: String!
  baseRefName: String!
  additions: Int!
  deletions: Int!
  changedFiles: Int!
  isDraft: Boolean!
  labels(first: Int, after: String, last: Int, before: String): LabelConnection
  reviewRequests(first: Int, after: String, last: Int, before: String): ReviewRequestConnection
  reviews(first: Int, after: String, last: Int, before: String,
          states: [PullRequestReviewState!]): PullRequestReviewConnection
  commits(first: Int, after: String, last: Int, before: String): PullRequestCommitConnection!
  files(first: Int, after: String, last: Int, before: String): PullRequestChangedFileConnection
  timelineItems(first: Int, after: String, last: Int, before: String, since: DateTime,
                itemTypes: [PullRequestTimelineItemsItemType!]): PullRequestTimelineItemsConnection!
}

enum PullRequestTimelineItemsItemType {
  ISSUE_COMMENT PULL_REQUEST_COMMIT PULL_REQUEST_REVIEW REVIEW_REQUESTED_EVENT REVIEW_REQUEST_REMOVED_EVENT
}
type ReviewRequestedEvent implements Node {
  id: ID! actor: Actor createdAt: DateTime! pullRequest: PullRequest! requestedReviewer: RequestedReviewer
}
type ReviewRequestRemovedEvent implements Node {
  id: ID! actor: Actor createdAt: DateTime! pullRequest: PullRequest! requestedReviewer: RequestedReviewer
}
union PullRequestTimelineItems = ReviewRequestedEvent | ReviewRequestRemovedEvent

type Label implements Node { id: ID! name: String! color: String! description: String }
type ReviewRequest { requestedReviewer: RequestedReviewer }

type PullRequestReview implements Node {
  id: ID!
  databaseId: Int
  fullDatabaseId: BigInt
  author: Actor
  authorAssociation: CommentAuthorAssociation!
  state: PullRequestReviewState!
  body: String!
  submittedAt: DateTime
  url: URI!
}

type GitActor { name: String email: String date: GitTimestamp user: User }
type Commit implements Node {
  id: ID!
  oid: GitObjectID!
  message: String!
  url: URI!
  author: GitActor
  committer: GitActor
}
type PullRequestCommit implements Node { id: ID! commit: Commit! }
type PullRequestChangedFile { path: String! additions: Int! deletions: Int! changeType: PatchStatus! }
"""


def _connection_sdl(name: str, node: str) -> str:
    return f"""
type {name}Edge {{ cursor: String! node: {node} }}
type {name}Connection {{ edges: [{name}Edge] nodes: [{node}] pageInfo: PageInfo! totalCount: Int! }}
"""


SCHEMA = graphql.build_schema(
    SDL
    + "".join(
        _connection_sdl(name, node)
        for name, node in [
            ("PullRequest", "PullRequest"),
            ("Label", "Label"),
            ("ReviewRequest", "ReviewRequest"),
            ("PullRequestReview", "PullRequestReview"),
            ("PullRequestCommit", "PullRequestCommit"),
            ("PullRequestChangedFile", "PullRequestChangedFile"),
            ("PullRequestTimelineItems", "PullRequestTimelineItems"),
        ]
    )
)


class GitHubGraphQL:
    """POST /graphql for one snapshot of the org; `api` supplies the org and the auth check."""

    def __init__(self, api: GitHubApi, quota: GitHubQuota):
        self.api, self.org, self.quota = api, api.org, quota
        self.repos = {r["full_name"].lower(): r for r in self.org.repos}
        # (repo, order field, states) -> that selection sorted once, so a page costs O(page)
        self._pull_listings: dict[tuple, _Listing] = {}

    def handle(self, req: Request) -> Response:
        if not self.api._authorized(req):
            headers, _ = self.quota.spend(counted=False)
            return self.api._error(req, 401, "Bad credentials", headers, docs=DOCS)
        try:
            body = req.json()
        except ValueError:  # undecodable bytes too: UnicodeDecodeError is a ValueError
            body = None
        if not isinstance(body, dict):
            headers, _ = self.quota.spend(counted=False)
            return self.api._error(req, 400, "Problems parsing JSON", headers, docs=DOCS)
        query, variables = body.get("query"), body.get("variables") or {}
        if not isinstance(query, str):
            return self._errors(req, [{"message": "A query attribute must be specified and must be a string."}])
        if not isinstance(variables, dict):
            return self._errors(req, [{"message": "Variables must be a JSON object."}])
        document, invalid = _checked(query)
        if invalid:
            return self._errors(req, invalid)
        operation_name = body.get("operationName")
        try:
            cost, node_count = _cost(document, operation_name, variables)
        except _GitHubError as error:
            return self._errors(req, [{"type": error.type, "message": str(error)}])
        headers, exhausted = self.quota.spend(counted=True, cost=cost)
        if exhausted:
            return self._errors(
                req, [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}], headers
            )
        rate_limit = {
            "cost": cost,
            "nodeCount": node_count,
            "limit": int(headers["X-RateLimit-Limit"]),
            "remaining": int(headers["X-RateLimit-Remaining"]),
            "used": int(headers["X-RateLimit-Used"]),
            "resetAt": _iso(int(headers["X-RateLimit-Reset"])),
        }
        root = {"repository": self._repository, "node": self._node, "rateLimit": rate_limit}
        # every resolver is synchronous: telling graphql-core so spares it an awaitable check per field
        result = graphql.execute(
            SCHEMA, document, root, variable_values=variables, operation_name=operation_name, is_awaitable=_never
        )
        answer = {} if result.data is None else {"data": result.data}
        if result.errors:
            answer["errors"] = [_formatted(e) for e in result.errors]
        return _answer(req, answer, headers)

    def _errors(self, req: Request, errors: list[dict], headers: dict | None = None) -> Response:
        """A query refused before it ran: HTTP 200, errors and no data; it costs no points."""
        if headers is None:
            headers, _ = self.quota.spend(counted=False)
        return _answer(req, {"errors": errors}, headers)

    # -- Query ------------------------------------------------------------------------

    def _repository(self, info, owner: str, name: str) -> dict:
        repo = self.repos.get(f"{owner}/{name}".lower())
        if repo is None:
            raise _GitHubError("NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'.")
        full_name = repo["full_name"]
        return {
            "__typename": "Repository",
            "id": repo["node_id"],
            "databaseId": repo["id"],
            "name": repo["name"],
            "nameWithOwner": full_name,
            "url": repo["html_url"],
            "pullRequests": lambda info, orderBy=None, states=None, **page: _connection(
                info,
                page,
                self._pull_listing(full_name, orderBy, states),
                descending=bool(orderBy) and orderBy["direction"] == "DESC",
            ),
        }

    def _node(self, info, id: str) -> dict:
        found = self._pull_by_node_id.get(id)
        if found is None:
            raise _GitHubError("NOT_FOUND", f"Could not resolve to a node with the global id of '{id}'.")
        return self._pull(*found)

    @functools.cached_property
    def _pull_by_node_id(self) -> dict[str, tuple[str, dict]]:
        return {p["node_id"]: (repo, p) for repo, pulls in self.org.pulls.items() for p in pulls}

    def _pull_listing(self, repo: str, order: dict | None, states: list[str] | None) -> _Listing:
        field = order["field"] if order else "CREATED_AT"  # GitHub's default: oldest first
        key = (repo, field, frozenset(states or ()))
        listing = self._pull_listings.get(key)
        if listing is None:
            value = ORDER_VALUE[field]
            pulls = sorted(
                (p for p in self.org.pulls.get(repo, []) if not states or _pull_state(p) in states),
                key=lambda p: (value(p), p["id"]),
            )
            listing = _Listing(pulls, [(value(p), p["id"]) for p in pulls], lambda p: self._pull(repo, p))
            self._pull_listings[key] = listing
        return listing

    # -- REST objects as GraphQL ones ----------------------------------------------------

    def _pull(self, repo: str, pull: dict) -> dict:
        key = (repo, pull["number"])
        requested = pull.get("requested_reviewers", []) + pull.get("requested_teams", [])
        return {
            "__typename": "PullRequest",
            "id": pull["node_id"],
            "databaseId": pull["id"],
            "fullDatabaseId": str(pull["id"]),
            "number": pull["number"],
            "title": pull["title"],
            "body": pull.get("body") or "",
            "state": _pull_state(pull),
            "url": pull["html_url"],
            "createdAt": pull["created_at"],
            "updatedAt": pull["updated_at"],
            "mergedAt": pull.get("merged_at"),
            "closedAt": pull.get("closed_at"),
            "author": _actor(pull.get("user")),
            "authorAssociation": pull["author_association"],
            "headRefName": pull["head"]["ref"],
            "baseRefName": pull["base"]["ref"],
            "additions": pull.get("additions", 0),
            "deletions": pull.get("deletions", 0),
            "changedFiles": pull.get("changed_files", 0),
            "isDraft": bool(pull.get("draft")),
            "labels": lambda info, **page: _connection(info, page, _Listing.of(pull.get("labels", []), _label)),
            "reviewRequests": lambda info, **page: _connection(info, page, _Listing.of(requested, _review_request)),
            "reviews": lambda info, states=None, **page: _connection(
                info,
                page,
                _Listing.of(
                    self.org.pull_reviews.get(key, []), _review, keep=lambda r: not states or r["state"] in states
                ),
            ),
            "commits": lambda info, **page: _connection(
                info, page, _Listing.of(self.org.pull_commits.get(key, []), lambda c: _pull_commit(pull["node_id"], c))
            ),
            "files": lambda info, **page: _connection(info, page, _Listing.of(self.org.pull_files.get(key, []), _file)),
            # the timeline holds review request events only (the sandbox keeps no other kind)
            "timelineItems": lambda info, itemTypes=None, since=None, **page: _connection(
                info,
                page,
                _Listing.of(
                    self.org.pull_timeline.get(key, []),
                    lambda event: _timeline_item(event, lambda: self._pull(repo, pull)),
                    keep=lambda e: (
                        (not itemTypes or TIMELINE_ITEM_TYPE[e["event"]] in itemTypes)
                        and (since is None or e["created_at"] >= since)
                    ),
                ),
            ),
        }


def _pull_state(pull: dict) -> str:
    if pull.get("merged_at"):
        return "MERGED"
    return "OPEN" if pull["state"] == "open" else "CLOSED"


def _actor(user: dict | None) -> dict | None:
    """A REST user as a GraphQL User or Bot (GraphQL names a bot without `[bot]`)."""
    if user is None:
        return None
    bot = user.get("type") == "Bot"
    return {
        "__typename": "Bot" if bot else "User",
        "id": user["node_id"],
        "databaseId": user["id"],
        "login": user["login"].removesuffix("[bot]") if bot else user["login"],
        "url": user["html_url"],
    }


def _review_request(reviewer: dict) -> dict:
    if "slug" in reviewer:  # REST's requested_teams
        team = {
            "__typename": "Team",
            "id": reviewer["node_id"],
            "databaseId": reviewer["id"],
            "name": reviewer["name"],
            "slug": reviewer["slug"],
        }
        return {"requestedReviewer": team}
    return {"requestedReviewer": _actor(reviewer)}


def _timeline_item(event: dict, pull) -> dict:
    """A REST timeline event as ReviewRequestedEvent / ReviewRequestRemovedEvent; `pull` makes its pull request."""
    reviewer = event.get("requested_team") or event.get("requested_reviewer")
    return {
        "__typename": TIMELINE_ITEM_TYPENAME[event["event"]],
        "id": event["node_id"],
        "actor": _actor(event["actor"]),
        "createdAt": event["created_at"],
        "pullRequest": lambda info: pull(),
        "requestedReviewer": _review_request(reviewer)["requestedReviewer"] if reviewer else None,
    }


def _label(label: dict) -> dict:
    return {
        "id": label["node_id"],
        "name": label["name"],
        "color": label["color"],
        "description": label.get("description"),
    }


def _review(review: dict) -> dict:
    return {
        "id": review["node_id"],
        "databaseId": review["id"],
        "fullDatabaseId": str(review["id"]),
        "author": _actor(review.get("user")),
        "authorAssociation": review["author_association"],
        "state": review["state"],
        "body": review.get("body") or "",
        "submittedAt": review.get("submitted_at"),  # none while PENDING
        "url": review["html_url"],
    }


def _pull_commit(pull_id: str, commit: dict) -> dict:
    git = commit["commit"]
    # a PullRequestCommit is a node of its own (the commit within this pull request)
    own_id = "PURC_" + base64.b64encode(f"{pull_id}:{commit['sha']}".encode()).decode().rstrip("=")
    return {
        "id": own_id,
        "commit": {
            "id": commit["node_id"],
            "oid": commit["sha"],
            "message": git["message"],
            "url": commit["html_url"],
            "author": _git_actor(git.get("author"), commit.get("author")),
            "committer": _git_actor(git.get("committer"), commit.get("committer")),
        },
    }


def _git_actor(person: dict | None, user: dict | None) -> dict | None:
    if person is None:
        return None
    account = _actor(user)
    return {
        "name": person.get("name"),
        "email": person.get("email"),
        "date": person.get("date"),
        "user": account if account and account["__typename"] == "User" else None,
    }


def _file(file: dict) -> dict:
    return {
        "path": file["filename"],
        "additions": file["additions"],
        "deletions": file["deletions"],
        "changeType": PATCH_STATUS[file["status"]],
    }


# -- connections --------------------------------------------------------------------------


@dataclass
class _Listing:
    """Items in ascending key order (a DESC listing reads it backwards); keys are tuples."""

    items: list
    keys: list[tuple]
    to_node: Callable[[object], dict]

    @classmethod
    def of(cls, items: list, to_node, keep=None) -> _Listing:
        """A nested list, keyed by each item's position in the whole list (filters aside)."""
        kept = [(i, item) for i, item in enumerate(items) if keep is None or keep(item)]
        return cls([item for _, item in kept], [(i,) for i, _ in kept], to_node)


def _connection(info, page: dict, listing: _Listing, descending: bool = False) -> dict:
    """One page of `listing` as a GitHub connection: first/after/last/before on listing positions."""
    first, last = page.get("first"), page.get("last")
    for argument, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise _GitHubError(
                "EXCESSIVE_PAGINATION",
                f"Requesting {value} records on the `{info.field_name}` "
                f"connection exceeds the `{argument}` limit of {MAX_PAGE} records.",
            )
    if first is None and last is None and _lists_items(info):
        raise _GitHubError(
            "MISSING_PAGINATION_BOUNDARIES",
            f"You must provide a `first` or `last` value to properly paginate the `{info.field_name}` connection.",
        )
    keys, n = listing.keys, len(listing.keys)
    start, end = 0, n  # listing positions (a DESC listing's position p is keys[n - 1 - p])
    if page.get("after") is not None:
        key = _cursor_key(page["after"], keys)
        start = n - bisect.bisect_left(keys, key) if descending else bisect.bisect_right(keys, key)
    if page.get("before") is not None:
        key = _cursor_key(page["before"], keys)
        end = n - bisect.bisect_right(keys, key) if descending else bisect.bisect_left(keys, key)
    end = max(start, end)
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    index = [n - 1 - p for p in range(start, end)] if descending else range(start, end)
    items, to_node = listing.items, listing.to_node
    return {
        "totalCount": n,
        "pageInfo": {
            "hasNextPage": end < n,
            "hasPreviousPage": start > 0,
            "startCursor": _cursor(keys[index[0]]) if index else None,
            "endCursor": _cursor(keys[index[-1]]) if index else None,
        },
        # built only when asked: most queries want nodes, few want edges
        "nodes": lambda info: [to_node(items[i]) for i in index],
        "edges": lambda info: [{"cursor": _cursor(keys[i]), "node": to_node(items[i])} for i in index],
    }


def _lists_items(info) -> bool:
    """Whether the connection's selection asks for nodes or edges (GitHub lets a bare
    totalCount go without first/last)."""
    pending = [node.selection_set for node in info.field_nodes if node.selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in ("nodes", "edges"):
                    return True
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            else:
                pending.append(info.fragments[selection.name.value].selection_set)
    return False


def _cursor(key: tuple) -> str:
    return base64.b64encode((CURSOR_PREFIX + json.dumps(key, separators=(",", ":"))).encode()).decode()


def _cursor_key(cursor: str, keys: list[tuple]) -> tuple:
    """The key a cursor encodes; a cursor of another listing (another order) is refused."""
    try:
        text = base64.b64decode(cursor, validate=True).decode()
        key = tuple(json.loads(text.removeprefix(CURSOR_PREFIX))) if text.startswith(CURSOR_PREFIX) else None
    except (ValueError, TypeError, binascii.Error):  # JSON and UTF-8 errors are ValueErrors
        key = None
    if key is None or (keys and [type(v) for v in key] != [type(v) for v in keys[0]]):
        raise _GitHubError("INVALID_CURSOR_ARGUMENTS", f"`{cursor}` does not appear to be a valid cursor.")
    return key


@functools.lru_cache(maxsize=256)
def _checked(query: str) -> tuple[graphql.DocumentNode | None, list[dict]]:
    """The parsed query and its syntax or validation errors; kept, since clients send the
    same few queries again and again and validating one costs about a third of a page."""
    try:
        document = graphql.parse(query)
    except GraphQLError as error:
        return None, [_formatted(error)]
    return document, [_formatted(e) for e in graphql.validate(SCHEMA, document)]


# -- cost: what GitHub charges, computed before running the query ------------------------------


def _cost(document, operation_name: str | None, variables: dict) -> tuple[int, int]:
    """(points, nodes) of the operation. A connection needs as many requests as the product
    of first/last of the connections around it; points = their sum / 100, rounded, at least 1.
    An unknown operation or bad variables cost 1: execution reports them."""
    operation = graphql.get_operation_ast(document, operation_name)
    if operation is None:
        return 1, 0
    coerced = get_variable_values(SCHEMA, operation.variable_definitions or [], variables)
    if isinstance(coerced, list):
        return 1, 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, graphql.FragmentDefinitionNode)}
    requests = nodes = 0

    def walk(selection_set, parent, multiplier: int) -> None:
        nonlocal requests, nodes
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                field = parent.fields[selection.name.value]
                inner, named = multiplier, graphql.get_named_type(field.type)
                if named.name.endswith("Connection"):
                    args = get_argument_values(field, selection, coerced)
                    requests += multiplier
                    inner = multiplier * (args.get("first") or args.get("last") or 0)
                    nodes += inner
                    if nodes > MAX_NODES:
                        raise _GitHubError(
                            "MAX_NODE_LIMIT_EXCEEDED",
                            (
                                f"By the time this query traverses to the {selection.name.value} connection, it is "
                                f"requesting up to {nodes:,} possible nodes which exceeds the maximum limit of "
                                f"{MAX_NODES:,}."
                            ),
                        )
                if selection.selection_set:
                    walk(selection.selection_set, named, inner)
            else:
                fragment = selection if isinstance(selection, InlineFragmentNode) else fragments[selection.name.value]
                condition = fragment.type_condition
                walk(fragment.selection_set, SCHEMA.get_type(condition.name.value) if condition else parent, multiplier)

    walk(operation.selection_set, SCHEMA.query_type, 1)
    return max(1, math.floor(requests / 100 + 0.5)), nodes  # half up, as GitHub rounds


# -- answers ------------------------------------------------------------------------------


class _GitHubError(Exception):
    """An error GitHub reports with a `type` (NOT_FOUND, EXCESSIVE_PAGINATION, ...)."""

    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_


def _formatted(error: GraphQLError) -> dict:
    kind = getattr(error.original_error, "type", None)
    return {**({"type": kind} if kind else {}), **error.formatted}


def _answer(req: Request, answer: dict, headers: dict) -> Response:
    return json_response(answer, req.origin, 200, {**headers, "X-GitHub-Media-Type": "github.v4; format=json"})


def _never(value) -> bool:
    return False


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
