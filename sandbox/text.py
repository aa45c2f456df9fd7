"""Phrase banks: the noisy text a real organization writes.

Every item the generator emits is phrased here. Text varies (several phrasings per
kind, typos, other languages, missing or inconsistent labels), but nearly every item
keeps at least one signal a careful rule set can use:

- incident work: labels incident/hotfix/sev1/sev2/outage, branches `hotfix/*`,
  titles `Revert "…"`, an incident Jira key (`OPS-123`), or words like hotfix,
  incident, outage, sev1, postmortem, rollback, war room, on-call;
- design: files under docs/adr/ or rfcs/, labels rfc/adr/design, words ADR/RFC/design;
- documentation: files only *.md / docs/** / runbooks/**, prefix `docs:`;
- maintenance: prefixes fix:/chore:/build:/ci:/refactor:, labels bug/chore/dependencies/
  tech-debt, words bump/upgrade/flaky/cleanup, branches fix/ chore/ deps/;
- launch: prefix feat:, labels feature/enhancement/release, branches feat/ feature/,
  words add/implement/launch/support/introduce;
- meetings: the title keywords of the taxonomy (standup, planning, retro, postmortem,
  war room, on-call handoff, interview, debrief, onboarding, buddy, pairing, 1:1,
  design review, RFC, demo, launch …) in several spellings and languages.
"""
from __future__ import annotations

import random

# --- GitHub pull requests ---------------------------------------------------------------

SUBJECTS = [
    "checkout flow", "payment retries", "login page", "session cache", "search index", "rate limiter",
    "webhook delivery", "invoice export", "user settings", "notification queue", "feature flags",
    "billing cron", "image uploads", "audit log", "API pagination", "CSV import", "email templates",
    "order history", "token refresh", "dark mode", "mobile onboarding", "SSO callback", "metrics exporter",
    "retry policy", "health checks", "connection pool", "price calculation", "GraphQL schema",
    "refund flow", "team invites", "usage reports", "cart totals", "address validation", "push notifications",
    "tax rules", "signup form", "data retention job", "permissions model", "saved searches", "exchange rates",
]
DEPENDENCIES = ["requests", "lodash", "react", "django", "express", "pydantic", "axios", "webpack",
                "jackson-databind", "golang.org/x/net", "urllib3", "eslint", "typescript", "pytest"]
TYPOS = {"the": "teh", "receive": "recieve", "separate": "seperate", "retries": "retires",
         "cache": "cahce", "timeout": "timout", "pagination": "paginaton", "settings": "setings",
         "delivery": "delivry", "export": "exprot", "handling": "handlign"}

