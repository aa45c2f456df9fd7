{# Pseudonymous person key: a keyed hash of the roster person_id with var('person_key_salt'). #}
{% macro person_key(person_id) -%}
    {{ dbt.hash(dbt.concat(["'" ~ var('person_key_salt') ~ "'", "'|'", person_id])) }}
{%- endmacro %}
