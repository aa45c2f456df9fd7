-- How much work the rules leave unclassified (`other`), by source: the place to look before
-- adding rules to seeds/classification_rules.csv.
select
    source,
    count(*) as events,
    sum(effort_hours) as effort_hours,
    sum(case when work_category = 'other' then 1 else 0 end) as other_events,
    sum(case when work_category = 'other' then effort_hours else 0 end) as other_effort_hours,
    sum(case when work_category = 'other' then effort_hours else 0 end) / nullif(sum(effort_hours), 0) as other_effort_share,
    sum(case when rule_id = 'unmatched' then 1 else 0 end) as unmatched_events
from {{ ref('fct_work_events') }}
group by source
