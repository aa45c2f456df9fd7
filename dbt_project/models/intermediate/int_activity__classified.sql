-- Each activity's work category, the rule that decided it (seeds/classification_rules.csv) and the
-- kind of evidence that rule reads, on the activity's features in the organization's vocabulary
-- mapped to canonical terms (seeds/label_mappings.csv).
-- Incremental: a daily run classifies only the activities whose mapped features (or the rules)
-- changed, and forgets the activities that are gone.
{{ config(
    materialized='incremental',
    unique_key='activity_id',
    incremental_strategy='delete+insert',
    post_hook="delete from {{ this }} where activity_id not in (select activity_id from {{ ref('int_activity__features') }})"
) }}
{{ classify(
    '(' ~ canonical_features(ref('int_activity__features')) ~ ')',
    ref('classification_rules'),
    classified=this if is_incremental() else none
) }}
