-- Per team, month and work category: how concentrated the work is among the team's people.
-- Everyone on the team counts (people who did none of it add zeros to the Gini).
with people as (
    select person_key, team from {{ ref('dim_people') }}
),

effort as (
    select
        e.person_key,
        p.team,
        {{ dbt.cast(dbt.date_trunc('month', 'e.occurred_at_local'), 'date') }} as month,
        e.work_category,
        sum(e.effort_hours) as effort_hours
    from {{ ref('fct_work_events') }} as e
    inner join people as p on e.person_key = p.person_key
    group by e.person_key, p.team, {{ dbt.date_trunc('month', 'e.occurred_at_local') }}, e.work_category
),

cells as (
    select distinct team, month, work_category from effort
),

-- every team member for every cell, with zero effort where they did none
filled as (
    select c.team, c.month, c.work_category, p.person_key, coalesce(e.effort_hours, 0) as effort_hours
    from cells as c
    inner join people as p on c.team = p.team
    left join effort as e
        on e.person_key = p.person_key and e.month = c.month and e.work_category = c.work_category
),

ranked as (
    select
        *,
        row_number() over (partition by team, month, work_category order by effort_hours, person_key) as asc_rank,
        row_number() over (partition by team, month, work_category order by effort_hours desc, person_key) as desc_rank,
        sum(effort_hours) over (
            partition by team, month, work_category order by effort_hours desc, person_key
            rows between unbounded preceding and current row
        ) as cumulative_desc,
        sum(effort_hours) over (partition by team, month, work_category) as total_hours,
        count(*) over (partition by team, month, work_category) as members
    from filled
)

select
    team,
    month,
    work_category,
    max(members) as team_members,
    sum(case when effort_hours > 0 then 1 else 0 end) as contributors,
    max(total_hours) as effort_hours,
    max(case when desc_rank = 1 then effort_hours end) / nullif(max(total_hours), 0) as top_person_share,
    max(case when desc_rank = 1 then person_key end) as top_person_key,
    -- Gini over the team: 2 * sum(rank * x) / (n * sum(x)) - (n + 1) / n, ranks ascending
    case when max(total_hours) > 0 then
        2.0 * sum(asc_rank * effort_hours) / (max(members) * max(total_hours)) - (max(members) + 1.0) / max(members)
    end as gini,
    min(case when cumulative_desc >= 0.5 * total_hours and total_hours > 0 then desc_rank end) as people_for_half_of_work,
    max(members) > 1
        and max(case when desc_rank = 1 then effort_hours end) > {{ var('concentration_top_share') }} * max(total_hours)
        as is_concentrated
from ranked
group by team, month, work_category
