"""A small published warehouse with the marts' tables, for the dashboard and packet tests.

Plausible rows, deterministic: three teams of six, sixteen weeks; in team `payments` one
person carries most incidents at night, one is in the competence trap, one is a new hire, one
aims for a 50 % promotion-track share and one does not seek promotion.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "work_categories.csv"
FIRST_WEEK = date(2026, 7, 27)  # a Monday
WEEKS = 16
TEAMS = ("payments", "platform", "search")
CATEGORIES = {  # category -> (promotable, activity_type, source, typical hours)
    "launch": (True, "jira_issue_completed", "jira", 6.0),
    "design_leadership": (True, "pr_authored", "github", 4.0),
    "incident_response": (False, "jira_issue_completed", "jira", 3.0),
    "code_review": (False, "review_submitted", "github", 0.75),
    "onboarding_mentoring": (False, "meeting_organized", "calendar", 1.0),
    "maintenance": (False, "pr_authored", "github", 2.0),
    "documentation": (False, "pr_authored", "github", 1.5),
    "coordination": (False, "meeting_organized", "calendar", 1.0),
    "hiring": (False, "meeting_attended", "calendar", 1.0),
    "covering": (False, "commit_on_others_pr", "github", 1.5),
    "other": (None, "meeting_attended", "calendar", 0.5),
}
NAMES = [
    "Ada Quill",
    "Bo Marsh",
    "Cy Fenn",
    "Dee Roan",
    "Eli Vance",
    "Fay Lune",
    "Gus Hale",
    "Ivy Stroud",
    "Jo Wren",
    "Kit Moss",
    "Lu Park",
    "Max Dorn",
    "Ned Pike",
    "Ora Lind",
    "Pia Holt",
    "Rex Vale",
    "Sol Brae",
    "Tam Reed",
]
TITLES = [
    "Checkout latency spike",
    "Add SEPA payouts",
    "Bump lodash",
    "Runbook: failover",
    "Weekly planning",
    "Search relevance v2",
    "Flaky CI on main",
    "Interview loop",
    "Buddy session",
    "Index rebuild",
]

# the marts' columns as dbt_project/models/marts builds them; the derived ones computed alike, simply
TABLES = """
create schema if not exists marts;
create or replace table marts.dim_people (person_key varchar, person_id varchar, display_name varchar, team varchar,
    manager_key varchar, start_date date, time_zone varchar, level varchar, target_promotable_share double,
    has_personal_target boolean, seeks_promotion boolean);
create or replace table marts.fct_work_events (event_key varchar, person_key varchar, occurred_at timestamp,
    occurred_at_local timestamp, source varchar, activity_type varchar, object_id varchar, work_category varchar,
    is_promotable boolean, effort_hours double, duration_hours double, rule_id varchar, time_band varchar,
    is_after_hours boolean, is_sleep_hours boolean, counterpart_person_key varchar, source_url varchar, title varchar,
    evidence varchar, is_default_guess boolean,
    -- a few hidden entries people wrote themselves, a few hidden items colleagues endorsed (set below)
    self_reported boolean default false, endorsed_by_n integer default 0);
create or replace table marts.fct_review_exchange (reviewer_key varchar, author_key varchar, reviews integer,
    requested integer, unrequested integer);
"""

DERIVED = """
create or replace table marts.dim_work_categories as
select category as work_category, coalesce(nullif(trim(label), ''), category) as label, is_promotable,
       case when is_promotable then 'promotable' when not is_promotable then 'hidden' else 'other' end as kind,
       row_number() over (order by case when is_promotable then 0 when not is_promotable then 1 else 2 end,
                                   display_order nulls last, category) as category_order,
       description
from seed_work_categories;

create or replace table marts.fct_team_monthly_allocation as
with cells as (
    select p.team, cast(date_trunc('month', e.occurred_at_local) as date) as month, e.work_category,
           e.is_promotable, count(*) as events, sum(e.effort_hours) as effort_hours
    from marts.fct_work_events e join marts.dim_people p using (person_key) group by all
), months as (
    select team, month, coalesce(sum(effort_hours) filter (where not is_promotable), 0) as non_promotable_hours,
           coalesce(sum(effort_hours) filter (where is_promotable is not null), 0) as classified_hours
    from cells group by all
)
select c.*, m.non_promotable_hours, m.classified_hours, m.non_promotable_hours / nullif(m.classified_hours, 0)
       as non_promotable_share
from cells c join months m using (team, month);

