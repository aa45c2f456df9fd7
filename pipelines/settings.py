"""Every setting of a run, read from environment variables and validated before any work.

The names of the connector settings are dlt's own (`SOURCES__<SOURCE>__<KEY>`), so the
same variables drive `python -m connectors.<source>` and the Dagster job. `.env.example`
documents each one. Tokens are kept out of `repr`, so they never reach a log line.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dagster._utils.schedules import is_valid_cron_string

from connectors.common.http import TIMEOUT_SETTING

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_WAREHOUSE = "warehouse/work/loadbearing.duckdb"
DEFAULT_PUBLISHED_WAREHOUSE = "warehouse/loadbearing.duckdb"
DEFAULT_PIPELINES_DIR = "warehouse/work/dlt"
DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_RETENTION_DAYS = 400
DEFAULT_MIN_GROUP_SIZE = 10

GITHUB_KEYS = ("ACCESS_TOKEN", "ORG", "REPOS", "BASE_URL")
JIRA_KEYS = ("SITE_URL", "EMAIL", "API_TOKEN", "PROJECTS")
CALENDAR_KEYS = ("CALENDAR_IDS", "ACCESS_TOKEN", "BASE_URL", "ICS_FEEDS", "ICS_HORIZON_DAYS")


class SettingsError(ValueError):
    """One message that names every bad setting, so a user fixes them all at once."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            "Loadbearing cannot start: fix these settings (see .env.example):\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )


@dataclass(frozen=True)
class GithubSettings:
    access_token: str = field(repr=False)
    org: str | None
    repos: list[str] | None
    base_url: str


@dataclass(frozen=True)
class JiraSettings:
    site_url: str
    email: str
    api_token: str = field(repr=False)
    projects: list[str] | None


@dataclass(frozen=True)
class CalendarSettings:
    calendar_ids: list[str]
    access_token: str | None = field(repr=False)
    base_url: str | None
    ics_feeds: list[str]
    ics_horizon_days: int | None


@dataclass(frozen=True)
class PrivacySettings:
    """What dbt_project/ needs to protect people (README, "Privacy"); dbt reads it as env vars (dbt_env)."""

    person_key_salt: str = field(repr=False)  # a secret: with it, person keys can be linked back to ids
    opt_out_person_ids: list[str]
    opt_out_counts_in_team_totals: bool
    retention_days: int
    min_group_size: int

    def dbt_env(self) -> dict[str, str]:
        """The variables dbt_project.yml reads its privacy vars from, normalized."""
        return {
            "LOADBEARING_PERSON_KEY_SALT": self.person_key_salt,
            "LOADBEARING_OPT_OUT_PERSON_IDS": ",".join(self.opt_out_person_ids),
            "LOADBEARING_OPT_OUT_COUNTS_IN_TEAM_TOTALS": "true" if self.opt_out_counts_in_team_totals else "false",
            "LOADBEARING_RETENTION_DAYS": str(self.retention_days),
            "LOADBEARING_MIN_GROUP_SIZE": str(self.min_group_size),
        }


@dataclass(frozen=True)
class Settings:
    github: GithubSettings | None  # None: not configured, skipped
    jira: JiraSettings | None
    calendar: CalendarSettings | None
    roster_path: Path
    start_date: str | None  # ISO date of the first backfill; None: each connector's default
    warehouse: Path  # the working DuckDB file the run writes (dbt reads it as LOADBEARING_WAREHOUSE)
    published_warehouse: Path  # the copy readers keep open
    pipelines_dir: Path  # dlt state
    schedule_cron: str
    schedule_timezone: str
    privacy: PrivacySettings

    def configured_sources(self) -> list[str]:
        return [name for name in ("github", "jira", "calendar") if getattr(self, name)] + ["people"]


