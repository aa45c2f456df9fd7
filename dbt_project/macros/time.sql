{# Time zones. Timestamps in staging and later are UTC `timestamp`s (no zone). #}

{# A timestamptz/ISO text as a UTC timestamp without zone (DuckDB and Postgres alike). #}
{% macro to_utc(value) -%}
    cast(timezone('UTC', cast({{ value }} as timestamptz)) as timestamp)
{%- endmacro %}

{# The wall-clock time in IANA zone `tz` of a UTC timestamp. #}
{% macro utc_to_local(utc_ts, tz) -%}
    cast(timezone({{ tz }}, timezone('UTC', {{ utc_ts }})) as timestamp)
{%- endmacro %}

{# ISO day of week of a timestamp: 1 = Monday .. 7 = Sunday. #}
{% macro iso_day_of_week(ts) -%}
    {{ return(adapter.dispatch('iso_day_of_week')(ts)) }}
{%- endmacro %}

{% macro duckdb__iso_day_of_week(ts) -%}
    isodow({{ ts }})
{%- endmacro %}

{% macro postgres__iso_day_of_week(ts) -%}
    cast(extract(isodow from {{ ts }}) as integer)
{%- endmacro %}

{% macro hour_of_day(ts) -%}
    {{ return(adapter.dispatch('hour_of_day')(ts)) }}
{%- endmacro %}

{% macro default__hour_of_day(ts) -%}
    extract(hour from {{ ts }})
{%- endmacro %}

{# Postgres' extract gives a numeric #}
{% macro postgres__hour_of_day(ts) -%}
    cast(extract(hour from {{ ts }}) as integer)
{%- endmacro %}
