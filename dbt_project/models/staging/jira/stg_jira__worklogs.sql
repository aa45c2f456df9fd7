select
    {{ dbt.cast('id', dbt.type_string()) }} as worklog_id,
    {{ dbt.cast('issue_id', dbt.type_string()) }} as issue_id,
    issue_key,
    {{ json_text('author', 'accountId') }} as author_account_id,
    {{ to_utc('started') }} as started_at,
    {{ dbt.cast('time_spent_seconds', dbt.type_bigint()) }} as time_spent_seconds,
    {{ adf_text('comment') }} as comment_text
from {{ source('jira', 'worklogs') }}
where not {{ is_jira_bot('author') }}
