-- One row per roster person (opt-outs removed). Names and person_id live only here: marts use person_key.
select
    p.person_key,
    p.person_id,
    p.display_name,
    p.team,
    m.person_key as manager_key,
    p.start_date,
    p.time_zone,
    p.level,
    p.target_promotable_share,
    p.has_personal_target,
    p.seeks_promotion
from {{ ref('int_people__keyed') }} as p
left join {{ ref('int_people__keyed') }} as m on p.manager_id = m.person_id and not m.is_opted_out
where not p.is_opted_out
