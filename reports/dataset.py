"""The dashboard's data: tidy rows taken from the marts, which the page filters and charts.

Everything a reader may see is here and nowhere else; in pseudonymous mode no name and no
free text (titles, evidence descriptions) enters it. Every query orders its rows totally (by
the mart's key; nulls placed explicitly where DuckDB's and PostgreSQL's defaults differ), so the
same marts give the same page on either warehouse.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from reports.marts import Marts
from reports.settings import DashboardSettings

PEOPLE = """
    select person_key, display_name, team, target_promotable_share, has_personal_target, seeks_promotion
    from {m}.dim_people order by team, display_name, person_key
"""
# labels, kinds and order as the work_categories seed gives them; the categories some work is in
CATEGORIES = """
    select c.work_category as id, c.label, c.kind
    from {m}.dim_work_categories c
    where c.work_category in (select work_category from {m}.fct_work_events)
    order by c.category_order, c.work_category
"""
ALLOCATION = """
    select a.person_key as person, p.team, a.week_start as week, a.work_category as category,
           a.events, a.effort_hours as hours
    from {m}.fct_person_weekly_allocation a join {m}.dim_people p on p.person_key = a.person_key
    order by a.person_key, a.week_start, a.work_category
"""
# the month is the person's calendar month (the mart's rule), the share of classified effort
TEAM_SHARE = """
    select distinct team, month, non_promotable_hours as hidden_hours, classified_hours as attributed_hours,
           non_promotable_share as share
    from {m}.fct_team_monthly_allocation
    where classified_hours > 0
    order by team, month
"""
CONCENTRATION = """
    select team, month, work_category as category, contributors, top_person_share, top_person_key,
           gini, people_for_half_of_work
    from {m}.fct_team_concentration
    order by team, month, work_category
"""
# the flagged people: their longest run of trap weeks (whole history; the mart has no period)
TRAP = """
    select s.person_key as person, p.team, s.longest_trap_streak_weeks as weeks,
           s.streak_first_week as first_week, s.streak_last_week as last_week,
           s.avg_non_promotable_share as non_promotable_share, s.avg_promotable_share as promotable_share,
           s.target_promotable_share as target
    from {m}.fct_competence_trap_signals s join {m}.dim_people p on p.person_key = s.person_key
    where s.is_flagged
    order by s.longest_trap_streak_weeks desc nulls last, s.streak_last_week desc nulls last, s.person_key
"""
REVIEWS = """
    select r.reviewer_key as reviewer, r.author_key as author, rp.team, ap.team as author_team,
           r.reviews, r.requested, r.unrequested
    from {m}.fct_review_exchange r
    join {m}.dim_people rp on rp.person_key = r.reviewer_key
    join {m}.dim_people ap on ap.person_key = r.author_key
    order by r.reviewer_key, r.author_key
"""
# incident work by the time of day in the person's own zone (the mart decides the bands and their labels)
INCIDENTS = """
    select i.person_key as person, p.team, i.week_start as week, i.time_band_label as "when",
           i.events, i.effort_hours as hours
    from {m}.fct_person_weekly_incidents i join {m}.dim_people p on p.person_key = i.person_key
    order by i.person_key, i.week_start, i.time_band
"""
TIME_BANDS = "select distinct time_band_label, time_band_order from {m}.fct_person_weekly_incidents order by 2, 1"
ONBOARDING = """
    select o.person_key as person, p.team, o.week_start as week, o.counterpart_person_key as counterpart,
           o.events, o.effort_hours as hours
    from {m}.fct_person_weekly_onboarding o join {m}.dim_people p on p.person_key = o.person_key
    order by o.person_key, o.week_start, o.counterpart_person_key
"""
MEETINGS = """
    select m.person_key as person, p.team, m.week_start as week, m.meeting_role as role,
           m.events, m.effort_hours as hours
    from {m}.fct_person_weekly_meetings m join {m}.dim_people p on p.person_key = m.person_key
    order by m.person_key, m.week_start, m.meeting_role
