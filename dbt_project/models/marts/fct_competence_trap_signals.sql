-- The competence-trap signal per person: the longest run of consecutive weeks in which the
-- non-promotable share stayed above var('trap_non_promotable_share') while the promotable share
-- stayed below var('trap_promotable_share'); flagged when it lasts var('trap_min_weeks') weeks.
with weeks as (
    select distinct person_key, week_start, non_promotable_share, promotable_share
    from {{ ref('fct_person_weekly_allocation') }}
),

marked as (
    select
        *,
        coalesce(non_promotable_share > {{ var('trap_non_promotable_share') }}
            and promotable_share < {{ var('trap_promotable_share') }}, false) as is_trap_week
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
        count(*) as weeks_observed,
        sum(case when is_trap_week then 1 else 0 end) as trap_weeks,
        avg(non_promotable_share) as avg_non_promotable_share,
        avg(promotable_share) as avg_promotable_share
    from marked
    group by person_key
)

select
    s.person_key,
    s.weeks_observed,
    s.trap_weeks,
    s.avg_non_promotable_share,
    s.avg_promotable_share,
    coalesce(l.weeks, 0) as longest_trap_streak_weeks,
    l.first_week as streak_first_week,
    l.last_week as streak_last_week,
    coalesce(l.weeks, 0) >= {{ var('trap_min_weeks') }} as is_flagged
from summary as s
left join longest as l on s.person_key = l.person_key and l.rn = 1