INCIDENT_TITLES = [
    "Hotfix: {subject} returning 500s",
    "hotfix {subject} timeout",
    "{key}: stop {subject} from double charging",
    "Fix outage in {subject}",
    "[{key}] rollback {subject} change",
    "sev1: {subject} down for EU users",
    "SEV2 mitigation for {subject}",
    "urgent: patch {subject} after incident",
    "incident {key} - guard against null in {subject}",
    "Emergency fix for {subject}",
    "Mitigate {key} ({subject} latency)",
    "{key} hotfix",
    "Notfall-Fix: {subject} ausgefallen ({key})",
    "Correctif urgent : panne de {subject} ({key})",
    "Hotfix: caída de {subject}",
    "Correção urgente do incidente {key}",
    "{subject} の障害対応 ({key})",
    "Hot-fix {subject} crash loop", "[HOTFIX] {subject} memory leak", "fix prod incident: {subject} deadlock",
    "Roll back {subject} migration ({key})", "disable {subject} flag, outage {key}", "{key}: emergency revert of {subject}",
    "Quick fix for sev2 in {subject}", "🚑 {subject} 503s", "hotfix(prod): {subject} cert expiry",
]
INCIDENT_UNSIGNALLED = ["Handle empty response in {subject}", "Tweak {subject} config", "small change to {subject}"]
DESIGN_TITLES = [
    "ADR {n:04d}: {subject} ownership", "RFC: rework {subject}", "Propose new design for {subject}",
    "adr: record decision on {subject}", "RFC {n}: {subject} v2", "Design doc – {subject}",
    "Architecture decision: move {subject} to a queue", "[RFC] {subject} sharding",
    "ADR: Entscheidung zu {subject}", "RFC : refonte de {subject}", "Propuesta de diseño: {subject}",
    "Add ADR for {subject} retries", "rfc - {subject} ownership model", "Draft RFC: deprecate old {subject}",
    "docs/adr: {subject} event schema", "Design: {subject} rollout plan",
]
DOCS_TITLES = [
    "docs: explain {subject}", "Update README.md", "Update README", "Runbook for {subject} alerts",
    "docs: fix typo in {subject} guide", "Document {subject} setup", "Add runbook: {subject} failover",
    "README: clarify local setup", "docs({subject}): add examples", "Improve docs on {subject}",
    "Doku für {subject} ergänzt", "docs: corrige la documentation de {subject}", "Actualiza el README",
    "{subject} のドキュメントを更新",
    "Add troubleshooting section for {subject}", "docs: update changelog", "Fix broken links in docs",
    "Runbook update – {subject} pager alert", "docs: new hire setup guide", "Clarify {subject} limits in README",
]
MAINTENANCE_TITLES = [
    "fix: {subject} off-by-one", "fix({subject}): handle empty list", "chore: bump {dep}", "chore(deps): update {dep} to v{ver}",
    "Bump {dep} from {old} to {ver}", "build: speed up docker build", "ci: cache pip downloads", "ci: fix flaky {subject} test",
    "refactor: split {subject} module", "Fix flaky test in {subject}", "Upgrade {dep} to {ver}", "Remove dead code in {subject}",
    "Cleanup {subject} warnings", "fix typo in {subject} error message", "Fix {subject} bug", "tech debt: simplify {subject}",
    "chore: tidy {subject}", "fix null pointer in {subject}", "Bugfix: {subject} sorting", "fix lint",
    "fix: Fehler in {subject} behoben", "corrige le bug de {subject}", "fix: arregla {subject}",
    "chore: atualiza dependências", "{subject} のバグ修正",
    "Fix race condition in {subject}", "fix {subject} tz handling", "bump {dep}", "chore: remove unused {subject} flag",
    "ci: pin actions to sha", "build(deps): bump {dep} to {ver}", "Fix wrong total in {subject}", "refactor {subject} tests",
    "Handle 429 from {subject} (bug)", "Reduce log noise in {subject} (chore)", "Fix deprecation warnings",
]
LAUNCH_TITLES = [
    "feat: {subject} v2", "feat({subject}): add bulk actions", "Add {subject} export", "Implement {subject} filters",
    "Support multiple currencies in {subject}", "Introduce {subject} dashboard", "Launch {subject} beta",
    "feature: {subject} for enterprise plans", "[FEATURE] {subject} search", "New {subject} settings page",
    "Add {subject} API endpoint", "Implement self-serve {subject}", "feat: {subject} behind flag",
    "Add support for {subject} webhooks", "{key} implement {subject}",
    "feat: Neue Funktion für {subject}", "feat : ajoute {subject}", "Agrega {subject} al panel",
    "feat: adiciona {subject}", "{subject} 機能を追加",
    "Allow admins to configure {subject}", "Add {subject} to the mobile app", "feat: {subject} A/B test",
    "Enable {subject} for all customers", "Implement {subject} UI", "feat(api): expose {subject}", "Add {subject} v1",
    "Introduce {subject} limits per plan", "New: {subject} checklist",
]
LAUNCH_UNSIGNALLED = ["{subject} v2", "{subject} improvements", "WIP {subject}", "{subject} stuff", "Ttt", "Develop"]
DOCS_FILES = ["README.md", "docs/setup.md", "docs/architecture.md", "docs/api/{slug}.md", "runbooks/{slug}.md",
              "CONTRIBUTING.md", "docs/guides/{slug}.md"]
CODE_FILES = ["src/{slug}/service.py", "src/{slug}/handlers.py", "src/{slug}/models.py", "tests/test_{slug}.py",
              "src/{slug}/index.ts", "src/{slug}/client.go", "lib/{slug}.rb", "config/{slug}.yaml"]
