-- One row per person and Jira action (the activity vocabulary of docs/CONTRACTS.md), unclassified;
-- people not in the roster have a null person_id (int_activity__unioned leaves them out).
with accounts as (
    select identity_value as account_id, person_id
    from {{ ref('int_people__identities') }}
    where identity_type = 'jira_account_id'
),

issues as (
    select i.*, a.person_id as assignee_person_id
    from {{ ref('stg_jira__issues') }} as i
    left join accounts as a on i.assignee_account_id = a.account_id
),

jira_issue_completed as (
    select
        'jira' as source,
        'jira_issue_completed' as activity_type,
        c.issue_id as object_id,
        done_by.person_id,
        case when owner.person_id is distinct from done_by.person_id then owner.person_id end as counterpart_person_id,
        c.completed_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        i.html_url as source_url,
        i.summary as title,
        'jira_issue' as item_type,
        c.issue_id as item_ref
    from {{ ref('int_jira__completions') }} as c
    inner join issues as i on c.issue_id = i.issue_id
    left join accounts as done_by on c.completer_account_id = done_by.account_id
    left join accounts as owner on c.owner_account_id = owner.account_id
),

-- changes of planning fields (sprint, rank, fix version, assignee, priority): coordination
edits as (
    select history_id, issue_id, author_account_id, min(changed_at) as changed_at
    from {{ ref('int_jira__changelog_items') }}
    where field in ('Sprint', 'Rank', 'Fix Version', 'assignee', 'priority')
        and not is_bot_author
    group by history_id, issue_id, author_account_id
),

jira_issue_edited as (
    select
        'jira' as source,
        'jira_issue_edited' as activity_type,
        h.history_id as object_id,
        ed.person_id,
        i.assignee_person_id as counterpart_person_id,
        h.changed_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        i.html_url as source_url,
        i.summary as title,
        'jira_issue' as item_type,
        i.issue_id as item_ref
    from edits as h
    inner join issues as i on h.issue_id = i.issue_id
    left join accounts as ed on h.author_account_id = ed.account_id
    -- editing the issue one is assigned is one's own work, not coordination
    where ed.person_id is distinct from i.assignee_person_id
),

jira_worklog as (
    select
        'jira' as source,
        'jira_worklog' as activity_type,
        w.worklog_id as object_id,
        a.person_id,
        cast(null as {{ dbt.type_string() }}) as counterpart_person_id,
        w.started_at as occurred_at,
        w.time_spent_seconds / 3600.0 as duration_hours,
        i.html_url as source_url,
        i.summary as title,
        'jira_issue' as item_type,
        w.issue_id as item_ref
    from {{ ref('stg_jira__worklogs') }} as w
    inner join issues as i on w.issue_id = i.issue_id
    left join accounts as a on w.author_account_id = a.account_id
),

jira_comment as (
    select
        'jira' as source,
        'jira_comment' as activity_type,
        c.comment_id as object_id,
        a.person_id,
        i.assignee_person_id as counterpart_person_id,
        c.created_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        i.html_url as source_url,
        i.summary as title,
        'jira_issue' as item_type,
        c.issue_id as item_ref
    from {{ ref('stg_jira__comments') }} as c
    inner join issues as i on c.issue_id = i.issue_id
    left join accounts as a on c.author_account_id = a.account_id
)

{{ union_activity(['jira_issue_completed', 'jira_issue_edited', 'jira_worklog', 'jira_comment']) }}
