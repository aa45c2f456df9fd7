{# The features rules match on (columns of int_activity__features, after canonical_features):
   the one list of them. `jira_severity_summary` is derived there ('<canonical priority>: <summary>'),
   so that one rule can read two signals together (a Blocker whose summary says it regressed). #}
{% macro classification_features() -%}
    {{ return(['activity_type', 'pr_author_status', 'pr_repo', 'pr_title', 'pr_labels', 'pr_branch', 'pr_body', 'pr_files', 'pr_added_files',
               'pr_linked_jira', 'issue_title', 'issue_labels', 'jira_type', 'jira_priority', 'jira_labels',
               'jira_components', 'jira_summary', 'jira_severity_summary', 'jira_completion', 'meeting_title',
               'recurring_meeting_title', 'one_on_one']) }}
{%- endmacro %}

{# Classifies every row of `features` (one row per activity: activity_id, source, activity_type and
   one text column per feature) with the rules of `rules` (seed classification_rules):
   a rule matches when its source equals the row's (or is '*'), its activity_type regex matches the
   row's activity_type, and its pattern regex matches the value of the feature named in `field`.
   The matching rule with the lowest priority number wins; a row no rule matches is `other`, with
   rule_id 'unmatched' and evidence 'none'. Returns a select of (activity_id, work_category, rule_id,
   evidence, feature_hash, rules_version): the winning rule's kind of evidence, the hash of the row's
   features and of the whole rule set it was classified with (row_hash: the warehouse's own hash, so
   the values differ between warehouses).
   With `classified` (an earlier result of this macro), only the rows whose features or rules
   changed since are returned, for an incremental model to replace. With `all_matches`, every
   matching rule of every row instead: (activity_id, category, rule_id, evidence, match_rank).

   A pattern read from a column is compiled for every row it is matched against, so each regex
   runs once per distinct input: the activity_type patterns once per kind of activity, the value
   patterns once per distinct (field, value) — titles repeat across a PR's reviews and comments
   (on 136,000 activities: 1.1 million row-rule pairs, 132,000 distinct ones; 22 s -> 3 s). #}
{% macro classify(features, rules, feature_columns=none, classified=none, all_matches=false) -%}
{%- set feature_columns = feature_columns or classification_features() -%}
with rules_version as (
    select coalesce(sum({{ row_hash(['rule_id', 'source', 'activity_type', 'field', 'pattern', 'category', 'priority', 'evidence']) }}), 0) as version
    from {{ rules }}
),

hashed as (
    select f.*, {{ row_hash(['f.source', 'f.activity_type'] + feature_columns) }} as feature_hash
    from {{ features }} as f
),

to_classify as (
    select h.*
    from hashed as h
    {%- if classified is not none %}
    where not exists (
        select 1 from {{ classified }} as c
        where c.activity_id = h.activity_id
            and c.feature_hash = h.feature_hash
            and c.rules_version = (select version from rules_version)
    )
    {%- endif %}
),

feature_values as (
    {%- for column in feature_columns %}
    select activity_id, source, activity_type, '{{ column }}' as field, {{ dbt.cast(column, dbt.type_string()) }} as value
    from to_classify
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
        and {{ regex_matches('k.activity_type', regex_pattern('r.activity_type')) }}
),

distinct_values as (
    select distinct field, value from feature_values
),

matched_values as (
    select r.rule_id, v.field, v.value
    from distinct_values as v
    inner join (select distinct rule_id, field, {{ regex_pattern('pattern') }} as pattern from kind_rules) as r on r.field = v.field
    where {{ regex_matches('v.value', 'r.pattern') }}
),

-- every rule that matches each activity, ranked (the first decides)
matches as (
    select
        f.activity_id,
        r.category,
        r.rule_id,
        r.evidence,
        row_number() over (partition by f.activity_id order by r.priority, r.rule_id) as match_rank
    from feature_values as f
    inner join kind_rules as r
        on r.kind_source = f.source and r.kind_activity_type = f.activity_type and r.field = f.field
    inner join matched_values as m
        on m.rule_id = r.rule_id and m.field = f.field and m.value = f.value
)
{%- if all_matches %}

select activity_id, category, rule_id, evidence, match_rank from matches
{%- else %}

select
    a.activity_id,
    coalesce(m.category, 'other') as work_category,
    coalesce(m.rule_id, 'unmatched') as rule_id,
    coalesce(m.evidence, 'none') as evidence,
    a.feature_hash,
    (select version from rules_version) as rules_version
from to_classify as a
left join matches as m on a.activity_id = m.activity_id and m.match_rank = 1
{%- endif %}
{%- endmacro %}
