"""The organization's self-reports and endorsements (connectors/selfreports' format), with their truth.

Work no tool records (a stakeholder calmed, a mentoring session in the hallway) is self-reported
on some weekdays by some people; teammates endorse some self-reports (by id), pull requests (by
`owner/repo#n` or by URL, about their author) and finished Jira issues (by key, about who finished
them). Each person has a file of their own; `mixed.yaml` holds a few deliberately malformed entries
between good ones, and their lines are in the truth.

Deterministic and separate from the story: every choice comes from a random.Random seeded by the
organization's seed and the day or item it is about (the story's own rng is not drawn from), so a
day the organization advances adds that day's entries and keeps the earlier ones.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import yaml

from sandbox.model import PLACEHOLDER_ORIGIN

FOLDER_NAME = "selfreports"
REPORT_CHANCE = 0.04  # per person and weekday
ENDORSE_REPORT_CHANCE = 0.5  # a teammate endorses a self-report
ENDORSE_ITEM_CHANCE = 0.03  # a teammate endorses a merged pull request or a finished Jira issue
# (title, what it really was, whether the writer names the category)
REPORTS = [
    ("Coordinated the release across three teams", "coordination", True),
    ("Ran the cross-team planning for the platform roadmap", "coordination", False),
    ("Kept the dependency map of the platform services up to date", "coordination", True),
    ("Mentoring session with a new hire on the deploy pipeline", "onboarding_mentoring", False),
    ("Pairing with a junior colleague on the billing service", "onboarding_mentoring", False),
    ("Office hours for the new hires", "onboarding_mentoring", False),
    ("Calmed the upset payments stakeholder after the checkout failure", "incident_response", True),
    ("Postmortem write-up for last week's outage", "incident_response", False),
    ("Interview debrief with the hiring committee", "hiring", False),
    ("Prepared the take-home exercise for candidates", "hiring", True),
    ("Rewrote the runbook for the nightly batch", "documentation", True),
    ("Design review of the event bus", "design_leadership", False),
]
ENDORSEMENT_TEXTS = [
    "Kept three teams in step when nobody else would",
    "Saved us a week of guessing",
    "Made the new hires feel at home",
    "Found the root cause and explained it clearly",
]


def ledger(org, story, tool_activities: list[dict]) -> dict:
    """The files (name -> entries) and their truth: activities (the contract's keys and category),
    endorsements that count ({endorser, about, item}), malformed entries ({file, line}).
    `tool_activities`: the truth's activities of the other sources (who finished which Jira issue)."""
    people = {p["person_id"]: p for p in org.people}
    files: dict[str, list[dict]] = {}
    activities, endorsements = [], []
    day = org.start.date()
    while day < org.now.date():
        rng = random.Random(f"{org.seed}:selfreports:{day}")
        for pid, person in people.items():
            if day.weekday() >= 5 or date.fromisoformat(person["start_date"]) > day or rng.random() >= REPORT_CHANCE:
                continue
            title, category, named = rng.choice(REPORTS)
            entry_id = f"{pid}-{day:%Y%m%d}"
            entry = {"kind": "self_report", "id": entry_id, "person": pid, "date": day.isoformat()}
            entry |= {"hours": rng.choice([0.5, 1, 1.5, 2, 3]), "title": title}
            if named:
                entry["category"] = category
            files.setdefault(f"{pid}.yaml", []).append(entry)
            activities.append(_activity(entry_id, pid, category))
            mates = [p for p in story.teammates(pid) if p != pid]
            if mates and rng.random() < ENDORSE_REPORT_CHANCE:
                endorser = rng.choice(mates)
                _endorse(files, endorsements, endorser, pid, entry_id, rng, day)
        day += timedelta(days=1)
    _endorse_tool_items(org, story, tool_activities, files, endorsements)
    malformed = _malformed(org, files, activities)
    return {"files": files, "activities": activities, "endorsements": endorsements, "malformed": malformed}


def _activity(entry_id: str, pid: str, category: str) -> dict:
    return {
        "source": "selfreports",
        "activity_type": "self_report",
        "object_id": entry_id,
        "person_id": pid,
        "category": category,
    }


def _endorse(files, endorsements, endorser: str, about: str, item: str, rng: random.Random, day: date) -> None:
    entry = {"kind": "endorsement", "by": endorser, "about": about, "item": item}
    entry |= {"text": rng.choice(ENDORSEMENT_TEXTS), "date": day.isoformat()}
    files.setdefault(f"{endorser}.yaml", []).append(entry)
    endorsements.append({"endorser": endorser, "about": about, "item": item})


def _endorse_tool_items(org, story, tool_activities, files, endorsements) -> None:
    login = {name: p["person_id"] for p in org.people for name in p["github_logins"]}
    for full, pulls in sorted(org.pulls.items()):
        for pull in pulls:
            author = login.get(pull["user"]["login"])
            rng = random.Random(f"{org.seed}:selfreports:{full}#{pull['number']}")
            if not author or not pull.get("merged_at") or rng.random() >= ENDORSE_ITEM_CHANCE:
                continue
            mates = [p for p in story.teams[story.person[author]["team"]] if p != author]
            # half by the reference the activity carries, half by the pull request's web page
            item = f"{full}#{pull['number']}" if rng.random() < 0.5 else pull["html_url"]
            _endorse(
                files, endorsements, rng.choice(mates), author, item, rng, date.fromisoformat(pull["merged_at"][:10])
            )
    issues = {issue["id"]: issue for issue in org.jira_issues}
    endorsed_issue = False
    for activity in tool_activities:
        if activity["activity_type"] != "jira_issue_completed":
            continue
        issue, finisher = issues[activity["object_id"]], activity["person_id"]
        rng = random.Random(f"{org.seed}:selfreports:{issue['key']}")
        # the organization's first finished issue always, so every kind of reference occurs
        if rng.random() >= ENDORSE_ITEM_CHANCE and endorsed_issue:
            continue
        endorsed_issue = True
        mates = [p for p in story.teams[story.person[finisher]["team"]] if p != finisher]
        _endorse(
            files, endorsements, rng.choice(mates), finisher, issue["key"], rng, org.now.date() - timedelta(days=1)
        )


def _malformed(org, files, activities) -> list[dict]:
    """mixed.yaml: a good entry, then three that are not (a day that does not exist, a category not
    in the taxonomy, someone endorsing their own work), then a good one. Lines as written by
    write_self_reports (yaml.safe_dump, sort_keys=False)."""
    first, second = org.people[1]["person_id"], org.people[2]["person_id"]
    day = (org.now.date() - timedelta(days=3)).isoformat()
    entries = [
        {
            "kind": "self_report",
            "id": f"{first}-mixed-good",
            "person": first,
            "date": day,
            "title": "Office hours for the new hires",
        },
        {
            "kind": "self_report",
            "id": f"{first}-bad-date",
            "person": first,
            "date": "2026-02-30",
            "title": "Ran the planning",
        },
        {
            "kind": "self_report",
            "id": f"{first}-bad-category",
            "person": first,
            "date": day,
            "title": "Ran the planning",
            "category": "heroics",
        },
        {"kind": "endorsement", "by": second, "about": second, "item": f"{second}-anything", "text": "Praising myself"},
        {
            "kind": "self_report",
            "id": f"{second}-mixed-good",
            "person": second,
            "date": day,
            "title": "Prepared the take-home exercise for candidates",
            "category": "hiring",
        },
    ]
    files["mixed.yaml"] = entries
    activities += [_activity(f"{first}-mixed-good", first, "onboarding_mentoring")]
    activities += [_activity(f"{second}-mixed-good", second, "hiring")]
    lines, line = [], 1
    for entry in entries:
        lines.append(line)
        line += len(entry)  # one line per key
    return [{"file": "mixed.yaml", "line": lines[i]} for i in (1, 2, 3)]


def write_self_reports(org, folder: str | Path, origin: str = PLACEHOLDER_ORIGIN) -> Path:
    """The ledger's files into `folder` (replacing what an earlier write left there); URLs point at
    `origin`, the sandbox server serving the organization, as the loaded items' links do."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    for name, entries in org.ground_truth["self_reports"]["files"].items():
        text = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=1000)
        (folder / name).write_text(text.replace(PLACEHOLDER_ORIGIN, origin), encoding="utf-8")
    return folder
