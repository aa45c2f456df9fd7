{# Pseudonymous person key: a keyed hash of the roster person_id with the secret salt
   LOADBEARING_PERSON_KEY_SALT, which appears in no compiled SQL or log: on DuckDB the profile's
   plugin sets it as a session variable; on Postgres it is the session setting
   loadbearing.person_key_salt, sent at connection by libpq from PGOPTIONS
   (pipelines.settings.dbt_invocation). Without one, the profile's default salt, on both. #}
{% macro person_key(person_id) -%}
    {{ dbt.hash(dbt.concat([person_key_salt(), "'|'", person_id])) }}
{%- endmacro %}

{% macro person_key_salt() -%}
    {{ return(adapter.dispatch('person_key_salt')()) }}
{%- endmacro %}

{% macro duckdb__person_key_salt() -%}
    getvariable('person_key_salt')
{%- endmacro %}

{% macro postgres__person_key_salt() -%}
    coalesce(nullif(current_setting('loadbearing.person_key_salt', true), ''), 'loadbearing-default-salt')
{%- endmacro %}
