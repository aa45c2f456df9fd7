-- Per person, day (on the person's clock) and work category: events and effort, with the person's
-- team. Additive over days, so any period's load is a sum: a person's share of their team's load
-- in a category (the evidence packets' summary) is their effort over the team's, summed over the
-- period's days.
select
    e.person_key,
    p.team,
    {{ dbt.cast('e.occurred_at_local', 'date') }} as day,
    e.work_category,
    e.is_promotable,
    count(*) as events,
    sum(e.effort_hours) as effort_hours
from {{ ref('fct_work_events') }} as e
inner join {{ ref('dim_people') }} as p on e.person_key = p.person_key
group by e.person_key, p.team, {{ dbt.cast('e.occurred_at_local', 'date') }}, e.work_category, e.is_promotable
