-- Per person, ISO week (Monday, on the person's clock) and role: meetings organized and attended,
-- whatever their category.
with meetings as (
    select
        person_key,
        {{ dbt.cast(dbt.date_trunc('week', 'occurred_at_local'), 'date') }} as week_start,
        case when activity_type = 'meeting_organized' then 'organized' else 'attended' end as meeting_role,
        effort_hours
    from {{ ref('fct_work_events') }}
    where activity_type in ('meeting_organized', 'meeting_attended')
)

select
    person_key,
    week_start,
    meeting_role,
    count(*) as events,
    sum(effort_hours) as effort_hours
from meetings
group by person_key, week_start, meeting_role
