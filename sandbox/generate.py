"""Generates the synthetic organization: a roster, a story of six months of work across
GitHub, Jira and calendars, and the ground truth of what every activity really was.

`generate_org(seed)` is deterministic for a seed (one `random.Random(seed)`, no wall
clock). The story runs day by day on an event queue: a pull request opened today gets
its reviews, pushes and merge on later days, so `Org.advance_day()` (which runs one more
day of the same story) adds new objects and updates existing ones.

Clock: `org.now` is midnight UTC at the start of `end` (activity fills the days before);
`org.start` = `org.now - months`. Nothing is created, updated or starts after `org.now`
(a meeting late on the last day, or a 26-hour hackathon, may end after it).
`ground_truth` also carries `start` and `now` (ISO) besides the contract's keys.

Where things live (the server serves pages at these web urls):
- GitHub `html_url`: `http://sandbox.invalid/web/github/{owner}/{repo}/pull/{n}` (and
  `/issues/{n}`, `/releases/tag/{tag}`, `/commit/{sha}`, user `/web/github/{login}`);
  API `url`s: `http://sandbox.invalid/github/repos/{owner}/{repo}/...`.
- Jira `self`: `http://sandbox.invalid/jira/rest/api/3/issue/{id}`; browse pages
  `http://sandbox.invalid/jira/browse/{key}`.
- Calendar `htmlLink`: `http://sandbox.invalid/web/calendar/event?eid={id}`.

Calendar counts: `raw_calendar.events` = every Google event in every roster calendar
(an event shared by n people counts n times; cancelled instances included) plus the
instances of the .ics feeds as an expansion yields them: EXDATE'd instances are not
emitted, a RECURRENCE-ID override replaces its instance (the feeds carry no
STATUS:CANCELLED events).

The roles the story plants (ground_truth["planted"]): an incident_review_sink in some
teams, pr_finishers, new_hires with a buddy, a release_coordinator, launch_shippers and
a competence_trap person; and, in the roster, a few people with a personal_target of 50 % and
a few not_seeking_promotion (plant_intents). Text comes from sandbox/text.py, people from
sandbox/people.py, the ground truth from sandbox/truth.py. Self-reports and endorsements, a few of
them malformed, come from sandbox/selfreports.py (ground_truth["self_reports"]; write_self_reports
writes their files).
"""

from __future__ import annotations

import heapq
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from sandbox.model import Org
from sandbox.people import make_roster
from sandbox.selfreports import write_self_reports
from sandbox.story_calendar import CalendarStory
from sandbox.story_github import GitHubStory
from sandbox.story_jira import JiraStory
from sandbox.truth import ground_truth, write_ground_truth, write_roster

__all__ = ["generate_org", "write_ground_truth", "write_roster", "write_self_reports", "Story"]
UTC = UTC


def generate_org(
    seed: int = 7, people: int = 60, teams: int = 8, months: int = 6, end: date = date(2026, 11, 20)
) -> Org:
    """A synthetic organization with `months` of history up to `end`, deterministic for `seed`."""
    if people < max(12, 4 * teams):
        raise ValueError(
            f"people={people} is too few for teams={teams}: the story needs at least 12 people "
            "and 4 per team (a manager and three engineers)"
        )
    now = datetime.combine(end, time(), UTC)
    org = Org(seed=seed, now=now, start=now - relativedelta(months=months))
    story = Story(org, random.Random(seed), people, teams, months)
    org.story = story
    day = org.start.date()
    while day < end:
        story.simulate_day(day)
        day += timedelta(days=1)
    story.finish_day()
    return org


