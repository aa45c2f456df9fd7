{# Classifies every row of `features` (one row per activity: activity_id, source, activity_type and
   one text column per feature) with the rules of `rules` (seed classification_rules):
   a rule matches when its source equals the row's (or is '*'), its activity_type regex matches the
   row's activity_type, and its pattern regex matches the value of the feature named in `field`.
   The matching rule with the lowest priority number wins; a row no rule matches is `other`, with
   rule_id 'unmatched'. Returns a select of (activity_id, work_category, rule_id). #}
{% macro classify(features, rules, feature_columns) -%}
with feature_values as (
    {%- for column in feature_columns %}
    select activity_id, source, activity_type, '{{ column }}' as field, {{ dbt.cast(column, dbt.type_string()) }} as value
    from {{ features }}
    where {{ column }} is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

matches as (
    select
        f.activity_id,
        r.category,
        r.rule_id,
        row_number() over (partition by f.activity_id order by r.priority, r.rule_id) as match_rank
    from feature_values as f
    inner join {{ rules }} as r
        on r.field = f.field
        and (r.source = f.source or r.source = '*')
        and {{ regex_matches('f.activity_type', 'r.activity_type') }}
        and {{ regex_matches('f.value', 'r.pattern') }}
)

select
    a.activity_id,
    coalesce(m.category, 'other') as work_category,
    coalesce(m.rule_id, 'unmatched') as rule_id
from {{ features }} as a
left join matches as m on a.activity_id = m.activity_id and m.match_rank = 1
{%- endmacro %}