create or replace table marts.fct_person_weekly_incidents as
select person_key, cast(date_trunc('week', occurred_at_local) as date) as week_start, time_band,
       case time_band when 'business' then 'business hours' when 'off_hours' then 'off hours (18–22, weekends)'
                      else 'sleep hours (22–08)' end as time_band_label,
       case time_band when 'business' then 1 when 'off_hours' then 2 else 3 end as time_band_order,
       count(*) as events, sum(effort_hours) as effort_hours
from marts.fct_work_events where work_category = 'incident_response' group by all;

create or replace table marts.fct_person_weekly_onboarding as
select person_key, cast(date_trunc('week', occurred_at_local) as date) as week_start, counterpart_person_key,
       count(*) as events, sum(effort_hours) as effort_hours
from marts.fct_work_events where work_category = 'onboarding_mentoring' group by all;

create or replace table marts.fct_person_weekly_meetings as
select person_key, cast(date_trunc('week', occurred_at_local) as date) as week_start,
       case when activity_type = 'meeting_organized' then 'organized' else 'attended' end as meeting_role,
       count(*) as events, sum(effort_hours) as effort_hours
from marts.fct_work_events where activity_type in ('meeting_organized', 'meeting_attended') group by all;

create or replace table marts.fct_person_daily_load as
select e.person_key, p.team, cast(e.occurred_at_local as date) as day, e.work_category, e.is_promotable,
       count(*) as events, sum(e.effort_hours) as effort_hours
from marts.fct_work_events e join marts.dim_people p using (person_key) group by all;

create or replace table marts.fct_evidence_items as
select event_key as evidence_key, person_key, occurred_at, work_category, activity_type,
       case when title is null then 'Took part in a private meeting.'
            else 'Handled the ' || replace(work_category, '_', ' ') || ' item "' || title || '".' end as description,
       effort_hours, source_url, evidence, is_default_guess, self_reported, endorsed_by_n
from marts.fct_work_events where is_promotable = false;

create or replace table marts.fct_person_weekly_allocation as
with cells as (
    select person_key, cast(date_trunc('week', occurred_at_local) as date) as week_start, work_category,
           is_promotable, count(*) as events, sum(effort_hours) as effort_hours
    from marts.fct_work_events group by 1, 2, 3, 4
), weeks as (
    select person_key, week_start, sum(effort_hours) as week_effort_hours,
           sum(effort_hours) filter (where is_promotable is not null) as classified,
           coalesce(sum(effort_hours) filter (where not is_promotable), 0) as hidden,
           coalesce(sum(effort_hours) filter (where is_promotable), 0) as promotable
    from cells group by 1, 2
)
select c.*, w.week_effort_hours, w.hidden / w.classified as non_promotable_share,
       w.promotable / w.classified as promotable_share
from cells c join weeks w using (person_key, week_start);

create or replace table marts.fct_team_concentration as
with load as (
    select p.team, cast(date_trunc('month', e.occurred_at_local) as date) as month, e.work_category, e.person_key,
           sum(e.effort_hours) as hours
    from marts.fct_work_events e join marts.dim_people p using (person_key)
    group by all
), ranked as (
    select *, hours / sum(hours) over w as share,
           sum(hours) over (partition by team, month, work_category order by hours desc, person_key
                            rows between unbounded preceding and current row) / sum(hours) over w as running,
           row_number() over (partition by team, month, work_category order by hours desc, person_key) as place
    from load window w as (partition by team, month, work_category)
)
select team, month, work_category, 6 as team_members, count(*) as contributors, sum(hours) as effort_hours,
       max(share) as top_person_share, arg_max(person_key, share) as top_person_key, 0.5 as gini,
       min(place) filter (where running >= 0.5) as people_for_half_of_work
from ranked group by all;

