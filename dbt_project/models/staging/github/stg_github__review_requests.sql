-- Review requests and their withdrawals from pull request timelines: a person (requested_login)
-- or a team (requested_team_slug) asked for a review, by requester_login.
select
    node_id as review_request_event_id,
    repo,
    {{ dbt.cast('pull_number', dbt.type_int()) }} as pull_number,
    event as request_event,
    {{ json_text('actor', 'login') }} as requester_login,
    lower({{ json_text('requested_reviewer', 'login') }}) as requested_login,
    {{ json_text('requested_team', 'slug') }} as requested_team_slug,
    {{ to_utc('created_at') }} as created_at
from {{ source('github', 'review_requests') }}
