-- Identities that act in the sources but map to no roster person, with the activity they carry:
-- add them to the roster (github_logins, jira_account_ids, emails) to count their work.
with seen as (
    select 'github_login' as identity_type, lower(author_login) as identity_value, created_at as occurred_at
    from {{ ref('stg_github__pull_requests') }} where not is_bot_author
    union all
    select 'github_login', lower(reviewer_login), submitted_at from {{ ref('stg_github__reviews') }}
    union all
    select 'github_login', lower(commenter_login), created_at from {{ ref('stg_github__review_comments') }}
    union all
    select 'github_login', lower(commenter_login), created_at from {{ ref('stg_github__issue_comments') }}
    union all
    select 'github_login', lower(author_login), authored_at from {{ ref('stg_github__pull_request_commits') }}
    where author_login is not null
    union all
    select 'github_login', lower(author_login), created_at from {{ ref('stg_github__issues') }} where not is_bot_author
    union all
    select 'github_login', lower(author_login), published_at from {{ ref('stg_github__releases') }}
    union all
    select 'jira_account_id', author_account_id, changed_at from {{ ref('stg_jira__issue_changelogs') }} where not is_bot_author
    union all
    select 'jira_account_id', author_account_id, started_at from {{ ref('stg_jira__worklogs') }}
    union all
    select 'jira_account_id', author_account_id, created_at from {{ ref('stg_jira__comments') }}
    union all
    select 'email', organizer_email, starts_at from {{ ref('int_calendar__meetings') }}
    union all
    select 'email', a.email, m.starts_at
    from {{ ref('int_calendar__attendance') }} as a
    inner join {{ ref('int_calendar__meetings') }} as m on a.event_id = m.event_id
    where a.role = 'attendee'
    union all
    -- paged or acknowledging on-call people whose PagerDuty or Opsgenie email is no roster email
    select 'email', email, occurred_at from {{ ref('int_oncall__pages') }}
)

select
    s.identity_type,
    s.identity_value,
    count(*) as activities,
    min(s.occurred_at) as first_seen_at,
    max(s.occurred_at) as last_seen_at
from seen as s
left join {{ ref('int_people__identities') }} as i
    on s.identity_type = i.identity_type and s.identity_value = i.identity_value
where i.person_id is null
  and s.identity_value is not null
group by s.identity_type, s.identity_value
