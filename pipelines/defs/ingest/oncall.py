"""PagerDuty or Opsgenie incidents and their logs (who was paged, who acknowledged) -> raw_oncall."""

from __future__ import annotations

from connectors.oncall import oncall_source
from pipelines.defs.ingest.factory import ingest_assets, present
from pipelines.settings import Settings


def build_source(settings: Settings):
    oncall = settings.oncall
    if oncall is None:
        return None
    return oncall_source(**oncall.source_arguments(), **present(start_date=settings.start_date))


oncall_assets = ingest_assets(
    "oncall",
    oncall_source(provider="pagerduty", api_key="placeholder", base_url="https://placeholder.invalid"),
    build_source,
)
