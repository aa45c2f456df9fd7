{# Time zones. Timestamps in staging and later are UTC `timestamp`s (no zone). #}

{# A timestamptz/ISO text as a UTC timestamp without zone. #}
{% macro to_utc(value) -%}
    cast(timezone('UTC', cast({{ value }} as timestamptz)) as timestamp)
{%- endmacro %}

{# The wall-clock time in IANA zone `tz` of a UTC timestamp. #}
{% macro utc_to_local(utc_ts, tz) -%}
    cast(timezone({{ tz }}, timezone('UTC', {{ utc_ts }})) as timestamp)
{%- endmacro %}

{# ISO day of week of a timestamp: 1 = Monday .. 7 = Sunday. #}
{% macro iso_day_of_week(ts) -%}
    isodow({{ ts }})
{%- endmacro %}

{% macro hour_of_day(ts) -%}
    extract(hour from {{ ts }})
{%- endmacro %}
