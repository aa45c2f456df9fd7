{# Classifies every row of `features` (one row per activity: activity_id, source, activity_type and
   one text column per feature) with the rules of `rules` (seed classification_rules):
   a rule matches when its source equals the row's (or is '*'), its activity_type regex matches the
   row's activity_type, and its pattern regex matches the value of the feature named in `field`.
   The matching rule with the lowest priority number wins; a row no rule matches is `other`, with
   rule_id 'unmatched'. Returns a select of (activity_id, work_category, rule_id).

   A pattern read from a column is compiled for every row it is matched against, so each regex
   runs once per distinct input: the activity_type patterns once per kind of activity, the value
   patterns once per distinct (field, value) — titles repeat across a PR's reviews and comments
   (on 136,000 activities: 1.1 million row-rule pairs, 132,000 distinct ones; 22 s -> 3 s). #}
{% macro classify(features, rules, feature_columns) -%}
with feature_values as (
    {%- for column in feature_columns %}
    select activity_id, source, activity_type, '{{ column }}' as field, {{ dbt.cast(column, dbt.type_string()) }} as value
    from {{ features }}
    where {{ column }} is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

activity_kinds as (
    select distinct source, activity_type from feature_values
),

-- the rules that apply to each kind of activity
kind_rules as (
    select k.source as kind_source, k.activity_type as kind_activity_type, r.*
    from activity_kinds as k
    inner join {{ rules }} as r
        on (r.source = k.source or r.source = '*')
        and {{ regex_matches('k.activity_type', 'r.activity_type') }}
),

distinct_values as (
    select distinct field, value from feature_values
),

matched_values as (
    select r.rule_id, v.field, v.value
    from distinct_values as v
    inner join (select distinct rule_id, field, pattern from kind_rules) as r on r.field = v.field
    where {{ regex_matches('v.value', 'r.pattern') }}
),

matches as (
    select
        f.activity_id,
        r.category,
        r.rule_id,
        row_number() over (partition by f.activity_id order by r.priority, r.rule_id) as match_rank
    from feature_values as f
    inner join kind_rules as r
        on r.kind_source = f.source and r.kind_activity_type = f.activity_type and r.field = f.field
    inner join matched_values as m
        on m.rule_id = r.rule_id and m.field = f.field and m.value = f.value
)

select
    a.activity_id,
    coalesce(m.category, 'other') as work_category,
    coalesce(m.rule_id, 'unmatched') as rule_id
from {{ features }} as a
left join matches as m on a.activity_id = m.activity_id and m.match_rank = 1
{%- endmacro %}
