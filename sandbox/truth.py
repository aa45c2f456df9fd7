"""The ground truth of a generated organization (docs/CONTRACTS.md, "Ground truth"):
row counts per raw table, every activity with what it really was, the planted roles.

Categories come from the story's own records (what each pull request, issue, meeting
was for), never from the text a rule would read. The exclusions are the contract's
"Not activities" list, applied to the objects as the connectors load them.

Readings of the contract this file fixes:
- jira_issue_edited: a history that changes Sprint, Rank, Fix Version, assignee or
  priority, by a roster person other than the issue's *current* assignee.
- jira_issue_completed: credited to the assignee at the history that set a resolution
  (entered the Done category), found by replaying the assignee items; "covering" when
  that person is not the issue's first assignee (the one it was created with), unless
  the issue is an incident.
- onboarding_mentoring for help on a pull request: the author's start_date is at most
  90 days before the review/comment's own timestamp, or the PR's author_association is
  FIRST_TIME_CONTRIBUTOR / FIRST_TIMER.
- meetings: an attendee entry with `organizer: true` is the organizer, not an attendee;
  needsAction and tentative count as attending; 1:1s are mentoring unless one of the
  two is the other's manager_id.
- .ics instances: expanded with recurring_ical_events over [org.start, org.now + 1 day].
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import recurring_ical_events

from sandbox.calendar_objects import duration_hours, instance_suffix
from sandbox.selfreports import ledger

EDIT_FIELDS = {"Sprint", "Rank", "Fix Version", "assignee", "priority"}
NEW_HIRE_DAYS = 90
FIRST_TIMERS = {"FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER"}
# meeting kind -> (category of the organizer, category of an attendee)
MEETING_CATEGORIES = {
    "standup": ("coordination", "other"),
    "planning": ("coordination", "other"),
    "retro": ("coordination", "other"),
    "refinement": ("coordination", "other"),
    "sync": ("coordination", "other"),
    "war_room": ("incident_response", "incident_response"),
    "postmortem": ("incident_response", "incident_response"),
    "oncall": ("incident_response", "incident_response"),
    "interview": ("hiring", "hiring"),
    "onboarding": ("onboarding_mentoring", "onboarding_mentoring"),
    "design_review": ("design_leadership", "other"),
    "launch": ("launch", "other"),
}
ROSTER_COLUMNS = [
    "person_id",
    "display_name",
    "emails",
    "github_logins",
    "jira_account_ids",
    "team",
    "manager_id",
    "start_date",
    "time_zone",
    "level",
    "attributes",
    "target_promotable_share",
    "seeks_promotion",
]


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00").replace("+0000", "+00:00"))


def ics_instances(org) -> list[tuple[str, dict]]:
    """(feed name, instance) for every instance the feeds expand to in [org.start, org.now];
    an instance is {id, summary, organizer, attendees: [(email, partstat)], start, end}."""
    out = []
    for feed, body in org.ics_feeds.items():
        calendar = icalendar.Calendar.from_ical(body)
        # decided per UID on the feed's VEVENTs: recurring_ical_events puts a RECURRENCE-ID on every occurrence
        recurring_uids = {
            str(c["UID"])
            for c in calendar.walk("VEVENT")
            if any(key in c for key in ("RRULE", "RDATE", "RECURRENCE-ID"))
        }
        for component in recurring_ical_events.of(calendar).between(org.start, org.now + timedelta(days=1)):
            start = component.decoded("DTSTART")
            end = component.decoded("DTEND")
            uid = str(component["UID"])
            recurring = uid in recurring_uids
            original = component.decoded("RECURRENCE-ID") if "RECURRENCE-ID" in component else start
            attendees = component.get("ATTENDEE", [])
            attendees = attendees if isinstance(attendees, list) else [attendees]
            out.append(
                (
                    feed,
                    {
                        "id": f"{uid}_{instance_suffix(original)}" if recurring else uid,
                        "summary": str(component.get("SUMMARY", "")),
                        "organizer": str(component.get("ORGANIZER", "")).removeprefix("mailto:"),
                        "attendees": [
                            (str(a).removeprefix("mailto:"), a.params.get("PARTSTAT", "NEEDS-ACTION"))
                            for a in attendees
                        ],
                        "start": start,
                        "end": end,
                        "cancelled": str(component.get("STATUS", "")) == "CANCELLED",
                    },
                )
            )
    return out


def count_rows(org, instances: list) -> dict[str, int]:
    def total(table: dict) -> int:
        return sum(len(items) for items in table.values())

    return {
        "raw_github.repositories": len(org.repos),
        "raw_github.pull_requests": total(org.pulls),
        "raw_github.pull_request_files": total(org.pull_files),
        "raw_github.reviews": sum(1 for items in org.pull_reviews.values() for r in items if r["state"] != "PENDING"),
        "raw_github.review_comments": total(org.review_comments),
        "raw_github.issue_comments": total(org.issue_comments),
        "raw_github.pull_request_commits": total(org.pull_commits),
        "raw_github.issues": sum(1 for items in org.issues.values() for i in items if "pull_request" not in i),
        "raw_github.releases": total(org.releases),
        "raw_github.review_requests": total(org.pull_timeline),
        "raw_jira.issues": len(org.jira_issues),
        "raw_jira.issue_changelogs": sum(len(i["changelog"]["histories"]) for i in org.jira_issues),
        "raw_jira.worklogs": total(org.jira_worklogs),
        "raw_jira.comments": total(org.jira_comments),
        "raw_jira.users": len(org.jira_users),
        "raw_calendar.events": total(org.calendars) + len(instances),
        "raw_people.people": len(org.people),
    }


class _Activities:
    def __init__(self, org, story):
        self.org, self.story = org, story
        self.rows: list[dict] = []
        self.start = {p["person_id"]: date.fromisoformat(p["start_date"]) for p in org.people}
        self.manager = {p["person_id"]: p["manager_id"] for p in org.people}
        self.login = {login: p["person_id"] for p in org.people for login in p["github_logins"]}
        self.email = {email: p["person_id"] for p in org.people for email in p["emails"]}
        self.account = {a: p["person_id"] for p in org.people for a in p["jira_account_ids"]}

    def add(self, source: str, activity_type: str, object_id, person: str | None, category: str) -> None:
        if person is not None:
            self.rows.append(
                {
                    "source": source,
                    "activity_type": activity_type,
                    "object_id": str(object_id),
                    "person_id": person,
                    "category": category,
                }
            )

    def help_category(self, author: str | None, association: str, when: str) -> str:
        """Reviewing or commenting on someone else's pull request."""
        if association in FIRST_TIMERS:
            return "onboarding_mentoring"
        if author and (parse_time(when).date() - self.start[author]).days <= NEW_HIRE_DAYS:
            return "onboarding_mentoring"
        return "code_review"

    def github(self) -> None:
        org, story = self.org, self.story
        for full, pulls in org.pulls.items():
            by_url = {}
            for pull in pulls:
                key = (full, pull["number"])
                author = self.login.get(pull["user"]["login"]) if pull["user"]["type"] == "User" else None
                kind = story.truth_pr[key]
                by_url[pull["issue_url"]] = (pull, author, kind)
                by_url[pull["url"]] = (pull, author, kind)
                self.add("github", "pr_authored", f"{full}#{pull['number']}", author, kind)
                for review in org.pull_reviews[key]:
                    reviewer = self.login.get(review["user"]["login"])
                    if review["state"] != "PENDING" and reviewer != author:
                        self.add(
                            "github",
                            "review_submitted",
                            review["id"],
                            reviewer,
                            self.help_category(author, pull["author_association"], review["submitted_at"]),
                        )
                for c in org.pull_commits[key]:
                    object_id = f"{full}#{pull['number']}@{c['sha']}"
                    committer = self.login.get((c["author"] or {}).get("login", ""))
                    if committer != author:
                        self.add("github", "commit_on_others_pr", object_id, committer, "covering")
                    for line in c["commit"]["message"].splitlines():
                        if line.startswith("Co-authored-by:"):
                            email = line.rsplit("<", 1)[1].rstrip(">")
                            self.add("github", "co_authored_commit", object_id, self.email.get(email), "covering")
            for comment in org.review_comments[full]:
                pull, author, _ = by_url[comment["pull_request_url"]]
                commenter = self.login.get(comment["user"]["login"])
                if commenter != author:
                    self.add(
                        "github",
                        "review_comment",
                        comment["id"],
                        commenter,
                        self.help_category(author, pull["author_association"], comment["created_at"]),
                    )
            issues = {i["url"]: i for i in org.issues[full] if "pull_request" not in i}
            for comment in org.issue_comments[full]:
                commenter = self.login.get(comment["user"]["login"])
                if comment["issue_url"] in by_url:
                    pull, author, kind = by_url[comment["issue_url"]]
                    category = (
                        kind
                        if commenter == author
                        else self.help_category(author, pull["author_association"], comment["created_at"])
                    )
                else:
                    category = story.truth_gh_issue[issues[comment["issue_url"]]["id"]]
                self.add("github", "issue_comment", comment["id"], commenter, category)
            for item in issues.values():
                self.add(
                    "github",
                    "gh_issue_opened",
                    item["id"],
                    self.login.get(item["user"]["login"]),
                    story.truth_gh_issue[item["id"]],
                )
            for release in org.releases[full]:
                self.add(
                    "github", "release_published", release["id"], self.login.get(release["author"]["login"]), "launch"
                )

    def jira(self) -> None:
        org, story = self.org, self.story
        for item in org.jira_issues:
            iid = item["id"]
            base = story.truth_jira[iid]
            assignee = self.account.get((item["fields"]["assignee"] or {}).get("accountId"))
            if item["fields"]["status"]["statusCategory"]["key"] == "done":
                completer = story.jira_completer.get(iid)
                category = base
                if base != "incident_response" and completer != story.jira_owner[iid]:
                    category = "covering"
                self.add("jira", "jira_issue_completed", iid, completer, category)
            for history in item["changelog"]["histories"]:
                author = self.account.get(history["author"]["accountId"])
                if author != assignee and any(i["field"] in EDIT_FIELDS for i in history["items"]):
                    self.add("jira", "jira_issue_edited", history["id"], author, "coordination")
            for worklog in org.jira_worklogs[iid]:
                self.add("jira", "jira_worklog", worklog["id"], self.account.get(worklog["author"]["accountId"]), base)
            for comment in org.jira_comments[iid]:
                self.add("jira", "jira_comment", comment["id"], self.account.get(comment["author"]["accountId"]), base)

    def meeting(
        self, event_id: str, kind: str, organizer: str | None, attendees: list[tuple[str | None, bool]]
    ) -> None:
        """attendees: (person, declined) for everyone invited other than the organizer."""
        as_organizer, as_attendee = MEETING_CATEGORIES.get(kind, ("other", "other"))
        if kind == "one_on_one":
            other = next((p for p, _ in attendees if p), None)
            managed = other is not None and (
                self.manager.get(other) == organizer or self.manager.get(organizer) == other
            )
            as_organizer = as_attendee = "other" if managed else "onboarding_mentoring"
        self.add("calendar", "meeting_organized", event_id, organizer, as_organizer)
        for person, declined in attendees:
            if not declined and person != organizer:
                self.add("calendar", "meeting_attended", event_id, person, as_attendee)

    def calendar(self, instances: list) -> None:
        seen = set()
        for events in self.org.calendars.values():
            for event in events:
                if event["id"] in seen:
                    continue
                seen.add(event["id"])
                if (
                    event["status"] == "cancelled"
                    or event.get("eventType", "default") != "default"
                    or event.get("transparency") == "transparent"
                    or duration_hours(event) > 12
                    or len(event.get("attendees", [])) > 100
                ):
                    continue
                organizer = self.email.get(event["organizer"]["email"])
                attendees = [
                    (self.email.get(a["email"]), a["responseStatus"] == "declined")
                    for a in event.get("attendees", [])
                    if not a.get("organizer")
                ]
                self.meeting(event["id"], self.story.truth_event[event["id"]], organizer, attendees)
        for feed, instance in instances:
            hours = (instance["end"] - instance["start"]) / timedelta(hours=1)
            if instance["cancelled"] or hours > 12 or len(instance["attendees"]) > 100:
                continue
            attendees = [(self.email.get(email), status == "DECLINED") for email, status in instance["attendees"]]
            self.meeting(instance["id"], self.story.ics_kinds[feed], self.email.get(instance["organizer"]), attendees)


