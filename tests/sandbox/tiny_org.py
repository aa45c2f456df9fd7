"""A hand-built, tiny Org with a few API-shaped objects of each kind (shapes trimmed
from the real payloads in /work/shared/realdata: GitHub REST examples, Jira Cloud v3
examples, Google Calendar events.list recordings).

    org = tiny_org()   # fresh objects each call; tests may mutate them
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sandbox.model import PLACEHOLDER_ORIGIN as P
from sandbox.model import Org

OWNER = "loadbearing-demo"
NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
PEOPLE = [  # (person_id, first, last, login, accountId, time zone)
    ("p001", "ada", "quill", "adaq", "acc-001", "Europe/Berlin"),
    ("p002", "bo", "fenn", "bofenn", "acc-002", "America/New_York"),
    ("p003", "cy", "marsh", "cymarsh", "acc-003", "UTC"),
]
PULLS_IN_API = 7
JIRA_LONG_HISTORY = 150  # more than the 100 histories search inlines


def gh_time(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def jira_time(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def google_time(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def email(first: str, last: str) -> str:
    return f"{first}.{last}@loadbearing-demo.example"


def gh_user(login: str, uid: int) -> dict:
    return {
        "login": login,
        "id": uid,
        "node_id": f"U_{uid}",
        "type": "User",
        "site_admin": False,
        "url": f"{P}/github/users/{login}",
        "html_url": f"{P}/{login}",
    }


USERS = [gh_user(login, 100 + i) for i, (_, _, _, login, _, _) in enumerate(PEOPLE)]


def repo(name: str, rid: int, created: datetime) -> dict:
    full = f"{OWNER}/{name}"
    return {
        "id": rid,
        "node_id": f"R_{rid}",
        "name": name,
        "full_name": full,
        "private": True,
        "owner": {"login": OWNER, "id": 1, "type": "Organization"},
        "html_url": f"{P}/{full}",
        "url": f"{P}/github/repos/{full}",
        "created_at": gh_time(created),
        "updated_at": gh_time(created),
        "pushed_at": gh_time(created),
        "default_branch": "main",
        "archived": False,
    }


def pull(full: str, n: int, author: dict, created: datetime, updated: datetime, state: str) -> dict:
    return {
        "url": f"{P}/github/repos/{full}/pulls/{n}",
        "id": 5000 + n,
        "node_id": f"PR_{n}",
        "html_url": f"{P}/{full}/pull/{n}",
        "number": n,
        "state": state,
        "locked": False,
        "title": f"fix: flaky retry #{n}",
        "user": author,
        "body": "Fixes a flaky retry.",
        "labels": [],
        "created_at": gh_time(created),
        "updated_at": gh_time(updated),
        "closed_at": gh_time(updated) if state == "closed" else None,
        "merged_at": gh_time(updated) if state == "closed" else None,
        "head": {"ref": f"fix/{n}", "sha": f"{n:040x}"},
        "base": {"ref": "main", "sha": "0" * 40},
        "author_association": "MEMBER",
        "draft": False,
        "merged": state == "closed",
        "mergeable": None,
        "comments": 1,
        "review_comments": 1,
        "commits": 1,
        "additions": 10 + n,
        "deletions": n,
        "changed_files": 1,
    }


def issue_of_pull(p: dict, full: str) -> dict:
    n = p["number"]
    return {
        "url": f"{P}/github/repos/{full}/issues/{n}",
        "id": 9000 + n,
        "number": n,
        "html_url": p["html_url"],
        "title": p["title"],
        "user": p["user"],
        "state": p["state"],
        "labels": [],
        "comments": 1,
        "created_at": p["created_at"],
        "updated_at": p["updated_at"],
        "closed_at": p["closed_at"],
        "author_association": "MEMBER",
        "body": p["body"],
        "pull_request": {"url": p["url"], "html_url": p["html_url"], "merged_at": p["merged_at"]},
    }


def tiny_org() -> Org:
    start = NOW - timedelta(days=30)
    org = Org(seed=1, now=NOW, start=start)
    org.people = [
        {
            "person_id": pid,
            "display_name": f"{first.title()} {last.title()}",
            "emails": [email(first, last)],
            "github_logins": [login],
            "jira_account_ids": [acc],
            "team": "core",
            "manager_id": None,
            "start_date": "2025-01-06",
            "time_zone": tz,
            "level": "L3",
            "attributes": {},
        }
        for pid, first, last, login, acc, tz in PEOPLE
    ]
    _github(org, start)
    _jira(org, start)
    _calendar(org, start)
    org.ics_feeds = {"oncall": ICS_ONCALL}
    return org


def _github(org: Org, start: datetime) -> None:
    org.repos = [repo("api", 11, start), repo("web", 12, start + timedelta(hours=1))]
    full = f"{OWNER}/api"
    pulls = []
    for n in range(1, PULLS_IN_API + 1):  # PR n created on day n, updated on day 2n
        created, updated = start + timedelta(days=n), start + timedelta(days=2 * n)
        pulls.append(pull(full, n, USERS[n % 3], created, updated, "closed" if n % 2 else "open"))
    org.pulls = {full: pulls, f"{OWNER}/web": []}
    bug = {
        "url": f"{P}/github/repos/{full}/issues/8",
        "id": 9008,
        "number": 8,
        "html_url": f"{P}/{full}/issues/8",
        "title": "Outage: login 500s",
        "user": USERS[2],
        "state": "open",
        "labels": [{"name": "incident"}],
        "comments": 0,
        "created_at": gh_time(start + timedelta(days=3)),
        "updated_at": gh_time(start + timedelta(days=20)),
        "closed_at": None,
        "author_association": "MEMBER",
        "body": "Login fails.",
    }
    org.issues = {full: [issue_of_pull(p, full) for p in pulls] + [bug]}
    first = pulls[0]
    org.pull_reviews = {
        (full, 1): [
            {
                "id": 700 + i,
                "node_id": f"PRR_{i}",
                "user": USERS[2],
                "body": "LGTM",
                "state": state,
                "html_url": f"{first['html_url']}#pullrequestreview-{700 + i}",
                "pull_request_url": first["url"],
                "author_association": "MEMBER",
                "submitted_at": gh_time(start + timedelta(days=1, hours=i)),
                "commit_id": first["head"]["sha"],
            }
            for i, state in enumerate(["COMMENTED", "CHANGES_REQUESTED", "APPROVED"])
        ]
    }
    org.pull_commits = {
        (full, 1): [
            {
                "sha": "a" * 40,
                "node_id": "C_1",
                "url": f"{P}/github/repos/{full}/commits/{'a' * 40}",
                "html_url": f"{P}/{full}/commit/{'a' * 40}",
                "author": USERS[1],
                "committer": USERS[1],
                "commit": {
                    "author": {"name": "Bo Fenn", "email": email("bo", "fenn"), "date": first["created_at"]},
                    "committer": {"name": "Bo Fenn", "email": email("bo", "fenn"), "date": first["created_at"]},
                    "message": f"fix retry\n\nCo-authored-by: Cy Marsh <{email('cy', 'marsh')}>",
                },
                "parents": [],
            }
        ]
    }
    org.pull_files = {
        (full, 1): [
            {
                "sha": "b" * 40,
                "filename": "src/retry.py",
                "status": "modified",
                "additions": 11,
                "deletions": 1,
                "changes": 12,
                "blob_url": f"{P}/{full}/blob/{'a' * 40}/src/retry.py",
            }
        ]
    }
    org.review_comments = {
        full: [
            {
                "url": f"{P}/github/repos/{full}/pulls/comments/{800 + i}",
                "id": 800 + i,
                "pull_request_review_id": 700,
                "diff_hunk": "@@ -1 +1 @@",
                "path": "src/retry.py",
                "user": USERS[2],
                "body": f"nit {i}",
                "created_at": gh_time(start + timedelta(days=1 + i)),
                "updated_at": gh_time(start + timedelta(days=1 + 3 * i)),
                "html_url": f"{first['html_url']}#discussion_r{800 + i}",
                "pull_request_url": first["url"],
                "author_association": "MEMBER",
            }
            for i in range(4)
        ]
    }
    org.issue_comments = {
        full: [
            {
                "url": f"{P}/github/repos/{full}/issues/comments/{900 + i}",
                "id": 900 + i,
                "html_url": f"{first['html_url']}#issuecomment-{900 + i}",
                "issue_url": f"{P}/github/repos/{full}/issues/1",
                "user": USERS[i % 3],
                "body": f"comment {i}",
                "created_at": gh_time(start + timedelta(days=2 + i)),
                "updated_at": gh_time(start + timedelta(days=2 + i)),
                "author_association": "MEMBER",
            }
            for i in range(3)
        ]
    }
    org.releases = {
        full: [
            {
                "url": f"{P}/github/repos/{full}/releases/{600 + i}",
                "html_url": f"{P}/{full}/releases/tag/v1.{i}",
                "id": 600 + i,
                "tag_name": f"v1.{i}",
                "name": f"v1.{i}",
                "draft": False,
                "prerelease": False,
                "author": USERS[0],
                "created_at": gh_time(start + timedelta(days=5 * i + 1)),
                "published_at": gh_time(start + timedelta(days=5 * i + 1)),
                "body": "Notes",
            }
            for i in range(2)
        ]
    }


def jira_user(i: int) -> dict:
    pid, first, last, _, acc, tz = PEOPLE[i]
    return {
        "self": f"{P}/jira/rest/api/3/user?accountId={acc}",
        "accountId": acc,
        "accountType": "atlassian",
        "displayName": f"{first.title()} {last.title()}",
        "active": True,
        "timeZone": tz,
    }


def _jira(org: Org, start: datetime) -> None:
    org.jira_users = [jira_user(i) for i in range(len(PEOPLE))]
    issues = []
    for i in range(5):  # OPS-1..3 and PLAT-1..2; issue i updated on day 3i+1 at 10:30:45
        project = "OPS" if i < 3 else "PLAT"
        key = f"{project}-{i + 1 if i < 3 else i - 2}"
        created = start + timedelta(days=i)
        updated = start + timedelta(days=3 * i + 1, hours=10, minutes=30, seconds=45)
        history_count = JIRA_LONG_HISTORY if i == 0 else 2
        histories = [
            {
                "id": str(20000 + 1000 * i + h),
                "author": jira_user(h % 3),
                "created": jira_time(created + timedelta(minutes=h)),
                "items": [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "from": "1",
                        "fromString": "To Do",
                        "to": "3",
                        "toString": "In Progress",
                    }
                ],
            }
            for h in range(history_count)
        ]
        issues.append(
            {
                "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
                "id": str(10001 + i),
                "self": f"{P}/jira/rest/api/3/issue/{10001 + i}",
                "key": key,
                "fields": {
                    "summary": f"Issue {key}",
                    "issuetype": {"name": "Incident" if i == 0 else "Story"},
                    "project": {"key": project, "name": project.title()},
                    "status": {"name": "Done", "statusCategory": {"key": "done"}},
                    "priority": {"name": "High"},
                    "labels": [],
                    "assignee": jira_user(i % 3),
                    "reporter": jira_user((i + 1) % 3),
                    "created": jira_time(created),
                    "updated": jira_time(updated),
                },
                "changelog": {"histories": histories},
            }
        )
    org.jira_issues = issues
    org.jira_worklogs = {
        "10001": [
            {
                "self": f"{P}/jira/rest/api/3/issue/10001/worklog/{30000 + w}",
                "author": jira_user(w % 3),
                "updateAuthor": jira_user(w % 3),
                "created": jira_time(start + timedelta(days=w)),
                "updated": jira_time(start + timedelta(days=w)),
                "started": jira_time(start + timedelta(days=w)),
                "timeSpent": "1h",
                "timeSpentSeconds": 3600,
                "id": str(30000 + w),
                "issueId": "10001",
            }
            for w in range(3)
        ]
    }
    org.jira_comments = {
        "10001": [
            {
                "self": f"{P}/jira/rest/api/3/issue/10001/comment/{40000 + c}",
                "id": str(40000 + c),
                "author": jira_user(c % 3),
                "updateAuthor": jira_user(c % 3),
                "body": {
                    "type": "doc",
                    "version": 1,
                    "content": [{"type": "paragraph", "content": [{"type": "text", "text": f"note {c}"}]}],
                },
                "created": jira_time(start + timedelta(days=c)),
                "updated": jira_time(start + timedelta(days=c)),
                "jsdPublic": True,
            }
            for c in range(2)
        ]
    }


def gcal_event(eid: str, summary: str, organizer: str, start: datetime, updated: datetime, **extra) -> dict:
    return {
        "kind": "calendar#event",
        "etag": f'"{eid}1"',
        "id": eid,
        "status": "confirmed",
        "htmlLink": f"{P}/calendar/event?eid={eid}",
        "created": google_time(updated),
        "updated": google_time(updated),
        "summary": summary,
        "creator": {"email": organizer},
        "organizer": {"email": organizer},
        "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "UTC"},
        "end": {"dateTime": (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "UTC"},
        "attendees": [{"email": email("bo", "fenn"), "responseStatus": "accepted"}],
        "iCalUID": f"{eid}@google.com",
        "sequence": 0,
        "eventType": "default",
        **extra,
    }


def _calendar(org: Org, start: datetime) -> None:
    ada = email("ada", "quill")
    events = [  # event k starts on day k, updated on day k-1
        gcal_event(
            f"ev{k}", f"Incident review {k}", ada, start + timedelta(days=k, hours=9), start + timedelta(days=k - 1)
        )
        for k in range(1, 6)
    ]
    events[2]["status"] = "cancelled"
    events.append(
        {
            **gcal_event("standup", "Standup", ada, start + timedelta(days=1, hours=8), start),
            "recurrence": ["RRULE:FREQ=DAILY;COUNT=3"],
        }
    )
    events.append(
        {
            **gcal_event("standup_20261022T080000Z", "Standup", ada, start + timedelta(days=1, hours=8), start),
            "recurringEventId": "standup",
            "originalStartTime": {"dateTime": "2026-10-22T08:00:00Z"},
        }
    )
    org.calendars = {ada: events, email("bo", "fenn"): events[:2]}


ICS_ONCALL = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Loadbearing sandbox//EN\r
BEGIN:VEVENT\r
UID:oncall-1@loadbearing-demo.example\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261102T090000Z\r
DTEND:20261102T100000Z\r
SUMMARY:On-call handoff\r
ORGANIZER:mailto:ada.quill@loadbearing-demo.example\r
URL:http://sandbox.invalid/calendar/event?eid=oncall-1\r
END:VEVENT\r
END:VCALENDAR\r
"""
