-- Per team, month and work category: how concentrated the work is among the team's people.
-- Everyone on the team counts (people who did none of it add zeros to the Gini). When
-- var('opt_out_counts_in_team_totals') says so, opted-out people count in the team's totals
-- (effort_hours, team_members) only: the measures of concentration are over the others.
{% set keep = 'true' if opt_out_counts_in_team_totals() else 'not is_opted_out' %}
with people as (
    select person_key, team, is_opted_out from {{ ref('int_people__keyed') }}
    where {{ keep }}
),

effort as (
    select
        person_key,
        team,
        {{ dbt.cast(dbt.date_trunc('month', 'occurred_at_local'), 'date') }} as month,
        work_category,
        -- rounded: a sum of doubles differs in its last bits run to run (parallel aggregation), and
        -- equal efforts must tie (then person_key decides the top person), not rank by that noise
        {{ round_float("sum(effort_hours)", 6) }} as effort_hours
    from {{ ref('int_work_events__all_people') }}
    where {{ keep }}
    group by person_key, team, {{ dbt.date_trunc('month', 'occurred_at_local') }}, work_category
),

cells as (
    select distinct team, month, work_category from effort
),

-- every team member for every cell, with zero effort where they did none
filled as (
    select c.team, c.month, c.work_category, p.person_key, p.is_opted_out, coalesce(e.effort_hours, 0) as effort_hours
    from cells as c
    inner join people as p on c.team = p.team
    left join effort as e
        on e.person_key = p.person_key and e.month = c.month and e.work_category = c.work_category
),

totals as (
    select team, month, work_category, sum(effort_hours) as team_hours, count(*) as team_members
    from filled
    group by team, month, work_category
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
    where not is_opted_out
),

concentration as (
    select
        team,
        month,
        work_category,
        sum(case when effort_hours > 0 then 1 else 0 end) as contributors,
        max(case when desc_rank = 1 and effort_hours > 0 then effort_hours end) as top_hours,
        max(case when desc_rank = 1 and effort_hours > 0 then person_key end) as top_person_key,
        -- Gini: 2 * sum(rank * x) / (n * sum(x)) - (n + 1) / n, ranks ascending
        case when max(total_hours) > 0 then
            2.0 * sum(asc_rank * effort_hours) / (max(members) * max(total_hours)) - (max(members) + 1.0) / max(members)
        end as gini,
        min(case when cumulative_desc >= 0.5 * total_hours and total_hours > 0 then desc_rank end) as people_for_half_of_work
    from ranked
    group by team, month, work_category
)

select
    t.team,
    t.month,
    t.work_category,
    t.team_members,
    coalesce(c.contributors, 0) as contributors,
    t.team_hours as effort_hours,
    c.top_hours / nullif(t.team_hours, 0) as top_person_share,
    c.top_person_key,
    c.gini,
    c.people_for_half_of_work,
    coalesce(t.team_members > 1 and c.top_hours > {{ var('concentration_top_share') }} * t.team_hours, false)
        as is_concentrated
from totals as t
left join concentration as c
    on t.team = c.team and t.month = c.month and t.work_category = c.work_category
