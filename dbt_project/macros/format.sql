{# Text for a count of tenths (an integer): 65 -> '6.5', 60 -> '6'. Plain SQL of both DuckDB and
   Postgres (floor, mod, casts), for sentences a mart writes, e.g. fct_rotation_suggestions.reason. #}
{% macro tenths_as_text(tenths) -%}
    case
        when mod({{ tenths }}, 10) = 0
            then {{ dbt.cast('cast(floor(' ~ tenths ~ ' / 10.0) as ' ~ dbt.type_int() ~ ')', dbt.type_string()) }}
        else {{ dbt.concat([
            dbt.cast('cast(floor(' ~ tenths ~ ' / 10.0) as ' ~ dbt.type_int() ~ ')', dbt.type_string()),
            "'.'",
            dbt.cast('mod(' ~ tenths ~ ', 10)', dbt.type_string()),
        ]) }}
    end
{%- endmacro %}

{# A number rounded to tenths, as an integer count of them (0.75 -> 8), for tenths_as_text. #}
{% macro to_tenths(value) -%}
    cast(floor({{ value }} * 10 + 0.5) as {{ dbt.type_int() }})
{%- endmacro %}

{# 1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'. #}
{% macro ordinal(number) -%}
    {{ dbt.concat([
        dbt.cast(number, dbt.type_string()),
        "case when mod(" ~ number ~ ", 100) in (11, 12, 13) then 'th' when mod(" ~ number ~ ", 10) = 1 then 'st'"
            ~ " when mod(" ~ number ~ ", 10) = 2 then 'nd' when mod(" ~ number ~ ", 10) = 3 then 'rd' else 'th' end",
    ]) }}
{%- endmacro %}

{# A sum of doubles rounded to 6 decimals, as a double: a parallel aggregation adds in any order, so
   its last bits differ run to run; rounded, equal inputs give equal rows (and ties that stay ties).
   A cast through decimal(38, 6) rounds alike in DuckDB and Postgres. #}
{% macro stable_sum(value) -%}
    cast(cast(sum({{ value }}) as decimal(38, 6)) as float8)
{%- endmacro %}