class _Reader:
    """Reads variables and collects every problem instead of stopping at the first."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env
        self.problems: list[str] = []

    def text(self, name: str, required: bool = False, why: str = "") -> str | None:
        value = self.env.get(name, "").strip()
        if not value and required:
            self.problems.append(f"{name} is missing{why}")
        return value or None

    def url(self, name: str, required: bool = False, why: str = "") -> str | None:
        value = self.text(name, required, why)
        if value and not re.match(r"^https?://[^/\s]+", value):
            self.problems.append(f"{name} must be an http(s) URL, got {value!r}")
        return value.rstrip("/") if value else None

    def items(self, name: str, pattern: str | None = None, example: str = "") -> list[str] | None:
        """A list: comma-separated, or a JSON list (dlt's own format)."""
        value = self.text(name)
        if not value:
            return None
        if value.startswith("["):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if not isinstance(parsed, list) or not all(isinstance(item, str) for item in parsed):
                self.problems.append(f"{name} must be a comma-separated list or a JSON list of strings")
                return None
            items = [item.strip() for item in parsed if item.strip()]
        else:
            items = [item.strip() for item in value.split(",") if item.strip()]
        bad = [item for item in items if pattern and not re.fullmatch(pattern, item)]
        if bad:
            self.problems.append(f"{name}: {', '.join(map(repr, bad))} not of the form {example}")
        return items

    def count(self, name: str, default: int, unit: str) -> int:
        value = self.text(name) or str(default)
        if not (value.isdigit() and int(value) > 0):
            self.problems.append(f"{name} must be a positive number of {unit}, got {value!r}")
            return default
        return int(value)

    def path(self, name: str, default: str) -> Path:
        path = Path(self.text(name) or default).expanduser()
        return path if path.is_absolute() else REPO_ROOT / path


def _any_set(env: Mapping[str, str], source: str, keys: tuple[str, ...]) -> bool:
    return any(env.get(f"SOURCES__{source}__{key}", "").strip() for key in keys)


def _github(read: _Reader) -> GithubSettings | None:
    if not _any_set(read.env, "GITHUB", GITHUB_KEYS):
        return None
    org = read.text("SOURCES__GITHUB__ORG")
    repos = read.items("SOURCES__GITHUB__REPOS", r"[\w.-]+/[\w.-]+", "owner/name")
    if not org and not repos:
        read.problems.append("SOURCES__GITHUB__ORG (or SOURCES__GITHUB__REPOS) is missing: which organization to read")
    return GithubSettings(
        access_token=read.text("SOURCES__GITHUB__ACCESS_TOKEN", True, " (a GitHub token with read access)"),
        org=org,
        repos=repos,
        base_url=read.url("SOURCES__GITHUB__BASE_URL") or "https://api.github.com",
    )


def _jira(read: _Reader) -> JiraSettings | None:
    if not _any_set(read.env, "JIRA", JIRA_KEYS):
        return None
    email = read.text("SOURCES__JIRA__EMAIL", True, " (the account the API token belongs to)")
    if email and "@" not in email:
        read.problems.append(f"SOURCES__JIRA__EMAIL must be an email address, got {email!r}")
    return JiraSettings(
        site_url=read.url("SOURCES__JIRA__SITE_URL", True, " (e.g. https://acme.atlassian.net)"),
        email=email,
        api_token=read.text("SOURCES__JIRA__API_TOKEN", True, " (an Atlassian API token)"),
        projects=read.items("SOURCES__JIRA__PROJECTS", r"[A-Z][A-Z0-9_]*", "a project key like OPS"),
    )


def _calendar(read: _Reader) -> CalendarSettings | None:
    if not _any_set(read.env, "CALENDAR", CALENDAR_KEYS):
        return None
    calendar_ids = read.items("SOURCES__CALENDAR__CALENDAR_IDS") or []
    ics_feeds = read.items("SOURCES__CALENDAR__ICS_FEEDS", r"[^=\s]+=\S+", "name=url-or-path") or []
    token = read.text(
        "SOURCES__CALENDAR__ACCESS_TOKEN", bool(calendar_ids), " (needed to read SOURCES__CALENDAR__CALENDAR_IDS)"
    )
    if not calendar_ids and not ics_feeds:
        read.problems.append(
            "SOURCES__CALENDAR__CALENDAR_IDS or SOURCES__CALENDAR__ICS_FEEDS is missing: which calendars to read"
        )
    horizon = read.text("SOURCES__CALENDAR__ICS_HORIZON_DAYS")
    if horizon and not (horizon.isdigit() and int(horizon) > 0):
        read.problems.append(f"SOURCES__CALENDAR__ICS_HORIZON_DAYS must be a positive number of days, got {horizon!r}")
    return CalendarSettings(
        calendar_ids=calendar_ids,
        access_token=token,
        base_url=read.url("SOURCES__CALENDAR__BASE_URL"),
        ics_feeds=ics_feeds,
        ics_horizon_days=int(horizon) if horizon and horizon.isdigit() else None,
    )


def _roster(read: _Reader) -> Path:
    value = read.text("SOURCES__PEOPLE__ROSTER_PATH", True, " (the people roster, CSV or YAML)")
    path = read.path("SOURCES__PEOPLE__ROSTER_PATH", value or "")
    if value and not path.is_file():
        read.problems.append(f"SOURCES__PEOPLE__ROSTER_PATH: no file at {path}")
    return path


def _start_date(read: _Reader) -> str | None:
    value = read.text("LOADBEARING_START_DATE")
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            read.problems.append(f"LOADBEARING_START_DATE must be an ISO date like 2026-01-01, got {value!r}")
    return value


def _schedule(read: _Reader) -> tuple[str, str]:
    cron = read.text("LOADBEARING_SCHEDULE_CRON") or DEFAULT_CRON
    if not is_valid_cron_string(cron):
        read.problems.append(f"LOADBEARING_SCHEDULE_CRON is not a cron expression: {cron!r}")
    timezone = read.text("LOADBEARING_SCHEDULE_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        read.problems.append(f"LOADBEARING_SCHEDULE_TIMEZONE is not an IANA time zone: {timezone!r}")
    return cron, timezone


def _check_http_timeout(read: _Reader) -> None:
    """The connectors read it themselves (RetryPolicy); checked here so a typo stops the run up front."""
    value = read.text(TIMEOUT_SETTING)
    try:
        valid = not value or float(value) > 0
    except ValueError:
        valid = False
    if not valid:
        read.problems.append(f"{TIMEOUT_SETTING} must be a positive number of seconds, got {value!r}")


def _privacy(read: _Reader) -> PrivacySettings:
    salt = read.text(
        "LOADBEARING_PERSON_KEY_SALT", True,
        " (a long random secret mixed into the pseudonymous person keys, e.g. `openssl rand -hex 32`; "
        "keep it: a new salt gives everyone new keys)",
    )
    switch = (read.text("LOADBEARING_OPT_OUT_COUNTS_IN_TEAM_TOTALS") or "false").lower()
    if switch not in ("true", "false"):
        read.problems.append(f"LOADBEARING_OPT_OUT_COUNTS_IN_TEAM_TOTALS must be true or false, got {switch!r}")
    return PrivacySettings(
        person_key_salt=salt or "",
        opt_out_person_ids=read.items("LOADBEARING_OPT_OUT_PERSON_IDS", r"[^,'\"\s]+", "a roster person_id") or [],
        opt_out_counts_in_team_totals=switch == "true",
        retention_days=read.count("LOADBEARING_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, "days"),
        min_group_size=read.count("LOADBEARING_MIN_GROUP_SIZE", DEFAULT_MIN_GROUP_SIZE, "people"),
    )


def schedule_settings(env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Cron and time zone alone: the schedule is defined when Dagster loads the code, secrets are not read."""
    read = _Reader(os.environ if env is None else env)
    cron, timezone = _schedule(read)
    if read.problems:
        raise SettingsError(read.problems)
    return cron, timezone


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """All settings, or a SettingsError naming every missing or invalid one."""
    read = _Reader(os.environ if env is None else env)
    github, jira, calendar = _github(read), _jira(read), _calendar(read)
    if not (github or jira or calendar):
        read.problems.append(
            "no activity source is configured: set the SOURCES__GITHUB__*, SOURCES__JIRA__* "
            "or SOURCES__CALENDAR__* settings of at least one"
        )
    warehouse = read.path("LOADBEARING_WAREHOUSE", DEFAULT_WAREHOUSE)
    published = read.path("LOADBEARING_PUBLISHED_WAREHOUSE", DEFAULT_PUBLISHED_WAREHOUSE)
    if warehouse == published:
        read.problems.append("LOADBEARING_PUBLISHED_WAREHOUSE must differ from LOADBEARING_WAREHOUSE (readers keep it open)")
    elif warehouse.name != published.name:
        # dbt views name their database by the file's name; a renamed copy would break them
        read.problems.append(
            f"LOADBEARING_PUBLISHED_WAREHOUSE must have the same file name as LOADBEARING_WAREHOUSE "
            f"({warehouse.name}), in another folder"
        )
    cron, timezone = _schedule(read)
    settings = Settings(
        github=github,
        jira=jira,
        calendar=calendar,
        roster_path=_roster(read),
        start_date=_start_date(read),
        warehouse=warehouse,
        published_warehouse=published,
        pipelines_dir=read.path("LOADBEARING_PIPELINES_DIR", DEFAULT_PIPELINES_DIR),
        schedule_cron=cron,
        schedule_timezone=timezone,
        privacy=_privacy(read),
    )
    _check_http_timeout(read)
    if read.problems:
        raise SettingsError(read.problems)
    return settings
