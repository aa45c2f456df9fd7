"""Phrase banks: the text a real engineering organization writes, and nothing more.

Every item the generator emits is phrased here. Nothing in these banks exists to be
matched: titles, labels, branches, issue types and meeting names are the ones real
teams and their tools use, with the ambiguity that comes with them. What an item
*is* comes from the story (sandbox/truth.py), never from this text.

- GitHub labels follow one *style* per repository (LABEL_STYLES), as teams pick a
  label scheme once and live with it:
  plain, GitHub's defaults (`bug`, `enhancement`, `documentation`, `dependencies`);
  prefixed, Kubernetes/Prow (`kind/bug`, `kind/feature`, `area/docs`,
  `priority/critical-urgent`, `size/M`, `lgtm`, `approved`, `release-note-none`);
  typed (`type: bug`, `Type: Enhancement`, `type: docs`, `status: needs review`);
  emoji (`🐛 bug`, `✨ feature`, `📝 documentation`, `:ambulance: hotfix`);
  rust-style (`C-bug`, `C-enhancement`, `A-docs`, `T-compiler`, `S-waiting-on-review`);
  none (the repository has no labels but Dependabot's). Most pull requests carry no
  category label at all; noise labels (size, review state, `good first issue`,
  `help wanted`, team/area tags) go on any kind. Outage fixes are labelled
  `incident`/`hotfix`/`sev1`/`P0`/`priority/critical-urgent`, but often a mere `bug`
  (`kind/bug`, `C-bug` …), as real teams do; design work is `rfc`/`proposal`/`adr`/
  `kind/design`/`kep`; Dependabot labels its pull requests `dependencies` plus the
  ecosystem (`python`, `javascript`, `go` …).
- pull request titles: conventional commits (`fix:`, `feat(api):`, `chore(deps):`),
  ticket keys (`PAY-123`, `OPS-42`), `Revert "…"`, gitmoji, Dependabot's and Renovate's
  own titles, other languages, typos and lazy titles (`WIP`, `Develop`); branches
  `hotfix/…`, `feature/PAY-12-…`, `{login}/…`, `dependabot/npm_and_yarn/…`, `patch-3`.
- Jira (JIRA_SUMMARIES, SUBTASK_SUMMARIES, JIRA_LABELS, JIRA_COMPONENTS; the types and
  priorities themselves are in sandbox/jira_objects.py): the issue types of Jira Cloud
  (Epic, Story, Task, Sub-task, Bug) and Data Center (plus Improvement, New Feature),
  Test, Incident (Jira Service Management) and a team's own Spike; sub-tasks named as
  teams split work ("Backend", "QA", "Write unit tests", "Update docs", "Reproduce");
  per project either Cloud priorities (Highest … Lowest) or Data Center priorities
  (Blocker, Critical, Major, Minor, Trivial, where Blocker also means "blocks the
  release"); components such as API, UI, Backend, Build, Documentation or Docs.
- meetings (MEETINGS): the names calendars really hold: standup,
  planning, retro, refinement, backlog grooming, bug triage/scrub, team meeting,
  weekly sync, steering committees, working groups, release sync; design review,
  architecture review, RFC discussion; phone screen, technical interview, onsite,
  debrief, reference check, hiring committee, intake; onboarding buddy check-in,
  new hire orientation, mentoring 1:1, office hours, pairing; incident bridge,
  postmortem, post-incident review, on-call handoff; launch review, demo day,
  go/no-go; and the entries that only look like meetings (an "Async standup
  (written)" reminder, "Sync", "Hold").

SIGNAL_WORDS is the generator's own check that all but a small, deliberate share of
pull requests leave a careful reader *some* hint of their kind (title, branch or a
label of that kind); it shapes no text.
"""

from __future__ import annotations

import random

# --- GitHub pull requests ---------------------------------------------------------------

SUBJECTS = [
    "checkout flow",
    "payment retries",
    "login page",
    "session cache",
    "search index",
    "rate limiter",
    "webhook delivery",
    "invoice export",
    "user settings",
    "notification queue",
    "feature flags",
    "billing cron",
    "image uploads",
    "audit log",
    "API pagination",
    "CSV import",
    "email templates",
    "order history",
    "token refresh",
    "dark mode",
    "mobile onboarding",
    "SSO callback",
    "metrics exporter",
    "retry policy",
    "health checks",
    "connection pool",
    "price calculation",
    "GraphQL schema",
    "refund flow",
    "team invites",
    "usage reports",
    "cart totals",
    "address validation",
    "push notifications",
    "tax rules",
    "signup form",
    "data retention job",
    "permissions model",
    "saved searches",
    "exchange rates",
]
# what Dependabot and Renovate bump, by the repository's language: (ecosystem directory,
# ecosystem label, packages, manifest files)
ECOSYSTEMS = {
    "Python": (
        "pip",
        "python",
        ["requests", "django", "pydantic", "urllib3", "pytest", "sqlalchemy", "boto3", "black", "celery", "gunicorn"],
        ["requirements.txt", "pyproject.toml", "poetry.lock"],
    ),
    "TypeScript": (
        "npm_and_yarn",
        "javascript",
        ["lodash", "react", "express", "axios", "webpack", "eslint", "typescript", "@types/node", "vite", "jest"],
        ["package.json", "package-lock.json", "yarn.lock"],
    ),
    "Go": (
        "go_modules",
        "go",
        [
            "golang.org/x/net",
            "github.com/stretchr/testify",
            "google.golang.org/grpc",
            "github.com/prometheus/client_golang",
            "golang.org/x/crypto",
        ],
        ["go.mod", "go.sum"],
    ),
    "Kotlin": (
        "gradle",
        "java",
        [
            "com.fasterxml.jackson.core:jackson-databind",
            "org.jetbrains.kotlin:kotlin-stdlib",
            "io.ktor:ktor-server-core",
            "org.junit.jupiter:junit-jupiter",
        ],
        ["build.gradle.kts", "gradle.lockfile"],
    ),
    "Ruby": (
        "bundler",
        "ruby",
        ["rails", "rack", "nokogiri", "puma", "rspec-core", "sidekiq"],
        ["Gemfile", "Gemfile.lock"],
    ),
}
ACTIONS = (
    "github_actions",
    "github_actions",
    ["actions/checkout", "actions/setup-node", "actions/cache", "actions/setup-python", "docker/build-push-action"],
    [".github/workflows/ci.yml"],
)
DEPENDENCIES = sorted({dep for _, _, deps, _ in ECOSYSTEMS.values() for dep in deps})
TYPOS = {
    "the": "teh",
    "receive": "recieve",
    "separate": "seperate",
    "retries": "retires",
    "cache": "cahce",
    "timeout": "timout",
    "pagination": "paginaton",
    "settings": "setings",
    "delivery": "delivry",
    "export": "exprot",
    "handling": "handlign",
}

