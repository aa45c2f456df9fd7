-- Per person, ISO week (Monday, in the person's own time zone) and work category: events and effort,
-- with the person's non-promotable share of that week's effort repeated on each row.
with events as (
    select
        person_key,
        {{ dbt.cast(dbt.date_trunc('week', 'occurred_at_local'), 'date') }} as week_start,
        work_category,
        is_promotable,
        effort_hours
    from {{ ref('fct_work_events') }}
),

by_category as (
    select
        person_key, week_start, work_category, is_promotable,
        count(*) as events,
        sum(effort_hours) as effort_hours
    from events
    group by person_key, week_start, work_category, is_promotable
),

by_week as (
    select
        person_key, week_start,
        sum(effort_hours) as week_effort_hours,
        -- `other` (is_promotable null) is neither promotable nor not: shares are of classified effort
        sum(case when is_promotable is not null then effort_hours else 0 end) as classified_hours,
        sum(case when not is_promotable then effort_hours else 0 end) as non_promotable_hours,
        sum(case when is_promotable then effort_hours else 0 end) as promotable_hours
    from by_category
    group by person_key, week_start
)

select
    c.person_key,
    c.week_start,
    c.work_category,
    c.is_promotable,
    c.events,
    c.effort_hours,
    w.week_effort_hours,
    case when w.classified_hours > 0 then w.non_promotable_hours / w.classified_hours end as non_promotable_share,
    case when w.classified_hours > 0 then w.promotable_hours / w.classified_hours end as promotable_share
from by_category as c
inner join by_week as w on c.person_key = w.person_key and c.week_start = w.week_start
