-- One row per calendar event (the same id appears in the calendar of every invitee), with the
-- cleaning rules applied: only real meetings remain.
with events as (
    select * from {{ ref('stg_calendar__events') }}
),

-- the copy to keep of each event, ranked on its keys alone: a window over whole rows holds every
-- attendee list in memory at once (1,000 people ran out of 512MB)
kept_copies as (
    select event_id, calendar_id
    from (
        select
            event_id,
            calendar_id,
            row_number() over (
                partition by event_id
                order by case when calendar_id = organizer_email then 0 else 1 end, calendar_id
            ) as copy_rank
        from events
    ) as ranked
    where copy_rank = 1
),

deduped as (
    select
        e.*,
        {{ dbt.datediff('e.starts_at', 'e.ends_at', 'minute') }} / 60.0 as duration_hours,
        {{ json_array_length('e.attendees_json') }} as attendee_count
    from events as e
    inner join kept_copies as k on e.event_id = k.event_id and e.calendar_id = k.calendar_id
),

-- the single invitee of a two-person meeting (declined or not), for telling 1:1s apart
invitees as (
    select event_id, lower({{ json_text('attendee', 'email') }}) as email,
        coalesce({{ json_text('attendee', 'organizer') }}, 'false') = 'true' as is_organizer_entry
    from (select event_id, {{ json_array_elements('attendees_json') }} as attendee from deduped) as a
),

only_invitee as (
    select event_id, max(email) as email
    from invitees
    where not is_organizer_entry
    group by event_id
    having count(*) = 1
)

select
    deduped.event_id,
    feed,
    calendar_id,
    summary as title,
    is_private,
    is_recurring,
    organizer_email,
    o.email as only_invitee_email,
    starts_at,
    ends_at,
    duration_hours,
    attendee_count,
    attendees_json,
    html_url
from deduped
left join only_invitee as o on deduped.event_id = o.event_id
where status <> 'cancelled'
  -- focus time, out of office and working location entries are not meetings
  and event_type = 'default'
  -- free (transparent) entries block no time
  and transparency <> 'transparent'
  and duration_hours <= {{ var('max_meeting_hours') }}
  and attendee_count <= {{ var('max_meeting_attendees') }}
