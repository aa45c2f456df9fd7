-- Each activity colleagues endorsed, with how many distinct colleagues did. An endorsement names
-- whose work it is and the item: an activity of that person on that item is endorsed when the item
-- is its item_ref (`owner/repo#12`, a self-report's id), its own link, or a name of the item (the
-- pull request's or issue's URL, the Jira key or browse URL). Endorsements by people not in the
-- roster, by opted-out people and of one's own work are not counted.
with endorsements as (
    select e.endorser_person_id, e.endorsed_person_id, e.item
    from {{ ref('stg_selfreports__endorsements') }} as e
    inner join {{ ref('int_people__keyed') }} as endorser
        on e.endorser_person_id = endorser.person_id and not endorser.is_opted_out
    where e.endorser_person_id <> e.endorsed_person_id
),

activity as (
    select activity_id, person_id, source_url, item_type, item_ref
    from {{ ref('int_activity__unioned') }}
),

item_names as (
    select 'pull_request' as item_type, pull_request_ref as item_ref, html_url as item_name
    from {{ ref('stg_github__pull_requests') }}
    union all
    select 'github_issue', issue_ref, html_url from {{ ref('int_github__issues') }}
    union all
    select 'jira_issue', issue_id, issue_key from {{ ref('stg_jira__issues') }}
    union all
    select 'jira_issue', issue_id, html_url from {{ ref('stg_jira__issues') }}
),

matched as (
    select a.activity_id, e.endorser_person_id
    from endorsements as e
    inner join activity as a
        on a.person_id = e.endorsed_person_id and (a.item_ref = e.item or a.source_url = e.item)
    union
    select a.activity_id, e.endorser_person_id
    from endorsements as e
    inner join item_names as n on n.item_name = e.item
    inner join activity as a
        on a.person_id = e.endorsed_person_id and a.item_type = n.item_type and a.item_ref = n.item_ref
)

select activity_id, count(distinct endorser_person_id) as endorsed_by_n
from matched
group by activity_id
