-- Every roster person with their pseudonymous key and whether they opted out (var opt_out_person_ids).
-- Marts read people from here or from dim_people, never from staging, so the opt-out holds everywhere.
-- The roster's target and intent with their defaults: var('default_target_promotable_share'), seeking.
select
    {{ person_key('person_id') }} as person_key,
    person_id,
    display_name,
    team,
    manager_id,
    start_date,
    time_zone,
    level,
    attributes_json,
    coalesce(target_promotable_share, {{ var('default_target_promotable_share') }}) as target_promotable_share,
    target_promotable_share is not null as has_personal_target,
    coalesce(seeks_promotion, true) as seeks_promotion,
    {{ is_opted_out('person_id') }} as is_opted_out
from {{ ref('stg_people__people') }}
