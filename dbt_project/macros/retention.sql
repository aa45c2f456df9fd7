{# Raw rows past the retention window are deleted (on-run-start, so staging never reads them).
   Each table is aged by the last time its object changed or happened; commits and files of a
   pruned pull request go with it. Repositories, Jira users and the roster are not activity: kept. #}
{% macro prune_raw_data() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set statements = [] -%}
    {%- for relation, condition in raw_retention_conditions() -%}
        {%- do statements.append("delete from " ~ relation ~ " where " ~ condition) -%}
    {%- endfor -%}
    {%- set pulls = adapter.get_relation(database=target.database, schema='raw_github', identifier='pull_requests') -%}
    {%- for child in ('pull_request_commits', 'pull_request_files') -%}
        {%- set relation = adapter.get_relation(database=target.database, schema='raw_github', identifier=child) -%}
        {%- if relation is not none and pulls is not none -%}
            {%- do statements.append("delete from " ~ relation ~ " as c where not exists (select 1 from " ~ pulls
                ~ " as p where p.repo = c.repo and p.number = c.pull_number)") -%}
        {%- endif -%}
    {%- endfor -%}
    {#- committed here: dbt rolls back what a run hook leaves open -#}
    {{ return((statements + ['commit']) | join(';\n')) }}
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

{# on-run-end: a query counting what the retention window would remove if the build ran again now (raw
   rows to prune, work events fallen out of the window). The SQL reads current_date, so it answers for
   the day it runs: a later run whose inputs are unchanged may skip its build only while it counts 0
   (pipelines/defs/transform/unchanged.py). #}
{% macro record_retention_check() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set counts = [] -%}
    {%- for relation, condition in raw_retention_conditions() -%}
        {%- do counts.append("(select count(*) from " ~ relation ~ " where " ~ condition ~ ")") -%}
    {%- endfor -%}
    {%- set events = adapter.get_relation(database=target.database, schema='intermediate', identifier='int_work_events__all_people') -%}
    {%- if events is not none -%}
        {%- do counts.append("(select count(*) from " ~ events ~ " where occurred_at < " ~ retention_cutoff() ~ ")") -%}
    {%- endif -%}
    {%- set check = "select " ~ (counts | join(" + ") if counts else "0") ~ " as past_retention" -%}
    {{ return(replace_hook_table("loadbearing_retention_check", "select '" ~ check | replace("'", "''") ~ "' as check_sql")) }}
{% endmacro %}
