{# The columns of an activity (docs/CONTRACTS.md, "Activity vocabulary"), in the order the activity
   models give them: the one list of them. #}
{% macro activity_columns() -%}
    {{ return(['source', 'activity_type', 'object_id', 'person_id', 'counterpart_person_id', 'occurred_at',
               'duration_hours', 'source_url', 'title', 'item_type', 'item_ref']) }}
{%- endmacro %}

{# `union all` of `relations` (relations or CTE names) by column name: each gives activity_columns()
   selected by name, never by position. A relation whose columns can be seen and are not exactly
   those fails the compilation, naming what is missing or extra; a CTE, or a unit test's fixture,
   cannot be seen, and a missing column there fails in the warehouse, by name. #}
{% macro union_activity(relations) -%}
    {%- set columns = activity_columns() -%}
    {%- for relation in relations -%}
        {%- if execute and relation is not string -%}
            {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
            {%- set missing = columns | reject('in', present) | list -%}
            {%- set extra = present | reject('in', columns) | list -%}
            {%- if present and (missing or extra) -%}
                {{ exceptions.raise_compiler_error("union_activity: " ~ relation ~ " does not have the activity columns: "
                    ~ ("missing " ~ missing | join(', ') if missing else "")
                    ~ ("; " if missing and extra else "")
                    ~ ("extra " ~ extra | join(', ') if extra else "")) }}
            {%- endif -%}
        {%- endif %}
    select {{ columns | join(', ') }} from {{ relation }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
