-- Per person, ISO week (Monday, on the person's clock) and time band: incident work (category
-- incident_response). The bands are fct_work_events.time_band; their labels name the hours of
-- vars business_start_hour, business_end_hour and sleep_start_hour.
{% set business_start = '%02d' | format(var('business_start_hour') | int) %}
{% set business_end = '%02d' | format(var('business_end_hour') | int) %}
{% set sleep_start = '%02d' | format(var('sleep_start_hour') | int) %}
with incidents as (
    select
        person_key,
        {{ dbt.cast(dbt.date_trunc('week', 'occurred_at_local'), 'date') }} as week_start,
        time_band,
        effort_hours
    from {{ ref('fct_work_events') }}
    where work_category = 'incident_response'
)

select
    person_key,
    week_start,
    time_band,
    case time_band
        when 'business' then 'business hours'
        when 'off_hours' then 'off hours ({{ business_end }}–{{ sleep_start }}, weekends)'
        when 'sleep' then 'sleep hours ({{ sleep_start }}–{{ business_start }})'
    end as time_band_label,
    case time_band when 'business' then 1 when 'off_hours' then 2 when 'sleep' then 3 end as time_band_order,
    count(*) as events,
    sum(effort_hours) as effort_hours
from incidents
group by person_key, week_start, time_band
