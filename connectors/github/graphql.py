"""Pull requests with their reviews, commits and files through GitHub's GraphQL API: one
query per page of 100 pull requests, where REST needs four requests per pull request.

Rows keep the REST shapes the raw tables and dbt staging read (docs/CONTRACTS.md), so the
mapping from GraphQL's names lives here and nowhere else. A nested list longer than a
page (a PR with over 100 files, say) is read on with `node(id:)` queries.
"""

from __future__ import annotations

import functools
import re

PAGE_SIZE = 100  # GitHub's maximum for `first`
# a bot's commits carry its noreply address: `49699333+dependabot[bot]@users.noreply.github.com`
BOT_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@+]+\[bot\])@users\.noreply\.github\.com$", re.I)
# ids: `databaseId` is a 32-bit Int, which review ids (and newer PR ids) outgrow; `fullDatabaseId`
# is a BigInt, sent as a string

_ACTOR = "{ __typename login }"
REVIEW_FIELDS = f"fullDatabaseId author {_ACTOR} authorAssociation state body submittedAt url"
COMMIT_FIELDS = "commit { oid message url author { name email date user { login } } }"
FILE_FIELDS = "path additions deletions changeType"
_REVIEWER = f"requestedReviewer {{ __typename ... on User {_ACTOR} ... on Bot {_ACTOR} ... on Team {{ slug name }} }}"
_REQUEST_EVENT = f"id createdAt actor {_ACTOR} {_REVIEWER}"
# timeline items are a union: fields only inside fragments
REVIEW_REQUEST_FIELDS = f"__typename ... on ReviewRequestedEvent {{ {_REQUEST_EVENT} }} ... on ReviewRequestRemovedEvent {{ {_REQUEST_EVENT} }}"
_PAGE_INFO = "pageInfo { hasNextPage endCursor }"
# the nested lists of a pull request: connection name -> (arguments besides paging, fields of one node).
# Requests come from the timeline: reviewRequests forgets a request once it is fulfilled.
NESTED = {
    "reviews": ("", REVIEW_FIELDS),
    "commits": ("", COMMIT_FIELDS),
    "files": ("", FILE_FIELDS),
    "timelineItems": (", itemTypes: [REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT]", REVIEW_REQUEST_FIELDS),
}

PULL_FIELDS = f"""id fullDatabaseId number title body state url createdAt updatedAt mergedAt closedAt
author {_ACTOR} authorAssociation headRefName baseRefName additions deletions changedFiles
labels(first: {PAGE_SIZE}) {{ nodes {{ name }} }}
reviewRequests(first: {PAGE_SIZE}) {{ nodes {{ requestedReviewer {{ __typename ... on User {{ login }} }} }} }}
""" + "\n".join(
    f"{name}(first: {PAGE_SIZE}{arguments}) {{ {_PAGE_INFO} nodes {{ {fields} }} }}"
    for name, (arguments, fields) in NESTED.items()
)

PULLS_QUERY = f"""query PullRequests($owner: String!, $name: String!, $first: Int = {PAGE_SIZE}, $after: String) {{
  rateLimit {{ cost remaining resetAt }}
  repository(owner: $owner, name: $name) {{
    pullRequests(first: $first, after: $after, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{
      {_PAGE_INFO}
      nodes {{ {PULL_FIELDS} }}
    }}
  }}
}}"""


@functools.cache
def nested_query(connection: str) -> str:
    """The next page of one nested list of one pull request."""
    arguments, fields = NESTED[connection]
    return f"""query PullRequestPage($id: ID!, $after: String) {{
  rateLimit {{ cost remaining resetAt }}
  node(id: $id) {{
    ... on PullRequest {{ {connection}(first: {PAGE_SIZE}, after: $after{arguments}) {{ {_PAGE_INFO} nodes {{ {fields} }} }} }}
  }}
}}"""


# -- GraphQL node -> REST row -----------------------------------------------------------

# GraphQL's PatchStatus -> the `status` of REST's pull request files
FILE_STATUS = {
    "ADDED": "added",
    "MODIFIED": "modified",
    "DELETED": "removed",
    "RENAMED": "renamed",
    "COPIED": "copied",
    "CHANGED": "changed",
}


