"""The Friday digest: each person's week (reports/digest.py), written beside the published warehouse
in `<published dir>/digests/<week start>/`, by a job of its own scheduled on Fridays after the day's
run. Rebuilt only when its inputs changed: the published marts, the week and the privacy mode.
"""

from datetime import date

from dagster import (
    AssetExecutionContext,
    AssetSelection,
    DataVersion,
    DefaultScheduleStatus,
    MaterializeResult,
    MetadataValue,
    ScheduleDefinition,
    asset,
    define_asset_job,
    in_process_executor,
)

from pipelines.defs.publish_dashboard import DEPS
from pipelines.defs.resources import LoadbearingSettings
from pipelines.defs.schedules import DIGEST_GROUP
from pipelines.defs.versions import inputs_version, is_current, skipped
from pipelines.settings import schedule_settings
from reports import dashboard_settings
from reports.digest import build_digests, latest_week
from reports.marts import Marts

# Fridays at 16:00 in the daily schedule's time zone: after the day's run, before people leave
DIGEST_CRON = "0 16 * * 5"


@asset(
    deps=DEPS,
    group_name=DIGEST_GROUP,
    kinds={"html", "markdown"},
    description="Every person's week (Markdown, HTML, email text): promotion-track vs hidden work by "
    "category against their own target, the 12-week trend, the items, and a suggested move when "
    "the competence-trap signal is on.",
)
def weekly_digests(context: AssetExecutionContext, loadbearing: LoadbearingSettings) -> MaterializeResult:
    published = loadbearing.settings.published_warehouse
    out = published.parent / "digests"
    named = dashboard_settings().named
    with Marts(published) as marts:
        week = latest_week(marts, date.today())
    version = inputs_version(context.instance, DEPS, f"week {week}", f"named {named}")
    if is_current(context, version, (out / str(week)).is_dir()):
        context.log.info(f"{out / str(week)} holds the digests of the week of {week}: not rebuilt")
        return skipped(version, "the published marts, the week and the privacy mode are those they were built from")
    written = build_digests(published, out, week=week, named=named)
    people = len(written) // 3
    context.log.info(f"{people} digests for the week of {week} in {out}")
    return MaterializeResult(
        data_version=DataVersion(version),
        metadata={"path": MetadataValue.path(str(out / str(week))), "people": people, "week": str(week)},
    )


friday_digest_job = define_asset_job(
    "friday_digest",
    selection=AssetSelection.groups(DIGEST_GROUP),
    executor_def=in_process_executor,
    description="Writes every person's digest of the week from the published warehouse.",
)


def friday_digest_schedule() -> ScheduleDefinition:
    _, timezone = schedule_settings()
    return ScheduleDefinition(
        name="friday_digest_schedule",
        job=friday_digest_job,
        cron_schedule=DIGEST_CRON,
        execution_timezone=timezone,
        default_status=DefaultScheduleStatus.RUNNING,
    )
