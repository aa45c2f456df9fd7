-- One row per person and on-call action (the activity vocabulary of docs/CONTRACTS.md): being paged
-- (oncall_paged) and acknowledging (oncall_acknowledged) an incident; incident_response by the
-- rules. A page answered by someone else names them as the counterpart. People not in the roster
-- have a null person_id (int_activity__unioned leaves them out).
with pages as (
    select * from {{ ref('int_oncall__pages') }}
),

acknowledgers as (
    select incident_ref, min(person_id) as person_id
    from pages
    where action = 'acknowledged'
    group by incident_ref
)

select
    'oncall' as source,
    {{ dbt.concat(["'oncall_'", 'p.action']) }} as activity_type,
    p.incident_ref as object_id,
    p.person_id,
    case
        when p.action = 'paged' and a.person_id is distinct from p.person_id then a.person_id
    end as counterpart_person_id,
    p.occurred_at,
    cast(null as {{ dbt.type_float() }}) as duration_hours,
    p.incident_url as source_url,
    p.title,
    'oncall_incident' as item_type,
    p.incident_ref as item_ref
from pages as p
left join acknowledgers as a on p.incident_ref = a.incident_ref
