{% set src = optional_source('oncall', 'pagerduty_incidents', {
    'id': dbt.type_string(), 'incident_number': dbt.type_int(), 'title': dbt.type_string(),
    'urgency': dbt.type_string(), 'status': dbt.type_string(), 'created_at': dbt.type_timestamp(),
    'html_url': dbt.type_string()}) %}
select
    id as incident_id,
    incident_number,
    title,
    urgency,
    status,
    {{ to_utc('created_at') }} as triggered_at,
    html_url
from {{ src }}
