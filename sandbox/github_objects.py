"""GitHub REST objects shaped as the API returns them (users, repos, pulls, issues,
reviews, comments, commits, files, releases).

URLs: API urls are `{PLACEHOLDER_ORIGIN}/github/repos/{owner}/{repo}/...` (the server's
github_url is `{base}/github`); web pages (`html_url`) are
`{PLACEHOLDER_ORIGIN}/web/github/{owner}/{repo}/pull/{n}` (also `/issues/{n}`,
`/releases/tag/{tag}`, `/commit/{sha}`, and `/web/github/{login}` for users), with
`#pullrequestreview-{id}`, `#discussion_r{id}`, `#issuecomment-{id}` anchors.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from urllib.parse import quote

from sandbox.model import PLACEHOLDER_ORIGIN

API = f"{PLACEHOLDER_ORIGIN}/github"
WEB = f"{PLACEHOLDER_ORIGIN}/web/github"
LABEL_COLORS = ["d73a4a", "a2eeef", "0075ca", "7057ff", "008672", "e4e669", "fbca04", "b60205"]
# the labels GitHub creates in every new repository
DEFAULT_LABELS = {
    "bug",
    "documentation",
    "duplicate",
    "enhancement",
    "good first issue",
    "help wanted",
    "invalid",
    "question",
    "wontfix",
}


def gh_time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(prefix: str, number: int) -> str:
    return prefix + base64.b64encode(f"0:{number}".encode()).decode().rstrip("=")


def user(login: str, uid: int, bot: bool = False) -> dict:
    return {
        "login": login,
        "id": uid,
        "node_id": node_id("U_kgDO" if not bot else "BOT_kgDO", uid),
        "avatar_url": f"{PLACEHOLDER_ORIGIN}/web/avatars/u/{uid}?v=4",
        "gravatar_id": "",
        "url": f"{API}/users/{login}",
        "html_url": f"{WEB}/{login}",
        "followers_url": f"{API}/users/{login}/followers",
        "following_url": f"{API}/users/{login}/following{{/other_user}}",
        "gists_url": f"{API}/users/{login}/gists{{/gist_id}}",
        "starred_url": f"{API}/users/{login}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{API}/users/{login}/subscriptions",
        "organizations_url": f"{API}/users/{login}/orgs",
        "repos_url": f"{API}/users/{login}/repos",
        "events_url": f"{API}/users/{login}/events{{/privacy}}",
        "received_events_url": f"{API}/users/{login}/received_events",
        "type": "Bot" if bot else "User",
        "user_view_type": "public",
        "site_admin": False,
    }


def repository(owner: dict, name: str, rid: int, created: datetime, language: str, description: str) -> dict:
    full = f"{owner['login']}/{name}"
    return {
        "id": rid,
        "node_id": node_id("R_kgDO", rid),
        "name": name,
        "full_name": full,
        "private": True,
        "owner": owner,
        "html_url": f"{WEB}/{full}",
        "description": description,
        "fork": False,
        "url": f"{API}/repos/{full}",
        "pulls_url": f"{API}/repos/{full}/pulls{{/number}}",
        "issues_url": f"{API}/repos/{full}/issues{{/number}}",
        "releases_url": f"{API}/repos/{full}/releases{{/id}}",
        "created_at": gh_time(created),
        "updated_at": gh_time(created),
        "pushed_at": gh_time(created),
        "homepage": None,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": language,
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "forks_count": 0,
        "archived": False,
        "disabled": False,
        "open_issues_count": 0,
        "license": None,
        "allow_forking": False,
        "is_template": False,
        "topics": [],
        "visibility": "private",
        "forks": 0,
        "open_issues": 0,
        "watchers": 0,
        "default_branch": "main",
    }


def label(name: str, lid: int) -> dict:
    return {
        "id": lid,
        "node_id": node_id("LA_kwDO", lid),
        "url": f"{API}/labels/{quote(name, safe='')}",
        "name": name,
        "color": LABEL_COLORS[lid % len(LABEL_COLORS)],
        "default": name in DEFAULT_LABELS,
        "description": None,
    }


def pull_request(
    repo: dict,
    number: int,
    pid: int,
    author: dict,
    association: str,
    title: str,
    body: str,
    labels: list[dict],
    head_ref: str,
    head_sha: str,
    base_sha: str,
    created: datetime,
    draft: bool,
) -> dict:
    full = repo["full_name"]
    url = f"{API}/repos/{full}/pulls/{number}"
    html = f"{WEB}/{full}/pull/{number}"
    return {
        "url": url,
        "id": pid,
        "node_id": node_id("PR_kwDO", pid),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{API}/repos/{full}/issues/{number}",
        "number": number,
        "state": "open",
        "locked": False,
        "title": title,
        "user": author,
        "body": body or None,
        "created_at": gh_time(created),
        "updated_at": gh_time(created),
        "closed_at": None,
        "merged_at": None,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": labels,
        "milestone": None,
        "draft": draft,
        "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{API}/repos/{full}/pulls/comments{{/number}}",
        "comments_url": f"{API}/repos/{full}/issues/{number}/comments",
        "statuses_url": f"{API}/repos/{full}/statuses/{head_sha}",
        "head": {
            "label": f"{author['login']}:{head_ref}",
            "ref": head_ref,
            "sha": head_sha,
            "user": author,
            "repo": repo,
        },
        "base": {
            "label": f"{repo['owner']['login']}:main",
            "ref": "main",
            "sha": base_sha,
            "user": repo["owner"],
            "repo": repo,
        },
        "_links": {
            "self": {"href": url},
            "html": {"href": html},
            "issue": {"href": f"{API}/repos/{full}/issues/{number}"},
            "comments": {"href": f"{API}/repos/{full}/issues/{number}/comments"},
            "review_comments": {"href": f"{url}/comments"},
            "commits": {"href": f"{url}/commits"},
        },
        "author_association": association,
        "auto_merge": None,
        "active_lock_reason": None,
        "merged": False,
        "mergeable": True,
        "rebaseable": True,
        "mergeable_state": "clean",
        "merged_by": None,
        "comments": 0,
        "review_comments": 0,
        "maintainer_can_modify": False,
        "commits": 0,
        "additions": 0,
        "deletions": 0,
        "changed_files": 0,
    }


def issue(
    repo: dict,
    number: int,
    iid: int,
    author: dict,
    association: str,
    title: str,
    body: str,
    labels: list[dict],
    created: datetime,
    pull: dict | None = None,
) -> dict:
    full = repo["full_name"]
    url = f"{API}/repos/{full}/issues/{number}"
    item = {
        "url": url,
        "repository_url": repo["url"],
        "labels_url": f"{url}/labels{{/name}}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "html_url": pull["html_url"] if pull else f"{WEB}/{full}/issues/{number}",
        "id": iid,
        "node_id": node_id("I_kwDO", iid),
        "number": number,
        "title": title,
        "user": author,
        "labels": labels,
        "state": "open",
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": 0,
        "created_at": gh_time(created),
        "updated_at": gh_time(created),
        "closed_at": None,
        "author_association": association,
        "active_lock_reason": None,
        "body": body or None,
        "closed_by": None,
        "reactions": {"url": f"{url}/reactions", "total_count": 0, "+1": 0, "-1": 0},
        "timeline_url": f"{url}/timeline",
        "performed_via_github_app": None,
        "state_reason": None,
    }
    if pull:
        item["draft"] = pull["draft"]
        item["pull_request"] = {
            "url": pull["url"],
            "html_url": pull["html_url"],
            "diff_url": pull["diff_url"],
            "patch_url": pull["patch_url"],
            "merged_at": None,
        }
    return item


def review(
    pull: dict,
    rid: int,
    reviewer: dict,
    association: str,
    state: str,
    body: str,
    submitted: datetime | None,
    commit_id: str,
) -> dict:
    html = f"{pull['html_url']}#pullrequestreview-{rid}"
    item = {
        "id": rid,
        "node_id": node_id("PRR_kwDO", rid),
        "user": reviewer,
        "body": body,
        "state": state,
        "html_url": html,
        "pull_request_url": pull["url"],
        "author_association": association,
        "_links": {"html": {"href": html}, "pull_request": {"href": pull["url"]}},
        "commit_id": commit_id,
    }
    if submitted is not None:
        item["submitted_at"] = gh_time(submitted)
    return item


def review_comment(
    pull: dict,
    cid: int,
    review_id: int,
    author: dict,
    association: str,
    body: str,
    path: str,
    line: int,
    created: datetime,
    commit_id: str,
    reply_to: int | None,
) -> dict:
    full = pull["base"]["repo"]["full_name"]
    url = f"{API}/repos/{full}/pulls/comments/{cid}"
    html = f"{pull['html_url']}#discussion_r{cid}"
    item = {
        "url": url,
        "pull_request_review_id": review_id,
        "id": cid,
        "node_id": node_id("PRRC_kwDO", cid),
        "diff_hunk": f"@@ -{line},6 +{line},7 @@",
        "path": path,
        "position": line % 40 + 1,
        "original_position": line % 40 + 1,
        "commit_id": commit_id,
        "original_commit_id": commit_id,
        "user": author,
        "body": body,
        "created_at": gh_time(created),
        "updated_at": gh_time(created),
        "html_url": html,
        "pull_request_url": pull["url"],
        "author_association": association,
        "_links": {"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": pull["url"]}},
        "start_line": None,
        "original_start_line": None,
        "start_side": None,
        "line": line,
        "original_line": line,
        "side": "RIGHT",
        "subject_type": "line",
    }
    if reply_to is not None:
        item["in_reply_to_id"] = reply_to
    return item


def issue_comment(target: dict, cid: int, author: dict, association: str, body: str, created: datetime) -> dict:
    """A comment on an issue or a pull request (both live under /issues/{n}/comments)."""
    issue_url = target.get("issue_url", target["url"])
    full = issue_url.split("/repos/")[1].rsplit("/issues/", 1)[0]
    return {
        "url": f"{API}/repos/{full}/issues/comments/{cid}",
        "html_url": f"{target['html_url']}#issuecomment-{cid}",
        "issue_url": issue_url,
        "id": cid,
        "node_id": node_id("IC_kwDO", cid),
        "user": author,
        "created_at": gh_time(created),
        "updated_at": gh_time(created),
        "author_association": association,
        "body": body,
        "reactions": {"url": f"{API}/repos/{full}/issues/comments/{cid}/reactions", "total_count": 0},
        "performed_via_github_app": None,
    }


def commit(
    repo: dict, sha: str, parent: str, name: str, email: str, gh_user: dict | None, message: str, when: datetime
) -> dict:
    full = repo["full_name"]
    person = {"name": name, "email": email, "date": gh_time(when)}
    return {
        "sha": sha,
        "node_id": node_id("C_kwDO", int(sha[:8], 16)),
        "commit": {
            "author": person,
            "committer": dict(person),
            "message": message,
            "tree": {"sha": sha[::-1], "url": f"{API}/repos/{full}/git/trees/{sha[::-1]}"},
            "url": f"{API}/repos/{full}/git/commits/{sha}",
            "comment_count": 0,
            "verification": {"verified": False, "reason": "unsigned", "signature": None, "payload": None},
        },
        "url": f"{API}/repos/{full}/commits/{sha}",
        "html_url": f"{WEB}/{full}/commit/{sha}",
        "comments_url": f"{API}/repos/{full}/commits/{sha}/comments",
        "author": gh_user,
        "committer": gh_user,
        "parents": [
            {"sha": parent, "url": f"{API}/repos/{full}/commits/{parent}", "html_url": f"{WEB}/{full}/commit/{parent}"}
        ],
    }


def pull_file(repo: dict, head_sha: str, filename: str, status: str, additions: int, deletions: int, blob: str) -> dict:
    full = repo["full_name"]
    return {
        "sha": blob,
        "filename": filename,
        "status": status,
        "additions": additions,
        "deletions": deletions,
        "changes": additions + deletions,
        "blob_url": f"{WEB}/{full}/blob/{head_sha}/{filename}",
        "raw_url": f"{WEB}/{full}/raw/{head_sha}/{filename}",
        "contents_url": f"{API}/repos/{full}/contents/{filename}?ref={head_sha}",
        "patch": f"@@ -1,{deletions} +1,{additions} @@",
    }


def release(repo: dict, rid: int, author: dict, tag: str, name: str, body: str, published: datetime) -> dict:
    full = repo["full_name"]
    return {
        "url": f"{API}/repos/{full}/releases/{rid}",
        "assets_url": f"{API}/repos/{full}/releases/{rid}/assets",
        "upload_url": f"{API}/repos/{full}/releases/{rid}/assets{{?name,label}}",
        "html_url": f"{WEB}/{full}/releases/tag/{tag}",
        "id": rid,
        "author": author,
        "node_id": node_id("RE_kwDO", rid),
        "tag_name": tag,
        "target_commitish": "main",
        "name": name,
        "draft": False,
        "prerelease": False,
        "created_at": gh_time(published),
        "published_at": gh_time(published),
        "assets": [],
        "tarball_url": f"{API}/repos/{full}/tarball/{tag}",
        "zipball_url": f"{API}/repos/{full}/zipball/{tag}",
        "body": body,
    }


def team(org_login: str, slug: str, tid: int) -> dict:
    """An organization's team as REST's `requested_teams` and timeline events carry it."""
    return {
        "name": slug.replace("-", " ").title(),
        "id": tid,
        "node_id": node_id("T_kwDO", tid),
        "slug": slug,
        "description": None,
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "url": f"{API}/organizations/90000001/team/{tid}",
        "html_url": f"{WEB}/orgs/{org_login}/teams/{slug}",
        "members_url": f"{API}/organizations/90000001/team/{tid}/members{{/member}}",
        "repositories_url": f"{API}/organizations/90000001/team/{tid}/repos",
        "permission": "pull",
        "parent": None,
    }


def review_request_event(
    pull: dict, eid: int, event: str, requester: dict, reviewer: dict | None, requested_team: dict | None, at: datetime
) -> dict:
    """A `review_requested` / `review_request_removed` item of GET /issues/{n}/timeline: a user
    request carries `requested_reviewer`, a team request `requested_team`."""
    item = {
        "id": eid,
        "node_id": node_id("RRE_kwDO" if event == "review_requested" else "RRRE_kwDO", eid),
        "url": f"{pull['issue_url'].rsplit('/issues/', 1)[0]}/issues/events/{eid}",
        "actor": requester,
        "event": event,
        "commit_id": None,
        "commit_url": None,
        "created_at": gh_time(at),
        "review_requester": requester,
        "performed_via_github_app": None,
    }
    if requested_team is not None:
        item["requested_team"] = requested_team
    else:
        item["requested_reviewer"] = reviewer
    return item
