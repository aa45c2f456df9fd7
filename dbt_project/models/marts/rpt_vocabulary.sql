-- Every label, Jira issue type, priority and component and every recurring meeting title the sources
-- carry, with what it maps to (seed label_mappings), whether any rule reads that term, and the
-- category the work carrying it gets: the place to find the organization's own words the rules do
-- not understand. Map one by adding a row to seeds/label_mappings.csv; the next run reclassifies
-- only the activities that carry it.
{% set reported = ['pr_labels', 'issue_labels', 'jira_labels', 'jira_components', 'jira_type', 'jira_priority',
                   'recurring_meeting_title'] %}
with features as (
    select * from {{ ref('int_activity__features') }}
),

lookup as (
    {{ vocabulary_lookup('features') }}
),

activity_values as (
    {%- for column in reported %}
    select f.activity_id, l.source, l.field, l.value, l.normalized, l.canonical, l.mapping_id, '{{ column }}' as feature
    from features as f
    inner join lookup as l on l.source = f.source and l.feature = '{{ column }}' and l.raw = f.{{ column }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

events as (
    select event_key, work_category, effort_hours from {{ ref('fct_work_events') }}
),

total as (
    select sum(effort_hours) as effort_hours from events
),

-- rules that read a term on its own (not the default guesses): a term no rule reads is not understood
reading_rules as (
    select distinct v.source, v.field, v.canonical, r.rule_id
    from (select distinct source, field, feature, canonical from activity_values) as v
    inner join (
        select rule_id, source, field, evidence, {{ regex_pattern('pattern') }} as pattern
        from {{ ref('classification_rules') }}
    ) as r
        on (r.source = v.source or r.source = '*')
        and (r.field = v.feature or (v.feature = 'recurring_meeting_title' and r.field = 'meeting_title'))
        and r.evidence <> 'default'
        and {{ regex_matches('v.canonical', 'r.pattern') }}
),

by_category as (
    select
        v.source, v.field, v.value, e.work_category,
        count(*) as activities,
        sum(e.effort_hours) as effort_hours
    from activity_values as v
    inner join events as e on e.event_key = v.activity_id
    group by v.source, v.field, v.value, e.work_category
),

ranked as (
    select
        *,
        row_number() over (partition by source, field, value order by effort_hours desc, activities desc, work_category) as category_rank,
        sum(activities) over (partition by source, field, value) as value_activities,
        sum(effort_hours) over (partition by source, field, value) as value_effort_hours
    from by_category
),

terms as (
    select distinct source, field, value, normalized, canonical, mapping_id from activity_values
)

select
    t.source,
    t.field,
    t.value,
    t.normalized,
    t.canonical,
    t.mapping_id,
    exists (
        select 1 from reading_rules as rr where rr.source = t.source and rr.field = t.field and rr.canonical = t.canonical
    ) as is_understood,
    r.value_activities as activities,
    r.value_effort_hours as effort_hours,
    r.value_effort_hours / nullif((select effort_hours from total), 0) as effort_share,
    r.work_category as top_category,
    r.effort_hours / nullif(r.value_effort_hours, 0) as top_category_effort_share
from terms as t
inner join ranked as r on r.source = t.source and r.field = t.field and r.value = t.value and r.category_rank = 1
