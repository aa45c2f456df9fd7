-- One row per endorsement: a colleague vouching for someone's item (a tool item or a self-report).
{%- set src = load_relation(source('selfreports', 'endorsements')) if execute else none %}
{%- if execute and src is none %}
-- the source is not loaded in this deployment: no rows, the same columns
select
    {{ dbt.cast('null', dbt.type_string()) }} as endorsement_id,
    {{ dbt.cast('null', dbt.type_string()) }} as endorser_person_id,
    {{ dbt.cast('null', dbt.type_string()) }} as endorsed_person_id,
    {{ dbt.cast('null', dbt.type_string()) }} as item,
    {{ dbt.cast('null', dbt.type_string()) }} as endorsement_text,
    {{ dbt.cast('null', 'date') }} as endorsed_on
where 1 = 0
{%- else %}
select
    entry_id as endorsement_id,
    endorser_person_id,
    endorsed_person_id,
    item,
    {{ adapter.quote('text') }} as endorsement_text,
    {{ dbt.cast('endorsed_on', 'date') }} as endorsed_on
from {{ source('selfreports', 'endorsements') }}
{%- endif %}
