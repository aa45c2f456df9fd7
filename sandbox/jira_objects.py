"""Jira Cloud REST v3 objects (issues with fields and changelog, worklogs, comments,
users) shaped as the API returns them. Times use Jira's format
`2026-11-20T09:15:00.000+0000`; `self` urls live under `{PLACEHOLDER_ORIGIN}/jira`."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.model import PLACEHOLDER_ORIGIN
from sandbox.text import adf

SITE = f"{PLACEHOLDER_ORIGIN}/jira"
API = f"{SITE}/rest/api/3"
SPRINT_FIELD = "customfield_10020"
RANK_FIELD = "customfield_10019"

# issue type -> (id, hierarchy level): Jira Cloud's defaults (Epic, Story, Task, Sub-task, Bug), those
# projects brought over from Data Center keep (Improvement, New Feature), a test-management
# app's Test, Jira Service Management's Incident and a team-defined Spike
ISSUE_TYPES = {
    "Epic": ("10000", 1),
    "Story": ("10001", 0),
    "Task": ("10002", 0),
    "Sub-task": ("10003", -1),
    "Bug": ("10004", 0),
    "Improvement": ("10005", 0),
    "New Feature": ("10006", 0),
    "Test": ("10007", 0),
    "Incident": ("10010", 0),
    "Spike": ("10011", 0),
}
# Jira Cloud's priorities, and Data Center's (kept by projects migrated from it, under new ids)
CLOUD_PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"]
DC_PRIORITIES = ["Blocker", "Critical", "Major", "Minor", "Trivial"]
PRIORITIES = {
    **{name: str(i + 1) for i, name in enumerate(CLOUD_PRIORITIES)},
    **{name: str(10000 + i) for i, name in enumerate(DC_PRIORITIES)},
}
# status name -> (id, statusCategory key, statusCategory name, statusCategory id)
STATUSES = {
    "To Do": ("10000", "new", "To Do", 2),
    "Backlog": ("10001", "new", "To Do", 2),
    "Open": ("1", "new", "To Do", 2),
    "In Progress": ("3", "indeterminate", "In Progress", 4),
    "In Review": ("10002", "indeterminate", "In Progress", 4),
    "Investigating": ("10003", "indeterminate", "In Progress", 4),
    "Done": ("10004", "done", "Done", 3),
    "Closed": ("6", "done", "Done", 3),
    "Resolved": ("5", "done", "Done", 3),
}


def jira_time(t: datetime) -> str:
    t = t.astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}+0000"


def user(account_id: str, name: str, email: str | None, app: bool = False, tz: str = "UTC") -> dict:
    item = {
        "self": f"{API}/user?accountId={account_id}",
        "accountId": account_id,
        "avatarUrls": {
            size: f"{PLACEHOLDER_ORIGIN}/web/avatars/j/{account_id}/{size}"
            for size in ("48x48", "24x24", "16x16", "32x32")
        },
        "displayName": name,
        "active": True,
        "timeZone": tz,
        "accountType": "app" if app else "atlassian",
    }
    if email:
        item["emailAddress"] = email
    return item


def status(name: str) -> dict:
    sid, key, cat_name, cat_id = STATUSES[name]
    return {
        "self": f"{API}/status/{sid}",
        "description": "",
        "iconUrl": f"{SITE}/images/icons/status.png",
        "name": name,
        "id": sid,
        "statusCategory": {
            "self": f"{API}/statuscategory/{cat_id}",
            "id": cat_id,
            "key": key,
            "colorName": {"new": "blue-gray", "indeterminate": "yellow", "done": "green"}[key],
            "name": cat_name,
        },
    }


def priority(name: str) -> dict:
    pid = PRIORITIES[name]
    return {
        "self": f"{API}/priority/{pid}",
        "iconUrl": f"{SITE}/images/icons/priorities/{name.lower()}.svg",
        "name": name,
        "id": pid,
    }


def issuetype(name: str) -> dict:
    tid, level = ISSUE_TYPES[name]
    icon = name.lower().replace(" ", "").replace("-", "")
    return {
        "self": f"{API}/issuetype/{tid}",
        "id": tid,
        "description": "",
        "iconUrl": f"{SITE}/images/icons/issuetypes/{icon}.svg",
        "name": name,
        "subtask": level < 0,
        "hierarchyLevel": level,
    }


def project(key: str, pid: str, name: str, type_key: str = "software") -> dict:
    """type_key: "software" (Jira Software) or "service_desk" (Jira Service Management)."""
    return {
        "self": f"{API}/project/{pid}",
        "id": pid,
        "key": key,
        "name": name,
        "projectTypeKey": type_key,
        "simplified": False,
    }


def reference(item: dict) -> dict:
    """An issue as another issue's `parent` or `subtasks` entry shows it."""
    fields = item["fields"]
    return {
        "id": item["id"],
        "key": item["key"],
        "self": item["self"],
        "fields": {
            "summary": fields["summary"],
            "status": fields["status"],
            "priority": fields["priority"],
            "issuetype": fields["issuetype"],
        },
    }


def component(name: str, cid: int) -> dict:
    return {"self": f"{API}/component/{cid}", "id": str(cid), "name": name}


