-- One row per person and action (the activity vocabulary of docs/CONTRACTS.md), unclassified.
-- Identity of an activity: (source, activity_type, object_id, person_id).
with identities as (
    select * from {{ ref('int_people__identities') }}
),
logins as (select identity_value as login, person_id from identities where identity_type = 'github_login'),
accounts as (select identity_value as account_id, person_id from identities where identity_type = 'jira_account_id'),
emails as (select identity_value as email, person_id from identities where identity_type = 'email'),

pulls as (
    select p.*, a.person_id as author_id
    from {{ ref('stg_github__pull_requests') }} as p
    left join logins as a on lower(p.author_login) = a.login
),

gh_issues as (
    select i.*, a.person_id as author_id
    from {{ ref('stg_github__issues') }} as i
    left join logins as a on lower(i.author_login) = a.login
),

pr_authored as (
    select 'github' as source, 'pr_authored' as activity_type, pull_request_ref as object_id,
        author_id as person_id, cast(null as {{ dbt.type_string() }}) as counterpart_person_id,
        created_at as occurred_at, cast(null as {{ dbt.type_float() }}) as duration_hours,
        html_url as source_url, title, 'pull_request' as item_type, pull_request_ref as item_ref
    from pulls
),

review_submitted as (
    select 'github', 'review_submitted', {{ dbt.cast('r.review_id', dbt.type_string()) }},
        rv.person_id, p.author_id, r.submitted_at, null, r.html_url, p.title, 'pull_request', p.pull_request_ref
    from {{ ref('stg_github__reviews') }} as r
    inner join pulls as p on r.repo = p.repo and r.pull_number = p.pull_number
    left join logins as rv on lower(r.reviewer_login) = rv.login
    -- a self-review is not a review
    where rv.person_id is distinct from p.author_id
),

review_comment as (
    select 'github', 'review_comment', {{ dbt.cast('c.review_comment_id', dbt.type_string()) }},
        cm.person_id, p.author_id, c.created_at, null, c.html_url, p.title, 'pull_request', p.pull_request_ref
    from {{ ref('stg_github__review_comments') }} as c
    inner join pulls as p on c.repo = p.repo and c.pull_number = p.pull_number
    left join logins as cm on lower(c.commenter_login) = cm.login
    where cm.person_id is distinct from p.author_id
),

issue_comment as (
    select 'github', 'issue_comment', {{ dbt.cast('c.issue_comment_id', dbt.type_string()) }},
        cm.person_id, coalesce(p.author_id, i.author_id), c.created_at, null, c.html_url,
        coalesce(p.title, i.title),
        case when p.pull_number is not null then 'pull_request' else 'github_issue' end, {{ dbt.concat(['c.repo', "'#'", dbt.cast('c.issue_number', dbt.type_string())]) }}
    from {{ ref('stg_github__issue_comments') }} as c
    left join pulls as p on c.repo = p.repo and c.issue_number = p.pull_number
    left join gh_issues as i on c.repo = i.repo and c.issue_number = i.issue_number
    left join logins as cm on lower(c.commenter_login) = cm.login
),

commits as (
    select c.*, p.author_id as pr_author_id, p.title as pr_title,
        coalesce(cl.person_id, ce.person_id) as committer_id,
        {{ dbt.concat(['c.repo', "'#'", dbt.cast('c.pull_number', dbt.type_string()), "'@'", 'c.sha']) }} as commit_ref
    from {{ ref('stg_github__pull_request_commits') }} as c
    inner join pulls as p on c.repo = p.repo and c.pull_number = p.pull_number
    left join logins as cl on lower(c.author_login) = cl.login
    left join emails as ce on c.author_email = ce.email
),

commit_on_others_pr as (
    select 'github', 'commit_on_others_pr', commit_ref, committer_id, pr_author_id, authored_at, null,
        html_url, pr_title, 'pull_request', {{ dbt.concat(['repo', "'#'", dbt.cast('pull_number', dbt.type_string())]) }}
    from commits
    where committer_id is distinct from pr_author_id
),

co_authored_commit as (
    select 'github', 'co_authored_commit', c.commit_ref, e.person_id, c.committer_id, c.authored_at, null,
        c.html_url, c.pr_title, 'pull_request', {{ dbt.concat(['c.repo', "'#'", dbt.cast('c.pull_number', dbt.type_string())]) }}
    from (
        select *, lower({{ json_text('co_author', 'email') }}) as co_author_email
        from (select commits.*, {{ json_array_elements('co_authors_json') }} as co_author from commits) as x
    ) as c
    left join emails as e on c.co_author_email = e.email
),

