-- The facts classification rules match on, one row per activity. Each feature is text named after
-- the object it describes (pr_*, issue_*, jira_*, meeting_*), null where it does not apply, so a rule
-- in seeds/classification_rules.csv names one feature and a regular expression.
with activity as (
    select * from {{ ref('int_activity__unioned') }}
),

people as (
    select * from {{ ref('stg_people__people') }}
),

pulls as (
    select * from {{ ref('int_github__pull_requests') }}
),

-- Files of each PR, sorted and '|'-joined, so a rule can say "every file is documentation"; and the
-- files it adds (null when none: aggregates skip nulls), as new code is what a new feature brings.
pr_files as (
    select
        repo,
        pull_number,
        {{ dbt.listagg('filename', "'|'", 'order by filename') }} as files,
        {{ dbt.listagg("case when file_status = 'added' then filename end", "'|'", 'order by filename') }} as added_files
    from {{ ref('stg_github__pull_request_files') }}
    group by repo, pull_number
),

-- Jira issues a PR names in its title, branch or body (e.g. "OPS-12: rollback", "feature/PAY-7-x").
pr_jira_keys as (
    select distinct pull_request_ref, jira_key
    from (
        select
            pull_request_ref,
            {{ unnest_list(regex_extract_all(dbt.concat(["coalesce(title, '')", "' '", "coalesce(head_branch, '')", "' '", "coalesce(body, '')"]), "'[A-Z][A-Z0-9]+-[0-9]+'")) }} as jira_key
        from pulls
    ) as k
),

pr_linked_jira as (
    select
        k.pull_request_ref,
        {{ dbt.listagg(dbt.concat(['i.issue_type', "'/'", "coalesce(i.priority, '')", "'/'", 'i.labels']), "'|'", 'order by i.issue_key') }} as linked
    from pr_jira_keys as k
    inner join {{ ref('stg_jira__issues') }} as i on k.jira_key = i.issue_key
    group by k.pull_request_ref
),

pr_context as (
    select
        p.pull_request_ref,
        p.repo,
        p.author_person_id,
        p.author_association,
        p.title,
        p.labels,
        p.head_branch,
        p.body,
        f.files,
        f.added_files,
        l.linked,
        ap.start_date as author_start_date
    from pulls as p
    left join pr_files as f on p.repo = f.repo and p.pull_number = f.pull_number
    left join pr_linked_jira as l on p.pull_request_ref = l.pull_request_ref
    left join people as ap on p.author_person_id = ap.person_id
),

gh_issues as (
    select * from {{ ref('int_github__issues') }}
),

jira as (
    select * from {{ ref('stg_jira__issues') }}
),

completions as (
    select * from {{ ref('int_jira__completions') }}
),

meetings as (
    select * from {{ ref('int_calendar__meetings') }}
),

-- Meetings with exactly one invitee besides the organizer, and whether one manages the other.
pairs as (
    select
        m.event_id,
        case
            when o.person_id is null or i.person_id is null then null
            when o.manager_id = i.person_id or i.manager_id = o.person_id then 'manager'
            else 'peer'
        end as relation
    from meetings as m
    inner join {{ ref('int_people__identities') }} as oi
        on oi.identity_type = 'email' and oi.identity_value = m.organizer_email
    inner join {{ ref('int_people__identities') }} as ii
        on ii.identity_type = 'email' and ii.identity_value = m.only_invitee_email
    inner join people as o on oi.person_id = o.person_id
    inner join people as i on ii.person_id = i.person_id
)

select
    a.activity_id,
    a.source,
    a.activity_type,
    -- whose pull request a review or comment is about, seen from the actor
    case
        when a.activity_type not in ('review_submitted', 'review_comment', 'issue_comment') or a.item_type <> 'pull_request' then null
        when a.person_id = pr.author_person_id then 'self'
        when pr.author_association in ('FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER') then 'first_timer'
        when {{ dbt.datediff('pr.author_start_date', 'a.occurred_at', 'day') }} between 0 and {{ var('new_hire_days') }} then 'new_hire'
        else 'other'
    end as pr_author_status,
    case when a.item_type = 'pull_request' then pr.title end as pr_title,
    case when a.item_type = 'pull_request' then pr.repo end as pr_repo,
    case when a.item_type = 'pull_request' then pr.labels end as pr_labels,
    case when a.item_type = 'pull_request' then pr.head_branch end as pr_branch,
    case when a.item_type = 'pull_request' then pr.body end as pr_body,
    case when a.item_type = 'pull_request' then pr.files end as pr_files,
    case when a.item_type = 'pull_request' then pr.added_files end as pr_added_files,
    case when a.item_type = 'pull_request' then pr.linked end as pr_linked_jira,
    gi.title as issue_title,
    gi.labels as issue_labels,
    j.issue_type as jira_type,
    j.parent_issue_type as jira_parent_type,
    j.priority as jira_priority,
    j.labels as jira_labels,
    j.components as jira_components,
    j.summary as jira_summary,
    case
        when a.activity_type <> 'jira_issue_completed' then null
        when c.owner_account_id is distinct from c.completer_account_id then 'reassigned'
        else 'owner'
    end as jira_completion,
    m.title as meeting_title,
    case when m.is_recurring then m.title end as recurring_meeting_title,
    case when pr_pair.relation is not null then {{ dbt.concat(['pr_pair.relation', "': '", "coalesce(m.title, '')"]) }} end as one_on_one
from activity as a
left join pr_context as pr on a.item_type = 'pull_request' and a.item_ref = pr.pull_request_ref
left join gh_issues as gi on a.item_type = 'github_issue' and a.item_ref = gi.issue_ref
left join jira as j on a.item_type = 'jira_issue' and a.item_ref = j.issue_id
left join completions as c on a.item_type = 'jira_issue' and a.item_ref = c.issue_id
left join meetings as m on a.item_type = 'meeting' and a.item_ref = m.event_id
left join pairs as pr_pair on a.item_type = 'meeting' and a.item_ref = pr_pair.event_id
