-- Every GitHub login, Jira account id (Cloud accountId or Server username), PagerDuty user id and email mapped to one roster person.
-- The roster wins; where it is silent, an identity whose email equals a roster email is matched.
with roster as (
    select * from {{ ref('stg_people__people') }}
),

roster_identities as (
    select person_id, 'github_login' as identity_type, lower(login) as identity_value, 'roster' as matched_by
    from (select person_id, {{ json_array_texts('github_logins_json') }} as login from roster) as l
    union all
    select person_id, 'jira_account_id', account_id, 'roster'
    from (select person_id, {{ json_array_texts('jira_account_ids_json') }} as account_id from roster) as j
    union all
    -- a Jira Server / Data Center username in the roster's jira_account_ids: staging lower-cases usernames
    select person_id, 'jira_account_id', lower(account_id), 'roster'
    from (select person_id, {{ json_array_texts('jira_account_ids_json') }} as account_id from roster) as j
    where lower(account_id) <> account_id
    union all
    select person_id, 'email', lower(email), 'roster'
    from (select person_id, {{ json_array_texts('emails_json') }} as email from roster) as e
),

roster_emails as (
    select identity_value as email, min(person_id) as person_id
    from roster_identities
    where identity_type = 'email'
    group by identity_value
),

jira_by_email as (
    select e.person_id, 'jira_account_id' as identity_type, u.account_id as identity_value, 'email' as matched_by
    from {{ ref('stg_jira__users') }} as u
    inner join roster_emails as e on u.email = e.email
),

github_by_commit_email as (
    select distinct e.person_id, 'github_login' as identity_type, lower(c.author_login) as identity_value, 'email' as matched_by
    from {{ ref('stg_github__pull_request_commits') }} as c
    inner join roster_emails as e on c.author_email = e.email
    where c.author_login is not null
),

-- on-call users are matched by email (Opsgenie names people by their email already)
pagerduty_by_email as (
    select e.person_id, 'pagerduty_user_id' as identity_type, u.user_id as identity_value, 'email' as matched_by
    from {{ ref('stg_oncall__pagerduty_users') }} as u
    inner join roster_emails as e on u.email = e.email
),

candidates as (
    select *, 1 as preference from roster_identities where identity_value is not null and identity_value <> ''
    union all
    select *, 2 from jira_by_email
    union all
    select *, 2 from github_by_commit_email
    union all
    select *, 2 from pagerduty_by_email
),

ranked as (
    select
        *,
        row_number() over (partition by identity_type, identity_value order by preference, person_id) as rn
    from candidates
)

select
    identity_type,
    identity_value,
    person_id,
    matched_by
from ranked
where rn = 1