BUILD_FILES = ["requirements.txt", "package.json", "package-lock.json", "go.mod", ".github/workflows/ci.yml",
               "Dockerfile", "pyproject.toml"]

LABELS = {
    "incident_response": [["incident"], ["hotfix"], ["sev1"], ["sev2", "incident"], ["outage"], ["Hotfix"], ["P0"]],
    "design_leadership": [["rfc"], ["adr"], ["design"], ["RFC"], ["architecture"]],
    "documentation": [["docs"], ["documentation"], ["runbook"]],
    "maintenance": [["bug"], ["chore"], ["dependencies"], ["tech-debt"], ["tech debt"], ["ci"], ["Bug"]],
    "launch": [["feature"], ["enhancement"], ["release"], ["Feature"], ["feature", "frontend"]],
}
BRANCHES = {
    "incident_response": ["hotfix/{slug}", "hotfix/{key}", "hotfix-{slug}", "{key}-fix", "revert-{n}-{slug}"],
    "design_leadership": ["adr/{slug}", "rfc/{slug}", "design/{slug}"],
    "documentation": ["docs/{slug}", "readme-{slug}", "runbook/{slug}"],
    "maintenance": ["fix/{slug}", "chore/{slug}", "deps/{slug}", "bugfix/{slug}", "ci/{slug}"],
    "launch": ["feat/{slug}", "feature/{slug}", "feature/{key}-{slug}"],
}
PERSONAL_BRANCHES = ["{login}/{slug}", "{login}/wip", "{slug}", "patch-{n}", "{login}-patch-{n}"]
PR_BODIES = [
    "", "", "", "Closes #{n}", "## Summary\n{title}\n\n## Test plan\n- [x] unit tests", "See {key}.",
    "Follow-up to #{n}.", "cc @{login}", "Tested locally.\n\nScreenshots in the ticket.",
    "This PR {verb} {subject}.", "WIP, please don't merge yet", "Part of {key}",
    "### What\n{title}\n### Why\nsee {key}\n### How to test\n`make test`", "Fixes #{n}", "🤖 small one",
    "Reviewer notes: start with the service, the rest is wiring.", "Siehe {key}.", "Voir {key}.",
]

REVIEW_BODIES = ["", "", "", "LGTM", "lgtm 👍", "Looks good, one nit.", "Nice!", "Left a few comments.",
                 "Can we add a test for this?", "Please split this PR.", "Approved with minor comments",
                 "Sieht gut aus", "Ça me va", "Se ve bien", "Parece bom", "良さそうです"]
REVIEW_COMMENTS = ["nit: rename this", "Why not reuse the helper here?", "This could be None.",
                   "typo", "Can this be a constant?", "Missing error handling?", "I'd move this to a separate function",
                   "Does this need a migration?", "+1", "What happens on retry?", "naming: `data` is vague",
                   "Bitte hier einen Test ergänzen", "Pourquoi ce changement ?", "¿Esto es necesario?"]
ISSUE_COMMENTS = ["Thanks!", "Rebased on main.", "Can someone take a look?", "Deployed to staging.",
                  "Ping @{login}", "Addressed the comments.", "CI is green now", "Merging after lunch",
                  "Is this still needed?", "Confirmed fixed in prod.", "Any update on this?", "/retest",
                  "Danke!", "Merci pour la relecture", "Gracias", "ありがとうございます"]
BOT_COMMENTS = ["@dependabot rebase", "Dependabot will resolve any conflicts with this PR as long as you don't alter it yourself.",
                "Renovate: this PR has been rebased.", "⚠️ Artifact update problem"]
COMMIT_MESSAGES = ["{title}", "address review comments", "fix tests", "wip", "more fixes", "lint",
                   "Apply suggestions from code review", "update snapshot", "rename variable", "oops",
                   "handle edge case", "add test", "merge main"]

