-- How much work the rules leave unclassified (`other`) or only guess (a default rule: nothing in the
-- item said what it was), by source: the place to look before adding rules or mappings
-- (rpt_vocabulary says which values).
select
    source,
    count(*) as events,
    sum(effort_hours) as effort_hours,
    sum(case when work_category = 'other' then 1 else 0 end) as other_events,
    sum(case when work_category = 'other' then effort_hours else 0 end) as other_effort_hours,
    sum(case when work_category = 'other' then effort_hours else 0 end) / nullif(sum(effort_hours), 0) as other_effort_share,
    sum(case when rule_id = 'unmatched' then 1 else 0 end) as unmatched_events,
    sum(case when is_default_guess then 1 else 0 end) as default_guess_events,
    sum(case when is_default_guess then effort_hours else 0 end) / nullif(sum(effort_hours), 0) as default_guess_effort_share
from {{ ref('fct_work_events') }}
group by source
