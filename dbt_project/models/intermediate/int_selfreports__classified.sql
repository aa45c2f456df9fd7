-- The category of each self-report: the one its writer named (evidence 'explicit'), else what the
-- classification rules say of its title. The rules that read a title (seed classification_rules,
-- evidence 'title') apply, whatever source they were written for, calendar's first: a self-report
-- names an activity, as a calendar entry does, more than a change to code. Rules that give `other`
-- (attending is not organizing) do not apply: a self-report is the writer's own work.
with title_rules as (
    select
        rule_id,
        '*' as source,
        '.' as activity_type,
        'title' as field,
        pattern,
        category,
        case
            when field in ('meeting_title', 'recurring_meeting_title') then 1000
            when field = 'jira_summary' then 2000
            when field = 'issue_title' then 3000
            else 4000
        end + priority as priority,
        evidence
    from {{ ref('classification_rules') }}
    where evidence = 'title' and category <> 'other'
),

self_reports as (
    select activity_id, source, activity_type, object_id, title
    from {{ ref('int_activity__unioned') }}
    where activity_type = 'self_report'
),

-- classify's own CTEs read the two above (a nested WITH sees the outer one's names)
by_rules as (
    {{ classify('self_reports', 'title_rules', feature_columns=['title']) }}
),

reports as (
    select a.activity_id, s.category as stated_category
    from self_reports as a
    inner join {{ ref('stg_selfreports__self_reports') }} as s on a.object_id = s.entry_id
)

select
    r.activity_id,
    coalesce(r.stated_category, k.work_category) as work_category,
    case when r.stated_category is not null then 'stated_by_writer' else k.rule_id end as rule_id,
    case when r.stated_category is not null then 'explicit' else k.evidence end as evidence
from reports as r
inner join by_rules as k on r.activity_id = k.activity_id