# --- GitHub issues ------------------------------------------------------------------------
GH_ISSUE_TITLES = {
    "incident_response": ["Outage: {subject} unavailable", "{subject} down in production", "Incident: {subject} errors spiking",
                          "[incident] {subject} returning 502", "Störung: {subject} nicht erreichbar"],
    "maintenance": ["Bug: {subject} crashes on empty input", "{subject} throws TypeError", "Flaky test in {subject}",
                    "bug in {subject} sorting", "Error when saving {subject}", "Le {subject} plante"],
    "documentation": ["Docs: {subject} page is outdated", "README missing setup steps", "Document {subject} limits",
                      "Typo in docs for {subject}"],
    "other": ["Question: how does {subject} work?", "Feature request: {subject} export", "Proposal: rename {subject}",
              "Discussion: {subject} roadmap", "¿Cómo configurar {subject}?", "Idea: {subject} dark mode"],
}
GH_ISSUE_LABELS = {"incident_response": ["incident", "outage"], "maintenance": ["bug"],
                   "documentation": ["documentation", "docs"], "other": ["question", "enhancement", "discussion"]}

# --- Jira ----------------------------------------------------------------------------------
JIRA_SUMMARIES = {
    "incident_response": ["{subject} outage", "Production incident: {subject} errors", "SEV1 {subject} unavailable",
                          "{subject} degraded for EU customers", "Payments failing in {subject}", "Störung {subject}",
                          "Incident – {subject} latency", "panne {subject}", "[SEV2] {subject} timeouts", "Customers cannot use {subject}",
                          "{subject} 障害", "Queda do {subject}", "Alert: {subject} error budget burned"],
    "design_leadership": ["Spike: evaluate {subject} options", "RFC: {subject} redesign", "Design {subject} v2",
                          "Investigate architecture for {subject}", "ADR for {subject}", "Spike – {subject} options",
                          "Write design doc: {subject}", "Evaluar opciones para {subject}"],
    "documentation": ["Write runbook for {subject}", "Update docs for {subject}", "Document {subject} API",
                      "Runbook: {subject} failover", "Docs: {subject} onboarding guide", "Document {subject} alerts",
                      "Rédiger la doc de {subject}", "README for {subject}"],
    "maintenance": ["{subject} throws 500 on save", "Fix flaky {subject} test", "Upgrade {subject} dependencies",
                    "Tech debt: remove legacy {subject}", "Customer reports {subject} bug", "{subject} slow on large accounts",
                    "Fehler in {subject}", "Bug : {subject} ne répond pas", "{subject}: wrong totals shown",
                    "Remove deprecated {subject} endpoint", "Upgrade Postgres client in {subject}", "Erro ao salvar {subject}",
                    "{subject} のエラー", "Support: customer can't find {subject}"],
    "launch": ["As a user I can export {subject}", "{subject} v2", "Launch {subject} for enterprise", "Self-serve {subject}",
               "New {subject} dashboard", "{subject} – multi-currency support", "Neue {subject} Funktion",
               "Permitir {subject} en móvil", "Ship {subject} GA", "{subject}: admin settings", "Epic: {subject} revamp",
               "Lancement {subject}", "{subject} のリリース", "Nova experiência de {subject}"],
    "other": ["Misc {subject} cleanup ideas", "Collect feedback on {subject}", "Team offsite prep", "Quarterly goals",
              "Access request for {subject}", "Follow up on {subject}", "Prepare all-hands slides", "Vendor call notes",
              "Clean up Jira board", "Sonstiges: {subject}"],
}
JIRA_COMMENTS = ["Looking into it.", "Can you add steps to reproduce?", "Deployed the fix, monitoring.",
                 "Blocked on {key}.", "Moved to next sprint.", "Done, please verify.", "Any update?",
                 "Paired with {name} on this.", "Root cause found.", "Ich schaue mir das an.", "Je m'en occupe.",
                 "Estoy en ello.", "確認します。"]

