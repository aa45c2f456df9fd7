-- Non-promotable share by self-reported group attribute (roster `attributes`). Everyone in dim_people
-- falls in one cell of each attribute ('(not stated)' when they left it out), so the cells add up to
-- the known head count. Cells under var('group_min_people') people are suppressed, and with them
-- the next smallest cells until the suppressed ones are at least two and hold at least k people
-- together: subtracting the shown cells from the total then never isolates a small group.
with people as (
    select p.person_id, p.attributes_json
    from {{ ref('int_people__keyed') }} as p
    inner join {{ ref('dim_people') }} as d on p.person_key = d.person_key
),

attributes as (
    select distinct attribute
    from (select {{ json_object_keys('attributes_json') }} as attribute from people where attributes_json is not null) as k
),

memberships as (
    select
        a.attribute,
        p.person_id,
        coalesce(nullif({{ json_text_at_key('p.attributes_json', 'a.attribute') }}, ''), '(not stated)') as group_value
    from attributes as a
    cross join people as p
),

effort as (
    select
        d.person_id,
        sum(case when e.is_promotable = false then e.effort_hours else 0 end) as non_promotable_hours,
        sum(case when e.is_promotable is not null then e.effort_hours else 0 end) as classified_hours
    from {{ ref('fct_work_events') }} as e
    inner join {{ ref('dim_people') }} as d on e.person_key = d.person_key
    group by d.person_id
),

cells as (
    select
        m.attribute,
        m.group_value,
        count(*) as people,
        coalesce(sum(f.non_promotable_hours), 0) as non_promotable_hours,
        coalesce(sum(f.classified_hours), 0) as classified_hours
    from memberships as m
    left join effort as f on m.person_id = f.person_id
    group by m.attribute, m.group_value
),

ranked as (
    select
        *,
        row_number() over (partition by attribute order by people, group_value) as size_rank,
        sum(people) over (partition by attribute order by people, group_value
                          rows between unbounded preceding and current row) as people_up_to_here,
        sum(case when people < {{ var('group_min_people') }} then 1 else 0 end) over (partition by attribute) as small_cells
    from cells
),

-- a cut-off that works: the smallest cells up to here include every small one, are at least two
-- and hold at least k people together
cut_offs as (
    select
        *,
        size_rank >= greatest(small_cells, 2) and people_up_to_here >= {{ var('group_min_people') }} as is_enough
    from ranked
),

-- how many of the smallest cells are suppressed: none without a small cell, else the first cut-off
-- that works (all cells when none does)
suppressed_count as (
    select
        attribute,
        case when max(small_cells) = 0 then 0
            else coalesce(min(case when is_enough then size_rank end), max(size_rank))
        end as cells_suppressed
    from cut_offs
    group by attribute
)

select
    r.attribute,
    r.group_value,
    r.size_rank <= s.cells_suppressed as is_suppressed,
    case when r.size_rank > s.cells_suppressed then r.people end as people,
    case when r.size_rank > s.cells_suppressed and r.classified_hours > 0
        then r.non_promotable_hours / r.classified_hours end as non_promotable_share,
    {{ var('group_min_people') }} as min_people_per_group
from ranked as r
inner join suppressed_count as s on r.attribute = s.attribute
