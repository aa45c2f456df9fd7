"""Google Calendar events and .ics feeds -> raw_calendar."""

from __future__ import annotations

from connectors.calendar import calendar_source
from pipelines.defs.ingest.factory import ingest_assets, present
from pipelines.settings import Settings


def build_source(settings: Settings):
    calendar = settings.calendar
    if calendar is None:
        return None
    return calendar_source(**calendar.source_arguments(), **present(start_date=settings.start_date))


calendar_assets = ingest_assets(
    "calendar", calendar_source(calendar_ids=[], access_token="placeholder", ics_feeds=[]), build_source
)
