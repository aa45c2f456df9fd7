select
    repo,
    {{ dbt.cast('pull_number', dbt.type_int()) }} as pull_number,
    sha,
    {{ json_text('author', 'login') }} as author_login,
    {{ json_text('commit', 'author.name') }} as author_name,
    lower({{ json_text('commit', 'author.email') }}) as author_email,
    {{ json_text('commit', 'message') }} as message,
    {{ to_utc(json_text('commit', 'author.date')) }} as authored_at,
    co_authors as co_authors_json,
    html_url
from {{ source('github', 'pull_request_commits') }}
where not {{ is_bot(dbt.concat(["coalesce(" ~ json_text('author', 'login') ~ ", '')", "'|'", "coalesce(" ~ json_text('commit', 'author.name') ~ ", '')"])) }}
