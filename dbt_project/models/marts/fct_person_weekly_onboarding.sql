-- Per person, ISO week (Monday, on the person's clock) and the person they supported: onboarding and
-- mentoring work (category onboarding_mentoring). counterpart_person_key is null where no one is named.
select
    person_key,
    {{ dbt.cast(dbt.date_trunc('week', 'occurred_at_local'), 'date') }} as week_start,
    counterpart_person_key,
    count(*) as events,
    sum(effort_hours) as effort_hours
from {{ ref('fct_work_events') }}
where work_category = 'onboarding_mentoring'
group by person_key, {{ dbt.date_trunc('week', 'occurred_at_local') }}, counterpart_person_key
