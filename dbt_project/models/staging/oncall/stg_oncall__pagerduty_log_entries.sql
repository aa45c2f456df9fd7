-- PagerDuty's log of an incident: who was notified (notify_log_entry.user) and who acknowledged
-- (acknowledge_log_entry.agent, a user), beside the trigger, assign, escalate and resolve entries.
{% set columns = {'id': dbt.type_string(), 'type': dbt.type_string(), 'created_at': dbt.type_timestamp(),
    'incident_id': dbt.type_string(), 'agent': dbt.type_string(), 'user': dbt.type_string()} %}
{% set src = optional_source('oncall', 'pagerduty_log_entries', columns) %}
{# `user` is there once some entry is a notification #}
{% set user_json = '"user"' if src is string else column_or_null(src, 'user', dbt.type_string()) %}
select
    id as log_entry_id,
    incident_id,
    replace(type, '_log_entry', '') as entry_type,
    {{ to_utc('created_at') }} as created_at,
    case
        when type = 'notify_log_entry' then {{ json_text(user_json, 'id') }}
        when {{ json_text('agent', 'type') }} = 'user_reference' then {{ json_text('agent', 'id') }}
    end as user_id
from {{ src }}
