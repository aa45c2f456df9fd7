-- Per team, month and work category: events and effort, with the team's non-promotable share of that
-- month's classified effort repeated on each row. A month is the calendar month of the person's own
-- day (occurred_at_local), as in fct_team_concentration.
with events as (
    select
        p.team,
        {{ dbt.cast(dbt.date_trunc('month', 'e.occurred_at_local'), 'date') }} as month,
        e.work_category,
        e.is_promotable,
        e.effort_hours
    from {{ ref('fct_work_events') }} as e
    inner join {{ ref('dim_people') }} as p on e.person_key = p.person_key
),

by_category as (
    select
        team, month, work_category, is_promotable,
        count(*) as events,
        sum(effort_hours) as effort_hours
    from events
    group by team, month, work_category, is_promotable
),

by_month as (
    select
        team, month,
        sum(case when not is_promotable then effort_hours else 0 end) as non_promotable_hours,
        -- `other` (is_promotable null) is neither promotable nor not: shares are of classified effort
        sum(case when is_promotable is not null then effort_hours else 0 end) as classified_hours
    from by_category
    group by team, month
)

select
    c.team,
    c.month,
    c.work_category,
    c.is_promotable,
    c.events,
    c.effort_hours,
    m.non_promotable_hours,
    m.classified_hours,
    case when m.classified_hours > 0 then m.non_promotable_hours / m.classified_hours end as non_promotable_share
from by_category as c
inner join by_month as m on c.team = m.team and c.month = m.month
