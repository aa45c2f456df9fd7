select
    {{ dbt.cast('id', dbt.type_bigint()) }} as issue_comment_id,
    repo,
    {{ dbt.cast('issue_number', dbt.type_int()) }} as issue_number,
    {{ json_text('"user"', 'login') }} as commenter_login,
    body,
    author_association,
    {{ to_utc('created_at') }} as created_at,
    html_url
from {{ source('github', 'issue_comments') }}
where not {{ is_bot(json_text('"user"', 'login')) }}