INCIDENT_TITLES = [
    "Hotfix: {subject} returning 500s",
    "hotfix: {subject} timeout",
    "{key}: stop {subject} from double charging",
    "Fix outage in {subject}",
    "[{key}] Roll back {subject} change",
    "Revert {subject} migration ({key})",
    "Fix {subject} 5xx after deploy",
    "Mitigate {key}: {subject} latency",
    "{key} hotfix",
    "Emergency fix for {subject}",
    "Disable {subject} feature flag ({key})",
    "fix(prod): {subject} crash loop",
    "[HOTFIX] {subject} memory leak",
    "Fix prod incident: {subject} deadlock",
    "Roll back {subject} to the previous release",
    "{key}: emergency revert of {subject}",
    "🚑 {subject} 503s",
    "hotfix(prod): {subject} cert expiry",
    "Increase {subject} connection limit ({key})",
    "Guard against null in {subject} ({key})",
    "Scale up {subject} workers ({key})",
    "Fix expired certificate for {subject}",
    "Kill switch for {subject}",
    "Hot-fix {subject} crash loop",
    "Stop {subject} retry storm",
    "Notfall-Fix: {subject} ausgefallen ({key})",
    "Correctif urgent : panne de {subject} ({key})",
    "Hotfix: caída de {subject}",
    "Correção urgente do incidente {key}",
    "{subject} の障害対応 ({key})",
]
INCIDENT_UNSIGNALLED = ["Handle empty response in {subject}", "Tweak {subject} config", "small change to {subject}"]
DESIGN_TITLES = [
    "ADR {n:04d}: {subject} ownership",
    "ADR-{n:03d}: use a queue for {subject}",
    "RFC: rework {subject}",
    "RFC {n}: {subject} v2",
    "[RFC] {subject} sharding",
    "Proposal: {subject} event schema",
    "Design doc: {subject}",
    "Add ADR for {subject} retries",
    "docs(adr): record decision on {subject}",
    "Draft RFC: deprecate old {subject}",
    "{subject} technical design",
    "KEP-{n}: {subject} API",
    "Tech spec for {subject}",
    "Add {subject} sequence diagrams",
    "Decision record: move {subject} to a queue",
    "Design: {subject} rollout plan",
    "ADR: Entscheidung zu {subject}",
    "RFC : refonte de {subject}",
    "Propuesta de diseño: {subject}",
]
DOCS_TITLES = [
    "docs: explain {subject}",
    "Update README.md",
    "Update README",
    "Add runbook for {subject} alerts",
    "docs: fix typo in {subject} guide",
    "Document {subject} setup",
    "Runbook: {subject} failover",
    "README: clarify local setup",
    "docs({subject}): add examples",
    "Improve {subject} docs",
    "Update CHANGELOG.md",
    "Fix broken links",
    "Update {subject} runbook",
    "Add new hire setup guide",
    "Clarify {subject} limits in README",
    "Update CONTRIBUTING.md",
    "Add API reference for {subject}",
    "Add troubleshooting section for {subject}",
    "Fix docs build",
    "Add architecture overview to the handbook",
    "Doku für {subject} ergänzt",
    "docs: corrige la documentation de {subject}",
    "Actualiza el README",
    "{subject} のドキュメントを更新",
]
MAINTENANCE_TITLES = [
    "fix: {subject} off-by-one",
    "fix({subject}): handle empty list",
    "chore: bump {dep}",
    "chore(deps): update {dep} to v{ver}",
    "Bump {dep} from {old} to {ver}",
    "build: speed up docker build",
    "ci: cache pip downloads",
    "ci: fix flaky {subject} test",
    "refactor: split {subject} module",
    "Fix flaky test in {subject}",
    "Upgrade {dep} to {ver}",
    "Remove dead code in {subject}",
    "Clean up {subject} warnings",
    "Fix typo in {subject} error message",
    "Fix {subject} bug",
    "Simplify {subject}",
    "chore: tidy {subject}",
    "Fix NPE in {subject}",
    "Bugfix: {subject} sorting",
    "fix lint",
    "Fix race condition in {subject}",
    "fix {subject} tz handling",
    "bump {dep}",
    "chore: remove unused {subject} flag",
    "ci: pin actions to sha",
    "build(deps): bump {dep} to {ver}",
    "Fix wrong total in {subject}",
    "refactor {subject} tests",
    "Handle 429s from {subject}",
    "Reduce log noise in {subject}",
    "Fix deprecation warnings",
    "Upgrade to Python 3.12",
    "Migrate {subject} to Node 20",
    "Replace deprecated {subject} call",
    "Regenerate {subject} mocks",
    "Speed up {subject} tests",
    "perf: avoid N+1 queries in {subject}",
    "Drop Python 3.8",
    "fix: Fehler in {subject} behoben",
    "corrige le bug de {subject}",
    "fix: arregla {subject}",
    "chore: atualiza dependências",
    "{subject} のバグ修正",
]
LAUNCH_TITLES = [
    "feat: {subject} v2",
    "feat({subject}): add bulk actions",
    "Add {subject} export",
    "Implement {subject} filters",
    "Support multiple currencies in {subject}",
    "Introduce {subject} dashboard",
    "{subject} beta",
    "feature: {subject} for enterprise plans",
    "[FEATURE] {subject} search",
    "New {subject} settings page",
    "Add {subject} API endpoint",
    "Implement self-serve {subject}",
    "feat: {subject} behind flag",
    "Add support for {subject} webhooks",
    "{key} implement {subject}",
    "{key}: {subject} bulk edit",
    "Allow admins to configure {subject}",
    "Add {subject} to the mobile app",
    "feat: {subject} A/B test",
    "Enable {subject} for all customers",
    "Implement {subject} UI",
    "feat(api): expose {subject}",
    "Add {subject} v1",
    "Introduce {subject} limits per plan",
    "Show {subject} in the sidebar",
    "Let users export {subject} as CSV",
    "feat: Neue Funktion für {subject}",
    "feat : ajoute {subject}",
    "Agrega {subject} al panel",
    "feat: adiciona {subject}",
    "{subject} 機能を追加",
]
LAUNCH_UNSIGNALLED = ["{subject} v2", "{subject} improvements", "WIP {subject}", "{subject} stuff", "Ttt", "Develop"]
DOCS_FILES = [
    "README.md",
    "docs/setup.md",
    "docs/architecture.md",
    "docs/api/{slug}.md",
    "runbooks/{slug}.md",
    "CONTRIBUTING.md",
    "docs/guides/{slug}.md",
    "CHANGELOG.md",
]
CODE_FILES = [
    "src/{slug}/service.py",
    "src/{slug}/handlers.py",
    "src/{slug}/models.py",
    "tests/test_{slug}.py",
    "src/{slug}/index.ts",
    "src/{slug}/client.go",
    "lib/{slug}.rb",
    "config/{slug}.yaml",
]
BUILD_FILES = [
    "requirements.txt",
    "package.json",
    "package-lock.json",
    "go.mod",
    ".github/workflows/ci.yml",
    "Dockerfile",
    "pyproject.toml",
]

