{# JSON access. Every JSON column of the raw tables is read through these macros so that
   only this file knows the warehouse's JSON dialect (DuckDB here). Paths are dotted keys. #}

{% macro json_text(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro json_value(column, path) -%}
    json_extract({{ column }}, '$.{{ path }}')
{%- endmacro %}

{# Several paths of one JSON column, parsed once: a list of texts (json_texts) or of JSON values
   (json_values) in the order of `paths`, indexed from 1. Each json_text call parses the document
   again and keeps its own parse buffers: sixteen of them over Jira's `fields` outgrew a 512MB
   memory limit where one parse needs a few MB. #}
{% macro json_texts(column, paths) -%}
    json_extract_string({{ column }}, [{% for path in paths %}'$.{{ path }}'{{ ', ' if not loop.last }}{% endfor %}])
{%- endmacro %}

{% macro json_values(column, paths) -%}
    json_extract({{ column }}, [{% for path in paths %}'$.{{ path }}'{{ ', ' if not loop.last }}{% endfor %}])
{%- endmacro %}

{# Values of `key` over the elements of a JSON array (or the elements themselves when key is none),
   joined with '|' into one text; '' for an empty or null array. #}
{% macro json_array_join(column, key=none) -%}
    coalesce(array_to_string(json_extract_string({{ column }}, '$[*]{{ "." ~ key if key else "" }}'), '|'), '')
{%- endmacro %}

{% macro json_array_length(column) -%}
    coalesce(json_array_length({{ column }}), 0)
{%- endmacro %}

{# One output row per element of a JSON array column: use in a select list; the element is JSON. #}
{% macro json_array_elements(column) -%}
    unnest(json_extract({{ column }}, '$[*]'))
{%- endmacro %}

{# Plain text of an Atlassian Document Format body (all "text" nodes, space-joined). #}
{% macro adf_text(column) -%}
    coalesce(array_to_string(json_extract_string({{ column }}, '$..text'), ' '), '')
{%- endmacro %}

{# One output row per element of a JSON array column, as text (of `key` when given): use in a select list. #}
{% macro json_array_texts(column, key=none) -%}
    unnest(json_extract_string({{ column }}, '$[*]{{ "." ~ key if key else "" }}'))
{%- endmacro %}

{# One output row per key of a JSON object column: use in a select list. #}
{% macro json_object_keys(column) -%}
    unnest(json_keys({{ column }}))
{%- endmacro %}

{# The text value at a key given by an expression (not a literal path). #}
{% macro json_text_at_key(column, key_expr) -%}
    json_extract_string({{ column }}, '$."' || {{ key_expr }} || '"')
{%- endmacro %}
