-- GitHub issues with their `{repo}#{number}` reference and their author's roster person (null when
-- no roster person has the login).
select
    i.*,
    {{ dbt.concat(['i.repo', "'#'", dbt.cast('i.issue_number', dbt.type_string())]) }} as issue_ref,
    a.person_id as author_person_id
from {{ ref('stg_github__issues') }} as i
left join {{ ref('int_people__identities') }} as a
    on a.identity_type = 'github_login' and lower(i.author_login) = a.identity_value
