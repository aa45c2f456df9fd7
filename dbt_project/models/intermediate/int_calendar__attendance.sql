-- Who took part in each meeting: the organizer, and every invitee who did not decline.
with meetings as (
    select * from {{ ref('int_calendar__meetings') }}
),

invitees as (
    select
        event_id,
        lower({{ json_text('attendee', 'email') }}) as email,
        coalesce({{ json_text('attendee', 'responseStatus') }}, 'needsAction') as response_status,
        coalesce({{ json_text('attendee', 'organizer') }}, 'false') = 'true' as is_organizer_entry
    from (
        select event_id, {{ json_array_elements('attendees_json') }} as attendee
        from meetings
    ) as a
),

ids as (
    select identity_value as email, person_id
    from {{ ref('int_people__identities') }}
    where identity_type = 'email'
)

select
    m.event_id,
    'organizer' as role,
    o.person_id,
    m.organizer_email as email
from meetings as m
left join ids as o on m.organizer_email = o.email

union all

select
    i.event_id,
    'attendee' as role,
    p.person_id,
    i.email
from invitees as i
inner join meetings as m on i.event_id = m.event_id
left join ids as p on i.email = p.email
where not i.is_organizer_entry
  and i.response_status <> 'declined'
  and i.email <> coalesce(m.organizer_email, '')
