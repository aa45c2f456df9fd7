select
    person_id,
    display_name,
    team,
    nullif(manager_id, '') as manager_id,
    {{ dbt.cast('start_date', 'date') }} as start_date,
    coalesce(nullif(time_zone, ''), 'UTC') as time_zone,
    level,
    emails as emails_json,
    github_logins as github_logins_json,
    jira_account_ids as jira_account_ids_json,
    attributes as attributes_json,
    {{ dbt.cast('target_promotable_share', 'float8') }} as target_promotable_share,
    {{ dbt.cast('seeks_promotion', dbt.type_boolean()) }} as seeks_promotion
from {{ source('people', 'people') }}
