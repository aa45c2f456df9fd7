"""The daily job: everything, incrementally (each connector fetches what changed since its cursor)."""

from __future__ import annotations

from dagster import AssetSelection, DefaultScheduleStatus, ScheduleDefinition, define_asset_job, in_process_executor

from pipelines.settings import schedule_settings

# the digests' assets: they run on Fridays, in a job of their own (pipelines/defs/digest.py)
DIGEST_GROUP = "digest"

daily_job = define_asset_job(
    "daily",
    selection=AssetSelection.all() - AssetSelection.groups(DIGEST_GROUP),
    # every step writes the one DuckDB file, one at a time (the pool): a process per step
    # would only add start-up time
    executor_def=in_process_executor,
    description="Fetches what changed in every configured source, rebuilds the models, publishes the warehouse.",
)


def daily_schedule() -> ScheduleDefinition:
    cron, timezone = schedule_settings()
    return ScheduleDefinition(
        name="daily_schedule",
        job=daily_job,
        cron_schedule=cron,
        execution_timezone=timezone,
        default_status=DefaultScheduleStatus.RUNNING,
    )
