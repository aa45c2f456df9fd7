-- One row per self-report: work a person did that is in no tool, as they wrote it. A report states
-- a day, not a time: it is placed at noon UTC of that day.
{%- set src = load_relation(source('selfreports', 'self_reports')) if execute else none %}
{%- if execute and src is none %}
-- the source is not loaded in this deployment: no rows, the same columns
select
    {{ dbt.cast('null', dbt.type_string()) }} as entry_id,
    {{ dbt.cast('null', dbt.type_string()) }} as person_id,
    {{ dbt.cast('null', 'date') }} as report_date,
    {{ dbt.cast('null', dbt.type_timestamp()) }} as reported_at,
    {{ dbt.cast('null', 'float8') }} as hours,
    {{ dbt.cast('null', dbt.type_string()) }} as title,
    {{ dbt.cast('null', dbt.type_string()) }} as description,
    {{ dbt.cast('null', dbt.type_string()) }} as category,
    {{ dbt.cast('null', dbt.type_string()) }} as for_whom,
    {{ dbt.cast('null', dbt.type_string()) }} as link
where 1 = 0
{%- else %}
select
    entry_id,
    person_id,
    {{ dbt.cast('report_date', 'date') }} as report_date,
    {{ dbt.dateadd('hour', 12, dbt.cast(dbt.cast('report_date', 'date'), dbt.type_timestamp())) }} as reported_at,
    {{ dbt.cast('hours', 'float8') }} as hours,
    title,
    description,
    category,
    for_whom,
    link
from {{ source('selfreports', 'self_reports') }}
{%- endif %}
