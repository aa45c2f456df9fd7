"""The dashboard's data: tidy rows taken from the marts, which the page filters and charts.

Everything a reader may see is here and nowhere else; in pseudonymous mode no name and no
free text (titles, evidence descriptions) enters it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone

from reports.marts import Marts
from reports.settings import DashboardSettings

# the default taxonomy's words; a category added to the seed shows under its own id
CATEGORY_LABELS = {
    "launch": "Launches",
    "design_leadership": "Design leadership",
    "incident_response": "Incident response",
    "code_review": "Code review",
    "onboarding_mentoring": "Onboarding & mentoring",
    "maintenance": "Maintenance (KTLO)",
    "documentation": "Documentation",
    "coordination": "Coordination",
    "hiring": "Hiring",
    "covering": "Covering for others",
    "other": "Other (unclassified)",
}
WHEN_LABELS = {"business": "business hours", "off": "off hours (18–22, weekends)", "sleep": "sleep hours (22–08)"}

PEOPLE = "select person_key, display_name, team from {m}.dim_people order by team, display_name, person_key"
CATEGORIES = """
    select work_category, bool_or(is_promotable) as promotable, bool_and(is_promotable is null) as unattributed
    from {m}.fct_work_events group by work_category
"""
ALLOCATION = """
    select a.person_key as person, p.team, a.week_start as week, a.work_category as category,
           a.events, a.effort_hours as hours
    from {m}.fct_person_weekly_allocation a join {m}.dim_people p on p.person_key = a.person_key
"""
CONCENTRATION = """
    select team, month, work_category as category, contributors, top_person_share, top_person_key,
           gini, people_for_half_of_work
    from {m}.fct_team_concentration
"""
# the flagged people: their longest run of trap weeks (whole history; the mart has no period)
TRAP = """
    select s.person_key as person, p.team, s.longest_trap_streak_weeks as weeks,
           s.streak_first_week as first_week, s.streak_last_week as last_week,
           s.avg_non_promotable_share as non_promotable_share, s.avg_promotable_share as promotable_share
    from {m}.fct_competence_trap_signals s join {m}.dim_people p on p.person_key = s.person_key
    where s.is_flagged
    order by s.longest_trap_streak_weeks desc, s.streak_last_week desc
"""
REVIEWS = """
    select r.reviewer_key as reviewer, r.author_key as author, rp.team, ap.team as author_team,
           r.reviews, r.requested, r.unrequested
    from {m}.fct_review_exchange r
    join {m}.dim_people rp on rp.person_key = r.reviewer_key
    join {m}.dim_people ap on ap.person_key = r.author_key
"""
# incident work by the time of day in the person's own zone (the mart decides the flags)
INCIDENTS = """
    select e.person_key as person, p.team, cast(date_trunc('week', e.occurred_at_local) as date) as week,
           case when e.is_sleep_hours then 'sleep' when e.is_after_hours then 'off' else 'business' end as "when",
           count(*) as events, sum(e.effort_hours) as hours
    from {m}.fct_work_events e join {m}.dim_people p on p.person_key = e.person_key
    where e.work_category = 'incident_response'
    group by 1, 2, 3, 4
"""
ONBOARDING = """
    select e.person_key as person, p.team, cast(date_trunc('week', e.occurred_at_local) as date) as week,
           e.counterpart_person_key as counterpart, count(*) as events, sum(e.effort_hours) as hours
    from {m}.fct_work_events e join {m}.dim_people p on p.person_key = e.person_key
    where e.work_category = 'onboarding_mentoring'
    group by 1, 2, 3, 4
"""
MEETINGS = """
    select e.person_key as person, p.team, cast(date_trunc('week', e.occurred_at_local) as date) as week,
           case when e.activity_type = 'meeting_organized' then 'organized' else 'attended' end as role,
           count(*) as events, sum(e.effort_hours) as hours
    from {m}.fct_work_events e join {m}.dim_people p on p.person_key = e.person_key
    where e.activity_type in ('meeting_organized', 'meeting_attended')
    group by 1, 2, 3, 4
