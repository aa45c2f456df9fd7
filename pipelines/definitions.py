"""The Dagster code location. Assembles; the pieces live in pipelines/defs/.

dbt's manifest.json must exist before this module is imported (see
pipelines/defs/transform/project.py): `make demo` and the tests prepare it.
"""

from dagster import Definitions

from pipelines.defs.digest import friday_digest_job, friday_digest_schedule, weekly_digests
from pipelines.defs.ingest import INGEST_ASSETS
from pipelines.defs.publish import published_warehouse
from pipelines.defs.publish_dashboard import dashboard, evidence_packets
from pipelines.defs.resources import resources
from pipelines.defs.schedules import daily_job, daily_schedule
from pipelines.defs.transform.dbt import loadbearing_dbt_assets
from pipelines.defs.transform.retention import raw_retention

defs = Definitions(
    assets=[
        *INGEST_ASSETS,
        raw_retention,
        loadbearing_dbt_assets,
        published_warehouse,
        dashboard,
        evidence_packets,
        weekly_digests,
    ],
    jobs=[daily_job, friday_digest_job],
    schedules=[daily_schedule(), friday_digest_schedule()],
    resources=resources(),
)
