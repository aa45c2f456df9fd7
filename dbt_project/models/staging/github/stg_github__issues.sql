select
    {{ dbt.cast('id', dbt.type_bigint()) }} as issue_id,
    repo,
    {{ dbt.cast('number', dbt.type_int()) }} as issue_number,
    title,
    body,
    state,
    {{ json_text('"user"', 'login') }} as author_login,
    {{ json_array_join('labels', 'name') }} as labels,
    {{ to_utc('created_at') }} as created_at,
    html_url,
    -- bot-authored items stay (people review them); the bot's own actions do not count
    {{ is_bot(json_text('"user"', 'login')) }} as is_bot_author
from {{ source('github', 'issues') }}
