-- One row per person and meeting organized or attended (the activity vocabulary of
-- docs/CONTRACTS.md), unclassified; people not in the roster have a null person_id
-- (int_activity__unioned leaves them out).
with meetings as (
    select m.*, o.person_id as organizer_person_id
    from {{ ref('int_calendar__meetings') }} as m
    left join {{ ref('int_calendar__attendance') }} as o on m.event_id = o.event_id and o.role = 'organizer'
),

meeting_organized as (
    select
        'calendar' as source,
        'meeting_organized' as activity_type,
        event_id as object_id,
        organizer_person_id as person_id,
        cast(null as {{ dbt.type_string() }}) as counterpart_person_id,
        starts_at as occurred_at,
        duration_hours,
        html_url as source_url,
        title,
        'meeting' as item_type,
        event_id as item_ref
    from meetings
),

meeting_attended as (
    select
        'calendar' as source,
        'meeting_attended' as activity_type,
        m.event_id as object_id,
        a.person_id,
        m.organizer_person_id as counterpart_person_id,
        m.starts_at as occurred_at,
        m.duration_hours,
        m.html_url as source_url,
        m.title,
        'meeting' as item_type,
        m.event_id as item_ref
    from {{ ref('int_calendar__attendance') }} as a
    inner join meetings as m on a.event_id = m.event_id
    where a.role = 'attendee'
)

{{ union_activity(['meeting_organized', 'meeting_attended']) }}
