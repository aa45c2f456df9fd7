-- Asked vs volunteered, per person and hidden category: of the reviews they gave, the Jira issues
-- they finished and the meetings they were in, how many someone asked them for (a review request
-- of theirs or their team's, an issue assigned by someone else, an invitation) and how many they
-- took on themselves (an unrequested review, a self-assigned issue, a meeting they organized).
-- Items whose origin the data does not tell are left out.
with events as (
    select e.person_key, e.work_category, e.activity_type, e.object_id
    from {{ ref('fct_work_events') }} as e
    inner join {{ ref('dim_work_categories') }} as c on e.work_category = c.work_category
    where c.kind = 'hidden'
      and e.activity_type in ('review_submitted', 'jira_issue_completed', 'meeting_organized', 'meeting_attended')
),

review_asks as (
    select {{ dbt.cast('review_id', dbt.type_string()) }} as object_id, request_kind <> 'unrequested' as was_asked
    from {{ ref('int_github__review_asks') }}
),

jira_asks as (
    select issue_id as object_id, assigned_by_account_id <> completer_account_id as was_asked
    from {{ ref('int_jira__completion_asks') }}
    where assigned_by_account_id is not null
),

signals as (
    select e.person_key, e.work_category, 'review' as signal, r.was_asked
    from events as e
    inner join review_asks as r on e.object_id = r.object_id
    where e.activity_type = 'review_submitted'
    union all
    select e.person_key, e.work_category, 'jira_issue' as signal, j.was_asked
    from events as e
    inner join jira_asks as j on e.object_id = j.object_id
    where e.activity_type = 'jira_issue_completed'
    union all
    select e.person_key, e.work_category, 'meeting' as signal, e.activity_type = 'meeting_attended' as was_asked
    from events as e
    where e.activity_type in ('meeting_organized', 'meeting_attended')
)

select
    person_key,
    work_category,
    signal,
    count(*) as items,
    sum(case when was_asked then 1 else 0 end) as asked,
    sum(case when was_asked then 0 else 1 end) as volunteered,
    cast(sum(case when was_asked then 1 else 0 end) as double precision) / count(*) as asked_share
from signals
group by person_key, work_category, signal
