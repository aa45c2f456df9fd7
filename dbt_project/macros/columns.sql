{# A raw column that dlt only creates once some row carries a value (e.g. `visibility`):
   the column when the relation has it, else a typed null. When the relation's columns cannot be
   seen (a unit test's fixture), the column is assumed present. #}
{% macro column_or_null(relation, name, type) -%}
    {%- set columns = adapter.get_columns_in_relation(relation) if execute else [] -%}
    {%- set names = columns | map(attribute='name') | map('lower') | list -%}
    {%- if not columns or name | lower in names -%}
        {{ dbt.cast(adapter.quote(name), type) }}
    {%- else -%}
        {{ dbt.cast('null', type) }}
    {%- endif -%}
{%- endmacro %}
