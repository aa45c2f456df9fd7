"""The Jira part of the story: issues that get triaged, planned into sprints, worked,
reassigned, commented and finished; incidents that pull in hotfixes and meetings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sandbox import jira_objects as jr
from sandbox import text
from sandbox.people import EMAIL_DOMAIN

JIRA_RATE = {
    "engineer": 0.12,
    "shipper": 0.22,
    "sink": 0.08,
    "trap": 0.16,
    "manager": 0.03,
    "new_hire": 0.08,
    "release": 0.12,
    "finisher": 0.12,
}
JIRA_KINDS = ["launch", "maintenance", "documentation", "design_leadership", "other"]
JIRA_MIX = {
    "engineer": [40, 35, 8, 7, 10],
    "shipper": [85, 5, 0, 5, 5],
    "trap": [0, 70, 20, 0, 10],
    "sink": [10, 70, 10, 0, 10],
    "manager": [30, 10, 10, 20, 30],
    "new_hire": [40, 30, 20, 0, 10],
    "release": [45, 30, 10, 5, 10],
    "finisher": [40, 35, 8, 7, 10],
}
# issue types by the kind of work and the project's flavour ("cloud": Jira Cloud's defaults; "dc": a
# project migrated from Data Center, with Improvement and New Feature); (types, weights)
ISSUE_TYPE_MIX = {
    ("launch", "cloud"): (["Story", "Epic", "Task"], [80, 12, 8]),
    ("launch", "dc"): (["Story", "New Feature", "Improvement", "Epic"], [45, 28, 15, 12]),
    ("maintenance", "cloud"): (["Bug", "Task"], [60, 40]),
    ("maintenance", "dc"): (["Bug", "Task", "Improvement", "Test"], [50, 22, 20, 8]),
    ("documentation", "cloud"): (["Task", "Story"], [85, 15]),
    ("documentation", "dc"): (["Task", "Improvement", "Story"], [75, 15, 10]),
    ("other", "cloud"): (["Task", "Story"], [90, 10]),
    ("other", "dc"): (["Task", "Improvement"], [90, 10]),
}
# priority weights (in the order of jr.CLOUD_PRIORITIES / jr.DC_PRIORITIES): most issues keep the
# default; on Data Center "Blocker" and "Critical" also mark bugs that block a release
PRIORITY_MIX = {
    ("cloud", "default"): [2, 18, 64, 13, 3],
    ("dc", "default"): [2, 6, 66, 20, 6],
    ("cloud", "Bug"): [6, 26, 50, 14, 4],
    ("dc", "Bug"): [9, 16, 50, 18, 7],
    ("cloud", "incident"): [80, 20, 0, 0, 0],
    ("dc", "incident"): [60, 40, 0, 0, 0],
    ("cloud", "ops"): [35, 40, 25, 0, 0],
}
SUBTASK_RATE = {"Story": 0.3, "New Feature": 0.3, "Improvement": 0.15, "Bug": 0.15}
AUTOMATION_ID = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"
OUTSIDERS = [
    ("712020:0a1b2c3d-pm-0001", "Riley Product (PM)", f"riley.product@{EMAIL_DOMAIN}"),
    ("712020:0a1b2c3d-sd-0002", "Support Desk", f"support@{EMAIL_DOMAIN}"),
]


class JiraStory:
    def setup_jira(self) -> None:
        org = self.org
        self.jira_user: dict[str, dict] = {}
        for p in org.people:
            user = jr.user(p["jira_account_ids"][0], p["display_name"], p["emails"][0], tz=p["time_zone"])
            self.jira_user[p["person_id"]] = user
            org.jira_users.append(user)
        self.account_pid = {user["accountId"]: pid for pid, user in self.jira_user.items()}
        self.automation = jr.user(AUTOMATION_ID, "Automation for Jira", None, app=True)
        org.jira_users.append(self.automation)
        self.outsiders = [jr.user(aid, name, email) for aid, name, email in OUTSIDERS]
        org.jira_users.extend(self.outsiders)
        self.projects: dict[str, dict] = {}
        used = set()
        for i, team in enumerate(self.teams):
            key = team[:4].upper() if team[:4].upper() not in used else team[:3].upper() + str(i)
            used.add(key)
            self.projects[team] = jr.project(key, str(10000 + i), team.title())
        self.ops = jr.project("OPS", "10100", "Operations", "service_desk")
        # per project: Cloud or Data Center issue types and priorities, a Spike type or not, what the
        # documentation component is called, and the components the team files work under
        rng = self.rng
        self.jira_flavour = {p["key"]: rng.choice(["cloud", "cloud", "dc"]) for p in self.projects.values()}
        self.jira_flavour["OPS"] = "cloud"
        self.has_spike = {p["key"]: rng.random() < 0.6 for p in self.projects.values()}
        if not any(self.has_spike.values()):
            self.has_spike[next(iter(self.has_spike))] = True
        self.docs_component = {
            p["key"]: rng.choice(["Documentation", "Docs", "Documentation", "Runbooks"]) for p in self.projects.values()
        }
        self.project_components = {
            p["key"]: rng.sample(text.JIRA_COMPONENTS, rng.randint(3, 5)) for p in self.projects.values()
        }
        self.component_ids: dict[tuple[str, str], int] = {}
        self.issue_numbers: dict[str, int] = {}
        self.jira_index: dict[str, dict] = {}  # issue id -> issue
        self.truth_jira: dict[str, str] = {}  # issue id -> category of the work (before covering)
        self.jira_owner: dict[str, str] = {}  # issue id -> first assignee
        self.jira_completer: dict[str, str] = {}  # issue id -> assignee when it entered Done
        self.epics: dict[str, list[dict]] = {team: [] for team in self.teams}
        self.sprint_length = 14
        self.versions: dict[str, dict] = {}

    def pid_of_account(self, account_id: str | None) -> str | None:
        return self.account_pid.get(account_id)

    # --- daily spawn -----------------------------------------------------------------------------
    def spawn_jira(self, day: date) -> None:
        rng = self.rng
        for pid in self.person:
            if not self.active(pid, day):
                continue
            role = self.role(pid)
            if rng.random() < JIRA_RATE[role]:
                t = self.work_time(pid, day)
                if t:
                    self.at(t, self.create_jira, pid, rng.choices(JIRA_KINDS, JIRA_MIX[role])[0])
        for team, members in self.teams.items():
            if rng.random() < (0.3 if team in self.sink else 0.1):
                t = self.day_start + timedelta(hours=rng.uniform(0, 23.9))
                if team in self.sink and rng.random() < 0.8:
                    owner = self.sink[team]
                else:
                    owner = rng.choice([p for p in members[1:] if self.active(p, day)])
                self.at(t, self.create_incident, team, owner)

    # --- issues ----------------------------------------------------------------------------------
    def next_key(self, project: dict) -> str:
        self.issue_numbers[project["key"]] = self.issue_numbers.get(project["key"], 0) + 1
        return f"{project['key']}-{self.issue_numbers[project['key']]}"

    def new_issue(
        self,
        t: datetime,
        project: dict,
        itype: str,
        summary: str,
        prio: str,
        labels: list[str],
        components: list[str],
        reporter: dict,
        assignee_pid: str,
        category: str,
    ) -> dict:
        iid = self.new_id("jira_issue", 10000)
        for c in components:
            self.component_ids.setdefault((project["key"], c), 10200 + len(self.component_ids))
        item = jr.issue(
            iid,
            self.next_key(project),
            project,
            itype,
            summary,
            prio,
            labels,
            [jr.component(c, self.component_ids[(project["key"], c)]) for c in components],
            reporter,
            self.jira_user[assignee_pid],
            t,
            self.rng.choice(["", "", "See linked Slack thread.", "Acceptance criteria: TBD", "Reported by customer."]),
        )
        self.org.jira_issues.append(item)
        self.org.jira_worklogs[item["id"]] = []
        self.org.jira_comments[item["id"]] = []
        self.jira_index[item["id"]] = item
        self.truth_jira[item["id"]] = category
        self.jira_owner[item["id"]] = assignee_pid
        return item

    def priority_for(self, project_key: str, mix: str) -> str:
        flavour = self.jira_flavour[project_key]
        names = jr.CLOUD_PRIORITIES if flavour == "cloud" else jr.DC_PRIORITIES
        return self.rng.choices(names, PRIORITY_MIX[(flavour, mix)])[0]

    def create_jira(self, t: datetime, pid: str, kind: str) -> None:
        rng = self.rng
        team = self.person[pid]["team"]
        project = self.projects[team]
        pkey = project["key"]
        flavour = self.jira_flavour[pkey]
        labels: list[str] = list(rng.choice(text.JIRA_LABELS[kind]))
        components = [rng.choice(self.project_components[pkey])] if rng.random() < 0.5 else []
        support = kind == "maintenance" and rng.random() < 0.15  # filed by the support desk for a customer
        if kind == "design_leadership":
            if self.has_spike[pkey]:
                itype = "Spike" if rng.random() < 0.7 else "Task"
            else:
                itype = rng.choices(["Task", "Story"], [80, 20])[0]
            if itype == "Spike" and rng.random() >= 0.3:
                labels = []
        else:
            types, weights = ISSUE_TYPE_MIX[(kind, flavour)]
            itype = "Bug" if support else rng.choices(types, weights)[0]
        if kind == "documentation":
            choice = rng.random()
            if choice < 0.4:
                components, labels = [self.docs_component[pkey]], []
            elif choice < 0.8:
                components = []
            else:
                components = [self.docs_component[pkey]]
        bank = text.JIRA_TEST_SUMMARIES if itype == "Test" else text.JIRA_SUMMARIES[kind]
        summary = text.typo(rng, text.fill(rng, rng.choice(bank), key=""))
        reporter = rng.choices(
            [self.jira_user[self.manager[team]], self.outsiders[0], self.jira_user[pid]], [45, 20, 35]
        )[0]
        if support:
            reporter = self.outsiders[1]
        prio = self.priority_for(pkey, "Bug" if itype == "Bug" else "default")
        item = self.new_issue(t, project, itype, summary, prio, labels, components, reporter, pid, kind)
        if itype in ("Story", "New Feature", "Improvement") and self.epics[team] and rng.random() < 0.5:
            item["fields"]["parent"] = jr.reference(rng.choice(self.epics[team][-5:]))
        if itype == "Epic":
            self.epics[team].append(item)
        self.plan_issue_life(t, item, pid, team, kind)
        if rng.random() < SUBTASK_RATE.get(itype, 0.0):
            for _ in range(rng.choice([1, 1, 2, 3])):
                self.at(self.later(pid, t, 0.2, 30), self.create_subtask, item["id"], team, kind)

    def create_subtask(self, t: datetime, parent_id: str, team: str, kind: str) -> None:
        """A Sub-task of a story or bug: the same work as its parent (`kind` is the parent's), done
        by its owner or a teammate."""
        rng = self.rng
        parent = self.jira_index[parent_id]
        fields = parent["fields"]
        if fields["status"]["statusCategory"]["key"] == "done":
            return
        owner = self.jira_owner[parent_id]
        mates = [p for p in self.teammates(owner) if p != self.manager[team]]
        assignee = owner if not mates or rng.random() < 0.6 else rng.choice(mates)
        bank = text.SUBTASK_SUMMARIES["bug" if fields["issuetype"]["name"] == "Bug" else "story"]
        summary = text.fill(rng, rng.choice(bank), key="")
        item = self.new_issue(
            t,
            fields["project"],
            "Sub-task",
            summary,
            fields["priority"]["name"],
            [],
            [c["name"] for c in fields["components"]],
            self.jira_user[owner],
            assignee,
            kind,
        )
        item["fields"]["parent"] = jr.reference(parent)
        item["fields"][jr.SPRINT_FIELD] = fields[jr.SPRINT_FIELD]  # a sub-task is in its parent's sprint
        fields["subtasks"].append(jr.reference(item))
        self.plan_issue_life(t, item, assignee, team, kind, subtask=True)

    def create_incident(self, t: datetime, team: str, owner: str) -> None:
        rng = self.rng
        in_ops = rng.random() < 0.8
        project = self.ops if in_ops else self.projects[team]
        itype = "Incident" if in_ops else "Bug"
        prio = self.priority_for(project["key"], "ops" if in_ops else "incident")
        labels = list(rng.choice(text.JIRA_LABELS["incident_response"]))
        summary = text.typo(rng, text.fill(rng, rng.choice(text.JIRA_SUMMARIES["incident_response"])))
        reporter = rng.choice([self.automation, self.jira_user[owner], self.outsiders[1]])
        item = self.new_issue(t, project, itype, summary, prio, labels, [], reporter, owner, "incident_response")
        key = item["key"]
        start = t + timedelta(minutes=rng.randint(3, 50))
        self.at(start, self.transition, item["id"], owner, "Investigating" if in_ops else "In Progress")
        done = start + timedelta(hours=rng.uniform(0.5, 10))
        for _ in range(rng.randint(1, 3)):
            speaker = rng.choice([owner, owner, rng.choice(self.members(team))])
            self.at(start + (done - start) * rng.random(), self.add_comment, item["id"], speaker)
        if rng.random() < 0.6:
            self.at(
                done - timedelta(minutes=5),
                self.add_worklog,
                item["id"],
                owner,
                int((done - start).total_seconds()) // 900 * 900 or 900,
            )
        if rng.random() < 0.65:
            self.at(start + timedelta(minutes=rng.randint(10, 90)), self.open_pr, owner, "incident_response", key)
        if rng.random() < 0.35:
            self.at(start + timedelta(minutes=5), self.incident_meeting, "war_room", owner, team, key)
        if rng.random() < 0.45:
            host = owner if rng.random() < 0.6 else self.manager[team]
            self.at(self.later(host, done, 24, 96), self.incident_meeting, "postmortem", host, team, key)
        if rng.random() < 0.15:
            self.at(start + timedelta(minutes=rng.randint(5, 60)), self.open_gh_issue, owner, "incident_response", key)
        self.at(
            done, self.transition, item["id"], owner if rng.random() < 0.85 else None, "Resolved" if in_ops else "Done"
        )

    def plan_issue_life(self, t: datetime, item: dict, pid: str, team: str, kind: str, subtask: bool = False) -> None:
        """A sub-task follows its parent into sprints: nobody plans it on its own."""
        rng = self.rng
        iid = item["id"]
        manager = self.manager[team]
        planner = self.trap if self.person[self.trap]["team"] == team and rng.random() < 0.5 else manager
        if planner != pid and rng.random() < 0.6 and not subtask:
            self.at(self.later(planner, t, 0.5, 48), self.edit_sprint, iid, planner)
        if planner != pid and rng.random() < 0.2:
            self.at(self.later(planner, t, 1, 72), self.edit_rank, iid, planner)
        if manager != pid and rng.random() < 0.12:
            self.at(self.later(manager, t, 1, 48), self.edit_priority, iid, manager)
        start = self.later(pid, t, 2, 96)
        self.at(start, self.transition, iid, pid, "In Progress")
        worker = pid
        if rng.random() < 0.08 and manager != pid:
            cover = rng.choice([p for p in self.teammates(pid) if p != manager])
            when = self.later(manager, start, 4, 72)
            self.at(when, self.reassign, iid, manager, cover)
            start, worker = when, cover
        for _ in range(rng.choices([0, 1, 2], [50, 35, 15])[0]):
            self.at(
                self.later(worker, start, 1, 60),
                self.add_worklog,
                iid,
                worker,
                rng.choice([1800, 3600, 5400, 7200, 14400]),
            )
        for _ in range(rng.choices([0, 1, 2, 3], [40, 35, 15, 10])[0]):
            speaker = rng.choice([worker, worker, rng.choice(self.members(team))])
            self.at(self.later(speaker, start, 1, 80), self.add_comment, iid, speaker)
        if rng.random() < 0.1:
            self.at(self.later(worker, start, 1, 40, night_ok=True), self.add_comment, iid, None)
        if rng.random() < 0.85:
            review = self.later(worker, start, 8, 200)
            if rng.random() < 0.6:
                self.at(review, self.transition, iid, worker, "In Review")
            done = self.later(worker, review, 2, 60)
            self.at(
                done,
                self.transition,
                iid,
                worker if rng.random() < 0.85 else None,
                rng.choice(["Done", "Done", "Done", "Closed", "Resolved"]),
            )
            if kind == "launch" and self.release_coordinator not in (pid, worker) and rng.random() < 0.4:
                self.at(
                    self.later(self.release_coordinator, done, 1, 48),
                    self.edit_fix_version,
                    iid,
                    self.release_coordinator,
                )

    # --- changes -----------------------------------------------------------------------------------
    def change(self, t: datetime, iid: str, author: dict, items: list[dict]) -> None:
        item = self.jira_index[iid]
        item["changelog"]["histories"].append(jr.history(self.new_id("jira_history", 20000), author, t, items))
        total = len(item["changelog"]["histories"])
        item["changelog"]["total"] = item["changelog"]["maxResults"] = total
        item["fields"]["updated"] = jr.jira_time(t)

    def transition(self, t: datetime, iid: str, pid: str | None, to: str) -> None:
        """`pid` (or Automation for Jira when None) moves the issue to status `to`."""
        item = self.jira_index[iid]
        fields = item["fields"]
        old = fields["status"]
        if old["statusCategory"]["key"] == "done":
            return
        new = jr.status(to)
        items = [jr.item("status", old["id"], old["name"], new["id"], new["name"])]
        fields["status"] = new
        if new["statusCategory"]["key"] == "done":
            items.append(jr.item("resolution", None, None, "10000", "Done"))
            fields["resolution"] = {
                "self": f"{jr.API}/resolution/10000",
                "id": "10000",
                "description": "Work has been completed on this issue.",
                "name": "Done",
            }
            fields["resolutiondate"] = jr.jira_time(t)
            self.jira_completer[iid] = (
                self.pid_of_account(fields["assignee"]["accountId"]) if fields["assignee"] else None
            )
        self.change(t, iid, self.jira_user[pid] if pid else self.automation, items)

    def reassign(self, t: datetime, iid: str, by: str, to: str) -> None:
        fields = self.jira_index[iid]["fields"]
        if fields["status"]["statusCategory"]["key"] == "done":
            return
        old, new = fields["assignee"], self.jira_user[to]
        fields["assignee"] = new
        self.change(
            t,
            iid,
            self.jira_user[by],
            [
                jr.item(
                    "assignee",
                    old["accountId"] if old else None,
                    old["displayName"] if old else None,
                    new["accountId"],
                    new["displayName"],
                )
            ],
        )

    def edit_sprint(self, t: datetime, iid: str, by: str) -> None:
        item = self.jira_index[iid]
        team = next(
            team for team, project in self.projects.items() if project["key"] == item["fields"]["project"]["key"]
        )
        number = (t - self.org.start).days // self.sprint_length + 1
        start = self.org.start + timedelta(days=(number - 1) * self.sprint_length)
        sid = 100 * (list(self.teams).index(team) + 1) + number
        name = f"{item['fields']['project']['key']} Sprint {number}"
        old = item["fields"][jr.SPRINT_FIELD]
        item["fields"][jr.SPRINT_FIELD] = [
            jr.sprint(
                sid,
                name,
                "active",
                10 + list(self.teams).index(team),
                start,
                start + timedelta(days=self.sprint_length),
            )
        ]
        self.change(
            t,
            iid,
            self.jira_user[by],
            [jr.item("Sprint", str(old[0]["id"]) if old else "", old[0]["name"] if old else "", str(sid), name)],
        )

    def edit_rank(self, t: datetime, iid: str, by: str) -> None:
        self.change(
            t,
            iid,
            self.jira_user[by],
            [jr.item("Rank", "", "", "", self.rng.choice(["Ranked higher", "Ranked lower"]))],
        )

    def edit_priority(self, t: datetime, iid: str, by: str) -> None:
        fields = self.jira_index[iid]["fields"]
        old = fields["priority"]
        names = (
            ("High", "Medium", "Low")
            if self.jira_flavour[fields["project"]["key"]] == "cloud"
            else ("Critical", "Major", "Minor")
        )
        new = jr.priority(self.rng.choice([p for p in names if p != old["name"]]))
        fields["priority"] = new
        self.change(t, iid, self.jira_user[by], [jr.item("priority", old["id"], old["name"], new["id"], new["name"])])

    def edit_fix_version(self, t: datetime, iid: str, by: str) -> None:
        item = self.jira_index[iid]
        key = item["fields"]["project"]["key"]
        name = f"{key} {t.year}.{t.month:02d}"
        if name not in self.versions:
            self.versions[name] = jr.version(name, self.new_id("version", 10500), True, t.date().isoformat())
        version = self.versions[name]
        item["fields"]["fixVersions"] = [version]
        self.change(t, iid, self.jira_user[by], [jr.item("Fix Version", None, None, version["id"], name)])

    def add_worklog(self, t: datetime, iid: str, pid: str, seconds: int) -> None:
        item = self.jira_index[iid]
        started = t - timedelta(seconds=seconds)
        self.org.jira_worklogs[iid].append(
            jr.worklog(
                self.new_id("worklog", 30000),
                iid,
                item["key"],
                self.jira_user[pid],
                started,
                seconds,
                t,
                self.rng.choice(["", "", "debugging", "pairing", "implementation"]),
            )
        )
        item["fields"]["updated"] = jr.jira_time(t)
        item["fields"]["timespent"] = (item["fields"]["timespent"] or 0) + seconds

    def add_comment(self, t: datetime, iid: str, pid: str | None) -> None:
        item = self.jira_index[iid]
        if pid is None:
            author, body = self.automation, f"Linked pull request merged. Transitioning {item['key']}."
        else:
            author = self.jira_user[pid]
            body = text.fill(
                self.rng,
                self.rng.choice(text.JIRA_COMMENTS),
                key=item["key"],
                name=self.person[self.rng.choice(list(self.person))]["display_name"].split()[0],
            )
        self.org.jira_comments[iid].append(jr.comment(self.new_id("jira_comment", 40000), iid, author, body, t))
        item["fields"]["updated"] = jr.jira_time(t)
