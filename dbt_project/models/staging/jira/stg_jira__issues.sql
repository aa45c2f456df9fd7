-- `fields` is parsed once per issue: the texts and JSON values below, by their position in these lists (list_item)
{% set texts = ['summary', 'issuetype.name', 'priority.name', 'project.key', 'status.name', 'status.statusCategory.key',
                'assignee.accountId', 'reporter.accountId', 'parent.key', 'created', 'resolutiondate',
                'parent.fields.issuetype.name', 'assignee.name', 'reporter.name'] %}
{% set values = ['description', 'labels', 'components', 'fixVersions'] %}
with issues as (
    select
        id,
        key,
        html_url,
        {{ json_texts('fields', texts) }} as texts,
        {{ json_values('fields', values) }} as json_values
    from {{ source('jira', 'issues') }}
)

select
    {{ dbt.cast('id', dbt.type_string()) }} as issue_id,
    key as issue_key,
    {{ list_item('texts', 1) }} as summary,
    {{ jira_text(list_item('json_values', 1)) }} as description_text,
    {{ list_item('texts', 2) }} as issue_type,
    {{ list_item('texts', 3) }} as priority,
    {{ list_item('texts', 4) }} as project_key,
    {{ json_array_join(list_item('json_values', 2)) }} as labels,
    {{ json_array_join(list_item('json_values', 3), 'name') }} as components,
    {{ json_array_join(list_item('json_values', 4), 'name') }} as fix_versions,
    {{ list_item('texts', 5) }} as status,
    {{ list_item('texts', 6) }} as status_category,
    -- Cloud's accountId, else Server's username (macros/jira.sql)
    coalesce({{ list_item('texts', 7) }}, lower({{ list_item('texts', 13) }})) as assignee_account_id,
    coalesce({{ list_item('texts', 8) }}, lower({{ list_item('texts', 14) }})) as reporter_account_id,
    {{ list_item('texts', 9) }} as parent_key,
    {{ list_item('texts', 12) }} as parent_issue_type,
    {{ to_utc(list_item('texts', 10)) }} as created_at,
    {{ to_utc(list_item('texts', 11)) }} as resolved_at,
    html_url
from issues