def rest_user(actor: dict | None) -> dict | None:
    """REST's user: GraphQL drops the `[bot]` REST puts after a bot's login."""
    if not actor or actor.get("login") is None:
        return None
    bot = actor.get("__typename") == "Bot"
    return {"login": actor["login"] + ("[bot]" if bot else ""), "type": "Bot" if bot else "User"}


def rest_pull(node: dict, repo: str) -> dict:
    state = node["state"]
    return {
        "id": int(node["fullDatabaseId"]),
        "node_id": node["id"],
        "repo": repo,
        "number": node["number"],
        "title": node["title"],
        "body": node["body"] or None,
        "state": "open" if state == "OPEN" else "closed",
        "html_url": node["url"],
        "user": rest_user(node["author"]),
        "author_association": node["authorAssociation"],
        "labels": [{"name": label["name"]} for label in node["labels"]["nodes"]],
        "head": {"ref": node["headRefName"]},
        "base": {"ref": node["baseRefName"]},
        "requested_reviewers": [
            {"login": r["requestedReviewer"]["login"]}
            for r in node["reviewRequests"]["nodes"]
            if (r.get("requestedReviewer") or {}).get("login")
        ],
        "created_at": node["createdAt"],
        "updated_at": node["updatedAt"],
        "merged_at": node["mergedAt"],
        "closed_at": node["closedAt"],
        "additions": node["additions"],
        "deletions": node["deletions"],
        "changed_files": node["changedFiles"],
    }


def rest_review(node: dict) -> dict:
    return {
        "id": int(node["fullDatabaseId"]),
        "user": rest_user(node["author"]),
        "author_association": node["authorAssociation"],
        "state": node["state"],
        "body": node["body"],
        "submitted_at": node["submittedAt"],
        "html_url": node["url"],
    }


def rest_commit(node: dict) -> dict:
    """A bot is no User, so its commits have no `author.user`; its noreply address names it, as
    REST's `author` would."""
    commit = node["commit"]
    author = commit.get("author") or {}
    login = (author.get("user") or {}).get("login")
    bot = BOT_NOREPLY.match(author.get("email") or "") if not login else None
    return {
        "sha": commit["oid"],
        "html_url": commit["url"],
        "author": {"login": login, "type": "User"}
        if login
        else {"login": bot["login"], "type": "Bot"}
        if bot
        else None,
        "commit": {
            "message": commit["message"],
            "author": {"name": author.get("name"), "email": author.get("email"), "date": author.get("date")},
        },
    }


def rest_file(node: dict) -> dict:
    return {
        "filename": node["path"],
        "status": FILE_STATUS.get(node["changeType"], node["changeType"].lower()),
        "additions": node["additions"],
        "deletions": node["deletions"],
    }


# GraphQL's timeline item type -> REST's timeline `event`
REQUEST_EVENTS = {"ReviewRequestedEvent": "review_requested", "ReviewRequestRemovedEvent": "review_request_removed"}


def rest_review_request(node: dict) -> dict:
    """A review request event as REST's /issues/{n}/timeline item: a person in `requested_reviewer`,
    a team in `requested_team` (GraphQL gives no numeric id: `node_id` is the key)."""
    reviewer = node["requestedReviewer"] or {}  # null when the account is gone
    team = reviewer.get("__typename") == "Team"
    return {
        "node_id": node["id"],
        "event": REQUEST_EVENTS[node["__typename"]],
        "actor": rest_user(node["actor"]),
        "created_at": node["createdAt"],
        "requested_reviewer": None if team else rest_user(reviewer),
        "requested_team": {"slug": reviewer["slug"], "name": reviewer["name"]} if team else None,
    }


# nested list -> (the raw table its rows go to, the mapping of one node)
NESTED_ROWS = {
    "reviews": ("reviews", rest_review),
    "commits": ("pull_request_commits", rest_commit),
    "files": ("pull_request_files", rest_file),
    "timelineItems": ("review_requests", rest_review_request),
}
