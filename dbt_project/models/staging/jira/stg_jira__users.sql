select
    -- Cloud's accountId, else Server's username (macros/jira.sql)
    coalesce(account_id, lower(name)) as account_id,
    display_name,
    lower(email_address) as email,
    account_type,
    {{ dbt.cast('active', dbt.type_boolean()) }} as is_active,
    time_zone
from {{ source('jira', 'users') }}
where account_type is distinct from 'app'
  and not {{ is_bot('display_name') }}
