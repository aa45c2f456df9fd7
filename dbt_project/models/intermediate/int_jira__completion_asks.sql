-- Who gave each finished Jira issue to the person who finished it: the author of the latest
-- assignee change to them before completion, else (assigned at creation) the reporter. Equal to
-- the completer: they took it themselves. Null when the data does not say.
with completions as (
    select issue_id, completed_at, completer_account_id from {{ ref('int_jira__completions') }}
),

assignments as (
    select
        c.issue_id,
        i.author_account_id,
        row_number() over (partition by c.issue_id order by i.changed_at desc, i.history_id desc) as recency
    from completions as c
    inner join {{ ref('int_jira__changelog_items') }} as i
        on i.issue_id = c.issue_id
        and i.field = 'assignee'
        and i.to_value = c.completer_account_id
        and i.changed_at <= c.completed_at
)

select
    c.issue_id,
    c.completer_account_id,
    case
        when a.issue_id is not null then a.author_account_id
        -- never reassigned to them: they had it from the start, from whoever filed it
        when not exists (
            select 1 from {{ ref('int_jira__changelog_items') }} as x
            where x.issue_id = c.issue_id and x.field = 'assignee'
        ) then s.reporter_account_id
    end as assigned_by_account_id
from completions as c
inner join {{ ref('stg_jira__issues') }} as s on c.issue_id = s.issue_id
left join assignments as a on c.issue_id = a.issue_id and a.recency = 1
