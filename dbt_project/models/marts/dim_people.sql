-- One row per roster person (opt-outs removed). person_id lives only here: marts use person_key.
with people as (
    select * from {{ ref('stg_people__people') }}
    {% if var('opt_out_person_ids') %}
    where person_id not in ({% for p in var('opt_out_person_ids') %}'{{ p }}'{{ ',' if not loop.last }}{% endfor %})
    {% endif %}
)

select
    {{ person_key('person_id') }} as person_key,
    person_id,
    display_name,
    team,
    case when manager_id is not null then {{ person_key('manager_id') }} end as manager_key,
    start_date,
    time_zone,
    level
from people