create or replace table marts.fct_competence_trap_signals as
with weeks as (
    select distinct a.person_key, a.week_start, a.non_promotable_share, a.promotable_share,
           a.non_promotable_share > 0.6 and a.promotable_share < 0.3 * p.target_promotable_share / 0.7 as is_trap_week,
           a.promotable_share < p.target_promotable_share as below_target
    from marts.fct_person_weekly_allocation a join marts.dim_people p using (person_key)
), runs as (
    select *, datediff('week', date '2000-01-03', week_start)
              - row_number() over (partition by person_key, is_trap_week order by week_start) as run_id
    from weeks
), streaks as (
    select person_key, count(*) as weeks, min(week_start) as first_week, max(week_start) as last_week,
           row_number() over (partition by person_key order by count(*) desc, max(week_start) desc) as rn
    from runs where is_trap_week group by person_key, run_id
)
select w.person_key, any_value(p.target_promotable_share) as target_promotable_share,
       any_value(p.has_personal_target) as has_personal_target, any_value(p.seeks_promotion) as seeks_promotion,
       0.3 * any_value(p.target_promotable_share) / 0.7 as trap_promotable_threshold,
       count(*) as weeks_observed, count(*) filter (where is_trap_week) as trap_weeks,
       count(*) filter (where below_target) as weeks_below_target,
       avg(non_promotable_share) as avg_non_promotable_share, avg(promotable_share) as avg_promotable_share,
       avg(promotable_share) - any_value(p.target_promotable_share) as target_gap,
       coalesce(any_value(s.weeks), 0) as longest_trap_streak_weeks, any_value(s.first_week) as streak_first_week,
       any_value(s.last_week) as streak_last_week, coalesce(any_value(s.weeks), 0) >= 4 as has_trap_pattern,
       coalesce(any_value(s.weeks), 0) >= 4 and any_value(p.seeks_promotion) as is_flagged
from weeks w join marts.dim_people p using (person_key)
left join streaks s on s.person_key = w.person_key and s.rn = 1
group by w.person_key;

-- who else in the team did some of a concentrated hidden category in the month or the two before, by their
-- hidden hours per week over the month's last 28 days
create or replace table marts.fct_rotation_suggestions as
with cells as (
    select c.team, c.month, c.work_category, c.top_person_key, c.top_person_share,
           cast(c.month + interval 1 month - interval 1 day as date) as as_of
    from marts.fct_team_concentration c join marts.dim_work_categories k using (work_category)
    where k.kind = 'hidden' and c.top_person_share > 0.5
), candidates as (
    select c.*, l.person_key,
           sum(l.effort_hours) filter (where l.work_category = c.work_category and l.day > c.as_of - 90) as hours,
           coalesce(sum(l.effort_hours) filter (where not l.is_promotable and l.day > c.as_of - 28), 0) * 7 / 28
               as hidden_hours_per_week
    from cells c join marts.fct_person_daily_load l
        on l.team = c.team and l.person_key <> c.top_person_key and l.day <= c.as_of and l.day > c.as_of - 90
    group by all
    having hours > 0
)
select team, month, work_category, top_person_key, top_person_share, as_of, person_key,
       row_number() over (partition by team, month, work_category order by hidden_hours_per_week, hours desc,
                          person_key) as suggestion_rank,
       count(*) over (partition by team, month, work_category) as candidates,
       hours as category_hours, hidden_hours_per_week,
       'did ' || round(hours, 1) || ' h of ' || work_category || ' in the last 90 days; hidden load '
           || round(hidden_hours_per_week, 1) || ' h/week' as reason
from candidates;

