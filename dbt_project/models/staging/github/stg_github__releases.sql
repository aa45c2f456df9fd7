select
    {{ dbt.cast('id', dbt.type_bigint()) }} as release_id,
    repo,
    tag_name,
    name as release_name,
    body,
    {{ json_text('author', 'login') }} as author_login,
    {{ dbt.cast('draft', dbt.type_boolean()) }} as is_draft,
    {{ to_utc('published_at') }} as published_at,
    {{ to_utc('created_at') }} as created_at,
    html_url
from {{ source('github', 'releases') }}
where not {{ is_bot(json_text('author', 'login')) }}
