{# What the warehouses spell differently and no other macro file owns. #}

{# A 64-bit hash of several columns (nulls count): a fingerprint of a row, compared only with
   fingerprints the same warehouse made. #}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash')(columns)) }}
{%- endmacro %}

{% macro duckdb__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{# the first 64 bits of the md5 of the row's text form, where a null and '' differ #}
{% macro postgres__row_hash(columns) -%}
    ('x' || left(md5(cast(row({{ columns | join(', ') }}) as text)), 16))::bit(64)::bigint
{%- endmacro %}

{# Statements that replace table `name` of the target's own schema (a run hook's) with `select_sql`,
   committed: dbt rolls back what a run hook leaves open. #}
{% macro replace_hook_table(name, select_sql) -%}
    {{ return(adapter.dispatch('replace_hook_table')(name, select_sql)) }}
{%- endmacro %}

{% macro duckdb__replace_hook_table(name, select_sql) -%}
    {{ return("create or replace table main." ~ name ~ " as " ~ select_sql ~ ";\ncommit") }}
{%- endmacro %}

{% macro default__replace_hook_table(name, select_sql) -%}
    {%- set relation = adapter.quote(target.schema) ~ "." ~ name -%}
    {{ return("create schema if not exists " ~ adapter.quote(target.schema) ~ ";\ndrop table if exists " ~ relation
        ~ ";\ncreate table " ~ relation ~ " as " ~ select_sql ~ ";\ncommit") }}
{%- endmacro %}

{# A float rounded to `digits` decimals, still a float. #}
{% macro round_float(value, digits) -%}
    {{ return(adapter.dispatch('round_float')(value, digits)) }}
{%- endmacro %}

{% macro default__round_float(value, digits) -%}
    round({{ value }}, {{ digits }})
{%- endmacro %}

{# Postgres rounds only numerics to a number of digits #}
{% macro postgres__round_float(value, digits) -%}
    cast(round(cast({{ value }} as numeric), {{ digits }}) as double precision)
{%- endmacro %}
