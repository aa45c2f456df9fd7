-- One row per classified piece of work (int_work_events__all_people), opted-out people removed.
select
    event_key,
    person_key,
    occurred_at,
    occurred_at_local,
    source,
    activity_type,
    object_id,
    work_category,
    is_promotable,
    effort_hours,
    duration_hours,
    rule_id,
    evidence,
    is_default_guess,
    time_band,
    is_after_hours,
    is_sleep_hours,
    counterpart_person_key,
    source_url,
    title,
    self_reported,
    endorsed_by_n
from {{ ref('int_work_events__all_people') }}
where not is_opted_out
