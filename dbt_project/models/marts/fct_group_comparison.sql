-- Non-promotable share by self-reported group attribute (roster `attributes`). An attribute's
-- groups are all suppressed when any of them has fewer than var('group_min_people') people, so no
-- small group can be recovered by subtracting the others from a total (complement suppression).
with attributes as (
    select person_id, attribute, {{ json_text_at_key('attributes_json', 'attribute') }} as group_value
    from (
        select person_id, attributes_json, {{ json_object_keys('attributes_json') }} as attribute
        from {{ ref('stg_people__people') }}
        where attributes_json is not null
    ) as a
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
        a.attribute,
        a.group_value,
        count(*) as people,
        sum(f.non_promotable_hours) as non_promotable_hours,
        sum(f.classified_hours) as classified_hours
    from attributes as a
    -- opted-out people are not in dim_people, hence not here
    inner join effort as f on a.person_id = f.person_id
    where a.group_value is not null and a.group_value <> ''
    group by a.attribute, a.group_value
),

suppression as (
    select attribute, min(people) < {{ var('group_min_people') }} as is_suppressed
    from cells
    group by attribute
)

select
    c.attribute,
    c.group_value,
    s.is_suppressed,
    case when not s.is_suppressed then c.people end as people,
    case when not s.is_suppressed and c.classified_hours > 0 then c.non_promotable_hours / c.classified_hours end as non_promotable_share,
    {{ var('group_min_people') }} as min_people_per_group
from cells as c
inner join suppression as s on c.attribute = s.attribute
