-- Opsgenie's log of an alert. A notification names its recipient in brackets ("Sent [SMS]
-- notification to [ana@example.com] successfully"); an acknowledgement is owned by who acknowledged.
{% set src = optional_source('oncall', 'opsgenie_alert_logs', {
    'alert_id': dbt.type_string(), 'offset': dbt.type_string(), 'log': dbt.type_string(),
    'type': dbt.type_string(), 'owner': dbt.type_string(), 'created_at': dbt.type_timestamp()}) %}
with logs as (
    select
        alert_id,
        "offset" as log_offset,
        log as log_text,
        type as log_type,
        lower(owner) as owner,
        {{ to_utc('created_at') }} as created_at,
        lower({{ regex_extract('log', "'notification to \\[([A-Za-z0-9._%+@-]+)\\]'", 1) }}) as notified_email
    from {{ src }}
)

select
    *,
    case
        when notified_email is not null then 'notify'
        when lower(log_text) like 'alert acknowledged%' then 'acknowledge'
        when lower(log_text) like 'escalated%' then 'escalate'
        when lower(log_text) like 'alert closed%' then 'resolve'
    end as entry_type,
    case when notified_email is not null then notified_email when lower(log_text) like 'alert acknowledged%' then owner end
        as email
from logs
