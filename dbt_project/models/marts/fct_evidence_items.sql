-- The evidence packet's items: each piece of non-promotable (hidden) work, dated, linked, and
-- described in one past-tense sentence a reader without context understands:
-- <what was done> <the item's title in quotes> <context>.
with events as (
    select * from {{ ref('fct_work_events') }}
    where is_promotable = false
),

phrased as (
    select
        *,
        case activity_type
            when 'pr_authored' then 'Opened the pull request '
            when 'review_submitted' then 'Reviewed the pull request '
            when 'review_comment' then 'Left a review comment on the pull request '
            when 'issue_comment' then 'Commented on '
            when 'commit_on_others_pr' then 'Pushed a commit to the colleague''s pull request '
            when 'co_authored_commit' then 'Co-authored a commit on the pull request '
            when 'gh_issue_opened' then 'Opened the GitHub issue '
            when 'jira_issue_completed' then 'Completed the Jira issue '
            when 'jira_issue_edited' then 'Groomed the Jira issue '
            when 'jira_worklog' then 'Logged work on the Jira issue '
            when 'jira_comment' then 'Commented on the Jira issue '
            when 'meeting_organized' then 'Organized the meeting '
            when 'meeting_attended' then 'Took part in the meeting '
            when 'self_report' then 'Self-reported: '
            when 'oncall_paged' then 'Was paged for the incident '
            when 'oncall_acknowledged' then 'Acknowledged the page for the incident '
            else 'Worked on '
        end as what,
        case
            when title is null then 'a private or untitled item'
            else {{ dbt.concat(["'\"'", 'title', "'\"'"]) }}
        end as quoted_title,
        case
            when activity_type in ('review_submitted', 'review_comment', 'issue_comment')
                and work_category = 'onboarding_mentoring' then ', helping a new or first-time contributor.'
            when activity_type = 'review_submitted' then ', written by a colleague.'
            when activity_type = 'jira_issue_completed' and work_category = 'covering'
                then ' after it was reassigned from a colleague.'
            when activity_type = 'jira_issue_edited' then ' (sprint, rank, version, priority or assignee).'
            when work_category = 'incident_response' then ', as part of incident response.'
            else '.'
        end as context
    from events
)

select
    event_key as evidence_key,
    person_key,
    occurred_at,
    work_category,
    activity_type,
    {{ dbt.concat(['what', 'quoted_title', 'context']) }} as description,
    effort_hours,
    source_url,
    evidence,
    is_default_guess,
    self_reported,
    endorsed_by_n
from phrased
