select
    repo,
    {{ dbt.cast('pull_number', dbt.type_int()) }} as pull_number,
    filename,
    status as file_status,
    {{ dbt.cast('additions', dbt.type_int()) }} as additions,
    {{ dbt.cast('deletions', dbt.type_int()) }} as deletions
from {{ source('github', 'pull_request_files') }}
