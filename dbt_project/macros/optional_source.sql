{# A raw table of a source that is off unless configured (the on-call connector): the relation
   when it exists, else a query of no rows with `columns` (name -> type), so every model builds
   either way. A column of `columns` the table lacks (dlt creates a column only once a row has a
   value for it: an optional field) is added as typed nulls. source() is always called, so the
   lineage from the raw table stays. #}
{% macro optional_source(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set existing = load_relation(relation) -%}
    {%- set present = [] -%}
    {%- if existing is not none -%}
        {%- for column in adapter.get_columns_in_relation(existing) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set typed = [] -%}
    {%- for name, type in columns.items() if name | lower not in present -%}
        {%- do typed.append('cast(null as ' ~ type ~ ') as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {%- if existing is none -%}
        {{ return('(select ' ~ typed | join(', ') ~ ' where 1 = 0) as absent') }}
    {%- elif typed -%}
        {{ return('(select *, ' ~ typed | join(', ') ~ ' from ' ~ relation ~ ') as widened') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
