-- One row per category of the work_categories seed: the label readers see, its kind and its place.
-- Promotable categories come first, then the hidden (non-promotable) ones, then `other` (neither);
-- within a kind, the seed's display_order.
with categories as (
    select
        category as work_category,
        coalesce(nullif(trim(label), ''), category) as label,
        is_promotable,
        case when is_promotable then 'promotable' when not is_promotable then 'hidden' else 'other' end as kind,
        case when is_promotable then 0 when not is_promotable then 1 else 2 end as kind_rank,
        display_order,
        description
    from {{ ref('work_categories') }}
)

select
    work_category,
    label,
    is_promotable,
    kind,
    row_number() over (order by kind_rank, display_order nulls last, work_category) as category_order,
    description
from categories