class Story(GitHubStory, JiraStory, CalendarStory):
    """The organization's life: who does what, when, on an event queue."""

    def __init__(self, org: Org, rng: random.Random, people: int, teams: int, months: int):
        self.org, self.rng, self.months, self.team_count = org, rng, months, teams
        self.queue: list = []
        self.seq = 0
        self.ids: dict[str, int] = {}
        self.day_start = org.start
        org.people = make_roster(rng, people, teams, org.start.date())
        self.person = {p["person_id"]: p for p in org.people}
        self.teams: dict[str, list[str]] = {}
        for p in org.people:
            self.teams.setdefault(p["team"], []).append(p["person_id"])
        self.manager = {team: members[0] for team, members in self.teams.items()}
        self.plant_roles()
        self.setup_github()
        self.setup_jira()
        self.setup_calendar()

    # --- the roles -----------------------------------------------------------------------
    def plant_roles(self) -> None:
        rng, org = self.rng, self.org
        team_names = list(self.teams)
        contributors = [pid for team in team_names for pid in self.teams[team][1:]]  # everyone but managers
        taken: list[str] = []

        def pick(candidates: list[str]) -> str:
            choice = rng.choice([c for c in candidates if c not in taken])
            taken.append(choice)
            return choice

        sink_teams = team_names[: max(1, (len(team_names) + 1) // 3)]
        self.sink = {team: pick(self.teams[team][1:]) for team in sink_teams}
        self.finishers = [pick(contributors) for _ in range(max(1, len(team_names) // 4))]
        self.release_coordinator = pick(contributors)
        self.shippers = [pick(contributors) for _ in range(max(2, len(team_names) // 3))]
        self.trap = pick(contributors)
        self.new_hires: dict[str, str] = {}
        for i in range(max(1, len(contributors) // 16)):
            # a team that still has someone without a role; the buddy may hold another role
            team = next(t for t in team_names[i + 1 :] + team_names[: i + 1] if set(self.teams[t][1:]) - set(taken))
            hire = pick(self.teams[team][1:])
            buddy = rng.choice([p for p in self.teams[team][1:] if p != hire and p not in self.new_hires])
            self.new_hires[hire] = buddy
            started = org.now.date() - timedelta(days=rng.randint(30, 80))
            self.person[hire]["start_date"] = started.isoformat()
            self.person[hire]["level"] = rng.choice(["L2", "L3"])
        self.planted = {
            "incident_review_sink": [{"team": t, "person_id": p} for t, p in self.sink.items()],
            "pr_finisher": [{"team": self.person[p]["team"], "person_id": p} for p in self.finishers],
            "new_hires": [
                {"person_id": h, "buddy_id": b, "team": self.person[h]["team"]} for h, b in self.new_hires.items()
            ],
            "release_coordinator": [
                {"team": self.person[self.release_coordinator]["team"], "person_id": self.release_coordinator}
            ],
            "launch_shippers": [{"team": self.person[p]["team"], "person_id": p} for p in self.shippers],
            "competence_trap": [{"team": self.person[self.trap]["team"], "person_id": self.trap}],
        }
        self.plant_intents()

    def plant_intents(self) -> None:
        """Personal targets and intent in the roster, without drawing from rng (the rest of the
        story stays as it was): a few people aim for a 50 % promotion-track share, a few others do
        not seek promotion. Chosen among people without a planted role (then managers), so the
        planted trap and launch patterns keep their default target."""
        count = max(1, len(self.org.people) // 20)
        pool = [p["person_id"] for p in self.org.people if self.role(p["person_id"]) == "engineer"]
        pool += [p for p in self.manager.values() if p != "p001"]
        targeted, not_seeking = pool[:count], pool[count : 2 * count]
        for pid in targeted:
            self.person[pid]["target_promotable_share"] = 0.5
        for pid in not_seeking:
            self.person[pid]["seeks_promotion"] = False
        self.planted["personal_target"] = [
            {"team": self.person[p]["team"], "person_id": p, "target_promotable_share": 0.5} for p in targeted
        ]
        self.planted["not_seeking_promotion"] = [{"team": self.person[p]["team"], "person_id": p} for p in not_seeking]

    def role(self, pid: str) -> str:
        if pid in self.sink.values():
            return "sink"
        if pid == self.trap:
            return "trap"
        if pid in self.shippers:
            return "shipper"
        if pid in self.new_hires:
            return "new_hire"
        if pid in self.manager.values():
            return "manager"
        if pid == self.release_coordinator:
            return "release"
        if pid in self.finishers:
            return "finisher"
        return "engineer"

    # --- the clock and the queue ----------------------------------------------------------
    def at(self, when: datetime, action, *args) -> None:
        """Schedule `action(when, *args)`; it happens when the story's day reaches `when`."""
        self.seq += 1
        heapq.heappush(self.queue, (when, self.seq, action, args))

    def run_until(self, until: datetime) -> None:
        while self.queue and self.queue[0][0] < until:
            when, _, action, args = heapq.heappop(self.queue)
            action(when, *args)

    def simulate_day(self, day: date) -> None:
        self.day_start = datetime.combine(day, time(), UTC)
        self.spawn_github(day)
        self.spawn_jira(day)
        self.spawn_calendar(day)
        self.run_until(self.day_start + timedelta(days=1))

    def finish_day(self) -> None:
        """Bring the derived parts (feeds, ground truth) up to `org.now`."""
        self.write_ics_feeds()
        self.org.ground_truth = ground_truth(self.org, self)

    def advance_day(self) -> None:
        day = self.org.now.date()
        self.simulate_day(day)
        self.org.now = self.org.now + timedelta(days=1)
        self.finish_day()

    # --- helpers shared by the stories ----------------------------------------------------
    def new_id(self, kind: str, first: int = 1000) -> int:
        self.ids[kind] = self.ids.get(kind, first) + self.rng.randint(1, 7)
        return self.ids[kind]

    def sha(self) -> str:
        return f"{self.rng.getrandbits(160):040x}"

    def tz(self, pid: str) -> ZoneInfo:
        return ZoneInfo(self.person[pid]["time_zone"])

    def started(self, pid: str) -> date:
        return date.fromisoformat(self.person[pid]["start_date"])

    def active(self, pid: str, day: date) -> bool:
        return self.started(pid) <= day

    def work_time(self, pid: str, day: date, lo: float = 9.0, hi: float = 17.5) -> datetime | None:
        """A moment in `pid`'s local working hours that falls on the UTC day `day`; None
        when it is their weekend."""
        local = datetime.combine(day, time(), self.tz(pid)) + timedelta(hours=self.rng.uniform(lo, hi))
        t = local.astimezone(UTC)
        start = datetime.combine(day, time(), UTC)
        if t < start:
            t += timedelta(days=1)
        elif t >= start + timedelta(days=1):
            t -= timedelta(days=1)
        return None if t.astimezone(self.tz(pid)).weekday() >= 5 else t

    def later(self, pid: str, t: datetime, lo_hours: float, hi_hours: float, night_ok: bool = False) -> datetime:
        """`pid` acts again some hours after `t`, in their working hours unless night_ok."""
        nxt = t + timedelta(hours=self.rng.uniform(lo_hours, hi_hours))
        if night_ok:
            return nxt
        local = nxt.astimezone(self.tz(pid))
        if local.hour < 8:
            local = local.replace(hour=9, minute=self.rng.randint(0, 59))
        elif local.hour >= 19:
            local = (local + timedelta(days=1)).replace(hour=9, minute=self.rng.randint(0, 59))
        while local.weekday() >= 5:
            local = (local + timedelta(days=1)).replace(hour=9, minute=self.rng.randint(0, 59))
        return local.astimezone(UTC)

    def teammates(self, pid: str) -> list[str]:
        """The other members of `pid`'s team who have started by the story's current day."""
        return [p for p in self.teams[self.person[pid]["team"]] if p != pid and self.active(p, self.day_start.date())]

    def members(self, team: str) -> list[str]:
        return [p for p in self.teams[team] if self.active(p, self.day_start.date())]
