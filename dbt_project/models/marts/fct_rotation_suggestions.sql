-- Who could take over concentrated hidden work: for each team, month and hidden category that
-- fct_team_concentration flags (is_concentrated), the team's other members who did some of that
-- category in the var('rotation_window_days') days up to the month's end (or the last day with any
-- work, when the month is not over), ranked by their hidden load (non-promotable hours per week
-- over the last var('rotation_load_days') days of that window), lowest first; more experience in
-- the category breaks ties (sums rounded to 6 decimals, so equal loads tie on every run). The reason
-- says why, in a sentence. People come from dim_people and
-- their work from fct_person_daily_load, so opted-out people are never suggested; the person who
-- carries the work (top_person_key) is not a candidate.
{% set window_days = var('rotation_window_days') | int %}
{% set load_days = var('rotation_load_days') | int %}
{% set reach_days = [window_days, load_days] | max %}
with concentrated as (
    select c.team, c.month, c.work_category, c.top_person_key, c.top_person_share, c.effort_hours
    from {{ ref('fct_team_concentration') }} as c
    inner join {{ ref('dim_work_categories') }} as k on c.work_category = k.work_category
    where c.is_concentrated and k.kind = 'hidden'
),

last_day as (
    select max(day) as last_day from {{ ref('fct_person_daily_load') }}
),

windows as (
    select
        c.*,
        least({{ dbt.last_day('c.month', 'month') }}, d.last_day) as as_of
    from concentrated as c
    cross join last_day as d
),

bounds as (
    select
        *,
        {{ dbt.cast(dbt.dateadd('day', -1 * window_days, 'as_of'), 'date') }} as window_start,
        {{ dbt.cast(dbt.dateadd('day', -1 * load_days, 'as_of'), 'date') }} as load_start,
        {{ dbt.cast(dbt.dateadd('day', -1 * reach_days, 'as_of'), 'date') }} as reach_start
    from windows
),

members as (
    select b.*, p.person_key
    from bounds as b
    inner join {{ ref('dim_people') }} as p on b.team = p.team
    where p.person_key <> b.top_person_key
),

experience as (
    select
        m.team,
        m.month,
        m.work_category,
        m.person_key,
        {{ stable_sum(
            'case when l.work_category = m.work_category and l.day > m.window_start then l.effort_hours else 0 end'
        ) }} as category_hours,
        {{ stable_sum('case when not l.is_promotable and l.day > m.load_start then l.effort_hours else 0 end') }}
            as hidden_hours
    from members as m
    inner join {{ ref('fct_person_daily_load') }} as l
        on m.person_key = l.person_key and l.day > m.reach_start and l.day <= m.as_of
    group by m.team, m.month, m.work_category, m.person_key
),

candidates as (
    select
        e.*,
        e.hidden_hours * 7.0 / {{ load_days }} as hidden_hours_per_week
    from experience as e
    where e.category_hours > 0
),

ranked as (
    select
        *,
        row_number() over (
            partition by team, month, work_category
            order by hidden_hours_per_week, category_hours desc, person_key
        ) as suggestion_rank,
        count(*) over (partition by team, month, work_category) as candidates
    from candidates
)

select
    r.team,
    r.month,
    r.work_category,
    b.top_person_key,
    b.top_person_share,
    b.as_of,
    r.person_key,
    r.suggestion_rank,
    r.candidates,
    r.category_hours,
    r.hidden_hours_per_week,
    {{ dbt.concat([
        "'did '", tenths_as_text(to_tenths('r.category_hours')), "' h of '", 'r.work_category',
        "' in the last " ~ window_days ~ " days; hidden load '", tenths_as_text(to_tenths('r.hidden_hours_per_week')),
        "' h/week, '",
        "case when r.candidates = 1 then 'the only other one in the team who did it' else "
            ~ dbt.concat([
                "case when r.suggestion_rank = 1 then 'lowest' else "
                    ~ dbt.concat([ordinal('r.suggestion_rank'), "' lowest'"]) ~ " end",
                "' of the '", dbt.cast('r.candidates', dbt.type_string()), "' others in the team who did it'",
            ]) ~ " end",
    ]) }} as reason
from ranked as r
inner join bounds as b on r.team = b.team and r.month = b.month and r.work_category = b.work_category
