"""The synthetic organization's pages: one on-call incident per Jira incident (issue type
Incident), who was paged, who acknowledged and when, as PagerDuty and Opsgenie would record it.

The pages are derived from the Jira incidents after the story wrote them, each with a random
stream of its own (the org's seed and the issue's id), so the story's stream, and with it every
other object of the org, stays as it was, and an incident keeps its pages when the clock moves.

Per incident: the alert triggers a few minutes before the ticket is filed; the paged person is
the ticket's assignee, except that sometimes a teammate is paged first, does not answer, and the
page escalates to the assignee. The assignee acknowledges (now and then nobody does: the alert
resolves itself) and it resolves when the ticket does. Most titles carry the Jira key
("[OPS-12] ..."): that is how the models tell a page and its ticket are one incident.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.model import Org
from sandbox.wire import parse_time

ESCALATION_SHARE = 0.3  # paged a teammate first, who did not acknowledge
UNACKNOWLEDGED_SHARE = 0.1  # nobody acknowledged: resolved by itself
KEY_IN_TITLE_SHARE = 0.75  # the rest are titled by the alert alone, and stay incidents of their own
URGENCY_BY_PRIORITY = {"Highest": "high", "High": "high"}  # anything else pages with low urgency


@dataclass(frozen=True)
class Notification:
    person_id: str
    email: str
    at: datetime


@dataclass(frozen=True)
class OncallIncident:
    number: int  # 1, 2, ... in order of triggering
    pagerduty_id: str  # "Q" + 13 characters, PagerDuty's shape
    opsgenie_id: str  # a UUID, Opsgenie's shape
    jira_key: str
    title: str  # carries the Jira key or not (key_in_title)
    key_in_title: bool
    urgency: str  # high | low
    triggered_at: datetime
    notifications: tuple[Notification, ...]  # in order; the last one is the one who answered, if any
    acknowledged_by: Notification | None  # who and when
    resolved_at: datetime | None

    @property
    def updated_at(self) -> datetime:
        return max(at for at in (self.triggered_at, self.acknowledged_at, self.resolved_at) if at)

    @property
    def acknowledged_at(self) -> datetime | None:
        return self.acknowledged_by.at if self.acknowledged_by else None


def oncall_incidents(org: Org) -> list[OncallIncident]:
    """Every on-call incident triggered by org.now, oldest first."""
    by_account = {a: p for p in org.people for a in p.get("jira_account_ids") or []}
    teams: dict[str, list[dict]] = {}
    for person in org.people:
        teams.setdefault(person["team"], []).append(person)
    drafts = []
    for issue in org.jira_issues:
        fields = issue["fields"]
        owner = by_account.get((fields.get("assignee") or {}).get("accountId"))
        # an issue whose fields were nulled (the bad-input tests) pages no one
        if (fields.get("issuetype") or {}).get("name") != "Incident" or owner is None:
            continue
        rng = random.Random(f"{org.seed}-oncall-{issue['id']}")
        triggered = parse_time(fields["created"]) - timedelta(minutes=rng.randint(1, 12))
        if triggered > org.now:
            continue
        drafts.append((triggered, issue, owner, rng))
    incidents = []
    for number, (triggered, issue, owner, rng) in enumerate(sorted(drafts, key=lambda d: d[0]), start=1):
        incidents.append(_incident(org, number, triggered, issue, owner, teams[owner["team"]], rng))
    return incidents


def _incident(org, number, triggered, issue, owner, team, rng) -> OncallIncident:
    fields = issue["fields"]
    notifications = []
    at = triggered + timedelta(seconds=rng.randint(5, 60))
    others = [p for p in team if p["person_id"] != owner["person_id"]]
    if others and rng.random() < ESCALATION_SHARE:
        first = rng.choice(others)
        notifications.append(Notification(first["person_id"], first["emails"][0], at))
        at += timedelta(minutes=rng.choice([5, 10, 15]))  # the escalation timeout
    notifications.append(Notification(owner["person_id"], owner["emails"][0], at))
    acknowledged = None
    ack_at = at + timedelta(minutes=rng.uniform(1, 20))
    if rng.random() >= UNACKNOWLEDGED_SHARE and ack_at <= org.now:
        acknowledged = Notification(owner["person_id"], owner["emails"][0], ack_at.replace(microsecond=0))
    resolved_text = fields.get("resolutiondate")
    resolved = parse_time(resolved_text) if resolved_text else None
    if resolved and (resolved > org.now or resolved < at):
        resolved = None if resolved > org.now else at + timedelta(minutes=30)
    key_in_title = rng.random() < KEY_IN_TITLE_SHARE
    alert = fields["summary"]
    digest = hashlib.sha1(f"{org.seed}-{issue['id']}".encode()).hexdigest()
    return OncallIncident(
        number=number,
        pagerduty_id="Q" + digest[:13].upper(),
        opsgenie_id=f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}",
        jira_key=issue["key"],
        title=f"[{issue['key']}] {alert}" if key_in_title else alert,
        key_in_title=key_in_title,
        urgency=URGENCY_BY_PRIORITY.get((fields.get("priority") or {}).get("name"), "low"),
        triggered_at=triggered.replace(microsecond=0),
        notifications=tuple(Notification(n.person_id, n.email, n.at.replace(microsecond=0)) for n in notifications),
        acknowledged_by=acknowledged,
        resolved_at=resolved.replace(microsecond=0) if resolved else None,
    )
