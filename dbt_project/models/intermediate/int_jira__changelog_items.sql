-- One row per changed field of a Jira history entry.
select
    history_id,
    issue_id,
    issue_key,
    author_account_id,
    is_bot_author,
    changed_at,
    {{ json_text('item', 'field') }} as field,
    {{ json_text('item', '"from"') }} as from_value,
    {{ json_text('item', 'fromString') }} as from_string,
    {{ json_text('item', '"to"') }} as to_value,
    {{ json_text('item', 'toString') }} as to_string
from (
    select *, {{ json_array_elements('items_json') }} as item
    from {{ ref('stg_jira__issue_changelogs') }}
) as h
