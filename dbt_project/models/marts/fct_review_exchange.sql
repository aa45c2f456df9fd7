-- Who reviews whose pull requests: per reviewer and author, submitted reviews, and how many the
-- author asked this reviewer for (requested) or not (unrequested).
with reviews as (
    select e.person_key as reviewer_key, e.counterpart_person_key as author_key, e.object_id
    from {{ ref('fct_work_events') }} as e
    where e.activity_type = 'review_submitted'
      and e.counterpart_person_key is not null
),

requests as (
    select
        {{ dbt.cast('r.review_id', dbt.type_string()) }} as object_id,
        {{ dbt.position(
            dbt.concat(["'|'", 'lower(r.reviewer_login)', "'|'"]),
            dbt.concat(["'|'", 'lower(p.requested_reviewer_logins)', "'|'"])
        ) }} > 0 as was_requested
    from {{ ref('stg_github__reviews') }} as r
    inner join {{ ref('stg_github__pull_requests') }} as p on r.repo = p.repo and r.pull_number = p.pull_number
)

select
    v.reviewer_key,
    v.author_key,
    count(*) as reviews,
    sum(case when q.was_requested then 1 else 0 end) as requested,
    sum(case when q.was_requested then 0 else 1 end) as unrequested
from reviews as v
left join requests as q on v.object_id = q.object_id
group by v.reviewer_key, v.author_key
