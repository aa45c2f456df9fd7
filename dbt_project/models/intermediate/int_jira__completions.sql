-- Who finished each issue now in the Done status category: the assignee at the moment the issue
-- last entered its current (done) status, and who owned it first when it was reassigned.
with issues as (
    select * from {{ ref('stg_jira__issues') }}
),

items as (
    select * from {{ ref('int_jira__changelog_items') }}
),

done_entry as (
    select i.issue_id, max(c.changed_at) as completed_at
    from issues as i
    inner join items as c on c.issue_id = i.issue_id and c.field = 'status' and c.to_string = i.status
    where i.status_category = 'done'
    group by i.issue_id
),

assignee_changes as (
    select
        issue_id, changed_at, from_value, to_value,
        row_number() over (partition by issue_id order by changed_at, history_id) as change_no
    from items
    where field = 'assignee'
),

assignee_at_done as (
    select d.issue_id, c.to_value as account_id,
        row_number() over (partition by d.issue_id order by c.changed_at desc) as rn
    from done_entry as d
    inner join assignee_changes as c on c.issue_id = d.issue_id and c.changed_at <= d.completed_at
),

first_assignee as (
    select issue_id, from_value as account_id
    from assignee_changes
    where change_no = 1
)

select
    i.issue_id,
    i.issue_key,
    coalesce(d.completed_at, i.resolved_at, i.created_at) as completed_at,
    coalesce(a.account_id, case when f.issue_id is not null then f.account_id end, i.assignee_account_id) as completer_account_id,
    coalesce(f.account_id, i.assignee_account_id) as owner_account_id
from issues as i
left join done_entry as d on i.issue_id = d.issue_id
left join assignee_at_done as a on i.issue_id = a.issue_id and a.rn = 1
left join first_assignee as f on i.issue_id = f.issue_id
where i.status_category = 'done'
