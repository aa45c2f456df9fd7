-- The competence-trap signal per person, against the person's own target (dim_people): the longest
-- run of consecutive weeks in which the non-promotable share stayed above
-- var('trap_non_promotable_share') while the promotable share stayed below the person's threshold,
-- var('trap_promotable_share') scaled by their target over var('default_target_promotable_share')
-- (the default target gives var('trap_promotable_share') itself). The pattern (has_trap_pattern)
-- lasts var('trap_min_weeks') weeks; it is flagged only for people who seek promotion. Everyone
-- keeps their record of value: reliability (incident_response), mentoring (onboarding_mentoring)
-- and stewardship (every other non-promotable category) hours, and the weeks below their target.
{% set default_target = var('default_target_promotable_share') | float %}
with people as (
    select person_key, target_promotable_share, has_personal_target, seeks_promotion
    from {{ ref('dim_people') }}
),

allocation as (
    select a.*, p.target_promotable_share
    from {{ ref('fct_person_weekly_allocation') }} as a
    inner join people as p on a.person_key = p.person_key
),

weeks as (
    select distinct
        person_key,
        week_start,
        non_promotable_share,
        promotable_share,
        target_promotable_share,
        {% if default_target > 0 -%}
            {{ var('trap_promotable_share') }} * (target_promotable_share / {{ default_target }})
        {%- else -%}
            {{ var('trap_promotable_share') }}
        {%- endif %} as trap_promotable_threshold
    from allocation
),

-- shares and threshold rounded to 9 digits before comparing: the hour sums behind a share add up
-- in another order on each engine and run, and a share on a boundary must fall the same side
marked as (
    select
        *,
        coalesce({{ round_float('non_promotable_share', 9) }} > {{ var('trap_non_promotable_share') }}
            and {{ round_float('promotable_share', 9) }} < {{ round_float('trap_promotable_threshold', 9) }}, false)
            as is_trap_week,
        coalesce({{ round_float('promotable_share', 9) }} < {{ round_float('target_promotable_share', 9) }}, false)
            as is_below_target_week
    from weeks
),

-- consecutive trap weeks share a run id: week number minus the trap-week count so far
runs as (
    select
        *,
        {{ dbt.datediff("cast('2000-01-03' as date)", 'week_start', 'week') }}
            - row_number() over (partition by person_key, is_trap_week order by week_start) as run_id
    from marked
),

run_lengths as (
    select person_key, run_id, count(*) as weeks, min(week_start) as first_week, max(week_start) as last_week
    from runs
    where is_trap_week
    group by person_key, run_id
),

longest as (
    select
        *,
        row_number() over (partition by person_key order by weeks desc, last_week desc) as rn
    from run_lengths
),

summary as (
    select
        person_key,
        max(trap_promotable_threshold) as trap_promotable_threshold,
        count(*) as weeks_observed,
        sum(case when is_trap_week then 1 else 0 end) as trap_weeks,
        sum(case when is_below_target_week then 1 else 0 end) as weeks_below_target,
        avg(non_promotable_share) as avg_non_promotable_share,
        avg(promotable_share) as avg_promotable_share
    from marked
    group by person_key
),

value as (
    select
        person_key,
        {{ stable_sum("case when work_category = 'incident_response' then effort_hours else 0 end") }}
            as reliability_hours,
        {{ stable_sum("case when work_category = 'onboarding_mentoring' then effort_hours else 0 end") }}
            as mentoring_hours,
        {{ stable_sum(
            "case when not is_promotable and work_category not in ('incident_response', 'onboarding_mentoring')"
            ~ " then effort_hours else 0 end"
        ) }} as stewardship_hours
    from allocation
    group by person_key
)

select
    s.person_key,
    p.target_promotable_share,
    p.has_personal_target,
    p.seeks_promotion,
    s.trap_promotable_threshold,
    s.weeks_observed,
    s.trap_weeks,
    s.weeks_below_target,
    s.avg_non_promotable_share,
    s.avg_promotable_share,
    s.avg_promotable_share - p.target_promotable_share as target_gap,
    coalesce(l.weeks, 0) as longest_trap_streak_weeks,
    l.first_week as streak_first_week,
    l.last_week as streak_last_week,
    coalesce(l.weeks, 0) >= {{ var('trap_min_weeks') }} as has_trap_pattern,
    coalesce(l.weeks, 0) >= {{ var('trap_min_weeks') }} and p.seeks_promotion as is_flagged,
    v.reliability_hours,
    v.mentoring_hours,
    v.stewardship_hours
from summary as s
inner join people as p on s.person_key = p.person_key
left join longest as l on s.person_key = l.person_key and l.rn = 1
left join value as v on s.person_key = v.person_key
