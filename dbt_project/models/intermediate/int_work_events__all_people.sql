-- One row per classified piece of work of every roster person, opted-out ones flagged (fct_work_events
-- drops them; team totals may keep them): who, when (and in which part of their own day), what kind,
-- how much effort, which rule decided it on what kind of evidence, and where the evidence lives. Work older than
-- var('retention_days') is left out, so every mart forgets it. Self-reports are marked (self_reported)
-- and classified on their own (int_selfreports__classified); endorsed_by_n counts the colleagues who
-- vouched for the item.
with activity as (
    select * from {{ ref('int_activity__unioned') }}
    where occurred_at >= {{ retention_cutoff() }}
),

people as (
    select * from {{ ref('int_people__keyed') }}
),

timed as (
    select
        a.*,
        coalesce(s.work_category, k.work_category) as work_category,
        coalesce(s.rule_id, k.rule_id) as rule_id,
        coalesce(s.evidence, k.evidence) as evidence,
        a.source = 'selfreports' as self_reported,
        coalesce(n.endorsed_by_n, 0) as endorsed_by_n,
        p.person_key,
        p.team,
        p.is_opted_out,
        {{ utc_to_local('a.occurred_at', 'p.time_zone') }} as occurred_at_local
    from activity as a
    inner join people as p on a.person_id = p.person_id
    inner join {{ ref('int_activity__classified') }} as k on a.activity_id = k.activity_id
    left join {{ ref('int_selfreports__classified') }} as s on a.activity_id = s.activity_id
    left join {{ ref('int_selfreports__endorsed_activities') }} as n on a.activity_id = n.activity_id
),

banded as (
    select
        *,
        case
            -- a self-report states a day, not a time: never an after-hours interruption
            when self_reported then 'business'
            when {{ hour_of_day('occurred_at_local') }} >= {{ var('sleep_start_hour') }}
                or {{ hour_of_day('occurred_at_local') }} < {{ var('business_start_hour') }} then 'sleep'
            when {{ iso_day_of_week('occurred_at_local') }} >= 6
                or {{ hour_of_day('occurred_at_local') }} >= {{ var('business_end_hour') }} then 'off_hours'
            else 'business'
        end as time_band
    from timed
)

select
    b.activity_id as event_key,
    b.person_key,
    b.team,
    b.is_opted_out,
    b.occurred_at,
    b.occurred_at_local,
    b.source,
    b.activity_type,
    b.object_id,
    b.work_category,
    c.is_promotable,
    coalesce(b.duration_hours, 0) + coalesce(w.effort_hours, 0) as effort_hours,
    b.duration_hours,
    b.rule_id,
    b.evidence,
    b.evidence = 'default' as is_default_guess,
    b.time_band,
    b.time_band <> 'business' as is_after_hours,
    b.time_band = 'sleep' as is_sleep_hours,
    cp.person_key as counterpart_person_key,
    b.source_url,
    b.title,
    b.self_reported,
    b.endorsed_by_n
from banded as b
inner join {{ ref('work_categories') }} as c on b.work_category = c.category
left join {{ ref('effort_weights') }} as w on b.source = w.source and b.activity_type = w.activity_type
-- an opted-out counterpart is not named either
left join people as cp on b.counterpart_person_id = cp.person_id and not cp.is_opted_out