"""
# who could take over concentrated hidden work, ranked; the reason is the mart's own sentence (numbers
# and a category id, no names or titles)
ROTATION = """
    select team, month, work_category as category, top_person_key, top_person_share, person_key as person,
           suggestion_rank as rank, candidates, category_hours as hours, hidden_hours_per_week, reason
    from {m}.fct_rotation_suggestions
    order by team, month, work_category, suggestion_rank
"""
# the mart suppresses (with complements) cells under its k, dbt var group_min_people
GROUPS = """
    select attribute, group_value, people, non_promotable_share, is_suppressed, min_people_per_group
    from {m}.fct_group_comparison order by attribute, group_value
"""
# what people wrote about their own work (self-reports): counted apart, so that the page never
# shows it as tool-recorded work; weeks in the person's own zone, as the allocation mart's
SELF_REPORTS = """
    select e.person_key as person, p.team, cast(date_trunc('week', e.occurred_at_local) as date) as week,
           count(*) as entries, sum(e.effort_hours) as hours
    from {m}.fct_work_events e join {m}.dim_people p on p.person_key = e.person_key
    where e.self_reported
    group by e.person_key, p.team, cast(date_trunc('week', e.occurred_at_local) as date)
    order by 1, 3
"""
# dated by the person's own calendar day
EVIDENCE = """
    select i.person_key as person, cast(coalesce(e.occurred_at_local, i.occurred_at) as date) as occurred_at,
           i.work_category as category, i.description, i.source_url as url, i.is_default_guess as guessed,
           i.self_reported, i.endorsed_by_n as endorsements
    from {m}.fct_evidence_items i left join {m}.fct_work_events e on e.event_key = i.evidence_key
    order by 2 desc nulls last, i.person_key, i.description, i.evidence_key
"""


def categories(marts: Marts) -> list[dict]:
    """Promotable first, then the hidden (non-promotable) ones, then what is not attributed."""
    return marts.rows(CATEGORIES)


def time_bands(marts: Marts) -> list[dict]:
    """The incident chart's bands (label and order), business hours first."""
    return marts.rows(TIME_BANDS)


def build_dataset(marts: Marts, settings: DashboardSettings) -> dict:
    people = marts.rows(PEOPLE)
    label = person_labels(people, settings.named)
    data = {
        "meta": {
            "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "privacy": settings.privacy_mode,
            "target": settings.target_promotable_share,
        },
        "categories": categories(marts),
        "people": [
            {
                "key": p["person_key"],
                "label": label[p["person_key"]],
                "team": p["team"],
                "target": p["target_promotable_share"],
                "personal_target": p["has_personal_target"],
                "seeks_promotion": p["seeks_promotion"],
            }
            for p in people
        ],
        "teams": sorted({p["team"] for p in people if p["team"]}),
        "allocation": marts.rows(ALLOCATION),
        "team_share": marts.rows(TEAM_SHARE),
        "concentration": [
            {**r, "top_person": label.get(r.pop("top_person_key"), "")} for r in marts.rows(CONCENTRATION)
        ],
        "trap": marts.rows(TRAP),
        "rotation": [{**r, "top_person": label.get(r.pop("top_person_key"), "")} for r in marts.rows(ROTATION)],
        "reviews": marts.rows(REVIEWS),
        "incidents": marts.rows(INCIDENTS),
        "onboarding": marts.rows(ONBOARDING),
        "meetings": marts.rows(MEETINGS),
        "groups": marts.rows(GROUPS),
        "self_reports": marts.rows(SELF_REPORTS),
        "evidence": marts.rows(EVIDENCE) if settings.named else [],
    }
    return data


def person_labels(people: list[dict], named: bool) -> dict[str, str]:
    """Display names, or (pseudonymous) the key's first 8 characters: short enough for an axis,
    still unique (the full key where a prefix would collide)."""
    if named:
        return {p["person_key"]: p["display_name"] or p["person_key"] for p in people}
    prefixes = Counter(p["person_key"][:8] for p in people)
    return {
        p["person_key"]: p["person_key"][:8] if prefixes[p["person_key"][:8]] == 1 else p["person_key"] for p in people
    }
