"""The GitHub part of the story: pull requests with their reviews, comments, pushes and
merges; issues; releases; bots and first-time contributors."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sandbox import github_objects as gh
from sandbox import text

PR_RATE = {
    "engineer": 0.3,
    "shipper": 0.55,
    "sink": 0.18,
    "trap": 0.35,
    "manager": 0.05,
    "new_hire": 0.35,
    "release": 0.2,
    "finisher": 0.28,
}
PR_KINDS = ["launch", "maintenance", "documentation", "design_leadership", "incident_response"]
PR_MIX = {
    "engineer": [45, 32, 9, 6, 2],
    "shipper": [88, 8, 1, 3, 0],
    "sink": [15, 55, 15, 0, 15],
    "trap": [0, 75, 25, 0, 0],
    "manager": [25, 20, 25, 30, 0],
    "new_hire": [35, 35, 30, 0, 0],
    "release": [40, 40, 15, 5, 0],
    "finisher": [45, 35, 10, 8, 2],
}
REVIEW_WEIGHT = {"sink": 10.0, "trap": 4.0, "shipper": 0.3, "manager": 0.3, "new_hire": 0.3}
BOTS = {"dependabot[bot]": 49699333, "renovate[bot]": 29139614}  # open dependency pull requests
HELPER_BOTS = {"codecov[bot]": 22429695, "github-actions[bot]": 41898282}  # comment on PRs, publish releases
EXTERNALS = ["octo-drive-by", "kumiko-contrib", "devfromafar"]
UNSIGNALLED_EVERY = 50  # one pull request in 50 of a kind


class GitHubStory:
    # --- setup -------------------------------------------------------------------------------
    def setup_github(self) -> None:
        org, rng = self.org, self.rng
        owner = gh.user(org.github_org, 90000001)
        owner["type"] = "Organization"
        self.gh_users: dict[str, list[dict]] = {}
        for n, p in enumerate(org.people):
            self.gh_users[p["person_id"]] = [
                gh.user(login, 1000000 + 17 * n + i) for i, login in enumerate(p["github_logins"])
            ]
        self.login_pid = {u["login"]: pid for pid, users in self.gh_users.items() for u in users}
        self.bot_users = {login: gh.user(login, uid, bot=True) for login, uid in {**BOTS, **HELPER_BOTS}.items()}
        self.external_users = {login: gh.user(login, 5000000 + i) for i, login in enumerate(EXTERNALS)}
        team_names = list(self.teams)
        names = [f"{t}-service" for t in team_names] + [f"{t}-web" for t in team_names[: max(1, len(team_names) // 2)]]
        names.append("handbook")
        languages = ["Python", "Go", "TypeScript", "Kotlin", "Ruby"]
        self.team_repos: dict[str, list[str]] = {t: [] for t in team_names}
        created = org.start - timedelta(days=900)
        for i, name in enumerate(names):
            repo = gh.repository(
                owner,
                name,
                700000000 + 131 * i,
                created + timedelta(days=11 * i),
                "Markdown" if name == "handbook" else rng.choice(languages),
                f"The {name.replace('-', ' ')}",
            )
            org.repos.append(repo)
            full = repo["full_name"]
            for table in (org.pulls, org.issues, org.review_comments, org.issue_comments, org.releases):
                table[full] = []
            team = name.rsplit("-", 1)[0]
            if team in self.team_repos:
                self.team_repos[team].append(full)
        self.repo = {r["full_name"]: r for r in org.repos}
        self.handbook = f"{org.github_org}/handbook"
        # each repository keeps one label scheme, and one dependency bot with its configuration
        styles = list(text.LABEL_STYLES)
        weights = [text.LABEL_STYLES[s]["weight"] for s in styles]
        self.label_style = {
            full: rng.choice(["plain", "none"]) if full == self.handbook else rng.choices(styles, weights)[0]
            for full in self.repo
        }
        self.label_variant = {
            full: rng.choice(text.LABEL_VARIANTS.get(style, [""])) for full, style in self.label_style.items()
        }
        self.dependency_bot = {full: rng.choice(list(BOTS)) for full in self.repo if full != self.handbook}
        self.dependabot_prefix = {
            full: rng.choice(["", "", "build(deps): ", "chore(deps): ", "deps: "]) for full in self.dependency_bot
        }
        self.renovate_labels = {
            full: rng.choice([[], [], ["dependencies"], ["renovate"]]) for full in self.dependency_bot
        }
        self.numbers = {full: 0 for full in self.repo}
        self.label_objects: dict[str, dict] = {}
        self.prs: dict[tuple[str, int], tuple[dict, dict]] = {}
        self.truth_pr: dict[tuple[str, int], str] = {}
        self.pr_counts: dict[str, int] = {}
        self.truth_gh_issue: dict[int, str] = {}
        self.gh_issue_index: dict[int, tuple[str, dict]] = {}
        days = (org.now - org.start).days
        self.external_days = {org.start.date() + timedelta(days=rng.randint(5, days - 5)): login for login in EXTERNALS}
        self.release_numbers = {full: [1, rng.randint(0, 9), 0] for full in self.repo}
        # review requests draw from their own stream, so the rest of the story stays as it was
        self.request_rng = random.Random(f"review-requests-{org.seed}")
        self.gh_teams = {
            t: gh.team(org.github_org, t.lower().replace(" ", "-"), 6100000 + 3 * i) for i, t in enumerate(team_names)
        }
        self.asked: dict[tuple[str, int], set[str]] = {}  # people whose review request is open
        self.team_asked: set[tuple[str, int]] = set()  # pull requests with an open team request
        self.truth_review_request: dict[int, str] = {}  # submitted review id -> "user" or "team" (asked how)

    def gh_login_user(self, pid: str) -> dict:
        """Mostly the person's first login; their second one now and then."""
        users = self.gh_users[pid]
        return users[1] if len(users) > 1 and self.rng.random() < 0.25 else users[0]

    def labels(self, names: list[str]) -> list[dict]:
        out = []
        for name in names:
            if name not in self.label_objects:
                self.label_objects[name] = gh.label(name, 4000000 + 7 * len(self.label_objects))
            out.append(self.label_objects[name])
        return out

    # --- daily spawn ---------------------------------------------------------------------------
    def spawn_github(self, day: date) -> None:
        rng = self.rng
        for pid in self.person:
            if not self.active(pid, day):
                continue
            role = self.role(pid)
            rate = PR_RATE[role]
            if role == "new_hire":
                rate *= min(1.0, 0.5 + (day - self.started(pid)).days / 40)
            if rng.random() < rate:
                t = self.work_time(pid, day)
                if t:
                    kind = rng.choices(PR_KINDS, PR_MIX[role])[0]
                    self.at(t, self.open_pr, pid, kind, None)
        for full in self.repo:
            if full != self.handbook and rng.random() < 0.04:
                t = self.day_start + timedelta(hours=rng.uniform(0, 23.5))
                self.at(t, self.open_bot_pr, full, self.dependency_bot[full])
        if day in self.external_days:
            t = self.day_start + timedelta(hours=rng.uniform(0, 23.5))
            self.at(t, self.open_external_pr, self.external_days[day])
        if rng.random() < 0.5:
            pid = rng.choice([p for p in self.person if self.active(p, day)])
            t = self.work_time(pid, day)
            if t:
                kind = rng.choices(["maintenance", "other", "documentation", "incident_response"], [45, 30, 15, 10])[0]
                self.at(t, self.open_gh_issue, pid, kind, None)
        if day.weekday() == 3:
            coordinator = self.release_coordinator
            t = self.work_time(coordinator, day, 14, 17)
            if t:
                for full in rng.sample([f for f in self.repo if f != self.handbook], min(3, len(self.repo) - 1)):
                    self.at(t, self.publish_release, full, coordinator)
                    t += timedelta(minutes=rng.randint(3, 40))
        if rng.random() < 0.08:
            pid = rng.choice(self.shippers + list(self.manager.values()))
            t = self.work_time(pid, day)
            if t:
                self.at(t, self.publish_release, rng.choice(self.team_repos[self.person[pid]["team"]]), pid)

    def pick_labels(self, full: str, kind: str, issue: bool = False) -> tuple[list[str], list[str]]:
        """(category labels, noise labels) the repository's label scheme puts on an item of this kind."""
        rng = self.rng
        style = text.LABEL_STYLES[self.label_style[full]]
        bank = style["issue" if issue else "pr"].get(kind)
        rate = style["rate"] * (text.ISSUE_LABEL_RATE if issue else 1.0)
        category = list(rng.choice(bank)) if bank and rng.random() < rate else []
        noise: list[str] = []
        if rng.random() < style["noise_rate"]:
            for _ in range(rng.choice([1, 1, 2, 3]) if self.label_style[full] in ("prefixed", "rust") else 1):
                noise += [
                    n for n in rng.choice(style["issue_noise" if issue else "noise"]) if n not in noise + category
                ]
        variant = self.label_variant[full]
        return [text.label_variant(n, variant) for n in category], [text.label_variant(n, variant) for n in noise]

    # --- pull requests -------------------------------------------------------------------------
    def pr_text(self, kind: str, login: str, key: str | None, team: str, full: str) -> tuple[str, list[str], str, str]:
        """Title, label names, head branch and body of a pull request of this kind in repository
        `full`; `key` is the Jira issue it belongs to, if any."""
        rng = self.rng
        project = "OPS" if kind == "incident_response" else self.projects[team]["key"]
        key = key or f"{project}-{rng.randint(10, 400)}"
        subject = rng.choice(text.SUBJECTS)
        n = rng.randint(1, 300)
        ctx = {"subject": subject, "key": key, "n": n, "login": login, "slug": text.slug(subject)}
        self.pr_counts[kind] = self.pr_counts.get(kind, 0) + 1
        # an exact small share carries no signal at all, as in real life
        unsignalled = self.pr_counts[kind] % UNSIGNALLED_EVERY == 7 and kind in (
            "incident_response",
            "launch",
            "maintenance",
        )
        if unsignalled:
            bank = (
                text.INCIDENT_UNSIGNALLED
                if kind == "incident_response"
                else (text.LAUNCH_UNSIGNALLED if kind == "launch" else ["Update {subject}", "{subject} changes"])
            )
            title = text.fill(rng, rng.choice(bank), **ctx)
            return title, self.pick_labels(full, kind)[1], f"{login}/{text.slug(title)}", ""
        if kind == "incident_response" and rng.random() < 0.2 and self.truth_pr:
            title = f'Revert "{text.fill(rng, rng.choice(text.LAUNCH_TITLES), **ctx)}"'
            branch = f"revert-{n}-{text.slug(subject)}"
        else:
            bank = {
                "incident_response": text.INCIDENT_TITLES,
                "design_leadership": text.DESIGN_TITLES,
                "documentation": text.DOCS_TITLES,
                "maintenance": text.MAINTENANCE_TITLES,
                "launch": text.LAUNCH_TITLES,
            }[kind]
            title = text.typo(rng, text.fill(rng, rng.choice(bank), **ctx))
            ctx["slug"] = "-".join(text.slug(title).split("-")[:4])
            branch = text.fill(
                rng, rng.choice(text.BRANCHES[kind] if rng.random() < 0.55 else text.PERSONAL_BRANCHES), **ctx
            )
            title = text.decorate(rng, title, kind, key)
        category, noise = self.pick_labels(full, kind)
        label_names = category + noise
        # a label hints at the kind only if it is one of that kind (an outage fix labelled `bug` is not)
        if kind in ("incident_response", "maintenance", "launch") and not (
            text.has_signal(kind, " ".join(category))
            or text.has_signal(kind, title)
            or text.has_signal(kind, branch.replace("-", " ") + " ")
            or branch.startswith(("hotfix", "fix/", "chore/", "deps/", "bugfix/", "ci/", "feat", "revert-"))
        ):
            # then the branch says it (one named like the ticket alone, `OPS-12-fix`, would not)
            branch = text.fill(rng, rng.choice([b for b in text.BRANCHES[kind] if not b.startswith("{")]), **ctx)
        body = text.fill(rng, rng.choice(text.PR_BODIES), title=title, **{k: v for k, v in ctx.items() if k != "n"})
        if kind == "incident_response" and rng.random() < 0.3:
            body = (body + f"\n\nIncident: {key}").strip()
        return title, label_names, branch, body

    def pr_files(self, kind: str, title: str) -> list[tuple[str, str, int, int]]:
        rng = self.rng
        slug = text.slug(rng.choice(text.SUBJECTS)).split("-")[0]
        if kind == "design_leadership":
            folder = rng.choice(["docs/adr", "rfcs", "docs/rfcs"])
            files = [f"{folder}/{rng.randint(1, 60):04d}-{text.slug(title)[:30]}.md"]
            if rng.random() < 0.3:
                files.append(f"{folder}/img/{slug}-diagram.png")
        elif kind == "documentation":
            files = [rng.choice(text.DOCS_FILES).format(slug=slug) for _ in range(rng.randint(1, 3))]
        elif kind == "maintenance" and any(w in title.lower() for w in ("bump", "dep", "lock file")):
            files = rng.sample(text.BUILD_FILES, rng.randint(1, 2))
        else:
            files = [rng.choice(text.CODE_FILES).format(slug=slug) for _ in range(rng.randint(1, 6))]
            if rng.random() < 0.2:
                files.append(rng.choice(text.BUILD_FILES))
        out, seen = [], []
        for name in files:
            if name in seen:
                continue
            seen.append(name)
            status = rng.choices(["modified", "added", "removed", "renamed"], [70, 20, 5, 5])[0]
            additions = 0 if status == "removed" else rng.randint(1, 300)
            deletions = rng.randint(0, 120) if status != "added" else 0
            out.append((name, status, additions, deletions))
        return out

    def create_pr(
        self,
        t: datetime,
        full: str,
        author: dict,
        association: str,
        kind: str,
        title: str,
        label_names: list[str],
        branch: str,
        body: str,
        draft: bool = False,
        files: list[str] | None = None,
    ) -> tuple[str, int]:
        org = self.org
        repo = self.repo[full]
        self.numbers[full] += 1
        number = self.numbers[full]
        pull = gh.pull_request(
            repo,
            number,
            self.new_id("pull", 1900000000),
            author,
            association,
            title,
            body,
            self.labels(label_names),
            branch,
            self.sha(),
            self.sha(),
            t,
            draft,
        )
        twin = gh.issue(
            repo, number, self.new_id("issue", 2500000000), author, association, title, body, pull["labels"], t, pull
        )
        org.pulls[full].append(pull)
        org.issues[full].append(twin)
        key = (full, number)
        self.prs[key] = (pull, twin)
        self.truth_pr[key] = kind
        org.pull_reviews[key] = []
        org.pull_commits[key] = []
        if files is None:
            files = self.pr_files(kind, title)
        else:
            files = [(name, "modified", self.rng.randint(1, 40), self.rng.randint(1, 40)) for name in files]
        org.pull_files[key] = [
            gh.pull_file(repo, pull["head"]["sha"], name, status, a, d, self.sha()) for name, status, a, d in files
        ]
        pull["additions"] = sum(f[2] for f in files)
        pull["deletions"] = sum(f[3] for f in files)
        pull["changed_files"] = len(files)
        return key

    def open_pr(self, t: datetime, pid: str, kind: str, jira_key: str | None) -> None:
        rng = self.rng
        author = self.gh_login_user(pid)
        team = self.person[pid]["team"]
        full = self.handbook if kind == "documentation" and rng.random() < 0.3 else rng.choice(self.team_repos[team])
        title, label_names, branch, body = self.pr_text(kind, author["login"], jira_key, team, full)
        key = self.create_pr(
            t,
            full,
            author,
            "MEMBER",
            kind,
            title,
            label_names,
            branch,
            body,
            draft=kind != "incident_response" and rng.random() < 0.1,
        )
        self.plan_pr_life(t, key, pid, kind)

    def open_bot_pr(self, t: datetime, full: str, bot: str) -> None:
        """A dependency update as Dependabot or Renovate opens it: their own titles, branches
        and labels (Dependabot: `dependencies` and the ecosystem's, e.g. `javascript`)."""
        rng = self.rng
        ecosystem = text.ECOSYSTEMS.get(self.repo[full]["language"], text.ECOSYSTEMS["Python"])
        if rng.random() < 0.15:
            ecosystem = text.ACTIONS
        directory, eco_label, deps, manifests = ecosystem
        dep = rng.choice(deps)
        old, ver = (
            f"{rng.randint(1, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
            f"{rng.randint(5, 9)}.{rng.randint(0, 9)}.0",
        )
        if directory == "github_actions":  # actions are pinned to major tags
            old, ver = str(rng.randint(1, 3)), str(rng.randint(4, 5))
        files = manifests[:2] if directory != "github_actions" else manifests
        if bot.startswith("dependabot"):
            prefix = self.dependabot_prefix[full]
            verb = "bump" if prefix else "Bump"
            where = rng.choice(["", "", "", " in /web", " in /services/api"]) if directory == "npm_and_yarn" else ""
            title = f"{prefix}{verb} {dep} from {old} to {ver}{where}"
            branch = f"dependabot/{directory}/{dep.replace('@', '').replace(':', '-')}-{ver}"
            names = ["dependencies", eco_label]
            body = (
                f"Bumps [{dep}] from {old} to {ver}.\n\n"
                "Dependabot will resolve any conflicts with this PR as long as you don't alter it yourself."
            )
        else:
            major = ver.split(".")[0]
            title = rng.choice(
                [
                    f"chore(deps): update dependency {dep} to v{ver}",
                    f"Update dependency {dep} to v{ver}",
                    f"fix(deps): update dependency {dep} to v{ver}",
                    f"chore(deps): update {dep} to v{major}",
                    "chore(deps): lock file maintenance",
                    "Lock file maintenance",
                ]
            )
            if directory == "go_modules" and "module" not in title and "lock file" not in title.lower():
                title = title.replace("dependency", "module")
            if directory == "github_actions" and "lock file" not in title.lower():
                title = f"chore(deps): update {dep} action to v{major}"
            lock = "lock file" in title.lower()
            sanitized = dep.lower().replace("@", "").replace("/", "-").replace(":", "-")
            branch = "renovate/lock-file-maintenance" if lock else f"renovate/{sanitized}-{major}.x"
            names = list(self.renovate_labels[full])
            body = "This PR contains the following updates:\n\n| Package | Change |\n|---|---|"
            files = (manifests[1:2] or manifests) if lock else files
        user = self.bot_users[bot]
        key = self.create_pr(t, full, user, "CONTRIBUTOR", "maintenance", title, names, branch, body, files=files)
        email = f"{user['id']}+{bot}@users.noreply.github.com"
        self.at(t, self.push_commit, key, None, user, bot, email, title, [])
        team = full.split("/")[1].rsplit("-", 1)[0]
        reviewer = self.choose_reviewers(None, team, 1)[0]
        when = self.later(reviewer, t, 2, 40)
        if rng.random() < 0.3:
            self.at(t + timedelta(minutes=5), self.comment_on, key, user, rng.choice(text.BOT_COMMENTS))
        if rng.random() < 0.85:
            self.at(when, self.submit_review, key, reviewer, "APPROVED", rng.choice(["", "", "LGTM"]), 0)
            self.at(when + timedelta(minutes=rng.randint(1, 90)), self.merge_pr, key, self.gh_users[reviewer][0])
        else:
            self.at(when, self.close_pr, key)

    def open_external_pr(self, t: datetime, login: str) -> None:
        rng = self.rng
        kind = rng.choice(["documentation", "maintenance", "launch"])
        full = rng.choice(list(self.repo))
        team = full.split("/")[1].rsplit("-", 1)[0]
        team = team if team in self.teams else rng.choice(list(self.teams))
        title, _, _, body = self.pr_text(kind, login, None, team, full)  # outsiders cannot label, branch is a fork's
        user = self.external_users[login]
        key = self.create_pr(
            t, full, user, "FIRST_TIME_CONTRIBUTOR", kind, title, [], f"patch-{rng.randint(1, 9)}", body
        )
        self.at(t, self.push_commit, key, None, user, login, f"{login}@users.noreply.github.com", title, [])
        last = t
        for reviewer in self.choose_reviewers(None, team, 2):
            when = self.later(reviewer, t, 4, 60)
            self.at(
                when,
                self.submit_review,
                key,
                reviewer,
                "CHANGES_REQUESTED",
                "Thanks for the contribution! A few things:",
                2,
            )
            approved = self.later(reviewer, when, 20, 60)
            self.at(approved, self.submit_review, key, reviewer, "APPROVED", "Thanks!", 0)
            last = max(last, approved)
        self.at(self.later(reviewer, last, 1, 5), self.merge_pr, key, self.gh_users[reviewer][0])

    def choose_reviewers(self, author: str | None, team: str, count: int) -> list[str]:
        rng = self.rng
        pool = [p for p in self.teams[team] if p != author and self.active(p, self.day_start.date())]
        weights = [REVIEW_WEIGHT.get(self.role(p), 1.0) for p in pool]
        chosen: list[str] = []
        if author in self.new_hires:
            chosen.append(self.new_hires[author])
        while len(chosen) < count and len(chosen) < len(pool):
            if rng.random() < 0.08:
                other = rng.choice(
                    [
                        p
                        for p in self.person
                        if p != author and p not in chosen and self.active(p, self.day_start.date())
                    ]
                )
                chosen.append(other)
                continue
            p = rng.choices(pool, weights)[0]
            if p not in chosen:
                chosen.append(p)
        return chosen

    def plan_pr_life(self, t: datetime, key: tuple[str, int], pid: str, kind: str) -> None:
        """Schedule what will happen to a freshly opened pull request."""
        rng = self.rng
        pull, _ = self.prs[key]
        author = pull["user"]
        email = self.person[pid]["emails"][0]
        name = self.person[pid]["display_name"]
        team = self.person[pid]["team"]
        coauthors = []
        finisher = self.finisher_for(pid, team)
        if finisher and rng.random() < 0.25:
            coauthors.append(finisher)
        first_message = pull["title"]
        self.at(t, self.push_commit, key, pid, author, name, email, first_message, coauthors)
        for _ in range(rng.randint(0, 2)):
            self.at(
                self.later(pid, t, 0.2, 6),
                self.push_commit,
                key,
                pid,
                author,
                name,
                email,
                rng.choice(text.COMMIT_MESSAGES[1:]),
                [],
            )
        urgent = kind == "incident_response"
        count = rng.choices([1, 2, 3], [60, 35, 5])[0]
        reviewers = self.choose_reviewers(pid, team, count)
        asked = [r for r in reviewers if rng.random() < 0.8]
        pull["requested_reviewers"] = [self.gh_users[r][0] for r in asked]
        self.request_reviews(t, key, pid, asked, reviewers)
        last = t
        for reviewer in reviewers:
            night = self.role(reviewer) == "sink" and rng.random() < 0.3
            when = self.later(reviewer, t, 0.3 if urgent else 1, 4 if urgent else 30, night_ok=night or urgent)
            if pull["draft"]:
                self.at(when - timedelta(minutes=10), self.mark_ready, key)
            state = rng.choices(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"], [58, 18, 20, 4])[0]
            self.at(
                when,
                self.submit_review,
                key,
                reviewer,
                state,
                text.typo(rng, rng.choice(text.REVIEW_BODIES)),
                rng.randint(1, 2) if state in ("CHANGES_REQUESTED", "COMMENTED") else rng.choice([0, 0, 0, 0, 1]),
            )
            if state == "CHANGES_REQUESTED":
                fix = self.later(pid, when, 1, 20)
                self.at(fix, self.push_commit, key, pid, author, name, email, "address review comments", [])
                when = self.later(reviewer, fix, 1, 24, night_ok=night)
                self.at(when, self.submit_review, key, reviewer, "APPROVED", rng.choice(text.REVIEW_BODIES), 0)
            last = max(last, when)
        if rng.random() < 0.02:
            self.at(
                self.later(pid, t, 0.5, 3), self.submit_review, key, pid, "COMMENTED", "Notes for reviewers inline", 1
            )
        if rng.random() < 0.03:
            self.at(self.later(reviewers[0], t, 1, 8), self.submit_review, key, reviewers[0], "PENDING", "", 0)
        if finisher and finisher != pid and rng.random() < 0.3:
            helper = self.later(finisher, t, 2, 30, night_ok=True)
            self.at(
                helper,
                self.push_commit,
                key,
                finisher,
                self.gh_users[finisher][0],
                self.person[finisher]["display_name"],
                self.person[finisher]["emails"][0],
                rng.choice(["finish tests", "fix CI", "address remaining comments", "rebase and fix conflicts"]),
                [],
            )
            last = max(last, helper)
        elif rng.random() < 0.02:
            helper_pid = rng.choice(self.teammates(pid))
            helper = self.later(helper_pid, t, 2, 30)
            self.at(
                helper,
                self.push_commit,
                key,
                helper_pid,
                self.gh_users[helper_pid][0],
                self.person[helper_pid]["display_name"],
                self.person[helper_pid]["emails"][0],
                "take over while on leave",
                [],
            )
            last = max(last, helper)
        if rng.random() < 0.15:
            coverage = f"## Codecov Report\nPatch coverage is `{rng.randint(40, 100)}.{rng.randint(0, 99):02d}%`."
            self.at(
                t + timedelta(minutes=rng.randint(4, 15)),
                self.comment_on,
                key,
                self.bot_users["codecov[bot]"],
                coverage,
            )
        for _ in range(rng.choices([0, 1, 2, 3], [50, 32, 13, 5])[0]):
            speaker = rng.choice([pid] + reviewers)
            self.at(
                self.later(speaker, t, 0.5, 30),
                self.comment_on,
                key,
                self.gh_users[speaker][0],
                text.fill(rng, rng.choice(text.ISSUE_COMMENTS), login=author["login"]),
            )
        fate = rng.random()
        if fate < 0.88:
            merger = pid if rng.random() < 0.7 else reviewers[0]
            self.at(self.later(merger, last, 0.2, 8, night_ok=urgent), self.merge_pr, key, self.gh_users[merger][0])
        elif fate < 0.95:
            self.at(self.later(pid, last, 2, 72), self.close_pr, key)

    def request_reviews(self, t: datetime, key, pid: str, asked: list[str], reviewers: list[str]) -> None:
        """The author's review requests on the timeline: the people asked; now and then their team;
        now and then a request withdrawn before the review (that reviewer then reviews unasked), or
        one sent to someone who never reviews and withdrawn."""
        rng, author = self.request_rng, self.prs[key][0]["user"]
        self.asked[key] = set()
        for reviewer in asked:
            self.timeline(t, key, "review_requested", author, reviewer=reviewer)
            if rng.random() < 0.05:
                self.at(t + timedelta(hours=rng.uniform(0.05, 0.25)), self.withdraw_request, key, reviewer)
        if rng.random() < 0.1:
            self.timeline(t, key, "review_requested", author, team=self.person[pid]["team"])
        others = [p for p in self.teammates(pid) if p not in reviewers]
        if others and rng.random() < 0.05:
            mistaken = rng.choice(others)
            self.timeline(t, key, "review_requested", author, reviewer=mistaken)
            self.at(t + timedelta(hours=rng.uniform(0.05, 0.25)), self.withdraw_request, key, mistaken)

    def timeline(self, t: datetime, key, event: str, author: dict, reviewer: str | None = None, team=None) -> None:
        """A review request (or its withdrawal) of one person or team, and the pull request's state after it."""
        pull, _ = self.prs[key]
        user = self.gh_users[reviewer][0] if reviewer else None
        team_object = self.gh_teams[team] if team else None
        eid = self.new_id("timeline_event", 8100000000)
        self.org.pull_timeline.setdefault(key, []).append(
            gh.review_request_event(pull, eid, event, author, user, team_object, t)
        )
        if event == "review_requested" and team:
            self.team_asked.add(key)
            pull["requested_teams"] = [*pull["requested_teams"], team_object]
        elif event == "review_requested":
            self.asked[key].add(reviewer)
            if user not in pull["requested_reviewers"]:
                pull["requested_reviewers"] = [*pull["requested_reviewers"], user]
        else:
            self.asked[key].discard(reviewer)
            pull["requested_reviewers"] = [u for u in pull["requested_reviewers"] if u["login"] != user["login"]]

    def withdraw_request(self, t: datetime, key, reviewer: str) -> None:
        if reviewer in self.asked[key]:
            self.timeline(t, key, "review_request_removed", self.prs[key][0]["user"], reviewer=reviewer)
            self.touch(key, t)

    def finisher_for(self, pid: str, team: str) -> str | None:
        same_team = [f for f in self.finishers if self.person[f]["team"] == team and f != pid]
        if same_team:
            return same_team[0]
        return self.finishers[0] if self.finishers[0] != pid and self.rng.random() < 0.15 else None

    # --- pull request events ------------------------------------------------------------------
    def touch(self, key: tuple[str, int], t: datetime) -> None:
        pull, twin = self.prs[key]
        pull["updated_at"] = twin["updated_at"] = gh.gh_time(t)

    def push_commit(
        self, t: datetime, key, pid, gh_user: dict, name: str, email: str, message: str, coauthors: list[str]
    ) -> None:
        pull, _ = self.prs[key]
        commits = self.org.pull_commits[key]
        for other in coauthors:
            message += f"\n\nCo-authored-by: {self.person[other]['display_name']} <{self.person[other]['emails'][0]}>"
        if pid and len(self.person[pid]["emails"]) > 1 and self.rng.random() < 0.4:
            email = self.person[pid]["emails"][1]  # an old address still in their git config
        sha = self.sha()
        parent = commits[-1]["sha"] if commits else pull["base"]["sha"]
        commits.append(gh.commit(self.repo[key[0]], sha, parent, name, email, gh_user, message, t))
        pull["head"]["sha"] = sha
        pull["commits"] = len(commits)
        repo = self.repo[key[0]]
        repo["pushed_at"] = repo["updated_at"] = gh.gh_time(t)
        self.touch(key, t)

    def mark_ready(self, t: datetime, key) -> None:
        pull, twin = self.prs[key]
        if pull["draft"]:
            pull["draft"] = twin["draft"] = False
            self.touch(key, t)

    def submit_review(self, t: datetime, key, pid: str, state: str, body: str, comments: int) -> None:
        pull, _ = self.prs[key]
        reviewer = self.gh_users[pid][0]
        rid = self.new_id("review", 3000000000)
        submitted = None if state == "PENDING" else t
        if submitted and pid in self.asked.get(key, ()):
            self.truth_review_request[rid] = "user"
        elif submitted and key in self.team_asked:
            self.truth_review_request[rid] = "team"
        item = gh.review(pull, rid, reviewer, "MEMBER", state, body, submitted, pull["head"]["sha"])
        self.org.pull_reviews[key].append(item)
        pull["requested_reviewers"] = [u for u in pull["requested_reviewers"] if u["login"] != reviewer["login"]]
        full = key[0]
        files = self.org.pull_files[key]
        previous = None
        for i in range(comments):
            cid = self.new_id("review_comment", 1500000000)
            path = self.rng.choice(files)["filename"]
            self.org.review_comments[full].append(
                gh.review_comment(
                    pull,
                    cid,
                    rid,
                    reviewer,
                    "MEMBER",
                    text.typo(self.rng, self.rng.choice(text.REVIEW_COMMENTS)),
                    path,
                    self.rng.randint(1, 200),
                    t,
                    pull["head"]["sha"],
                    None,
                )
            )
            previous = cid
        if previous and state != "PENDING" and pull["user"]["type"] == "User" and self.rng.random() < 0.3:
            author_login = pull["user"]["login"]
            author_pid = self.pid_of_login(author_login)
            if author_pid:
                reply_at = self.later(author_pid, t, 0.2, 10)
                self.at(reply_at, self.reply_review_comment, key, author_pid, previous)
        if submitted:
            pull["review_comments"] += comments
            self.touch(key, t)

    def reply_review_comment(self, t: datetime, key, pid: str, reply_to: int) -> None:
        """The author answers a review comment; GitHub files the reply as a COMMENTED review of
        their own pull request."""
        pull, _ = self.prs[key]
        user = self.gh_users[pid][0]
        cid = self.new_id("review_comment", 1500000000)
        rid = self.new_id("review", 3000000000)
        self.org.pull_reviews[key].append(gh.review(pull, rid, user, "MEMBER", "COMMENTED", "", t, pull["head"]["sha"]))
        target = next(c for c in self.org.review_comments[key[0]] if c["id"] == reply_to)
        self.org.review_comments[key[0]].append(
            gh.review_comment(
                pull,
                cid,
                rid,
                user,
                "MEMBER",
                self.rng.choice(["Done", "fixed", "Good catch, thanks", "Will do in a follow-up", "erledigt"]),
                target["path"],
                target["line"],
                t,
                pull["head"]["sha"],
                reply_to,
            )
        )
        pull["review_comments"] += 1
        self.touch(key, t)

    def comment_on(self, t: datetime, key, user: dict, body: str) -> None:
        pull, twin = self.prs[key]
        cid = self.new_id("issue_comment", 1100000000)
        self.org.issue_comments[key[0]].append(
            gh.issue_comment(pull, cid, user, "MEMBER" if user["type"] == "User" else "NONE", body, t)
        )
        twin["comments"] += 1
        pull["comments"] = twin["comments"]
        self.touch(key, t)

    def merge_pr(self, t: datetime, key, merger: dict) -> None:
        pull, twin = self.prs[key]
        if pull["state"] == "closed":
            return
        pull.update(
            state="closed",
            merged=True,
            merged_at=gh.gh_time(t),
            closed_at=gh.gh_time(t),
            draft=False,
            merge_commit_sha=self.sha(),
            merged_by=merger,
            mergeable=None,
            mergeable_state="unknown",
            requested_reviewers=[],
        )
        twin.update(state="closed", closed_at=gh.gh_time(t), closed_by=merger, draft=False)
        twin["pull_request"]["merged_at"] = gh.gh_time(t)
        self.touch(key, t)

    def close_pr(self, t: datetime, key) -> None:
        pull, twin = self.prs[key]
        if pull["state"] == "closed":
            return
        pull.update(state="closed", closed_at=gh.gh_time(t))
        twin.update(state="closed", closed_at=gh.gh_time(t), closed_by=pull["user"])
        self.touch(key, t)

    def pid_of_login(self, login: str) -> str | None:
        return self.login_pid.get(login)

    # --- issues and releases -----------------------------------------------------------------
    def open_gh_issue(self, t: datetime, pid: str, kind: str, key: str | None) -> None:
        rng = self.rng
        team = self.person[pid]["team"]
        full = rng.choice(self.team_repos[team])
        repo = self.repo[full]
        self.numbers[full] += 1
        number = self.numbers[full]
        title = text.typo(rng, text.fill(rng, rng.choice(text.GH_ISSUE_TITLES[kind]), key=key or ""))
        if key:
            title = f"{title} ({key})"
        category, noise = self.pick_labels(full, kind, issue=True)
        names = category + noise
        author = self.gh_login_user(pid)
        item = gh.issue(
            repo,
            number,
            self.new_id("issue", 2500000000),
            author,
            "MEMBER",
            title,
            rng.choice(["", "Steps to reproduce:\n1. ...", "Seen in prod logs.", "See Slack thread."]),
            self.labels(names),
            t,
        )
        self.org.issues[full].append(item)
        self.truth_gh_issue[item["id"]] = kind
        self.gh_issue_index[item["id"]] = (full, item)
        people = [p for p in self.members(team) if p != pid]
        for _ in range(rng.choices([0, 1, 2, 3], [35, 35, 20, 10])[0]):
            speaker = rng.choice(people + [pid])
            self.at(
                self.later(speaker, t, 0.5, 48, night_ok=kind == "incident_response"),
                self.comment_on_issue,
                item["id"],
                self.gh_users[speaker][0],
                text.fill(rng, rng.choice(text.ISSUE_COMMENTS), login=author["login"]),
            )
        if rng.random() < 0.7:
            self.at(self.later(pid, t, 4, 200), self.close_issue, item["id"], author)

    def comment_on_issue(self, t: datetime, issue_id: int, user: dict, body: str) -> None:
        full, item = self.gh_issue_index[issue_id]
        self.org.issue_comments[full].append(
            gh.issue_comment(item, self.new_id("issue_comment", 1100000000), user, "MEMBER", body, t)
        )
        item["comments"] += 1
        item["updated_at"] = gh.gh_time(t)

    def close_issue(self, t: datetime, issue_id: int, user: dict) -> None:
        _, item = self.gh_issue_index[issue_id]
        item.update(
            state="closed", closed_at=gh.gh_time(t), closed_by=user, state_reason="completed", updated_at=gh.gh_time(t)
        )

    def publish_release(self, t: datetime, full: str, pid: str) -> None:
        rng = self.rng
        major, minor, patch = self.release_numbers[full]
        if rng.random() < 0.7:
            minor, patch = minor + 1, 0
        else:
            patch += 1
        self.release_numbers[full] = [major, minor, patch]
        tag = f"v{major}.{minor}.{patch}"
        publisher = self.bot_users["github-actions[bot]"] if rng.random() < 0.1 else self.gh_users[pid][0]
        name = rng.choice(
            [tag, f"Release {tag}", f"{tag} – {rng.choice(text.SUBJECTS)}", f"{major}.{minor}.{patch}", ""]
        )
        body = "## What's Changed\n" + "\n".join(
            f"* {rng.choice(text.SUBJECTS)} improvements" for _ in range(rng.randint(1, 4))
        )
        self.org.releases[full].append(
            gh.release(self.repo[full], self.new_id("release", 180000000), publisher, tag, name, body, t)
        )
