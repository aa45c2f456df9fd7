{% set src = optional_source('oncall', 'pagerduty_users', {
    'id': dbt.type_string(), 'email': dbt.type_string(), 'name': dbt.type_string(), 'time_zone': dbt.type_string()}) %}
select
    id as user_id,
    lower(email) as email,
    name as display_name,
    time_zone
from {{ src }}
