select
    {{ dbt.cast('id', dbt.type_bigint()) }} as review_comment_id,
    repo,
    {{ dbt.cast('pull_number', dbt.type_int()) }} as pull_number,
    {{ dbt.cast('pull_request_review_id', dbt.type_bigint()) }} as review_id,
    {{ json_text('"user"', 'login') }} as commenter_login,
    body,
    path as file_path,
    {{ to_utc('created_at') }} as created_at,
    html_url
from {{ source('github', 'review_comments') }}
where not {{ is_bot(json_text('"user"', 'login')) }}