# One label scheme per repository. "rate": share of pull requests (and of issues, times
# ISSUE_LABEL_RATE) that carry a label of their category; "noise_rate": share that
# carry labels saying nothing about it (size, review state, area, contributor hints).
LABEL_STYLES = {
    "plain": {
        "rate": 0.33,
        "noise_rate": 0.08,
        "weight": 30,
        "pr": {
            "incident_response": [
                ["hotfix"],
                ["incident"],
                ["bug"],
                ["bug", "P0"],
                ["sev1"],
                ["sev2", "incident"],
                ["P0"],
                ["hotfix", "bug"],
                ["bug"],
            ],
            "design_leadership": [["rfc"], ["proposal"], ["adr"], ["design"], ["architecture"]],
            "documentation": [["documentation"], ["documentation"], ["docs"]],
            "maintenance": [
                ["bug"],
                ["bug"],
                ["dependencies"],
                ["chore"],
                ["tech-debt"],
                ["refactor"],
                ["ci"],
                ["tests"],
                ["performance"],
            ],
            "launch": [["enhancement"], ["enhancement"], ["feature"], ["new feature"], ["enhancement", "frontend"]],
        },
        "noise": [
            ["good first issue"],
            ["help wanted"],
            ["needs-review"],
            ["WIP"],
            ["breaking change"],
            ["backend"],
            ["frontend"],
            ["needs tests"],
        ],
        "issue": {
            "incident_response": [["incident"], ["bug", "P0"], ["outage"], ["bug"], ["production"]],
            "maintenance": [["bug"], ["bug"], ["flaky-test"], ["tech-debt"]],
            "documentation": [["documentation"], ["docs"]],
            "other": [["question"], ["enhancement"], ["discussion"], ["feature request"], ["wontfix"], ["duplicate"]],
        },
        "issue_noise": [["good first issue"], ["help wanted"], ["needs-triage"], ["stale"]],
    },
    "prefixed": {  # Kubernetes/Prow: a bot asks for a kind/* label and sizes every pull request
        "rate": 0.6,
        "noise_rate": 0.4,
        "weight": 15,
        "pr": {
            "incident_response": [
                ["kind/bug", "priority/critical-urgent"],
                ["kind/regression", "priority/critical-urgent"],
                ["priority/critical-urgent"],
                ["kind/bug"],
                ["severity/1"],
                ["kind/bug", "severity/1"],
            ],
            "design_leadership": [["kind/design"], ["kind/kep"], ["kind/design", "sig/architecture"], ["kep"]],
            "documentation": [["kind/documentation"], ["area/docs"], ["kind/documentation", "area/docs"]],
            "maintenance": [
                ["kind/bug"],
                ["kind/cleanup"],
                ["kind/failing-test"],
                ["kind/flake"],
                ["area/dependency"],
                ["kind/cleanup", "area/test"],
                ["kind/deprecation"],
            ],
            "launch": [
                ["kind/feature"],
                ["kind/feature"],
                ["kind/api-change", "kind/feature"],
                ["kind/feature", "release-note"],
            ],
        },
        "noise": [
            ["size/XS"],
            ["size/S"],
            ["size/M"],
            ["size/M"],
            ["size/L"],
            ["size/XL"],
            ["lgtm", "approved"],
            ["approved"],
            ["lgtm"],
            ["release-note-none"],
            ["do-not-merge/hold"],
            ["needs-rebase"],
            ["ok-to-test"],
            ["do-not-merge/work-in-progress"],
            ["needs-triage"],
            ["cncf-cla: yes"],
        ],
        "issue": {
            "incident_response": [
                ["kind/bug", "priority/critical-urgent"],
                ["kind/regression"],
                ["severity/1"],
                ["kind/bug"],
            ],
            "maintenance": [["kind/bug"], ["kind/flake"], ["kind/failing-test"], ["kind/cleanup"]],
            "documentation": [["kind/documentation"], ["area/docs"]],
            "other": [
                ["kind/support"],
                ["kind/feature"],
                ["triage/needs-information"],
                ["kind/feature", "needs-triage"],
            ],
        },
        "issue_noise": [["needs-triage"], ["lifecycle/stale"], ["help wanted"], ["good first issue"]],
    },
    "typed": {  # written `type: bug` or `Type: Bug`, one way per repository (label_variant)
        "rate": 0.38,
        "noise_rate": 0.1,
        "weight": 15,
        "pr": {
            "incident_response": [
                ["type: bug", "priority: critical"],
                ["type: hotfix"],
                ["type: incident"],
                ["type: bug"],
                ["severity: sev1"],
                ["type: bug"],
            ],
            "design_leadership": [["type: rfc"], ["type: proposal"], ["type: design"], ["type: RFC"]],
            "documentation": [["type: docs"], ["type: documentation"], ["type: documentation"]],
            "maintenance": [
                ["type: bug"],
                ["type: bug"],
                ["type: chore"],
                ["type: refactor"],
                ["type: dependencies"],
                ["type: maintenance"],
                ["type: ci"],
                ["type: test"],
            ],
            "launch": [["type: feature"], ["type: enhancement"], ["type: enhancement"], ["type: feature"]],
        },
        "noise": [
            ["status: needs review"],
            ["status: in progress"],
            ["priority: low"],
            ["priority: medium"],
            ["scope: api"],
            ["scope: ui"],
            ["status: blocked"],
            ["good first issue"],
        ],
        "issue": {
            "incident_response": [["type: bug", "priority: critical"], ["type: incident"], ["type: bug"]],
            "maintenance": [["type: bug"], ["type: bug"], ["type: test"]],
            "documentation": [["type: docs"], ["type: documentation"]],
            "other": [["type: question"], ["type: feature request"], ["type: enhancement"], ["type: discussion"]],
        },
        "issue_noise": [["status: triage"], ["good first issue"], ["help wanted"]],
    },
    "emoji": {  # `🐛 bug` or `:bug: bug`, one way per repository (label_variant)
        "rate": 0.33,
        "noise_rate": 0.08,
        "weight": 10,
        "pr": {
            "incident_response": [
                ["🚑 hotfix"],
                ["🚑 hotfix"],
                ["🐛 bug"],
                ["🔥 P0"],
                ["🚨 incident"],
                ["🐛 bug", "🔥 P0"],
            ],
            "design_leadership": [["💡 proposal"], ["🏗️ architecture"], ["📐 design"], ["💬 RFC"]],
            "documentation": [["📝 documentation"], ["📚 docs"], ["📝 docs"]],
            "maintenance": [
                ["🐛 bug"],
                ["⬆️ dependencies"],
                ["♻️ refactor"],
                ["🔧 chore"],
                ["💚 ci"],
                ["🧹 cleanup"],
                ["🐛 bug"],
            ],
            "launch": [["✨ feature"], ["✨ enhancement"], ["✨ feature"], ["🚀 release"]],
        },
        "noise": [
            ["👀 needs review"],
            ["🚧 WIP"],
            ["🙏 help wanted"],
            ["🌱 good first issue"],
            ["⚠️ breaking"],
            ["🎨 ui"],
        ],
        "issue": {
            "incident_response": [["🚨 incident"], ["🐛 bug", "🔥 P0"], ["🐛 bug"]],
            "maintenance": [["🐛 bug"], ["🐛 bug"]],
            "documentation": [["📝 documentation"]],
            "other": [["❓ question"], ["✨ feature"], ["💬 discussion"]],
        },
        "issue_noise": [["🌱 good first issue"], ["🙏 help wanted"]],
    },
    "rust": {  # category (C-), area (A-), team (T-), status (S-), priority (P-), issue (I-), effort (E-)
        "rate": 0.5,
        "noise_rate": 0.25,
        "weight": 10,
        "pr": {
            "incident_response": [
                ["C-bug", "P-critical"],
                ["P-critical", "regression-from-stable-to-stable"],
                ["C-bug"],
                ["I-prioritize", "P-critical"],
                ["P-high", "C-bug"],
                ["beta-nominated", "P-critical"],
            ],
            "design_leadership": [
                ["final-comment-period", "disposition-merge"],
                ["proposed-final-comment-period"],
                ["I-needs-decision"],
                ["T-lang", "I-lang-nominated"],
            ],
            "documentation": [["A-docs"], ["A-docs"], ["A-docs", "T-libs"]],
            "maintenance": [
                ["C-bug"],
                ["C-cleanup"],
                ["A-testsuite"],
                ["C-optimization"],
                ["C-cleanup", "A-testsuite"],
                ["I-slow"],
                ["T-infra"],
            ],
            "launch": [
                ["C-enhancement"],
                ["C-enhancement"],
                ["C-feature-accepted"],
                ["C-enhancement", "relnotes"],
                ["T-libs-api", "C-enhancement"],
            ],
        },
        "noise": [
            ["S-waiting-on-review"],
            ["S-waiting-on-author"],
            ["S-waiting-on-bors"],
            ["T-compiler"],
            ["T-libs"],
            ["T-release"],
            ["E-easy"],
            ["E-help-wanted"],
            ["rollup"],
        ],
        "issue": {
            "incident_response": [
                ["C-bug", "P-critical"],
                ["I-prioritize"],
                ["regression-from-stable-to-stable"],
                ["C-bug"],
            ],
            "maintenance": [["C-bug"], ["A-testsuite"], ["C-cleanup"]],
            "documentation": [["A-docs"]],
            "other": [["C-feature-request"], ["C-discussion"], ["S-needs-info"]],
        },
        "issue_noise": [["E-easy"], ["E-help-wanted"], ["needs-triage"], ["T-compiler"]],
    },
    "none": {  # nobody labels anything here
        "rate": 0.0,
        "noise_rate": 0.02,
        "weight": 20,
        "pr": {},
        "noise": [["WIP"]],
        "issue": {},
        "issue_noise": [["wontfix"]],
    },
}
# the other spelling a repository of a style may use for all its labels
LABEL_VARIANTS = {"typed": ["type: bug", "Type: Bug"], "emoji": ["🐛 bug", ":bug: bug"]}
EMOJI_SHORTCODES = {
    "🐛": ":bug:",
    "✨": ":sparkles:",
    "📝": ":memo:",
    "🚑": ":ambulance:",
    "🔥": ":fire:",
    "🚨": ":rotating_light:",
    "💡": ":bulb:",
    "🏗️": ":building_construction:",
    "📐": ":triangular_ruler:",
    "💬": ":speech_balloon:",
    "📚": ":books:",
    "⬆️": ":arrow_up:",
    "♻️": ":recycle:",
    "🔧": ":wrench:",
    "💚": ":green_heart:",
    "🧹": ":broom:",
    "🚀": ":rocket:",
    "👀": ":eyes:",
    "🚧": ":construction:",
    "🙏": ":pray:",
    "🌱": ":seedling:",
    "⚠️": ":warning:",
    "🎨": ":art:",
    "❓": ":question:",
}


