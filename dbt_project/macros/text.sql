{# Regular expressions, one dialect in one place. Patterns use RE2 syntax; `(?i)` for case-insensitive. #}
{% macro regex_matches(value, pattern) -%}
    regexp_matches({{ value }}, {{ pattern }})
{%- endmacro %}

{% macro regex_extract(value, pattern, group=0) -%}
    nullif(regexp_extract({{ value }}, {{ pattern }}, {{ group }}), '')
{%- endmacro %}

{# True when `value` contains any of the bot markers in var('bot_patterns'). #}
{% macro is_bot(value) -%}
    ({% for p in var('bot_patterns') %}{{ 'or ' if not loop.first }}lower(coalesce({{ value }}, '')) like '%{{ p | lower }}%'{% endfor %})
{%- endmacro %}

{# Every match of `pattern` in `value`, as a list. #}
{% macro regex_extract_all(value, pattern) -%}
    regexp_extract_all({{ value }}, {{ pattern }})
{%- endmacro %}

{# A '|'-joined text as a list. #}
{% macro split_list(value) -%}
    string_split({{ value }}, '|')
{%- endmacro %}

{# One output row per element of a list value: use in a select list. #}
{% macro unnest_list(value) -%}
    unnest({{ value }})
{%- endmacro %}

{# True when a Jira user object (JSON) is an app/automation account or named like a bot. #}
{% macro is_jira_bot(user_json) -%}
    (coalesce({{ json_text(user_json, 'accountType') }}, '') = 'app' or {{ is_bot(json_text(user_json, 'displayName')) }})
{%- endmacro %}
