-- `fields` is parsed once per issue: the texts and JSON values below, by their position in these lists
{% set texts = ['summary', 'issuetype.name', 'priority.name', 'project.key', 'status.name', 'status.statusCategory.key',
                'assignee.accountId', 'reporter.accountId', 'parent.key', 'created', 'resolutiondate',
                'parent.fields.issuetype.name'] %}
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
    texts[1] as summary,
    {{ adf_text('json_values[1]') }} as description_text,
    texts[2] as issue_type,
    texts[3] as priority,
    texts[4] as project_key,
    {{ json_array_join('json_values[2]') }} as labels,
    {{ json_array_join('json_values[3]', 'name') }} as components,
    {{ json_array_join('json_values[4]', 'name') }} as fix_versions,
    texts[5] as status,
    texts[6] as status_category,
    texts[7] as assignee_account_id,
    texts[8] as reporter_account_id,
    texts[9] as parent_key,
    texts[12] as parent_issue_type,
    {{ to_utc('texts[10]') }} as created_at,
    {{ to_utc('texts[11]') }} as resolved_at,
    html_url
from issues