release_published as (
    select 'github', 'release_published', {{ dbt.cast('r.release_id', dbt.type_string()) }}, a.person_id, null,
        coalesce(r.published_at, r.created_at), null, r.html_url, coalesce(r.release_name, r.tag_name), 'release', {{ dbt.concat(['r.repo', "'#'", dbt.cast('r.release_id', dbt.type_string())]) }}
    from {{ ref('stg_github__releases') }} as r
    left join logins as a on lower(r.author_login) = a.login
    where not r.is_draft
),

gh_issue_opened as (
    select 'github', 'gh_issue_opened', {{ dbt.cast('issue_id', dbt.type_string()) }}, author_id, null,
        created_at, null, html_url, title, 'github_issue', {{ dbt.concat(['repo', "'#'", dbt.cast('issue_number', dbt.type_string())]) }}
    from gh_issues
),

jira_issues as (
    select i.*, a.person_id as assignee_id
    from {{ ref('stg_jira__issues') }} as i
    left join accounts as a on i.assignee_account_id = a.account_id
),

jira_issue_completed as (
    select 'jira', 'jira_issue_completed', c.issue_id, done_by.person_id,
        case when owner.person_id is distinct from done_by.person_id then owner.person_id end,
        c.completed_at, null, i.html_url, i.summary, 'jira_issue', c.issue_id
    from {{ ref('int_jira__completions') }} as c
    inner join jira_issues as i on c.issue_id = i.issue_id
    left join accounts as done_by on c.completer_account_id = done_by.account_id
    left join accounts as owner on c.owner_account_id = owner.account_id
),

jira_issue_edited as (
    select 'jira', 'jira_issue_edited', h.history_id, ed.person_id, i.assignee_id, h.changed_at, null,
        i.html_url, i.summary, 'jira_issue', i.issue_id
    from (
        select history_id, issue_id, author_account_id, min(changed_at) as changed_at
        from {{ ref('int_jira__changelog_items') }}
        where field in ('Sprint', 'Rank', 'Fix Version', 'assignee', 'priority')
          and not is_bot_author
        group by history_id, issue_id, author_account_id
    ) as h
    inner join jira_issues as i on h.issue_id = i.issue_id
    left join accounts as ed on h.author_account_id = ed.account_id
    -- editing the issue one is assigned is one's own work, not coordination
    where ed.person_id is distinct from i.assignee_id
),

jira_worklog as (
    select 'jira', 'jira_worklog', w.worklog_id, a.person_id, null, w.started_at,
        w.time_spent_seconds / 3600.0, i.html_url, i.summary, 'jira_issue', w.issue_id
    from {{ ref('stg_jira__worklogs') }} as w
    inner join jira_issues as i on w.issue_id = i.issue_id
    left join accounts as a on w.author_account_id = a.account_id
),

jira_comment as (
    select 'jira', 'jira_comment', c.comment_id, a.person_id, i.assignee_id, c.created_at, null,
        i.html_url, i.summary, 'jira_issue', c.issue_id
    from {{ ref('stg_jira__comments') }} as c
    inner join jira_issues as i on c.issue_id = i.issue_id
    left join accounts as a on c.author_account_id = a.account_id
),

meetings as (
    select m.*, o.person_id as organizer_id
    from {{ ref('int_calendar__meetings') }} as m
    left join {{ ref('int_calendar__attendance') }} as o on m.event_id = o.event_id and o.role = 'organizer'
),

meeting_organized as (
    select 'calendar', 'meeting_organized', event_id, organizer_id, null, starts_at, duration_hours,
        html_url, title, 'meeting', event_id
    from meetings
),

meeting_attended as (
    select 'calendar', 'meeting_attended', m.event_id, a.person_id, m.organizer_id, m.starts_at, m.duration_hours,
        m.html_url, m.title, 'meeting', m.event_id
    from {{ ref('int_calendar__attendance') }} as a
    inner join meetings as m on a.event_id = m.event_id
    where a.role = 'attendee'
),

unioned as (
    select * from pr_authored
    union all select * from review_submitted
    union all select * from review_comment
    union all select * from issue_comment
    union all select * from commit_on_others_pr
    union all select * from co_authored_commit
    union all select * from release_published
    union all select * from gh_issue_opened
    union all select * from jira_issue_completed
    union all select * from jira_issue_edited
    union all select * from jira_worklog
    union all select * from jira_comment
    union all select * from meeting_organized
    union all select * from meeting_attended
)

select
    {{ dbt.hash(dbt.concat(['source', "'|'", 'activity_type', "'|'", 'object_id', "'|'", 'person_id'])) }} as activity_id,
    *
from unioned
-- people not in the roster do no activities here; rpt_unmapped_identities shows what they carry
where person_id is not null
