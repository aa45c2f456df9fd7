-- Who reviews whose pull requests: per reviewer and author, submitted reviews, and how many the
-- author asked this reviewer for (requested), asked the reviewer's team for (requested_as_team),
-- or not at all (unrequested), from the pull requests' timelines (int_github__review_asks).
with reviews as (
    select e.person_key as reviewer_key, e.counterpart_person_key as author_key, e.object_id
    from {{ ref('fct_work_events') }} as e
    where e.activity_type = 'review_submitted'
      and e.counterpart_person_key is not null
),

asks as (
    select {{ dbt.cast('review_id', dbt.type_string()) }} as object_id, request_kind
    from {{ ref('int_github__review_asks') }}
)

select
    v.reviewer_key,
    v.author_key,
    count(*) as reviews,
    sum(case when a.request_kind = 'requested' then 1 else 0 end) as requested,
    sum(case when a.request_kind = 'requested' or a.request_kind = 'requested_as_team' then 0 else 1 end) as unrequested,
    sum(case when a.request_kind = 'requested_as_team' then 1 else 0 end) as requested_as_team
from reviews as v
left join asks as a on v.object_id = a.object_id
group by v.reviewer_key, v.author_key
