{# An organization's own vocabulary (labels, Jira issue types, priorities and components, meeting
   titles) mapped onto the few terms the classification rules read, before they read them.

   Each value is first normalized (`normalized_term`), then the first row of seed label_mappings
   (by priority) whose source and field apply and whose pattern matches the normalized value gives
   its canonical term; a value no mapping matches keeps its normalized form (a meeting title keeps
   its own text). Lists ('|'-joined labels, components) are mapped element by element. #}

{# The feature columns that carry vocabulary, and the vocabulary field each one is: a mapping row
   names the field, so one row covers a GitHub label and a Jira label alike. #}
{% macro vocabulary_features() -%}
    {{ return({
        'pr_labels': 'label', 'issue_labels': 'label', 'jira_labels': 'label', 'jira_components': 'component',
        'jira_type': 'issue_type', 'jira_parent_type': 'issue_type', 'jira_priority': 'priority',
        'meeting_title': 'meeting_title', 'recurring_meeting_title': 'meeting_title',
    }) }}
{%- endmacro %}

{% macro list_features() -%}
    {{ return(['pr_labels', 'issue_labels', 'jira_labels', 'jira_components']) }}
{%- endmacro %}

{# One spelling per term: lower case; GitHub emoji codes (`:bug:`) and symbols (emoji, brackets)
   dropped; a namespace that only says "this is the kind" (kind/, type:, category:, PR:) dropped, any
   other kept as `namespace:` (area/docs -> area:docs, Priority: P1 -> priority:p1); runs of spaces,
   dots, dashes and underscores become one '-'. "Type: Bug", "kind/bug", "🐛 Bug" -> "bug". #}
{% macro normalized_term(value) -%}
    {{ return(adapter.dispatch('normalized_term')(value)) }}
{%- endmacro %}

{% macro duckdb__normalized_term(value) -%}
    {%- set symbols_dropped = "trim(regexp_replace(regexp_replace(lower(" ~ value ~ "), ':[a-z0-9_+-]+:', ' ', 'g'), '[^\\p{L}\\p{N}/: ._-]+', ' ', 'g'))" -%}
    {%- set namespaced = "regexp_replace(" ~ symbols_dropped ~ ", '^([[:alnum:]][[:alnum:] _-]*?) *[/:] *', '\\1:')" -%}
    {%- set kind_dropped = "regexp_replace(" ~ namespaced ~ ", '^(kind|type|types|category|pr|issue|pr-type|issue-type|change-type|t|c):', '')" -%}
    trim(regexp_replace({{ kind_dropped }}, '[ ._-]+', '-', 'g'), '-')
{%- endmacro %}

{# The same steps in Postgres' dialect: no \p{..} classes there (its [:alpha:] and [:digit:] follow
   the database's LC_CTYPE: Unicode under a UTF-8 one), [[:alnum:]] is ASCII in RE2, and a regex
   whose first quantifier is lazy is lazy as a whole there (the spaces after the separator would stay):
   the namespace is matched greedily, ending on a non-space, which finds the same text. #}
{% macro postgres__normalized_term(value) -%}
    {%- set symbols_dropped = "trim(regexp_replace(regexp_replace(lower(" ~ value ~ "), ':[a-z0-9_+-]+:', ' ', 'g'), '[^[:alpha:][:digit:]/: ._-]+', ' ', 'g'))" -%}
    {%- set namespaced = "regexp_replace(" ~ symbols_dropped ~ ", '^([0-9A-Za-z](?:[0-9A-Za-z _-]*[0-9A-Za-z_-])?) *[/:] *', '\\1:')" -%}
    {%- set kind_dropped = "regexp_replace(" ~ namespaced ~ ", '^(kind|type|types|category|pr-type|issue-type|change-type|t|c):', '')" -%}
    trim(regexp_replace({{ kind_dropped }}, '[ ._-]+', '-', 'g'), '-')
{%- endmacro %}

{# One row per vocabulary feature value of `features` (distinct over all rows: a PR's labels repeat
   on every review of it): (source, feature, field, raw = the feature's text, value = one element of
   it, normalized, canonical, mapping_id = the label_mappings row that decided, or null). #}
{% macro vocabulary_lookup(features) -%}
    {%- set columns = vocabulary_features() -%}
    with raw_values as (
        {%- for column, field in columns.items() %}
        select distinct source, '{{ column }}' as feature, '{{ field }}' as field, {{ column }} as raw
        from {{ features }}
        where {{ column }} is not null and {{ column }} <> ''
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ),

    elements as (
        select source, feature, field, raw, {{ unnest_list(split_list('raw')) }} as value
        from raw_values
        where feature in ('{{ list_features() | join("', '") }}')
        union all
        select source, feature, field, raw, raw as value
        from raw_values
        where feature not in ('{{ list_features() | join("', '") }}')
    ),

    terms as (
        select distinct source, field, value, {{ normalized_term('value') }} as normalized
        from elements
    ),

    mapped as (
        select
            t.source, t.field, t.value, t.normalized, m.canonical, m.mapping_id,
            row_number() over (partition by t.source, t.field, t.value order by m.priority, m.mapping_id) as mapping_rank
        from terms as t
        left join (
            select mapping_id, source, field, {{ regex_pattern('pattern') }} as pattern, canonical, priority
            from {{ ref('label_mappings') }}
        ) as m
            on (m.source = t.source or m.source = '*') and m.field = t.field
            and {{ regex_matches('t.normalized', 'm.pattern') }}
    )

    select
        e.source, e.feature, e.field, e.raw, e.value, m.normalized,
        coalesce(m.canonical, case when e.field = 'meeting_title' then e.value else m.normalized end) as canonical,
        m.mapping_id
    from elements as e
    inner join mapped as m
        on m.source = e.source and m.field = e.field and m.value = e.value and m.mapping_rank = 1
    where e.value <> ''
{%- endmacro %}

{# `features` with every vocabulary feature replaced by its canonical terms (lists sorted and
   '|'-joined), a sub-task's type replaced by its parent's, which says what the work was for, and
   jira_severity_summary derived: the canonical priority and the summary in one value. #}
{% macro canonical_features(features) -%}
    {%- set columns = vocabulary_features() -%}
    with features as (
        select * from {{ features }}
    ),

    lookup as (
        {{ vocabulary_lookup('features') }}
    ),

    canonical as (
        select source, feature, raw, {{ dbt.listagg('canonical', "'|'", 'order by canonical') }} as canonical
        from lookup
        group by source, feature, raw
    ),

    mapped as (
        select
            f.*,
            {%- for column in columns %}
            coalesce({{ column }}_c.canonical, f.{{ column }}) as canonical_{{ column }}{{ ',' if not loop.last }}
            {%- endfor %}
        from features as f
        {%- for column in columns %}
        left join canonical as {{ column }}_c
            on {{ column }}_c.source = f.source and {{ column }}_c.feature = '{{ column }}' and {{ column }}_c.raw = f.{{ column }}
        {%- endfor %}
    )

    select
        activity_id,
        source,
        {%- for column in classification_features() %}
        {%- if column == 'jira_type' %}
        case
            when canonical_jira_type = 'subtask' and canonical_jira_parent_type is not null then canonical_jira_parent_type
            else canonical_jira_type
        end as jira_type{{ ',' if not loop.last }}
        {%- elif column == 'jira_severity_summary' %}
        case
            when canonical_jira_priority is not null and jira_summary is not null
                then {{ dbt.concat(['canonical_jira_priority', "': '", 'jira_summary']) }}
        end as jira_severity_summary{{ ',' if not loop.last }}
        {%- elif column in columns %}
        canonical_{{ column }} as {{ column }}{{ ',' if not loop.last }}
        {%- else %}
        {{ column }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from mapped
{%- endmacro %}
