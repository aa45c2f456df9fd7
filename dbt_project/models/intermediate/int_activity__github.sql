-- One row per person and GitHub action (the activity vocabulary of docs/CONTRACTS.md), unclassified;
-- people not in the roster have a null person_id (int_activity__unioned leaves them out).
with identities as (
    select * from {{ ref('int_people__identities') }}
),
logins as (select identity_value as login, person_id from identities where identity_type = 'github_login'),
emails as (select identity_value as email, person_id from identities where identity_type = 'email'),

pulls as (
    select * from {{ ref('int_github__pull_requests') }}
),

issues as (
    select * from {{ ref('int_github__issues') }}
),

pr_authored as (
    select
        'github' as source,
        'pr_authored' as activity_type,
        pull_request_ref as object_id,
        author_person_id as person_id,
        cast(null as {{ dbt.type_string() }}) as counterpart_person_id,
        created_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        html_url as source_url,
        title,
        'pull_request' as item_type,
        pull_request_ref as item_ref
    from pulls
),

review_submitted as (
    select
        'github' as source,
        'review_submitted' as activity_type,
        {{ dbt.cast('r.review_id', dbt.type_string()) }} as object_id,
        rv.person_id,
        p.author_person_id as counterpart_person_id,
        r.submitted_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        r.html_url as source_url,
        p.title,
        'pull_request' as item_type,
        p.pull_request_ref as item_ref
    from {{ ref('stg_github__reviews') }} as r
    inner join pulls as p on r.repo = p.repo and r.pull_number = p.pull_number
    left join logins as rv on lower(r.reviewer_login) = rv.login
    -- a self-review is not a review
    where rv.person_id is distinct from p.author_person_id
),

review_comment as (
    select
        'github' as source,
        'review_comment' as activity_type,
        {{ dbt.cast('c.review_comment_id', dbt.type_string()) }} as object_id,
        cm.person_id,
        p.author_person_id as counterpart_person_id,
        c.created_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        c.html_url as source_url,
        p.title,
        'pull_request' as item_type,
        p.pull_request_ref as item_ref
    from {{ ref('stg_github__review_comments') }} as c
    inner join pulls as p on c.repo = p.repo and c.pull_number = p.pull_number
    left join logins as cm on lower(c.commenter_login) = cm.login
    where cm.person_id is distinct from p.author_person_id
),

-- a comment on a pull request's conversation or on an issue (GitHub numbers both alike)
issue_comment as (
    select
        'github' as source,
        'issue_comment' as activity_type,
        {{ dbt.cast('c.issue_comment_id', dbt.type_string()) }} as object_id,
        cm.person_id,
        coalesce(p.author_person_id, i.author_person_id) as counterpart_person_id,
        c.created_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        c.html_url as source_url,
        coalesce(p.title, i.title) as title,
        case when p.pull_number is not null then 'pull_request' else 'github_issue' end as item_type,
        {{ dbt.concat(['c.repo', "'#'", dbt.cast('c.issue_number', dbt.type_string())]) }} as item_ref
    from {{ ref('stg_github__issue_comments') }} as c
    left join pulls as p on c.repo = p.repo and c.issue_number = p.pull_number
    left join issues as i on c.repo = i.repo and c.issue_number = i.issue_number
    left join logins as cm on lower(c.commenter_login) = cm.login
),

commits as (
    select
        c.*,
        p.author_person_id as pr_author_person_id,
        p.title as pr_title,
        p.pull_request_ref,
        coalesce(cl.person_id, ce.person_id) as committer_person_id,
        {{ dbt.concat(['c.repo', "'#'", dbt.cast('c.pull_number', dbt.type_string()), "'@'", 'c.sha']) }} as commit_ref
    from {{ ref('stg_github__pull_request_commits') }} as c
    inner join pulls as p on c.repo = p.repo and c.pull_number = p.pull_number
    left join logins as cl on lower(c.author_login) = cl.login
    left join emails as ce on c.author_email = ce.email
),

commit_on_others_pr as (
    select
        'github' as source,
        'commit_on_others_pr' as activity_type,
        commit_ref as object_id,
        committer_person_id as person_id,
        pr_author_person_id as counterpart_person_id,
        authored_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        html_url as source_url,
        pr_title as title,
        'pull_request' as item_type,
        pull_request_ref as item_ref
    from commits
    where committer_person_id is distinct from pr_author_person_id
),

-- one row per Co-authored-by trailer of a commit, credited to the co-author
co_authors as (
    select *, lower({{ json_text('co_author', 'email') }}) as co_author_email
    from (select commits.*, {{ json_array_elements('co_authors_json') }} as co_author from commits) as x
),

co_authored_commit as (
    select
        'github' as source,
        'co_authored_commit' as activity_type,
        c.commit_ref as object_id,
        e.person_id,
        c.committer_person_id as counterpart_person_id,
        c.authored_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        c.html_url as source_url,
        c.pr_title as title,
        'pull_request' as item_type,
        c.pull_request_ref as item_ref
    from co_authors as c
    left join emails as e on c.co_author_email = e.email
),

release_published as (
    select
        'github' as source,
        'release_published' as activity_type,
        {{ dbt.cast('r.release_id', dbt.type_string()) }} as object_id,
        a.person_id,
        cast(null as {{ dbt.type_string() }}) as counterpart_person_id,
        coalesce(r.published_at, r.created_at) as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        r.html_url as source_url,
        coalesce(r.release_name, r.tag_name) as title,
        'release' as item_type,
        {{ dbt.concat(['r.repo', "'#'", dbt.cast('r.release_id', dbt.type_string())]) }} as item_ref
    from {{ ref('stg_github__releases') }} as r
    left join logins as a on lower(r.author_login) = a.login
    where not r.is_draft
),

gh_issue_opened as (
    select
        'github' as source,
        'gh_issue_opened' as activity_type,
        {{ dbt.cast('issue_id', dbt.type_string()) }} as object_id,
        author_person_id as person_id,
        cast(null as {{ dbt.type_string() }}) as counterpart_person_id,
        created_at as occurred_at,
        cast(null as {{ dbt.type_float() }}) as duration_hours,
        html_url as source_url,
        title,
        'github_issue' as item_type,
        issue_ref as item_ref
    from issues
)

{{ union_activity(['pr_authored', 'review_submitted', 'review_comment', 'issue_comment', 'commit_on_others_pr',
                   'co_authored_commit', 'release_published', 'gh_issue_opened']) }}