def label_variant(name: str, variant: str) -> str:
    """A label as a repository using `variant` (one of LABEL_VARIANTS) spells it."""
    if variant == "Type: Bug" and ": " in name:
        return ": ".join(" ".join(w[:1].upper() + w[1:] for w in part.split(" ")) for part in name.split(": ", 1))
    if variant == ":bug: bug" and " " in name and name.split(" ", 1)[0] in EMOJI_SHORTCODES:
        emoji, rest = name.split(" ", 1)
        return f"{EMOJI_SHORTCODES[emoji]} {rest}"
    return name


ISSUE_LABEL_RATE = 1.6  # issues are labelled more often than pull requests (triage does it)
BRANCHES = {
    "incident_response": [
        "hotfix/{slug}",
        "hotfix/{key}",
        "hotfix-{slug}",
        "{key}-fix",
        "revert-{n}-{slug}",
        "hotfix/{key}-{slug}",
    ],
    "design_leadership": ["adr/{slug}", "rfc/{slug}", "design/{slug}", "{login}/design-{slug}"],
    "documentation": ["docs/{slug}", "readme-{slug}", "runbook/{slug}", "docs-{slug}"],
    "maintenance": ["fix/{slug}", "chore/{slug}", "deps/{slug}", "bugfix/{slug}", "ci/{slug}", "bugfix/{key}-{slug}"],
    "launch": ["feat/{slug}", "feature/{slug}", "feature/{key}-{slug}", "feat/{key}-{slug}"],
}
PERSONAL_BRANCHES = [
    "{login}/{slug}",
    "{login}/wip",
    "{slug}",
    "patch-{n}",
    "{login}-patch-{n}",
    "{key}-{slug}",
    "{login}/{key}-{slug}",
]
PR_BODIES = [
    "",
    "",
    "",
    "Closes #{n}",
    "## Summary\n{title}\n\n## Test plan\n- [x] unit tests",
    "See {key}.",
    "Follow-up to #{n}.",
    "cc @{login}",
    "Tested locally.\n\nScreenshots in the ticket.",
    "This PR {verb} {subject}.",
    "WIP, please don't merge yet",
    "Part of {key}",
    "### What\n{title}\n### Why\nsee {key}\n### How to test\n`make test`",
    "Fixes #{n}",
    "🤖 small one",
    "Reviewer notes: start with the service, the rest is wiring.",
    "Siehe {key}.",
    "Voir {key}.",
    "#### What type of PR is this?\n\n#### What this PR does / why we need it:\n{title}\n\n```release-note\nNONE\n```",
]

