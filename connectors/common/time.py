"""Instants as the connectors read and write them: ISO 8601 from APIs and settings in, UTC out.
A time without a zone is read as UTC everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime

from connectors.common.http import SourceError


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_instant(text: str | None) -> datetime | None:
    """`2026-11-20T10:15:30Z` (GitHub, Google) or `2026-11-20T10:15:30.000+0000` (Jira), aware."""
    if not text:
        return None
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def utc_seconds(value: datetime) -> str:
    """`2026-11-20T10:15:30Z`: GitHub's timestamps and `since`, Google's `timeMin`."""
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_millis(value: datetime) -> str:
    """`2026-11-20T10:15:30.000Z`: Google Calendar's `updated`, whole seconds as .ics has them."""
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def start_of(start_date: str | date | None, source: str, setting: str) -> datetime | None:
    """A START_DATE setting (a date or a date-time) as an aware datetime, in the zone it was written in."""
    if not start_date:
        return None
    try:
        value = start_date if isinstance(start_date, datetime) else datetime.fromisoformat(str(start_date))
    except ValueError:
        raise SourceError(f"{source}: {setting}={start_date!r} is not an ISO date") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
