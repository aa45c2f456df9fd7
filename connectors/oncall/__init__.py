"""PagerDuty or Opsgenie -> raw_oncall: incidents (alerts) with the log of who was paged, who
acknowledged and when (docs/CONTRACTS.md, "Raw tables").

PagerDuty: log entries are read by their own `created_at` (a dlt.sources.incremental, re-read
OVERLAP_S before the cursor), so an acknowledgement written days after the incident still
arrives; incidents by `created_at`, re-read INCIDENT_LOOKBACK_S back; users whole (their email
is how a page finds its roster person). Opsgenie: alerts by `updatedAt` (an acknowledgement
moves it), each changed alert's logs read whole. Every table merges on its primary key, so the
overlaps never duplicate a row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import dlt

from connectors.common.time import parse_instant, start_of, utc_seconds
from connectors.oncall import settings
from connectors.oncall.client import OncallClient


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def oncall_source(
    provider: str = dlt.config.value,
    api_key: str = dlt.secrets.value,
    base_url: str | None = None,
    start_date: str | None = None,
    web_url: str | None = None,
):
    if provider not in settings.DEFAULT_BASE_URLS:
        raise ValueError(f"{settings.PROVIDER_SETTING} must be pagerduty or opsgenie, got {provider!r}")
    client = OncallClient(provider, api_key, base_url or settings.DEFAULT_BASE_URLS[provider])
    start = start_of(start_date, client.name, settings.START_DATE_SETTING)
    first = start or datetime.now(UTC) - settings.FIRST_BACKFILL
    pagerduty, opsgenie = provider == "pagerduty", provider == "opsgenie"
    # both providers' tables, the other one's empty: the job's assets are the same whichever is chosen
    alerts = _merged(dlt.resource, "opsgenie_alerts", "id", opsgenie and _opsgenie_alerts(client, first, web_url))
    return (
        _merged(dlt.resource, "pagerduty_incidents", "id", pagerduty and _pagerduty_incidents(client, first)),
        _merged(dlt.resource, "pagerduty_log_entries", "id", pagerduty and _pagerduty_log_entries(client, first)),
        _merged(dlt.resource, "pagerduty_users", "id", pagerduty and _pagerduty_users(client)),
        alerts,
        _merged(
            dlt.transformer,
            "opsgenie_alert_logs",
            ("alert_id", "offset"),
            _opsgenie_alert_logs(client),
            data_from=alerts,
            parallelized=True,
        ),
    )


def _merged(kind, name: str, primary_key, data, **options):
    """A table merged on its primary key; `data` False: the other provider's, empty."""
    return kind(data or [], name=name, primary_key=primary_key, write_disposition="merge", **options)


# -- PagerDuty --------------------------------------------------------------------------


def _pagerduty_incidents(client: OncallClient, first: datetime):
    def incidents(
        created=dlt.sources.incremental[str](  # noqa: B008 (dlt binds an incremental given as the default)
            "created_at", lag=settings.INCIDENT_LOOKBACK_S, primary_key=()
        ),
    ) -> Iterator[list[dict]]:
        since = _since(created.start_value, first)
        for window_since, window_until in _windows(since, datetime.now(UTC)):
            params = {"since": utc_seconds(window_since), "until": utc_seconds(window_until), "time_zone": "UTC"}
            yield from client.pagerduty_pages(settings.INCIDENTS, params, "incidents")

    return incidents


def _pagerduty_log_entries(client: OncallClient, first: datetime):
    def log_entries(
        created=dlt.sources.incremental[str](  # noqa: B008
            "created_at", lag=settings.OVERLAP_S, primary_key=()
        ),
    ) -> Iterator[list[dict]]:
        since = _since(created.start_value, first)
        for window_since, window_until in _windows(since, datetime.now(UTC)):
            # the overview leaves notify entries out: who was paged is in them
            params = {
                "since": utc_seconds(window_since),
                "until": utc_seconds(window_until),
                "is_overview": "false",
                "time_zone": "UTC",
            }
            for page in client.pagerduty_pages(settings.LOG_ENTRIES, params, "log_entries"):
                yield [{**entry, "incident_id": (entry.get("incident") or {}).get("id")} for entry in page]

    return log_entries


def _pagerduty_users(client: OncallClient):
    def users() -> Iterator[list[dict]]:
        yield from client.pagerduty_pages(settings.USERS, {}, "users")

    return users


# -- Opsgenie ---------------------------------------------------------------------------


def _opsgenie_alerts(client: OncallClient, first: datetime, web_url: str | None):
    page = web_url and web_url.rstrip("/") + settings.OPSGENIE_ALERT_PAGE

    def alerts(
        updated=dlt.sources.incremental[str](  # noqa: B008
            "updatedAt", lag=settings.OVERLAP_S, primary_key=()
        ),
    ) -> Iterator[list[dict]]:
        since = _since(updated.start_value, first)
        params = {"query": f"updatedAt >= {int(since.timestamp() * 1000)}", "sort": "updatedAt", "order": "asc"}
        for alerts_page in client.opsgenie_pages(settings.ALERTS, params):
            yield [{**alert, "html_url": page.format(id=alert["id"])} for alert in alerts_page] if page else alerts_page

    return alerts


def _opsgenie_alert_logs(client: OncallClient):
    """Every log of an alert that changed (a new log moves its updatedAt)."""

    def alert_logs(alerts: list[dict]) -> Iterator[list[dict]]:
        for alert in alerts:  # a page of alerts, as the alerts resource yields them
            path = settings.ALERT_LOGS.format(id=alert["id"])
            params = {"identifierType": "id", "direction": "next", "order": "asc"}
            for page in client.opsgenie_pages(path, params):
                yield [{**log, "alert_id": alert["id"]} for log in page]

    return alert_logs


# -- time -------------------------------------------------------------------------------


def _since(cursor: str | None, first: datetime) -> datetime:
    """Where a request starts: the incremental's start value (dlt already moved it back by its lag), or the first backfill."""
    return parse_instant(cursor) or first


def _windows(since: datetime, until: datetime) -> Iterator[tuple[datetime, datetime]]:
    """since..until in PagerDuty's longest accepted range, oldest first."""
    while since < until:
        end = min(until, since + settings.PAGERDUTY_WINDOW)
        yield since, end
        since = end