def ground_truth(org, story) -> dict:
    instances = ics_instances(org)
    found = _Activities(org, story)
    found.github()
    found.jira()
    found.calendar(instances)
    self_reports = ledger(org, story, found.rows)
    return {
        "seed": org.seed,
        "people": len(org.people),
        "teams": len(story.teams),
        "months": story.months,
        "start": org.start.isoformat(),
        "now": org.now.isoformat(),
        "counts": count_rows(org, instances),
        "activities": found.rows + self_reports["activities"],
        "planted": story.planted,
        # submitted review id -> how its reviewer was asked: "user" (in person) or "team" (their
        # team, while no request of their own was open); reviews not here were unrequested
        "review_requests": {str(rid): how for rid, how in story.truth_review_request.items()},
        "self_reports": self_reports,  # sandbox/selfreports.py: the files, endorsements, malformed lines
    }


def write_ground_truth(org, path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(org.ground_truth, indent=1, ensure_ascii=False))


def write_roster(org, path) -> None:
    """The roster CSV (columns of raw_people.people; lists `;`-separated, attributes as JSON)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(ROSTER_COLUMNS)
        for p in org.people:
            writer.writerow(
                [
                    ";".join(v)
                    if isinstance(v, list)
                    else json.dumps(v, ensure_ascii=False)
                    if isinstance(v, dict)
                    else ("" if v is None else v)
                    for v in (p[c] for c in ROSTER_COLUMNS)
                ]
            )
