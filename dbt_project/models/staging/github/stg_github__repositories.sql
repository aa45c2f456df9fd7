select
    {{ dbt.cast('id', dbt.type_bigint()) }} as repository_id,
    full_name as repo,
    name as repo_name,
    html_url,
    default_branch
from {{ source('github', 'repositories') }}
