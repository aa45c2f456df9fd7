{# A Jira user object's id: Cloud's accountId, else (Data Center / Server) its username, lower-cased as Jira
   compares usernames and as Server changelogs name users. #}
{% macro jira_user_id(user_json) -%}
    coalesce({{ json_text(user_json, 'accountId') }}, lower({{ json_text(user_json, 'name') }}))
{%- endmacro %}

{# The text of a Jira rich-text value: Cloud's ADF document (JSON object), or Server's wiki markup, stored as a
   plain text column or (inside `fields`) as a JSON string. #}
{% macro jira_text(column) -%}
    case
        when {{ column }} is null then ''
        when left(ltrim(cast({{ column }} as {{ dbt.type_string() }})), 1) = '{' then {{ adf_text(column) }}
        when left(ltrim(cast({{ column }} as {{ dbt.type_string() }})), 1) = '"' then {{ json_string_value(column) }}
        else cast({{ column }} as {{ dbt.type_string() }})
    end
{%- endmacro %}

{% macro json_string_value(column) -%}
    {{ return(adapter.dispatch('json_string_value')(column)) }}
{%- endmacro %}

{% macro duckdb__json_string_value(column) -%}
    json_extract_string({{ column }}, '$')
{%- endmacro %}

{% macro postgres__json_string_value(column) -%}
    (cast({{ column }} as jsonb) #>> '{}')
{%- endmacro %}
