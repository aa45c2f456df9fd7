select
    {{ dbt.cast('id', dbt.type_string()) }} as comment_id,
    {{ dbt.cast('issue_id', dbt.type_string()) }} as issue_id,
    issue_key,
    {{ jira_user_id('author') }} as author_account_id,
    {{ jira_text('body') }} as body_text,
    {{ to_utc('created') }} as created_at
from {{ source('jira', 'comments') }}
where not {{ is_jira_bot('author') }}
