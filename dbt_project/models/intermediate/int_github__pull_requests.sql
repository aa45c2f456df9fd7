-- Pull requests with their author's roster person (null when no roster person has the login).
select
    p.*,
    a.person_id as author_person_id
from {{ ref('stg_github__pull_requests') }} as p
left join {{ ref('int_people__identities') }} as a
    on a.identity_type = 'github_login' and lower(p.author_login) = a.identity_value
