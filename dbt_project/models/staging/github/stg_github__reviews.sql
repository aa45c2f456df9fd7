select
    {{ dbt.cast('id', dbt.type_bigint()) }} as review_id,
    repo,
    {{ dbt.cast('pull_number', dbt.type_int()) }} as pull_number,
    {{ json_text('"user"', 'login') }} as reviewer_login,
    state as review_state,
    body,
    author_association,
    {{ to_utc('submitted_at') }} as submitted_at,
    html_url
from {{ source('github', 'reviews') }}
where not {{ is_bot(json_text('"user"', 'login')) }}
  -- a PENDING review is an unsent draft, not work done for someone
  and state <> 'PENDING'
