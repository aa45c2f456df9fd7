{% set src = optional_source('oncall', 'opsgenie_alerts', {
    'id': dbt.type_string(), 'tiny_id': dbt.type_string(), 'message': dbt.type_string(),
    'priority': dbt.type_string(), 'status': dbt.type_string(), 'created_at': dbt.type_timestamp(),
    'html_url': dbt.type_string()}) %}
select
    id as alert_id,
    tiny_id,
    message as title,
    priority,
    -- Opsgenie has priorities, not urgency: P1 and P2 page as PagerDuty's high urgency does
    case when priority in ('P1', 'P2') then 'high' else 'low' end as urgency,
    status,
    -- the alert's page, when SOURCES__ONCALL__WEB_URL names the account's web address
    html_url,
    {{ to_utc('created_at') }} as triggered_at
from {{ src }}
