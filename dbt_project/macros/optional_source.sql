{# A raw table of a source that is off unless configured (the on-call connector): the relation
   when it exists, else a query of no rows with `columns` (name -> type), so every model builds
   either way. source() is always called, so the lineage from the raw table stays. #}
{% macro optional_source(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if execute and load_relation(relation) is none -%}
        {%- set typed = [] -%}
        {%- for name, type in columns.items() -%}
            {%- do typed.append('cast(null as ' ~ type ~ ') as ' ~ adapter.quote(name)) -%}
        {%- endfor -%}
        {{ return('(select ' ~ typed | join(', ') ~ ' where 1 = 0) as absent') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