# --- Calendar ------------------------------------------------------------------------------
MEETINGS = {
    "standup": ["Daily standup", "Standup", "{team} stand-up", "Daily Standup ({team})", "Daily", "Standup 🧍"],
    "planning": ["Sprint planning", "{team} planning", "Planning", "Sprintplanung"],
    "retro": ["Retro", "Sprint retrospective", "{team} retro", "Retrospective", "Rétro"],
    "refinement": ["Backlog refinement", "Refinement", "Grooming / refinement"],
    "sync": ["{team} sync", "Weekly sync", "Release sync", "Team sync", "Cross-team sync"],
    "war_room": ["War room: {key}", "{key} war room", "Incident bridge {key}", "INCIDENT {key}", "Incident call – {subject}"],
    "postmortem": ["Postmortem: {subject}", "Post-mortem {key}", "PIR {key}", "RCA: {subject} outage", "Postmortem – panne {subject}",
                   "Incident review {key}"],
    "oncall": ["On-call handoff", "on-call handoff", "Oncall handoff ({team})", "On-call handover"],
    "interview": ["Interview: {candidate}", "Phone screen – {candidate}", "Onsite: {candidate} (system design)",
                  "Debrief {candidate}", "Hiring committee", "Interview {candidate} – coding", "Entretien : {candidate}"],
    "onboarding": ["Onboarding: {name}", "Buddy check-in", "{name} onboarding – week {n}", "Pairing with {name}",
                   "Mentoring", "Office hours", "Shadowing session", "Buddy chat w/ {name}", "Einarbeitung / onboarding {name}",
                   "Pair programming", "Mentoring session", "{name} <> mentor"],
    "one_on_one": ["{a} / {b} 1:1", "1:1 {a} <> {b}", "{a} & {b} 1:1", "1-on-1", "1:1"],
    "design_review": ["Design review: {subject}", "Architecture review", "RFC review – {subject}", "{subject} design review",
                      "Revisión de diseño (design review)"],
    "launch": ["Launch: {subject}", "{subject} demo", "Demo day", "Launch readiness – {subject}", "Sprint demo",
               "Presentation: {subject} results", "Go-live {subject} (launch)"],
    "vague": ["Sync", "Quick chat", "Catch up", "Touch base", "Chat", "Follow-up", "Hold", "Discussion", "??", "Alignment",
              "Kurze Abstimmung", "Point rapide", "Charla"],
    "social": ["Team lunch", "Friday drinks", "Book club", "Coffee ☕", "Birthday cake 🎂", "Game night"],
    "all_hands": ["All hands", "Company all-hands", "Town hall"],
    "private": ["Doctor", "Dentist", "School pickup", "Personal", "Bank"],
    "focus": ["Focus time", "Deep work", "No meetings"],
    "ooo": ["OOO", "Vacation", "Out of office", "Urlaub", "Congés"],
    "offsite": ["Team offsite", "Hackathon"],
}
CANDIDATES = ["Candidate A.", "J. Doe", "candidate #12", "R. Roe", "M. Example", "K. Sample", "T. Placeholder"]


GITMOJI = {"incident_response": "🚑 ", "launch": "✨ ", "maintenance": "🐛 ", "documentation": "📝 ",
           "design_leadership": "💡 "}


def decorate(rng: random.Random, title: str, kind: str, key: str) -> str:
    """The habits people bring to titles: ticket prefixes, emoji, lowercase, a trailing dot."""
    roll = rng.random()
    if roll < 0.10 and key not in title:
        title = rng.choice([f"[{key}] {title}", f"{key}: {title}", f"{key} {title}"])
    elif roll < 0.14:
        title = GITMOJI[kind] + title
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
    return {"type": "doc", "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}]}

# words that tell a careful reader the kind of a pull request (used to keep at most a
# small, deliberate share of items without any signal)
SIGNAL_WORDS = {
    "incident_response": ["hotfix", "hot-fix", "🚑", "incident", "outage", "sev", "revert", "rollback", "roll back", "urgent", "emergency",
                          "mitigat", "ops-", "notfall", "panne", "caída", "incidente", "障害"],
    "design_leadership": ["adr", "rfc", "design", "architecture", "diseño"],
    "documentation": ["docs", "readme", "runbook", "document", "doku"],
    "maintenance": ["fix", "chore", "build", "ci:", "bump", "upgrade", "flaky", "refactor", "cleanup", "tech debt",
                    "dead code", "typo", "bug", "lint", "tidy"],
    "launch": ["feat", "add", "implement", "support", "introduce", "launch", "new ", "beta", "ajoute", "agrega",
               "adiciona", "追加", "neue"],
}


def has_signal(kind: str, text_: str) -> bool:
    low = text_.lower()
    return any(word in low for word in SIGNAL_WORDS.get(kind, []))
