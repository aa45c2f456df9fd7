-- One row per on-call incident, person and action: who was paged (notified) and who acknowledged,
-- first time each, from PagerDuty or Opsgenie, matched to roster people (int_people__identities:
-- PagerDuty user ids by email, Opsgenie users are emails). `jira_issue_key` is the Jira key the
-- incident's title names ("[OPS-12] ..."), when that issue is loaded: the page and the ticket are
-- then one incident (fct_person_weekly_oncall counts it once).
with identities as (
    select identity_type, identity_value, person_id from {{ ref('int_people__identities') }}
),

pagerduty as (
    select
        'pagerduty' as provider,
        e.incident_id,
        i.title,
        i.urgency,
        i.html_url as incident_url,
        i.triggered_at,
        case e.entry_type when 'notify' then 'paged' else 'acknowledged' end as action,
        e.created_at as occurred_at,
        u.email,
        p.person_id
    from {{ ref('stg_oncall__pagerduty_log_entries') }} as e
    inner join {{ ref('stg_oncall__pagerduty_incidents') }} as i on e.incident_id = i.incident_id
    left join {{ ref('stg_oncall__pagerduty_users') }} as u on e.user_id = u.user_id
    left join identities as p on p.identity_type = 'pagerduty_user_id' and e.user_id = p.identity_value
    where e.entry_type in ('notify', 'acknowledge') and e.user_id is not null
),

opsgenie as (
    select
        'opsgenie' as provider,
        l.alert_id as incident_id,
        a.title,
        a.urgency,
        a.html_url as incident_url,
        a.triggered_at,
        case l.entry_type when 'notify' then 'paged' else 'acknowledged' end as action,
        l.created_at as occurred_at,
        l.email,
        p.person_id
    from {{ ref('stg_oncall__opsgenie_alert_logs') }} as l
    inner join {{ ref('stg_oncall__opsgenie_alerts') }} as a on l.alert_id = a.alert_id
    left join identities as p on p.identity_type = 'email' and l.email = p.identity_value
    where l.entry_type in ('notify', 'acknowledge') and l.email is not null
),

actions as (
    select * from pagerduty
    union all
    select * from opsgenie
),

firsts as (
    select
        provider, incident_id, action, email,
        min(person_id) as person_id,
        min(title) as title,
        min(urgency) as urgency,
        min(incident_url) as incident_url,
        min(triggered_at) as triggered_at,
        min(occurred_at) as occurred_at
    from actions
    group by provider, incident_id, action, email
)

select
    f.provider,
    f.incident_id,
    {{ dbt.concat(['f.provider', "':'", 'f.incident_id']) }} as incident_ref,
    f.title,
    f.urgency,
    f.incident_url,
    f.triggered_at,
    f.action,
    f.occurred_at,
    f.email,
    f.person_id,
    j.issue_key as jira_issue_key
from firsts as f
left join {{ ref('stg_jira__issues') }} as j
    on j.issue_key = {{ regex_extract('f.title', "'[A-Z][A-Z0-9]+-[0-9]+'") }}