def version(name: str, vid: int, released: bool, release_date: str | None) -> dict:
    item = {"self": f"{API}/version/{vid}", "id": str(vid), "name": name, "archived": False, "released": released}
    if release_date:
        item["releaseDate"] = release_date
    return item


def sprint(sid: int, name: str, state: str, board: int, start: datetime, end: datetime) -> dict:
    return {
        "id": sid,
        "name": name,
        "state": state,
        "boardId": board,
        "goal": "",
        "startDate": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "endDate": end.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }


def issue(
    iid: int,
    key: str,
    proj: dict,
    itype: str,
    summary: str,
    prio: str,
    labels: list[str],
    components: list[dict],
    reporter: dict,
    assignee: dict | None,
    created: datetime,
    description: str,
) -> dict:
    return {
        "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
        "id": str(iid),
        "self": f"{API}/issue/{iid}",
        "key": key,
        "fields": {
            "summary": summary,
            "issuetype": issuetype(itype),
            "project": proj,
            "priority": priority(prio),
            "labels": labels,
            "components": components,
            "status": status("To Do" if proj["key"] != "OPS" else "Open"),
            "assignee": assignee,
            "reporter": reporter,
            "creator": reporter,
            "created": jira_time(created),
            "updated": jira_time(created),
            "resolutiondate": None,
            "resolution": None,
            "fixVersions": [],
            SPRINT_FIELD: None,
            RANK_FIELD: f"0|i{iid:05d}:",
            "parent": None,
            "subtasks": [],
            "description": adf(description) if description else None,
            "duedate": None,
            "timespent": None,
            "watches": {"self": f"{API}/issue/{key}/watchers", "watchCount": 1, "isWatching": False},
        },
        "changelog": {"startAt": 0, "maxResults": 0, "total": 0, "histories": []},
    }


def history(hid: int, author: dict, when: datetime, items: list[dict]) -> dict:
    return {"id": str(hid), "author": author, "created": jira_time(when), "items": items}


def item(field: str, from_id, from_str, to_id, to_str, custom_id: str | None = None) -> dict:
    """One changed field of a changelog history."""
    field_ids = {
        "status": "status",
        "assignee": "assignee",
        "priority": "priority",
        "Fix Version": "fixVersions",
        "resolution": "resolution",
        "labels": "labels",
        "Sprint": SPRINT_FIELD,
        "Rank": RANK_FIELD,
    }
    return {
        "field": field,
        "fieldtype": "custom" if custom_id or field in ("Sprint", "Rank") else "jira",
        "fieldId": field_ids.get(field, field),
        "from": from_id,
        "fromString": from_str,
        "to": to_id,
        "toString": to_str,
    }


def worklog(
    wid: int, issue_id: str, key: str, author: dict, started: datetime, seconds: int, created: datetime, comment: str
) -> dict:
    hours, minutes = divmod(seconds // 60, 60)
    spent = " ".join(part for part in (f"{hours}h" if hours else "", f"{minutes}m" if minutes else "") if part)
    item_ = {
        "self": f"{API}/issue/{issue_id}/worklog/{wid}",
        "author": author,
        "updateAuthor": author,
        "created": jira_time(created),
        "updated": jira_time(created),
        "started": jira_time(started),
        "timeSpent": spent,
        "timeSpentSeconds": seconds,
        "id": str(wid),
        "issueId": issue_id,
    }
    if comment:
        item_["comment"] = adf(comment)
    return item_


def comment(cid: int, issue_id: str, author: dict, body: str, created: datetime) -> dict:
    return {
        "self": f"{API}/issue/{issue_id}/comment/{cid}",
        "id": str(cid),
        "author": author,
        "body": adf(body),
        "updateAuthor": author,
        "created": jira_time(created),
        "updated": jira_time(created),
        "jsdPublic": True,
    }


# -- Jira Data Center / Server (REST v2) ------------------------------------------------------


def username(user: dict) -> str:
    """The Server username of a sandbox user: its email's local part, else (apps) its name."""
    email = user.get("emailAddress")
    if email:
        return email.split("@")[0].lower()
    return "-".join(user["displayName"].lower().split())


def server_shaped(value, usernames: dict[str, str]):
    """A Cloud v3 object as Jira Server's REST v2 writes it: users by `name` and `key` (no accountId or
    accountType), rich text (ADF) as its plain text, assignee changes in changelogs by username."""
    if isinstance(value, list):
        return [server_shaped(v, usernames) for v in value]
    if not isinstance(value, dict):
        return value
    if "accountId" in value:
        name = usernames.get(value["accountId"]) or username(value)
        user = {"self": f"{SITE}/rest/api/2/user?username={name}", "name": name, "key": name}
        kept = ("emailAddress", "avatarUrls", "displayName", "active", "timeZone")
        return user | {k: value[k] for k in kept if k in value}
    if value.get("type") == "doc":
        return " ".join(_adf_texts(value))
    if value.get("field") in ("assignee", "reporter") and "fromString" in value:
        return {
            **value,
            "from": usernames.get(value["from"], value["from"]),
            "to": usernames.get(value["to"], value["to"]),
        }
    return {k: server_shaped(v, usernames) for k, v in value.items()}


def _adf_texts(node) -> list[str]:
    if isinstance(node, list):
        return [text for child in node for text in _adf_texts(child)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if isinstance(node.get("text"), str) else []
    return own + _adf_texts(node.get("content") or [])
