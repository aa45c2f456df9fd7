"""The fewest requests any client needs for the data the sandbox holds, from its item counts and
the APIs' largest page sizes, per endpoint template (the same templates `endpoint()` gives the
request log). A child endpoint costs at least one request per parent: a client cannot know an
issue has no comments without asking. Pull requests come through GraphQL with their reviews,
commits and files: a page of PRs per query, plus a query per further page of a nested list."""

from __future__ import annotations

import math
import re
from collections import Counter

from connectors.calendar import settings as calendar_settings
from connectors.github import graphql as github_graphql
from connectors.github import settings as github_settings
from connectors.jira import settings as jira_settings

GH, JIRA, CAL = "/github", "/jira/rest/api/3", "/calendar/v3"
MAX_INLINE_HISTORIES = 100  # Jira's search inlines this many changelog histories per issue
MAX_INLINE_CHILDREN = 20  # ... and this many of its worklogs, and of its comments
# request path -> endpoint template: ids, keys and names replaced by placeholders
_TEMPLATES = [
    (re.compile(r"^/github/orgs/[^/]+/repos$"), "/github/orgs/{org}/repos"),
    (re.compile(r"^/github/repos/[^/]+/[^/]+(/.*)?$"), "/github/repos/{repo}\\1"),
    (re.compile(r"^/jira/rest/api/3/issue/[^/]+(/\w+)?$"), "/jira/rest/api/3/issue/{key}\\1"),
    (re.compile(r"^/calendar/v3/calendars/[^/]+/events$"), "/calendar/v3/calendars/{id}/events"),
    (re.compile(r"^/ics/[^/]+$"), "/ics/{feed}"),
]


def endpoint(path: str) -> str:
    for pattern, template in _TEMPLATES:
        if pattern.match(path):
            return pattern.sub(template, path)
    return path


def source_of(template: str) -> str:
    return {"github": "github", "jira": "jira", "calendar": "calendar", "ics": "calendar"}.get(
        template.split("/")[1], "other"
    )


def pages(items: int, size: int) -> int:
    return max(1, math.ceil(items / size))


class Needed:
    """Requests needed per endpoint template, and the streams (separate list walks: one per repo,
    per PR, per calendar...) they come from."""

    def __init__(self):
        self.requests: Counter = Counter()
        self.streams: Counter = Counter()

    def __setitem__(self, template: str, requests: int) -> None:
        self.requests[template] = requests
        self.streams[template] = 1

    def __getitem__(self, template: str) -> int:
        return self.requests[template]

    def add(self, template: str, requests: int) -> None:
        self.requests[template] += requests
        self.streams[template] += 1


def minimum_requests(org) -> Needed:
    start = org.start.isoformat().replace("+00:00", "Z")
    since = lambda items: [o for o in items if (o.get("updated_at") or "") >= start]  # noqa: E731
    gh_page = github_settings.PAGE_SIZE
    need = Needed()
    need[f"{GH}/orgs/{{org}}/repos"] = pages(len(org.repos), gh_page)
    for repo in (r["full_name"] for r in org.repos):
        pulls = org.pulls.get(repo, [])
        need.add(f"{GH}/graphql", pages(len(pulls), github_graphql.PAGE_SIZE))
        need.add(f"{GH}/repos/{{repo}}/issues", pages(len(since(org.issues.get(repo, []))), gh_page))
        need.add(f"{GH}/repos/{{repo}}/issues/comments", pages(len(since(org.issue_comments.get(repo, []))), gh_page))
        need.add(f"{GH}/repos/{{repo}}/pulls/comments", pages(len(since(org.review_comments.get(repo, []))), gh_page))
        need.add(f"{GH}/repos/{{repo}}/releases", pages(len(org.releases.get(repo, [])), gh_page))
        for pull in pulls:
            key = (repo, pull["number"])
            for nested in (org.pull_files, org.pull_reviews, org.pull_commits):
                beyond_first_page = len(nested.get(key, [])) - github_graphql.PAGE_SIZE
                if beyond_first_page > 0:
                    need.requests[f"{GH}/graphql"] += pages(beyond_first_page, github_graphql.PAGE_SIZE)
    issues = [i for i in org.jira_issues if i["fields"]["updated"] >= org.start.strftime("%Y-%m-%d")]
    need[f"{JIRA}/search/jql"] = pages(len(issues), jira_settings.SEARCH_PAGE_SIZE)
    for issue in issues:
        histories = len(issue.get("changelog", {}).get("histories", []))
        if histories > MAX_INLINE_HISTORIES:
            need.add(
                f"{JIRA}/issue/{{key}}/changelog",
                pages(histories - MAX_INLINE_HISTORIES, jira_settings.CHANGELOG_PAGE_SIZE),
            )
        iid = str(issue["id"])
        # the search inlines an issue's first worklogs and comments: more need their own list
        for endpoint, items, size in (
            ("worklog", org.jira_worklogs.get(iid, []), jira_settings.WORKLOG_PAGE_SIZE),
            ("comment", org.jira_comments.get(iid, []), jira_settings.COMMENT_PAGE_SIZE),
        ):
            if len(items) > MAX_INLINE_CHILDREN:
                need.add(f"{JIRA}/issue/{{key}}/{endpoint}", pages(len(items), size))
    # no total in users/search: the last page is the first one shorter than the page size
    need[f"{JIRA}/users/search"] = math.ceil((len(org.jira_users) + 1) / jira_settings.USER_PAGE_SIZE)
    for events in org.calendars.values():
        need.add(f"{CAL}/calendars/{{id}}/events", pages(len(events), calendar_settings.PAGE_SIZE))
    for _ in org.ics_feeds:
        need.add("/ics/{feed}", 1)
    return need


def actual_requests(log) -> Counter:
    return Counter(endpoint(record.path) for record in log)


def list_streams(org) -> int:
    """Incremental list walks a daily run starts: with nothing changed, one request each is the least."""
    per_repo = ("pull requests (GraphQL)", "issues", "issues/comments", "pulls/comments", "releases")
    return 1 + len(per_repo) * len(org.repos) + 2 + len(org.calendars) + len(org.ics_feeds)  # + jira search, users