REVIEW_BODIES = [
    "",
    "",
    "",
    "LGTM",
    "lgtm 👍",
    "Looks good, one nit.",
    "Nice!",
    "Left a few comments.",
    "Can we add a test for this?",
    "Please split this PR.",
    "Approved with minor comments",
    "/lgtm",
    "Sieht gut aus",
    "Ça me va",
    "Se ve bien",
    "Parece bom",
    "良さそうです",
]
REVIEW_COMMENTS = [
    "nit: rename this",
    "Why not reuse the helper here?",
    "This could be None.",
    "typo",
    "Can this be a constant?",
    "Missing error handling?",
    "I'd move this to a separate function",
    "Does this need a migration?",
    "+1",
    "What happens on retry?",
    "naming: `data` is vague",
    "Bitte hier einen Test ergänzen",
    "Pourquoi ce changement ?",
    "¿Esto es necesario?",
]
ISSUE_COMMENTS = [
    "Thanks!",
    "Rebased on main.",
    "Can someone take a look?",
    "Deployed to staging.",
    "Ping @{login}",
    "Addressed the comments.",
    "CI is green now",
    "Merging after lunch",
    "Is this still needed?",
    "Confirmed fixed in prod.",
    "Any update on this?",
    "/retest",
    "Danke!",
    "Merci pour la relecture",
    "Gracias",
    "ありがとうございます",
]
BOT_COMMENTS = [
    "@dependabot rebase",
    "Dependabot will resolve any conflicts with this PR as long as you don't alter it yourself.",
    "Renovate: this PR has been rebased.",
    "⚠️ Artifact update problem",
]
COMMIT_MESSAGES = [
    "{title}",
    "address review comments",
    "fix tests",
    "wip",
    "more fixes",
    "lint",
    "Apply suggestions from code review",
    "update snapshot",
    "rename variable",
    "oops",
    "handle edge case",
    "add test",
    "merge main",
]

