select
    {{ dbt.cast('id', dbt.type_string()) }} as history_id,
    {{ dbt.cast('issue_id', dbt.type_string()) }} as issue_id,
    issue_key,
    {{ jira_user_id('author') }} as author_account_id,
    {{ json_text('author', 'displayName') }} as author_display_name,
    {{ to_utc('created') }} as changed_at,
    items as items_json,
    -- automation moves issues too; its histories stay (they date status and assignee changes) but count as no one's work
    {{ is_jira_bot('author') }} as is_bot_author
from {{ source('jira', 'issue_changelogs') }}
