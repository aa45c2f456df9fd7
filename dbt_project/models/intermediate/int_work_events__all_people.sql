-- One row per classified piece of work of every roster person, opted-out ones flagged (fct_work_events
-- drops them; team totals may keep them): who, when (and in which part of their own day), what kind,
-- how much effort, which rule decided it on what kind of evidence, and where the evidence lives. Work older than
-- var('retention_days') is left out, so every mart forgets it.
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
        k.work_category,
        k.rule_id,
        k.evidence,
        p.person_key,
        p.team,
        p.is_opted_out,
        {{ utc_to_local('a.occurred_at', 'p.time_zone') }} as occurred_at_local
    from activity as a
    inner join people as p on a.person_id = p.person_id
    inner join {{ ref('int_activity__classified') }} as k on a.activity_id = k.activity_id
),

banded as (
    select
        *,
        case
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
    b.title
from banded as b
inner join {{ ref('work_categories') }} as c on b.work_category = c.category
left join {{ ref('effort_weights') }} as w on b.source = w.source and b.activity_type = w.activity_type
-- an opted-out counterpart is not named either
left join people as cp on b.counterpart_person_id = cp.person_id and not cp.is_opted_out
