{# Regular expressions, one dialect in one place. Patterns are written in RE2 syntax (DuckDB's);
   `(?i)` for case-insensitive, at the start. A pattern that reaches another warehouse passes
   through regex_pattern first, which translates it into that warehouse's dialect; the
   constructs it translates are the ones the seeds' patterns may use (tests/dbt/test_regex_dialect.py). #}
{% macro regex_matches(value, pattern) -%}
    {{ return(adapter.dispatch('regex_matches')(value, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_matches(value, pattern) -%}
    regexp_matches({{ value }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regex_matches(value, pattern) -%}
    ({{ value }} ~ {{ pattern }})
{%- endmacro %}

{# An RE2 pattern (an SQL text expression: a column or a literal) in the warehouse's dialect.
   Translate a column once per rule (where the rules are read), not per row it is matched against. #}
{% macro regex_pattern(pattern) -%}
    {{ return(adapter.dispatch('regex_pattern')(pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_pattern(pattern) -%}
    {{ pattern }}
{%- endmacro %}

{# Postgres' regular expressions (AREs) read RE2's constructs the same, but for two:
   - `\b` is a backspace there: RE2's word boundary (ASCII word characters, whatever the locale)
     becomes lookarounds over [0-9A-Za-z_];
   - `.` matches a newline there: RE2's `.` (not a newline) becomes [^\n].
   The pattern is cut into tokens (an escape, a bracket expression, one character) and each token
   translated, so that `\\b`, `[.]` or `\.` keep their meaning. #}
{% macro postgres__regex_pattern(pattern) -%}
    {%- set word = '[0-9A-Za-z_]' -%}
    {%- set boundary = '(?:(?<!' ~ word ~ ')(?=' ~ word ~ ')|(?<=' ~ word ~ ')(?!' ~ word ~ '))' -%}
    (select coalesce(string_agg(
            case t.token[1] when '\b' then '{{ boundary }}' when '.' then '[^\n]' else t.token[1] end,
            '' order by t.n), '')
        from regexp_matches({{ pattern }}, '(\\.|\[\^?\]?(?:[^]\\]|\\.)*\]|.)', 'g') with ordinality as t(token, n))
{%- endmacro %}

{# The first match of `pattern` in `value` (or its group `group`), null when none or empty. #}
{% macro regex_extract(value, pattern, group=0) -%}
    {{ return(adapter.dispatch('regex_extract')(value, pattern, group)) }}
{%- endmacro %}

{% macro duckdb__regex_extract(value, pattern, group=0) -%}
    nullif(regexp_extract({{ value }}, {{ pattern }}, {{ group }}), '')
{%- endmacro %}

{% macro postgres__regex_extract(value, pattern, group=0) -%}
    nullif((regexp_match({{ value }}, '(' || {{ pattern }} || ')'))[{{ group + 1 }}], '')
{%- endmacro %}

{# True when `value` contains any of the bot markers in var('bot_patterns'). #}
{% macro is_bot(value) -%}
    ({% for p in var('bot_patterns') %}{{ 'or ' if not loop.first }}lower(coalesce({{ value }}, '')) like '%{{ p | lower }}%'{% endfor %})
{%- endmacro %}

{# Every match of `pattern` (a literal in both dialects: no `\b`, no `.`) in `value`, as a list. #}
{% macro regex_extract_all(value, pattern) -%}
    {{ return(adapter.dispatch('regex_extract_all')(value, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_extract_all(value, pattern) -%}
    regexp_extract_all({{ value }}, {{ pattern }})
{%- endmacro %}

{# regexp_matches with 'g' gives a row per match; as an array, in order #}
{% macro postgres__regex_extract_all(value, pattern) -%}
    array(select m.match[1] from regexp_matches({{ value }}, '(' || {{ pattern }} || ')', 'g') with ordinality as m(match, n) order by m.n)
{%- endmacro %}

{# A '|'-joined text as a list. #}
{% macro split_list(value) -%}
    {{ return(adapter.dispatch('split_list')(value)) }}
{%- endmacro %}

{% macro duckdb__split_list(value) -%}
    string_split({{ value }}, '|')
{%- endmacro %}

{% macro postgres__split_list(value) -%}
    string_to_array({{ value }}, '|')
{%- endmacro %}

{# One output row per element of a list value: use in a select list. #}
{% macro unnest_list(value) -%}
    unnest({{ value }})
{%- endmacro %}

{# True when a Jira user object (JSON) is an app/automation account or named like a bot. #}
{% macro is_jira_bot(user_json) -%}
    (coalesce({{ json_text(user_json, 'accountType') }}, '') = 'app' or {{ is_bot(json_text(user_json, 'displayName')) }})
{%- endmacro %}