create or replace table marts.fct_group_comparison as
select * from (values
    ('tenure', 'under 2 years', false, 10, 0.58, 10),
    ('tenure', '2 years or more', false, 12, 0.49, 10),
    ('caregiver', 'yes', true, null, null, 10),
    ('caregiver', 'no', true, null, null, 10)
) as t(attribute, group_value, is_suppressed, people, non_promotable_share, min_people_per_group);
"""


def build_marts(
    path: Path,
    titles: list[str] | None = None,
    names: dict[str, str] | None = None,
    seed: Path = SEED,
    recategorized: dict[str, str] | None = None,
) -> Path:
    """Write the marts into a new DuckDB file at `path`. `titles` replace the first hidden events'
    titles and evidence descriptions, `names` display names by person key (the injection
    test plants hostile text this way). `seed` is the work_categories seed the categories come
    from, `recategorized` moves the work of a category to another one (one the seed added)."""
    rng = random.Random(5)
    people = [(p[0], p[1], (names or {}).get(p[0], p[2]), *p[3:]) for p in _people()]
    events = _events(rng, people)
    for event, title in zip([e for e in events if e[8] is False], titles or []):  # they reach the evidence
        event[17] = title
    for event in events:
        event[7] = (recategorized or {}).get(event[7], event[7])
    with duckdb.connect(str(path)) as con:
        con.execute(TABLES)
        con.execute(
            "create table seed_work_categories as select * from read_csv(?, header = true, columns = "
            "{'category': 'varchar', 'label': 'varchar', 'display_order': 'integer', "
            "'is_promotable': 'boolean', 'description': 'varchar'})",
            [str(seed)],
        )
        con.executemany("insert into marts.dim_people values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", people)
        con.executemany("insert into marts.fct_work_events values (" + ", ".join("?" * 20) + ", false, 0)", events)
        con.execute(
            "update marts.fct_work_events set self_reported = cast(substr(event_key, 3) as integer) % 31 = 0, "
            "endorsed_by_n = case when cast(substr(event_key, 3) as integer) % 37 = 0 then 2 else 0 end "
            "where is_promotable = false"
        )
        con.executemany("insert into marts.fct_review_exchange values (?, ?, ?, ?, ?)", _reviews(events))
        con.execute(DERIVED)
    return path


# roster settings: pk003 aims for 50 % promotion-track work; pk001 (mostly hidden work, as the trap
# signal sees it) does not seek promotion
INTENT = {"pk003": (0.5, True, True), "pk001": (0.7, False, False)}


def _people() -> list[tuple]:
    rows = []
    for t, team in enumerate(TEAMS):
        manager = f"pk{t * 6 + 1:03d}"
        for i in range(6):
            key = f"pk{t * 6 + i + 1:03d}"
            started = date(2026, 9, 14) if (t, i) == (0, 5) else date(2023, 1, 9) + timedelta(days=97 * i)
            rows.append(
                (
                    key,
                    f"p{t * 6 + i + 1:03d}",
                    NAMES[t * 6 + i],
                    team,
                    None if key == manager else manager,
                    started,
                    ["Europe/Berlin", "America/New_York", "Asia/Kolkata"][t],
                    f"L{3 + i % 3}",
                    *INTENT.get(key, (0.7, False, True)),  # target, has_personal_target, seeks_promotion
                )
            )
    return rows


def _events(rng: random.Random, people: list[tuple]) -> list[list]:
    events = []
    for week in range(WEEKS):
        monday = FIRST_WEEK + timedelta(weeks=week)
        for key, _, _, team, *_ in people:
            teammates = [p[0] for p in people if p[3] == team and p[0] != key]
            for category, (promotable, activity, source, hours) in CATEGORIES.items():
                for _ in range(_how_many(rng, key, category)):
                    local = datetime(monday.year, monday.month, monday.day) + timedelta(
                        days=rng.randrange(7), hours=rng.choice([3, 10, 11, 14, 16, 20, 23])
                    )
                    band = (
                        "sleep"
                        if local.hour >= 22 or local.hour < 8
                        else "off_hours"
                        if local.hour >= 18 or local.weekday() >= 5
                        else "business"
                    )
                    n = len(events) + 1
                    event = {
                        "event_key": f"ev{n:05d}",
                        "person_key": key,
                        "occurred_at": local - timedelta(hours=2),
                        "occurred_at_local": local,
                        "source": source,
                        "activity_type": activity,
                        "object_id": f"obj-{n}",
                        "work_category": category,
                        "is_promotable": promotable,
                        "effort_hours": round(hours * rng.uniform(0.5, 1.5), 2),
                        "duration_hours": None,
                        "rule_id": f"{source}.{category}",
                        "time_band": band,
                        "is_after_hours": band != "business",
                        "is_sleep_hours": band == "sleep",
                        "counterpart_person_key": rng.choice(teammates)
                        if activity in ("review_submitted", "commit_on_others_pr")
                        else None,
                        "source_url": f"http://sandbox.invalid/{source}/{n}",
                        "title": None if n % 17 == 0 else rng.choice(TITLES),
                        "evidence": "default" if n % 11 == 0 else "title",
                        "is_default_guess": n % 11 == 0,
                    }
                    events.append(list(event.values()))
    return events


def _how_many(rng: random.Random, key: str, category: str) -> int:
    if key == "pk002" and category in ("incident_response", "code_review", "coordination"):
        return rng.randint(3, 5)  # the incident sink of payments, in the competence trap
    if key == "pk002" and category in ("launch", "design_leadership"):
        return 0
    if key == "pk006" and category == "onboarding_mentoring":
        return 0  # the new hire is onboarded, not onboarding
    if category == "onboarding_mentoring" and key in ("pk003", "pk004"):
        return rng.randint(1, 2)
    return rng.choice([0, 0, 1, 1, 2])


def _reviews(events: list[list]) -> list[tuple]:
    pairs: dict[tuple[str, str], list[int]] = {}
    for event in events:
        if event[5] == "review_submitted":
            counts = pairs.setdefault((event[1], event[15]), [0, 0, 0])
            requested = int(event[0][-1]) % 3 != 0
            counts[0] += 1
            counts[1 if requested else 2] += 1
    return [(reviewer, author, *counts) for (reviewer, author), counts in sorted(pairs.items())]
