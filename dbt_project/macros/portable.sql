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
