-- How each submitted review was asked for: `requested` when the reviewer's own request was open
-- when they submitted it (their latest request event before it is a request, not a withdrawal),
-- else `requested_as_team` when a team request was open on the pull request (team members are
-- not loaded, so any reviewer counts), else `unrequested`. GitHub drops a fulfilled request from
-- the pull request, so only the timeline's events tell this.
with reviews as (
    select review_id, repo, pull_number, lower(reviewer_login) as reviewer_login, submitted_at
    from {{ ref('stg_github__reviews') }}
),

events as (
    select * from {{ ref('stg_github__review_requests') }}
),

-- the latest event before the review for the reviewer, and for each team requested on the PR
latest as (
    select
        r.review_id,
        e.requested_team_slug is not null as is_team,
        e.request_event,
        row_number() over (
            partition by r.review_id, coalesce(e.requested_team_slug, e.requested_login)
            order by e.created_at desc, case when e.request_event = 'review_request_removed' then 0 else 1 end
        ) as recency
    from reviews as r
    inner join events as e
        on e.repo = r.repo
        and e.pull_number = r.pull_number
        and e.created_at <= r.submitted_at
        and (e.requested_login = r.reviewer_login or e.requested_team_slug is not null)
),

open_requests as (
    select
        review_id,
        max(case when not is_team then 1 else 0 end) as by_person,
        max(case when is_team then 1 else 0 end) as by_team
    from latest
    where recency = 1 and request_event = 'review_requested'
    group by review_id
)

select
    r.review_id,
    r.repo,
    r.pull_number,
    case
        when o.by_person = 1 then 'requested'
        when o.by_team = 1 then 'requested_as_team'
        else 'unrequested'
    end as request_kind
from reviews as r
left join open_requests as o on r.review_id = o.review_id
