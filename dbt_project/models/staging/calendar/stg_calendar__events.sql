{% set src = source('calendar', 'events') %}
{% set private_expr = "coalesce(" ~ column_or_null(src, 'visibility', dbt.type_string()) ~ ", 'default') in ('private', 'confidential')" %}
select
    calendar_id,
    -- Outlook's ids differ in each attendee's mailbox; its iCalUId is the meeting's in all of them
    case when feed = 'outlook' then coalesce({{ column_or_null(src, 'i_cal_uid', dbt.type_string()) }}, id) else id end as event_id,
    feed,
    status,
    -- private events are counted by duration, their title is never kept (the connector drops it too)
    case when {{ private_expr }} then null else summary end as summary,
    coalesce({{ column_or_null(src, 'event_type', dbt.type_string()) }}, 'default') as event_type,
    coalesce({{ column_or_null(src, 'transparency', dbt.type_string()) }}, 'opaque') as transparency,
    coalesce({{ column_or_null(src, 'visibility', dbt.type_string()) }}, 'default') as visibility,
    {{ private_expr }} as is_private,
    lower({{ json_text('organizer', 'email') }}) as organizer_email,
    recurring_event_id,
    recurring_event_id is not null as is_recurring,
    {{ dbt.cast('is_all_day', dbt.type_boolean()) }} as is_all_day,
    {{ to_utc("coalesce(" ~ json_text('start', 'dateTime') ~ ", " ~ json_text('start', 'date') ~ ")") }} as starts_at,
    {{ to_utc("coalesce(" ~ json_text('"end"', 'dateTime') ~ ", " ~ json_text('"end"', 'date') ~ ")") }} as ends_at,
    attendees as attendees_json,
    html_link as html_url
from {{ src }}
