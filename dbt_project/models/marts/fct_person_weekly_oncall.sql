-- Per person and ISO week (Monday, on the person's clock): pages received and acknowledged, how
-- many came after hours and in sleep hours (fct_work_events.time_band), and the incidents handled.
-- One incident is counted once: a page whose title names a loaded Jira issue ("[OPS-12] ...") and
-- that issue's incident_response work (completing, commenting, logging work) are the same
-- incident; a page naming no Jira issue is an incident of its own. Other incident signals
-- (pull requests, GitHub issues, meetings) carry no incident identity and are not counted here.
with events as (
    select e.*, a.item_type, a.item_ref
    from {{ ref('fct_work_events') }} as e
    inner join {{ ref('int_activity__unioned') }} as a on e.event_key = a.activity_id
    where e.work_category = 'incident_response'
),

pages as (
    select distinct incident_ref, jira_issue_key from {{ ref('int_oncall__pages') }}
),

identified as (
    select
        e.*,
        case
            when e.source = 'oncall' then coalesce(p.jira_issue_key, e.item_ref)
            when e.item_type = 'jira_issue' then j.issue_key
        end as incident_identity
    from events as e
    left join pages as p on e.source = 'oncall' and e.item_ref = p.incident_ref
    left join {{ ref('stg_jira__issues') }} as j on e.source = 'jira' and e.item_type = 'jira_issue' and e.item_ref = j.issue_id
),

weekly as (
    select
        person_key,
        {{ dbt.cast(dbt.date_trunc('week', 'occurred_at_local'), 'date') }} as week_start,
        activity_type,
        time_band,
        incident_identity
    from identified
)

select
    person_key,
    week_start,
    sum(case when activity_type = 'oncall_paged' then 1 else 0 end) as pages,
    sum(case when activity_type = 'oncall_acknowledged' then 1 else 0 end) as pages_acknowledged,
    sum(case when activity_type = 'oncall_paged' and time_band <> 'business' then 1 else 0 end) as after_hours_pages,
    sum(case when activity_type = 'oncall_paged' and time_band = 'sleep' then 1 else 0 end) as sleep_hours_pages,
    count(distinct incident_identity) as incidents_handled
from weekly
group by person_key, week_start
having sum(case when activity_type in ('oncall_paged', 'oncall_acknowledged') then 1 else 0 end) > 0
    or count(distinct incident_identity) > 0