# --- GitHub issues ------------------------------------------------------------------------
GH_ISSUE_TITLES = {
    "incident_response": [
        "Outage: {subject} unavailable",
        "{subject} down in production",
        "{subject} errors spiking since deploy",
        "{subject} returning 502",
        "Störung: {subject} nicht erreichbar",
        "Customers can't reach {subject}",
    ],
    "maintenance": [
        "{subject} crashes on empty input",
        "{subject} throws TypeError",
        "Flaky test in {subject}",
        "Wrong sort order in {subject}",
        "Error when saving {subject}",
        "Le {subject} plante",
        "TestRetry{n} is flaky",
        "Upgrade {dep} to a supported version",
    ],
    "documentation": [
        "Docs: {subject} page is outdated",
        "README missing setup steps",
        "Document {subject} limits",
        "Typo in docs for {subject}",
        "Broken link on {subject} page",
    ],
    "other": [
        "Question: how does {subject} work?",
        "Feature request: {subject} export",
        "Proposal: rename {subject}",
        "{subject} roadmap",
        "¿Cómo configurar {subject}?",
        "Idea: {subject} dark mode",
        "Tracking issue: {subject}",
    ],
}

# --- Jira ----------------------------------------------------------------------------------
JIRA_SUMMARIES = {
    "incident_response": [
        "{subject} outage",
        "Production incident: {subject} errors",
        "{subject} unavailable",
        "{subject} degraded for EU customers",
        "Payments failing in {subject}",
        "Störung {subject}",
        "{subject} latency above SLO",
        "panne {subject}",
        "[SEV2] {subject} timeouts",
        "Customers cannot use {subject}",
        "{subject} 障害",
        "Queda do {subject}",
        "Alert: {subject} error budget burned",
        "PagerDuty: {subject} 5xx rate high",
        "Elevated error rate on {subject}",
    ],
    "design_leadership": [
        "Spike: evaluate {subject} options",
        "RFC: {subject} redesign",
        "Design {subject} v2",
        "Investigate architecture for {subject}",
        "ADR for {subject}",
        "Evaluate vendors for {subject}",
        "Write design doc: {subject}",
        "Evaluar opciones para {subject}",
        "{subject} technical design",
        "Research: {subject} storage options",
    ],
    "documentation": [
        "Write runbook for {subject}",
        "Update docs for {subject}",
        "Document {subject} API",
        "Runbook: {subject} failover",
        "{subject} onboarding guide",
        "Document {subject} alerts",
        "Rédiger la doc de {subject}",
        "README for {subject}",
        "Update Confluence page for {subject}",
    ],
    "maintenance": [
        "{subject} throws 500 on save",
        "Fix flaky {subject} test",
        "Upgrade {subject} dependencies",
        "Remove legacy {subject}",
        "Customer reports {subject} bug",
        "{subject} slow on large accounts",
        "Fehler in {subject}",
        "Bug : {subject} ne répond pas",
        "{subject}: wrong totals shown",
        "Remove deprecated {subject} endpoint",
        "Upgrade Postgres client in {subject}",
        "Erro ao salvar {subject}",
        "{subject} のエラー",
        "Customer can't find {subject}",
        "[BE] {subject} returns stale data",
        "FE - {subject} button misaligned",
        "Migrate {subject} off the old cluster",
        "Rotate {subject} credentials",
    ],
    "launch": [
        "As a user I can export {subject}",
        "{subject} v2",
        "{subject} for enterprise",
        "Self-serve {subject}",
        "New {subject} dashboard",
        "{subject} – multi-currency support",
        "Neue {subject} Funktion",
        "Permitir {subject} en móvil",
        "Ship {subject} GA",
        "{subject}: admin settings",
        "{subject} revamp",
        "Lancement {subject}",
        "{subject} のリリース",
        "Nova experiência de {subject}",
        "[FE] {subject} page",
        "As an admin I want to configure {subject}",
        "{subject} API for partners",
    ],
    "other": [
        "Misc {subject} ideas",
        "Collect feedback on {subject}",
        "Team offsite prep",
        "Quarterly goals",
        "Access request for {subject}",
        "Follow up on {subject}",
        "Prepare all-hands slides",
        "Vendor call notes",
        "Clean up Jira board",
        "Sonstiges: {subject}",
        "Q3 OKRs",
        "Budget review",
    ],
}
JIRA_TEST_SUMMARIES = [
    "Regression tests for {subject}",
    "E2E test: {subject}",
    "Automate {subject} smoke test",
    "Test {subject} on Safari",
    "Load test {subject}",
]
# sub-tasks: the parts of a story (or of a bug) as teams split them
SUBTASK_SUMMARIES = {
    "story": [
        "Backend",
        "Frontend",
        "BE: API endpoint",
        "FE: {subject} page",
        "Write unit tests",
        "Update docs",
        "QA",
        "Add metrics",
        "Feature flag",
        "DB migration",
        "Code review",
        "Deploy to staging",
        "Design mockups",
        "Update API docs",
        "Analytics events",
        "Clean up feature flag",
    ],
    "bug": [
        "Reproduce",
        "Root cause analysis",
        "Add regression test",
        "Fix",
        "Verify in staging",
        "Backport to release branch",
        "Update runbook",
    ],
}
JIRA_LABELS = {
    "launch": [[], [], [], ["customer-request"], ["q4-goal"], ["frontend"], ["backend"], ["mvp"]],
    "maintenance": [[], [], ["tech-debt"], ["ktlo"], ["toil"], ["techdebt"], ["customer-reported"], ["regression"]],
    "documentation": [["docs"], ["documentation"], ["runbook"], ["confluence"]],
    "design_leadership": [["rfc"], ["adr"], ["design"], ["spike"], ["architecture"]],
    "other": [[], [], ["team-event"], ["q3"], ["admin"]],
    "incident_response": [
        [],
        [],
        ["incident"],
        ["sev1"],
        ["sev2"],
        ["outage"],
        ["incident", "customer-impact"],
        ["postmortem-needed"],
    ],
}
JIRA_COMPONENTS = ["API", "UI", "Backend", "Frontend", "Build", "Mobile", "Infrastructure", "Database", "Integrations"]
JIRA_COMMENTS = [
    "Looking into it.",
    "Can you add steps to reproduce?",
    "Deployed the fix, monitoring.",
    "Blocked on {key}.",
    "Moved to next sprint.",
    "Done, please verify.",
    "Any update?",
    "Paired with {name} on this.",
    "Root cause found.",
    "Ich schaue mir das an.",
    "Je m'en occupe.",
    "Estoy en ello.",
    "確認します。",
]

