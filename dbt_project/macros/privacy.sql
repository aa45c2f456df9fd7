{# Privacy settings read from vars (dbt_project.yml's defaults; the job passes its settings as --vars). #}

{# The opted-out roster person_ids as a list: the var is a list or a comma-separated text. #}
{% macro opt_out_ids() -%}
    {%- set value = var('opt_out_person_ids') -%}
    {%- set items = value.split(',') if value is string else value -%}
    {{ return(items | map('trim') | reject('equalto', '') | list) }}
{%- endmacro %}

{# A SQL boolean: is person_id on the opt-out list? #}
{% macro is_opted_out(person_id) -%}
    {%- set ids = opt_out_ids() -%}
    {%- if ids -%}
        {{ person_id }} in ({% for p in ids %}'{{ p | replace("'", "''") }}'{{ ',' if not loop.last }}{% endfor %})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}

{% macro opt_out_counts_in_team_totals() -%}
    {{ return(var('opt_out_counts_in_team_totals') | string | lower in ('true', '1', 'yes')) }}
{%- endmacro %}

{# The oldest instant kept: start of the day var('retention_days') days ago (UTC). #}
{% macro retention_cutoff() -%}
    {{ dbt.dateadd('day', -1 * (var('retention_days') | int), dbt.cast('current_date', 'timestamp')) }}
{%- endmacro %}