"""
# the mart suppresses (with complements) cells under its k, dbt var group_min_people
GROUPS = """
    select attribute, group_value, people, non_promotable_share, is_suppressed, min_people_per_group
    from {m}.fct_group_comparison order by attribute, group_value
"""
# dated by the person's own calendar day
EVIDENCE = """
    select i.person_key as person, cast(coalesce(e.occurred_at_local, i.occurred_at) as date) as occurred_at,
           i.work_category as category, i.description, i.source_url as url, i.is_default_guess as guessed
    from {m}.fct_evidence_items i left join {m}.fct_work_events e on e.event_key = i.evidence_key
    order by 2 desc, i.person_key, i.description
"""


def categories(marts: Marts) -> list[dict]:
    """Promotable first, then the hidden (non-promotable) ones, then what is not attributed."""
    rows = marts.rows(CATEGORIES)
    order = list(CATEGORY_LABELS)

    def kind(row: dict) -> str:
        if row["unattributed"]:
            return "other"
        return "promotable" if row["promotable"] else "hidden"

    found = [
        {"id": r["work_category"], "label": CATEGORY_LABELS.get(r["work_category"], r["work_category"]), "kind": kind(r)}
        for r in rows
    ]
    rank = {"promotable": 0, "hidden": 1, "other": 2}
    return sorted(found, key=lambda c: (rank[c["kind"]], order.index(c["id"]) if c["id"] in order else 99, c["id"]))


def build_dataset(marts: Marts, settings: DashboardSettings) -> dict:
    people = marts.rows(PEOPLE)
    label = person_labels(people, settings.named)
    cats = categories(marts)
    allocation = marts.rows(ALLOCATION)
    data = {
        "meta": {
            "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "privacy": settings.privacy_mode,
            "target": settings.target_promotable_share,
        },
        "categories": cats,
        "people": [{"key": p["person_key"], "label": label[p["person_key"]], "team": p["team"]} for p in people],
        "teams": sorted({p["team"] for p in people if p["team"]}),
        "allocation": allocation,
        "team_share": team_share(allocation, cats),
        "concentration": [
            {**r, "top_person": label.get(r.pop("top_person_key"), "")} for r in marts.rows(CONCENTRATION)
        ],
        "trap": marts.rows(TRAP),
        "reviews": marts.rows(REVIEWS),
        "incidents": [{**r, "when": WHEN_LABELS[r["when"]]} for r in marts.rows(INCIDENTS)],
        "onboarding": marts.rows(ONBOARDING),
        "meetings": marts.rows(MEETINGS),
        "groups": marts.rows(GROUPS),
        "evidence": marts.rows(EVIDENCE) if settings.named else [],
    }
    return data


def person_labels(people: list[dict], named: bool) -> dict[str, str]:
    """Display names, or (pseudonymous) the key's first 8 characters: short enough for an axis,
    still unique (the full key where a prefix would collide)."""
    if named:
        return {p["person_key"]: p["display_name"] or p["person_key"] for p in people}
    prefixes = Counter(p["person_key"][:8] for p in people)
    return {p["person_key"]: p["person_key"][:8] if prefixes[p["person_key"][:8]] == 1 else p["person_key"]
            for p in people}


def team_share(allocation: list[dict], cats: list[dict]) -> list[dict]:
    """Non-promotable share per team and month: hidden effort ÷ attributed (promotable + hidden) effort."""
    kind = {c["id"]: c["kind"] for c in cats}
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in allocation:
        cell = sums[(row["team"], row["week"][:7] + "-01")]
        if kind.get(row["category"]) == "hidden":
            cell[0] += row["hours"] or 0
        if kind.get(row["category"]) in ("hidden", "promotable"):
            cell[1] += row["hours"] or 0
    return [
        {"team": team, "month": month, "hidden_hours": hidden, "attributed_hours": attributed,
         "share": hidden / attributed}
        for (team, month), (hidden, attributed) in sorted(sums.items()) if attributed
    ]