# --- Calendar ------------------------------------------------------------------------------
# series titles may use {team}, {a}, {b}; one-off titles {team}, {key}, {subject}, {candidate}, {name}, {n}
MEETINGS = {
    "standup": [
        "Daily standup",
        "Standup",
        "{team} standup",
        "Daily Standup ({team})",
        "Daily",
        "Daily scrum",
        "{team} daily",
        "Stand-up",
    ],
    "planning": ["Sprint planning", "{team} sprint planning", "Planning", "Sprintplanung", "Iteration planning"],
    "retro": ["Retro", "Sprint retrospective", "{team} retro", "Retrospective", "Rétro"],
    "refinement": [
        "Backlog refinement",
        "Refinement",
        "Backlog grooming",
        "Bug triage",
        "Bug scrub",
        "{team} grooming",
        "Triage",
        "Estimation",
    ],
    "sync": [
        "{team} sync",
        "Weekly sync",
        "Team meeting",
        "Team sync",
        "{team} weekly",
        "Cross-team sync",
        "Working group: {team} platform",
        "Eng leads sync",
    ],
    "steering": [
        "Technical Steering Committee",
        "Steering committee",
        "Architecture working group",
        "Eng leadership weekly",
    ],
    "async_standup": ["Async standup (written)", "Written standup", "Standup update in Slack", "Async check-in"],
    "war_room": [
        "Incident bridge: {key}",
        "{key} war room",
        "Incident bridge",
        "INCIDENT {key}",
        "Incident call – {subject}",
        "{key} bridge",
        "Sev2 bridge – {subject}",
    ],
    "postmortem": [
        "Postmortem: {subject}",
        "Post-incident review: {key}",
        "PIR {key}",
        "Postmortem {key}",
        "RCA: {subject}",
        "Incident review {key}",
        "Blameless postmortem – {subject}",
        "Post-Mortem {key}",
    ],
    "oncall": [
        "On-call handoff",
        "On-call handover",
        "Oncall handoff ({team})",
        "On-call review",
        "{team} on-call handoff",
    ],
    "interview": [
        "Phone screen – {candidate}",
        "Technical interview: {candidate}",
        "Onsite: system design ({candidate})",
        "Onsite: system design",
        "Debrief: {candidate}",
        "Debrief",
        "Reference check – {candidate}",
        "Hiring committee",
        "Intake meeting (hiring)",
        "Interview: {candidate}",
        "Coding interview – {candidate}",
        "Entretien : {candidate}",
        "Take-home review: {candidate}",
    ],
    "onboarding": [
        "Onboarding: {name}",
        "New hire orientation",
        "{name} onboarding – week {n}",
        "Pairing with {name}",
        "Pairing",
        "Mentoring 1:1",
        "Office hours",
        "Shadowing session",
        "Onboarding buddy check-in",
        "Buddy chat w/ {name}",
        "Einarbeitung {name}",
        "Pair programming",
        "Mentoring session",
        "Codebase walkthrough for {name}",
        "Dev environment setup ({name})",
    ],
    "one_on_one": ["{a} / {b} 1:1", "1:1 {a} <> {b}", "{a} & {b} 1:1", "1-on-1", "1:1", "{a}:{b} weekly"],
    "design_review": [
        "Design review: {subject}",
        "Architecture review",
        "RFC discussion: {subject}",
        "Design sync",
        "Tech design walkthrough – {subject}",
        "{subject} design review",
        "ADR review: {subject}",
        "Revisión de diseño: {subject}",
    ],
    "launch": [
        "Launch review: {subject}",
        "Demo day",
        "Go/no-go: {subject}",
        "{subject} go/no-go",
        "Sprint demo",
        "{subject} demo",
        "Launch readiness – {subject}",
        "Presentation: {subject} results",
        "{subject} go-live",
    ],
    "vague": [
        "Sync",
        "Quick chat",
        "Catch up",
        "Touch base",
        "Chat",
        "Follow-up",
        "Hold",
        "Discussion",
        "??",
        "Alignment",
        "Kurze Abstimmung",
        "Point rapide",
        "Charla",
    ],
    "social": ["Team lunch", "Friday drinks", "Book club", "Coffee ☕", "Birthday cake 🎂", "Game night"],
    "all_hands": ["All hands", "Company all-hands", "Town hall"],
    "private": ["Doctor", "Dentist", "School pickup", "Personal", "Bank"],
    "focus": ["Focus time", "Deep work", "No meetings"],
    "ooo": ["OOO", "Vacation", "Out of office", "Urlaub", "Congés"],
    "offsite": ["Team offsite", "Hackathon"],
}
ONBOARDING_SERIES = [
    "Onboarding buddy check-in",
    "Buddy check-in: {name}",
    "{name} onboarding – weekly",
    "Mentoring 1:1 ({name})",
]
CANDIDATES = ["Candidate A.", "J. Doe", "candidate #12", "R. Roe", "M. Example", "K. Sample", "T. Placeholder"]


