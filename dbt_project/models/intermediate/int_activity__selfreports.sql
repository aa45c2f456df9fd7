-- One row per self-report (the activity vocabulary of docs/CONTRACTS.md), unclassified: the person
-- who wrote it did the work; `for_whom`, when it is a roster person_id, is the counterpart.
select
    'selfreports' as source,
    'self_report' as activity_type,
    entry_id as object_id,
    person_id,
    for_whom as counterpart_person_id,
    reported_at as occurred_at,
    hours as duration_hours,
    link as source_url,
    title,
    'self_report' as item_type,
    entry_id as item_ref
from {{ ref('stg_selfreports__self_reports') }}
