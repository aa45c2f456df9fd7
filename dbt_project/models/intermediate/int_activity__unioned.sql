-- One row per person and action of every source (the activity vocabulary of docs/CONTRACTS.md),
-- unclassified. Identity of an activity: (source, activity_type, object_id, person_id).
-- A new source adds its int_activity__<source> model here.
with unioned as (
    {{ union_activity([ref('int_activity__github'), ref('int_activity__jira'), ref('int_activity__calendar'), ref('int_activity__selfreports'), ref('int_activity__oncall')]) }}
)

select
    {{ dbt.hash(dbt.concat(['source', "'|'", 'activity_type', "'|'", 'object_id', "'|'", 'person_id'])) }} as activity_id,
    *
from unioned
-- people not in the roster do no activities here; rpt_unmapped_identities shows what they carry
where person_id is not null
