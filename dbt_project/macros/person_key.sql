{# Pseudonymous person key: a keyed hash of the roster person_id with the secret salt
   LOADBEARING_PERSON_KEY_SALT, which the profile's plugin sets as a session variable so that
   it appears in no compiled SQL or log. #}
{% macro person_key(person_id) -%}
    {{ dbt.hash(dbt.concat(["getvariable('person_key_salt')", "'|'", person_id])) }}
{%- endmacro %}
