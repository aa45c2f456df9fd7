{# Raw rows past the retention window are deleted: `dbt run-operation prune_raw_data`, which the daily
   job's raw_retention step runs before dbt builds (pipelines/defs/retention.py); a `dbt build` alone
   deletes nothing. Each table is aged by the last time its object changed or happened; commits,
   files and review request events of a pruned pull request go with it. Repositories, Jira users
   and the roster are not activity: kept. #}
{% macro prune_raw_data() %}
    {%- for relation, condition in raw_retention_conditions() -%}
        {%- do run_query("delete from " ~ relation ~ " where " ~ condition) -%}
    {%- endfor -%}
    {%- set pulls = adapter.get_relation(database=target.database, schema='raw_github', identifier='pull_requests') -%}
    {%- for child in ('pull_request_commits', 'pull_request_files', 'review_requests') -%}
        {%- set relation = adapter.get_relation(database=target.database, schema='raw_github', identifier=child) -%}
        {%- if relation is not none and pulls is not none -%}
            {%- do run_query("delete from " ~ relation ~ " as c where not exists (select 1 from " ~ pulls
                ~ " as p where p.repo = c.repo and p.number = c.pull_number)") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do run_query('commit') -%}
{% endmacro %}

{# (relation, condition) per raw table: the condition holds for its rows past the retention window. #}
{% macro raw_retention_conditions() %}
    {#- table -> its time columns, first found wins: (column, JSON path or none); dlt only creates a
        column once a row has a value, so each is looked up -#}
    {%- set aged_by = [
        ('raw_github', 'pull_requests', [('updated_at', none)]),
        ('raw_github', 'issues', [('updated_at', none)]),
        ('raw_github', 'issue_comments', [('updated_at', none)]),
        ('raw_github', 'review_comments', [('updated_at', none)]),
        ('raw_github', 'reviews', [('submitted_at', none)]),
        ('raw_github', 'releases', [('published_at', none), ('created_at', none)]),
        ('raw_jira', 'issues', [('fields', 'updated')]),
        ('raw_jira', 'issue_changelogs', [('created', none)]),
        ('raw_jira', 'worklogs', [('updated', none)]),
        ('raw_jira', 'comments', [('updated', none)]),
        ('raw_calendar', 'events', [('end', 'dateTime'), ('end', 'date'),
                                    ('original_start_time', 'dateTime'), ('original_start_time', 'date')]),
        ('raw_oncall', 'pagerduty_incidents', [('created_at', none)]),
        ('raw_oncall', 'pagerduty_log_entries', [('created_at', none)]),
        ('raw_oncall', 'opsgenie_alerts', [('updated_at', none)]),
        ('raw_oncall', 'opsgenie_alert_logs', [('created_at', none)]),
    ] -%}
    {%- set conditions = [] -%}
    {%- for schema, table, times in aged_by -%}
        {%- set relation = adapter.get_relation(database=target.database, schema=schema, identifier=table) -%}
        {%- if relation is not none -%}
            {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
            {%- set ages = [] -%}
            {%- for column, path in times if column in present -%}
                {%- set value = adapter.quote(column) if path is none else json_text(adapter.quote(column), path) -%}
                {%- do ages.append(to_utc(value)) -%}
            {%- endfor -%}
            {%- if ages -%}
                {%- do conditions.append((relation, "coalesce(" ~ ages | join(', ') ~ ") < " ~ retention_cutoff())) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(conditions) }}
{% endmacro %}