# gitmoji (gitmoji.dev) people put in front of titles
GITMOJI = {
    "incident_response": ["🚑️ ", "🚑 "],
    "launch": ["✨ ", "🎉 "],
    "maintenance": ["🐛 ", "⬆️ ", "♻️ ", "🔧 ", "💚 "],
    "documentation": ["📝 "],
    "design_leadership": ["🏗️ ", "💡 "],
}


def decorate(rng: random.Random, title: str, kind: str, key: str) -> str:
    """The habits people bring to titles: ticket prefixes, emoji, lowercase, a trailing dot."""
    roll = rng.random()
    if roll < 0.10 and key not in title:
        title = rng.choice([f"[{key}] {title}", f"{key}: {title}", f"{key} {title}"])
    elif roll < 0.14:
        title = rng.choice(GITMOJI[kind]) + title
    elif roll < 0.20 and title.isascii():
        title = title.lower()
    if rng.random() < 0.03:
        title += "."
    if rng.random() < 0.04:
        title = "WIP: " + title
    return title


def typo(rng: random.Random, text: str, rate: float = 0.08) -> str:
    """Occasionally misspell one word, as people do."""
    if rng.random() >= rate:
        return text
    for right, wrong in TYPOS.items():
        if right in text:
            return text.replace(right, wrong, 1)
    return text


def slug(text: str) -> str:
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part)[:40] or "change"


def fill(rng: random.Random, template: str, **ctx) -> str:
    ctx.setdefault("subject", rng.choice(SUBJECTS))
    ctx.setdefault("dep", rng.choice(DEPENDENCIES))
    ctx.setdefault("old", f"{rng.randint(1, 4)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}")
    ctx.setdefault("ver", f"{rng.randint(2, 6)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}")
    ctx.setdefault("n", rng.randint(1, 400))
    ctx.setdefault("verb", rng.choice(["changes", "fixes", "adds", "reworks"]))
    return template.format(**ctx)


def adf(text: str) -> dict:
    """Atlassian Document Format for a one-paragraph text."""
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


# words that leave a careful reader a hint of a pull request's kind, in its title, branch or
# a label of that kind: the generator keeps all but a small, deliberate share of pull
# requests hinted (story_github.pr_text); no title is written to contain them
SIGNAL_WORDS = {
    "incident_response": [
        "hotfix",
        "hot-fix",
        "🚑",
        "ambulance",
        "incident",
        "outage",
        "sev",
        "revert",
        "rollback",
        "roll back",
        "urgent",
        "emergency",
        "mitigat",
        "ops-",
        "p0",
        "critical",
        "kill switch",
        "notfall",
        "panne",
        "caída",
        "incidente",
        "障害",
    ],
    "design_leadership": ["adr", "rfc", "design", "architecture", "proposal", "kep", "spec", "decision", "diseño"],
    "documentation": ["docs", "readme", "runbook", "document", "doku", "changelog", "contributing", "guide"],
    "maintenance": [
        "fix",
        "chore",
        "build",
        "ci:",
        "bump",
        "upgrade",
        "flaky",
        "flake",
        "refactor",
        "clean",
        "tech debt",
        "dead code",
        "typo",
        "bug",
        "lint",
        "tidy",
        "deprecat",
        "dependenc",
        "deps",
        "lock file",
        "migrate",
        "perf",
        "test",
        "drop",
    ],
    "launch": [
        "feat",
        "add",
        "implement",
        "support",
        "introduce",
        "launch",
        "new ",
        "beta",
        "enhancement",
        "allow",
        "enable",
        "expose",
        "ajoute",
        "agrega",
        "adiciona",
        "追加",
        "neue",
    ],
}


def has_signal(kind: str, text_: str) -> bool:
    low = text_.lower()
    return any(word in low for word in SIGNAL_WORDS.get(kind, []))
