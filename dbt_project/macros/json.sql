{# JSON access. Every JSON column of the raw tables is read through these macros so that
   only this file knows the warehouse's JSON dialect: each has a DuckDB and a Postgres form
   (adapter.dispatch; dlt's JSON columns are `json` in DuckDB, `jsonb` in Postgres). Paths are
   dotted keys. #}

{# The Postgres path of a dotted path, as a text[] literal: 'a.b' -> '{a,b}'. #}
{% macro _pg_path(path) -%}
    '{{ '{' ~ path.split('.') | join(',') ~ '}' }}'
{%- endmacro %}

{# The value as jsonb when it is a JSON array (else null): Postgres' array functions reject scalars. #}
{% macro _pg_json_array(column) -%}
    (case when jsonb_typeof(cast({{ column }} as jsonb)) = 'array' then cast({{ column }} as jsonb) end)
{%- endmacro %}

{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text')(column, path)) }}
{%- endmacro %}

{% macro duckdb__json_text(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro postgres__json_text(column, path) -%}
    (cast({{ column }} as jsonb) #>> {{ _pg_path(path) }})
{%- endmacro %}

{% macro json_value(column, path) -%}
    {{ return(adapter.dispatch('json_value')(column, path)) }}
{%- endmacro %}

{% macro duckdb__json_value(column, path) -%}
    json_extract({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro postgres__json_value(column, path) -%}
    (cast({{ column }} as jsonb) #> {{ _pg_path(path) }})
{%- endmacro %}

{# Several paths of one JSON column, parsed once: a list of texts (json_texts) or of JSON values
   (json_values) in the order of `paths`, indexed from 1 (list_item). Each json_text call parses the
   document again and keeps its own parse buffers: sixteen of them over Jira's `fields` outgrew a
   512MB memory limit where one parse needs a few MB (DuckDB; Postgres' jsonb is stored parsed). #}
{% macro json_texts(column, paths) -%}
    {{ return(adapter.dispatch('json_texts')(column, paths)) }}
{%- endmacro %}

{% macro duckdb__json_texts(column, paths) -%}
    json_extract_string({{ column }}, [{% for path in paths %}'$.{{ path }}'{{ ', ' if not loop.last }}{% endfor %}])
{%- endmacro %}

{% macro postgres__json_texts(column, paths) -%}
    array[{% for path in paths %}{{ postgres__json_text(column, path) }}{{ ', ' if not loop.last }}{% endfor %}]
{%- endmacro %}

{% macro json_values(column, paths) -%}
    {{ return(adapter.dispatch('json_values')(column, paths)) }}
{%- endmacro %}

{% macro duckdb__json_values(column, paths) -%}
    json_extract({{ column }}, [{% for path in paths %}'$.{{ path }}'{{ ', ' if not loop.last }}{% endfor %}])
{%- endmacro %}

{% macro postgres__json_values(column, paths) -%}
    array[{% for path in paths %}{{ postgres__json_value(column, path) }}{{ ', ' if not loop.last }}{% endfor %}]
{%- endmacro %}

{# Values of `key` over the elements of a JSON array (or the elements themselves when key is none),
   joined with '|' into one text; '' for an empty or null array. #}
{% macro json_array_join(column, key=none) -%}
    {{ return(adapter.dispatch('json_array_join')(column, key)) }}
{%- endmacro %}

{% macro duckdb__json_array_join(column, key=none) -%}
    coalesce(array_to_string(json_extract_string({{ column }}, '$[*]{{ "." ~ key if key else "" }}'), '|'), '')
{%- endmacro %}

{% macro postgres__json_array_join(column, key=none) -%}
    coalesce((
        select string_agg(e.value #>> {{ _pg_path(key) if key else "'{}'" }}, '|' order by e.n)
        from jsonb_array_elements({{ _pg_json_array(column) }}) with ordinality as e(value, n)
    ), '')
{%- endmacro %}

{% macro json_array_length(column) -%}
    {{ return(adapter.dispatch('json_array_length')(column)) }}
{%- endmacro %}

{% macro duckdb__json_array_length(column) -%}
    coalesce(json_array_length({{ column }}), 0)
{%- endmacro %}

{% macro postgres__json_array_length(column) -%}
    coalesce(jsonb_array_length({{ _pg_json_array(column) }}), 0)
{%- endmacro %}

{# One output row per element of a JSON array column: use in a select list; the element is JSON. #}
{% macro json_array_elements(column) -%}
    {{ return(adapter.dispatch('json_array_elements')(column)) }}
{%- endmacro %}

{% macro duckdb__json_array_elements(column) -%}
    unnest(json_extract({{ column }}, '$[*]'))
{%- endmacro %}

{% macro postgres__json_array_elements(column) -%}
    jsonb_array_elements({{ _pg_json_array(column) }})
{%- endmacro %}

{# Plain text of an Atlassian Document Format body (all "text" nodes, space-joined). #}
{% macro adf_text(column) -%}
    {{ return(adapter.dispatch('adf_text')(column)) }}
{%- endmacro %}

{% macro duckdb__adf_text(column) -%}
    coalesce(array_to_string(json_extract_string({{ column }}, '$..text'), ' '), '')
{%- endmacro %}

{# strict: lax mode's automatic unwrapping of arrays visits some nodes twice under .** #}
{% macro postgres__adf_text(column) -%}
    coalesce((
        select string_agg(t.value #>> '{}', ' ' order by t.n)
        from jsonb_path_query(cast({{ column }} as jsonb), 'strict $.**.text') with ordinality as t(value, n)
    ), '')
{%- endmacro %}

{# One output row per element of a JSON array column, as text (of `key` when given): use in a select list. #}
{% macro json_array_texts(column, key=none) -%}
    {{ return(adapter.dispatch('json_array_texts')(column, key)) }}
{%- endmacro %}

{% macro duckdb__json_array_texts(column, key=none) -%}
    unnest(json_extract_string({{ column }}, '$[*]{{ "." ~ key if key else "" }}'))
{%- endmacro %}

{% macro postgres__json_array_texts(column, key=none) -%}
    {%- if key -%}
        (jsonb_array_elements({{ _pg_json_array(column) }}) #>> {{ _pg_path(key) }})
    {%- else -%}
        jsonb_array_elements_text({{ _pg_json_array(column) }})
    {%- endif -%}
{%- endmacro %}

{# One output row per key of a JSON object column: use in a select list. #}
{% macro json_object_keys(column) -%}
    {{ return(adapter.dispatch('json_object_keys')(column)) }}
{%- endmacro %}

{% macro duckdb__json_object_keys(column) -%}
    unnest(json_keys({{ column }}))
{%- endmacro %}

{% macro postgres__json_object_keys(column) -%}
    jsonb_object_keys(case when jsonb_typeof(cast({{ column }} as jsonb)) = 'object' then cast({{ column }} as jsonb) end)
{%- endmacro %}

{# The text value at a key given by an expression (not a literal path). #}
{% macro json_text_at_key(column, key_expr) -%}
    {{ return(adapter.dispatch('json_text_at_key')(column, key_expr)) }}
{%- endmacro %}

{% macro duckdb__json_text_at_key(column, key_expr) -%}
    json_extract_string({{ column }}, '$."' || {{ key_expr }} || '"')
{%- endmacro %}

{% macro postgres__json_text_at_key(column, key_expr) -%}
    (cast({{ column }} as jsonb) ->> ({{ key_expr }}))
{%- endmacro %}

{# Item `index` (from 1) of a list, e.g. of json_texts. #}
{% macro list_item(list, index) -%}
    {{ return(adapter.dispatch('list_item')(list, index)) }}
{%- endmacro %}

{# DuckDB's lists and Postgres' arrays both index from 1 with brackets #}
{% macro default__list_item(list, index) -%}
    {{ list }}[{{ index }}]
{%- endmacro %}
