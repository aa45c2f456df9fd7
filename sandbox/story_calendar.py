"""The calendar part of the story: recurring team rituals and 1:1s, one-off meetings,
incident rooms, interviews, private and non-meeting entries, and the .ics feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sandbox import calendar_objects as cal
from sandbox import text
from sandbox.people import EMAIL_DOMAIN

UTC = UTC
RECRUITER = f"recruiting@{EMAIL_DOMAIN}"
OUTSIDE_STAFF = [f"staff{n:03d}@{EMAIL_DOMAIN}" for n in range(101)]  # sales, support, ops: not in the roster
ICS_INTERVIEWS = "interviews"
ONCALL_ZONE = "Europe/Berlin"  # the rota's own zone, so its weekly slot moves in UTC when DST ends


class CalendarStory:
    def setup_calendar(self) -> None:
        rng, org = self.rng, self.org
        self.email = {pid: p["emails"][0] for pid, p in self.person.items()}
        self.email_pid = {e: pid for pid, p in self.person.items() for e in p["emails"]}
        for pid in self.person:
            org.calendars[self.email[pid]] = []
        self.truth_event: dict[str, str] = {}  # event id -> meeting kind
        self.series: list[dict] = []
        created = org.start - timedelta(days=30)
        for team, members in self.teams.items():
            manager = members[0]
            host = self.trap if self.person[self.trap]["team"] == team else rng.choice([manager] + members[1:3])
            habit = rng.random()  # daily, twice a week, or async in chat (no meeting)
            if habit < 0.6:
                self.add_series(
                    "standup", host, members, [0, 1, 2, 3, 4] if habit < 0.2 else [0, 3], 1, 9.5, 15, team=team
                )
            elif rng.random() < 0.5:
                # a daily reminder to post the written update, for the team or for oneself, often marked
                # free: it names a standup, nobody meets
                self.add_series(
                    "async_standup",
                    host,
                    members if rng.random() < 0.5 else [],
                    [0, 1, 2, 3, 4],
                    1,
                    9.5,
                    15,
                    team=team,
                    transparent=rng.random() < 0.5,
                )
            self.add_series("planning", manager if rng.random() < 0.6 else host, members, [0], 2, 10.5, 60, team=team)
            self.add_series("retro", rng.choice(members[1:]), members, [4], 2, 15, 45, team=team)
            self.add_series("refinement", host, members, [2], 2, 14, 50, team=team)
            if rng.random() < 0.5:
                self.add_series("sync", manager, members, [1], 1, 16, 30, team=team)
            if team in self.sink and team != self.ics_team():
                self.add_series("oncall", self.sink[team], members[1:4] + [self.sink[team]], [0], 1, 11, 20, team=team)
            for report in members[1:]:
                self.add_series(
                    "one_on_one", manager, [report], [rng.randint(0, 4)], 2, rng.choice([10, 13, 15, 16.5]), 30
                )
        head = "p001"
        for manager in self.manager.values():
            if manager != head:
                self.add_series("one_on_one", head, [manager], [rng.randint(0, 4)], 2, 12, 30)
        contributors = [pid for pid in self.person if pid not in self.manager.values()]
        for _ in range(max(2, len(self.person) // 6)):
            a, b = rng.sample(contributors, 2)
            self.add_series("one_on_one", a, [b], [rng.randint(0, 4)], 2, rng.choice([11, 14, 15.5]), 30)
        for hire, buddy in self.new_hires.items():
            self.add_series(
                "onboarding",
                buddy,
                [hire],
                [rng.randint(0, 4)],
                1,
                10,
                30,
                first=self.started(hire),
                title=rng.choice(text.ONBOARDING_SERIES).format(name=self.person[hire]["display_name"].split()[0]),
            )
        reps = [rng.choice(members[1:]) for members in self.teams.values()]
        self.add_series("sync", self.release_coordinator, reps, [3], 1, 13, 30, title="Release sync")
        self.add_series("onboarding", self.trap, rng.sample(contributors, 3), [1], 1, 16, 45, title="Office hours")
        # the engineering managers' steering meeting, every other week (coordination, like a team sync)
        self.add_series(
            "sync",
            head,
            [m for m in self.manager.values() if m != head],
            [2],
            2,
            15,
            50,
            title=rng.choice(text.MEETINGS["steering"]),
        )
        self.ics_interviews: list[dict] = []
        for series in self.series:
            series["created"] = created

    def ics_team(self) -> str:
        return next(iter(self.sink))

    def add_series(
        self,
        kind: str,
        organizer: str,
        attendees: list[str],
        weekdays: list[int],
        every_weeks: int,
        hour: float,
        minutes: int,
        team: str = "",
        first: date | None = None,
        title: str | None = None,
        transparent: bool = False,
    ) -> None:
        rng = self.rng
        if title is None:
            other = attendees[0] if attendees else organizer
            title = rng.choice(text.MEETINGS[kind]).format(
                team=team.title(),
                a=self.person[organizer]["display_name"].split()[0],
                b=self.person[other]["display_name"].split()[0],
            )
        self.series.append(
            {
                "id": f"{rng.getrandbits(104):026x}",
                "kind": kind,
                "title": title,
                "organizer": organizer,
                "attendees": [p for p in attendees if p != organizer],
                "weekdays": weekdays,
                "every": every_weeks,
                "hour": hour,
                "minutes": minutes,
                "first": first or self.org.start.date(),
                "tz": self.person[organizer]["time_zone"],
                "transparent": transparent,
            }
        )

    # --- daily spawn ------------------------------------------------------------------------------
    def spawn_calendar(self, day: date) -> None:
        for series in self.series:
            for local_day in (day - timedelta(days=1), day, day + timedelta(days=1)):
                if not self.series_meets(series, local_day):
                    continue
                start = datetime.combine(local_day, time(), ZoneInfo(series["tz"])) + timedelta(hours=series["hour"])
                start = start.astimezone(UTC)
                if start.date() == day:
                    self.series_instance(series, start)
        self.one_off_meetings(day)
        self.non_meetings(day)
        self.plan_ics_interview(day)

    def series_meets(self, series: dict, local_day: date) -> bool:
        if local_day < series["first"] or local_day.weekday() not in series["weekdays"]:
            return False
        if not all(self.active(p, local_day) for p in [series["organizer"]] + series["attendees"]):
            return False
        return ((local_day - series["first"]).days // 7) % series["every"] == 0

    def series_instance(self, series: dict, original: datetime) -> None:
        rng = self.rng
        sid, tz = series["id"], series["tz"]
        people = [series["organizer"]] + series["attendees"]
        stamp = max(self.day_start, original - timedelta(hours=20))
        if rng.random() < 0.03:
            item = cal.cancelled_instance(sid, original, tz, stamp)
            self.truth_event[item["id"]] = series["kind"]
            for pid in people:
                self.org.calendars[self.email[pid]].append(dict(item))
            return
        start = original
        if rng.random() < 0.03:
            moved = original + timedelta(minutes=rng.choice([-60, -30, 30, 60, 90]))
            if self.day_start <= moved < self.day_start + timedelta(hours=23):
                start = moved
        eid = f"{sid}_{cal.instance_suffix(original)}"
        self.put_event(
            eid,
            series["kind"],
            series["title"],
            series["organizer"],
            series["attendees"],
            [],
            start,
            series["minutes"],
            stamp,
            created=series["created"],
            series=(sid, original),
            transparent=series["transparent"],
        )

    def put_event(
        self,
        eid: str,
        kind: str,
        title: str,
        organizer: str | None,
        attendees: list[str],
        extra: list[str],
        start: datetime,
        minutes: int,
        stamp: datetime,
        *,
        created: datetime | None = None,
        series: tuple[str, datetime] | None = None,
        organizer_email: str | None = None,
        description: str = "",
        fields: dict | None = None,
        **options,
    ) -> dict:
        """Store one event in the calendar of its organizer and of every roster attendee."""
        rng = self.rng
        org_email = organizer_email or self.email[organizer]
        tz = self.person[organizer]["time_zone"] if organizer else "America/New_York"
        guests = []
        if attendees or extra:
            guests.append({"email": org_email, "organizer": True, "responseStatus": "accepted"})
            for pid in attendees:
                status = rng.choices(["accepted", "declined", "tentative", "needsAction"], [84, 7, 3, 6])[0]
                guest = {"email": self.email[pid], "responseStatus": status}
                if rng.random() < 0.5:
                    guest["displayName"] = self.person[pid]["display_name"]
                guests.append(guest)
            for email in extra:
                guests.append({"email": email, "responseStatus": rng.choice(["accepted", "needsAction"])})
        item = cal.event(
            eid,
            title,
            org_email,
            guests,
            start,
            start + timedelta(minutes=minutes),
            tz,
            created or stamp,
            description=description,
            series=series,
            etag_seq=self.seq,
            **options,
        )
        item["updated"] = cal.google_time(stamp)
        item.update(fields or {})
        self.truth_event[eid] = kind
        for pid in ([organizer] if organizer else []) + attendees:
            self.org.calendars[self.email[pid]].append(cal.copy_for(item, self.email[pid]))
        return item

    def event_id(self) -> str:
        return f"{self.rng.getrandbits(104):026x}"

    def one_off(
        self,
        t: datetime,
        kind: str,
        organizer: str | None,
        attendees: list[str],
        minutes: int,
        title: str | None = None,
        extra: list[str] = (),
        organizer_email: str | None = None,
        **ctx,
    ) -> None:
        """A single meeting created at `t`, held at `t` (the story's day has reached it)."""
        if title is None:
            title = text.fill(
                self.rng,
                self.rng.choice(text.MEETINGS[kind]),
                team=ctx.pop("team", "Team"),
                key=ctx.pop("key", ""),
                candidate=self.rng.choice(text.CANDIDATES),
                name=ctx.pop("name", "new joiner"),
                a="",
                b="",
                **ctx,
            )
        self.put_event(
            self.event_id(),
            kind,
            title,
            organizer,
            [p for p in attendees if p != organizer],
            list(extra),
            t,
            minutes,
            t,
            organizer_email=organizer_email,
        )

    def one_off_meetings(self, day: date) -> None:
        rng = self.rng
        active = [p for p in self.person if self.active(p, day)]
        for team, members in self.teams.items():
            members = [m for m in members if self.active(m, day)]
            if rng.random() < 0.1:
                host = rng.choice([m for m in members if m != self.trap])
                t = self.work_time(host, day, 10, 16)
                if t:
                    self.one_off(
                        t, "design_review", host, rng.sample(members, min(len(members), rng.randint(3, 6))), 60
                    )
        if rng.random() < 0.35:
            host = rng.choice(self.shippers + [self.release_coordinator] + list(self.manager.values()))
            t = self.work_time(host, day, 11, 16)
            if t:
                self.one_off(t, "launch", host, rng.sample(active, rng.randint(3, 8)), rng.choice([30, 45, 60]))
        if rng.random() < 0.55:
            panel = rng.sample([p for p in active if p not in self.new_hires], rng.randint(1, 2))
            t = self.work_time(panel[0], day, 9, 16)
            if t:
                candidate = f"candidate{rng.randint(100, 999)}@example.com"
                if rng.random() < 0.5:
                    self.one_off(t, "interview", None, panel, 60, extra=[candidate], organizer_email=RECRUITER)
                else:
                    self.one_off(t, "interview", panel[0], panel, rng.choice([30, 45, 60]), extra=[candidate])
        for hire, buddy in self.new_hires.items():
            since = (day - self.started(hire)).days
            if 0 <= since < 21 and rng.random() < 0.45:
                host = buddy if rng.random() < 0.6 else self.manager[self.person[hire]["team"]]
                t = self.work_time(host, day, 9, 16)
                if t:
                    self.one_off(
                        t,
                        "onboarding",
                        host,
                        [hire] + ([buddy] if host != buddy else []),
                        rng.choice([30, 60, 90]),
                        name=self.person[hire]["display_name"].split()[0],
                        n=since // 7 + 1,
                    )
        if rng.random() < 0.3:
            mentor = rng.choice([self.trap] + rng.sample(active, 2))
            mentee = rng.choice(
                [
                    p
                    for p in active
                    if p != mentor and self.person[p]["manager_id"] != mentor and self.person[mentor]["manager_id"] != p
                ]
            )
            t = self.work_time(mentor, day, 9, 17)
            if t:
                self.one_off(
                    t,
                    "onboarding",
                    mentor,
                    [mentee],
                    45,
                    name=self.person[mentee]["display_name"].split()[0],
                    n=rng.randint(1, 9),
                )
        for _ in range(rng.randint(0, 3)):
            host = rng.choice(active)
            t = self.work_time(host, day)
            if t:
                self.one_off(t, "vague", host, rng.sample(active, rng.randint(1, 4)), rng.choice([15, 25, 30, 45]))
        if day.weekday() == 4 and rng.random() < 0.5:
            team = rng.choice(list(self.teams))
            host = rng.choice(self.members(team))
            t = self.work_time(host, day, 12, 16)
            if t:
                self.one_off(t, "social", host, self.members(team), 60)
        if day.day <= 7 and day.weekday() == 1:
            t = self.work_time("p001", day, 16, 17)
            if t:
                self.one_off(t, "all_hands", "p001", active, 60, extra=OUTSIDE_STAFF)
        if day.day == 15 and rng.random() < 0.7:
            host = rng.choice(list(self.manager.values()))
            t = self.work_time(host, day, 9, 9.5)
            if t:
                self.one_off(t, "offsite", host, rng.sample(active, min(len(active), 8)), 60 * 26, title="Hackathon 🚀")

    def non_meetings(self, day: date) -> None:
        """Entries that are not meetings: private, focus, out of office, free, working location, all-day."""
        rng = self.rng
        active = [p for p in self.person if self.active(p, day)]
        for kind, count, minutes in (("private", 2, 60), ("focus", 5, 120), ("ooo", 1, 540), ("lunch", 2, 60)):
            for pid in rng.sample(active, min(len(active), rng.randint(0, count))):
                t = self.work_time(pid, day, 9, 15)
                if not t:
                    continue
                title = rng.choice(text.MEETINGS[kind] if kind != "lunch" else ["Lunch", "Gym", "Walk"])
                options = {
                    "private": {"private": True},
                    "focus": {"event_type": "focusTime"},
                    "ooo": {"event_type": "outOfOffice"},
                    "lunch": {"transparent": True},
                }[kind]
                self.put_event(self.event_id(), kind, title, pid, [], [], t, minutes, t, **options)
        for pid in rng.sample(active, min(len(active), rng.randint(0, 3))):
            if day.weekday() < 5:
                self.put_event(
                    self.event_id(),
                    "working_location",
                    "Home",
                    pid,
                    [],
                    [],
                    self.day_start,
                    24 * 60,
                    self.day_start,
                    event_type="workingLocation",
                    transparent=True,
                    all_day=(day, day + timedelta(days=1)),
                    fields={
                        "visibility": "public",
                        "workingLocationProperties": {"type": "homeOffice", "homeOffice": {}},
                    },
                )
        if day.weekday() == 0 and rng.random() < 0.08:
            team = rng.choice(list(self.teams))
            host = self.manager[team]
            self.put_event(
                self.event_id(),
                "offsite",
                rng.choice(text.MEETINGS["offsite"]),
                host,
                [p for p in self.teams[team] if p != host and self.active(p, day)],
                [],
                self.day_start,
                2 * 24 * 60,
                self.day_start,
                all_day=(day, day + timedelta(days=2)),
            )

    def incident_meeting(self, t: datetime, kind: str, host: str, team: str, key: str) -> None:
        people = [p for p in self.teams[team] if self.active(p, t.date())]
        attendees = self.rng.sample(people, min(len(people), self.rng.randint(2, 6)))
        self.one_off(t, kind, host, attendees, self.rng.choice([30, 45, 60, 90]), key=key, team=team.title())

    # --- .ics feeds ----------------------------------------------------------------------------------
    def plan_ics_interview(self, day: date) -> None:
        rng = self.rng
        if day.weekday() >= 5 or rng.random() > 0.25:
            return
        panel = rng.sample([p for p in self.person if self.active(p, day) and p not in self.new_hires], 2)
        t = self.work_time(panel[0], day, 10, 16)
        if t:
            title = text.fill(rng, rng.choice(text.MEETINGS["interview"]), candidate=rng.choice(text.CANDIDATES))
            self.ics_interviews.append(
                {
                    "uid": f"ivw-{rng.getrandbits(64):016x}@{EMAIL_DOMAIN}",
                    "summary": title,
                    "start": t.replace(second=0, microsecond=0),
                    "panel": panel,
                    "partstat": ["ACCEPTED", "ACCEPTED" if rng.random() < 0.9 else "DECLINED"],
                }
            )

    def write_ics_feeds(self) -> None:
        """The .ics feeds as of `org.now`: a team's on-call handoff series and the interview calendar."""
        org = self.org
        team = self.ics_team()
        host = self.sink[team]
        tz = ONCALL_ZONE
        zone = ZoneInfo(tz)
        first = org.start.date() + timedelta(days=(7 - org.start.weekday()) % 7 or 7)
        start = datetime.combine(first, time(10, 0), zone)
        instances = []
        t = start
        while t.astimezone(UTC) < org.now - timedelta(hours=1):
            instances.append(t)
            t = datetime.combine(t.date() + timedelta(days=7), time(10, 0), zone)
        members = [
            p for p in self.teams[team] if p != host and date.fromisoformat(self.person[p]["start_date"]) <= first
        ][:3]
        attendees = [(self.email[p], "ACCEPTED") for p in members]
        uid = f"oncall-{team}@{EMAIL_DOMAIN}"
        stamp = org.start
        events = []
        if instances:
            until = instances[-1].astimezone(UTC)
            exdates = [instances[1]] if len(instances) >= 4 else []
            events.append(
                cal.ics_event(
                    uid,
                    "On-call handoff",
                    self.email[host],
                    attendees,
                    start,
                    start + timedelta(minutes=30),
                    tz,
                    stamp,
                    rrule=f"FREQ=WEEKLY;BYDAY=MO;UNTIL={cal.ics_time(until)}",
                    exdates=exdates,
                )
            )
            if len(instances) >= 4:
                moved = instances[2] + timedelta(days=1, hours=2)
                events.append(
                    cal.ics_event(
                        uid,
                        "On-call handoff (moved)",
                        self.email[host],
                        attendees,
                        moved,
                        moved + timedelta(minutes=30),
                        tz,
                        stamp,
                        recurrence_id=instances[2],
                    )
                )
        window = (org.start.date() - timedelta(days=7), org.now.date() + timedelta(days=7))
        org.ics_feeds[f"oncall-{team}"] = cal.ics_calendar(f"{team.title()} on-call", events, [tz], *window)
        interviews, zones = [], []
        for spec in self.ics_interviews:
            panel_tz = self.person[spec["panel"][0]]["time_zone"]
            zones.append(panel_tz)
            attendees = [(self.email[p], status) for p, status in zip(spec["panel"], spec["partstat"])]
            interviews.append(
                cal.ics_event(
                    spec["uid"],
                    spec["summary"],
                    RECRUITER,
                    attendees,
                    spec["start"],
                    spec["start"] + timedelta(minutes=45),
                    panel_tz,
                    spec["start"] - timedelta(days=2),
                )
            )
        org.ics_feeds[ICS_INTERVIEWS] = cal.ics_calendar("Interviews", interviews, zones, *window)
        self.ics_kinds = {f"oncall-{team}": "oncall", ICS_INTERVIEWS: "interview"}
