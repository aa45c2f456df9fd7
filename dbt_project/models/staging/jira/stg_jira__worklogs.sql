select
    {{ dbt.cast('id', dbt.type_string()) }} as worklog_id,
    {{ dbt.cast('issue_id', dbt.type_string()) }} as issue_id,
    issue_key,
    {{ jira_user_id('author') }} as author_account_id,
    {{ to_utc('started') }} as started_at,
    {{ dbt.cast('time_spent_seconds', dbt.type_bigint()) }} as time_spent_seconds,
    {{ jira_text('comment') }} as comment_text
from {{ source('jira', 'worklogs') }}
where not {{ is_jira_bot('author') }}
