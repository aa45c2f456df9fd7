"""Every setting of a run, validated before any work: one SettingsError names every bad one.

Each connector owns the spec of its settings (connectors/<source>/settings.py), read by dlt's
own names (`SOURCES__<SOURCE>__<KEY>`), so the same variables drive `python -m
connectors.<source>` and the Dagster job; the settings every part shares are in
connectors/common/settings.py. This module adds the run's own (schedule, start date,
published copy, privacy), collects every spec's problems, and says how the settings reach
dbt. `.env.example` documents each one. Tokens are kept out of `repr`, so they never reach a
log line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from dagster._utils.schedules import is_valid_cron_string

from connectors.calendar.settings import CalendarSettings
from connectors.common.settings import (
    POSTGRES_PASSWORD_SETTING,
    PUBLISHED_WAREHOUSE_SETTING,
    REPO_ROOT,
    WAREHOUSE_SETTING,
    LoadSettings,
    PostgresSettings,
    Reader,
    SettingsError,
    published_warehouse,
)
from connectors.github.settings import GithubSettings
from connectors.jira.settings import JiraSettings
from connectors.oncall.settings import OncallSettings
from connectors.people.settings import PeopleSettings
from connectors.selfreports.settings import SelfReportsSettings

__all__ = ["REPO_ROOT", "Settings", "SettingsError", "PrivacySettings", "load_settings", "schedule_settings"]

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# the privacy defaults are dbt_project.yml's vars, so a plain `dbt build` and the job agree
DBT_VAR_DEFAULTS = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
DEFAULT_RETENTION_DAYS = DBT_VAR_DEFAULTS["retention_days"]
DEFAULT_MIN_GROUP_SIZE = DBT_VAR_DEFAULTS["group_min_people"]
DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "UTC"
SALT_SETTING = "LOADBEARING_PERSON_KEY_SALT"
# how the salt reaches dbt's profile (the salt plugin): dbt scrubs DBT_ENV_SECRET_* values from its logs
DBT_SALT_ENV = "DBT_ENV_SECRET_PERSON_KEY_SALT"
# on Postgres: the Postgres password for dbt's profile, and the salt as a session setting that libpq
# sends at connection (PGOPTIONS), which macros/person_key.sql reads with current_setting()
DBT_POSTGRES_PASSWORD_ENV = "DBT_ENV_SECRET_POSTGRES_PASSWORD"
POSTGRES_SALT_SETTING = "loadbearing.person_key_salt"


@dataclass(frozen=True)
class PrivacySettings:
    """What dbt_project/ needs to protect people (README, "Privacy"); dbt gets it from dbt_invocation."""

    person_key_salt: str | None = field(repr=False)  # a secret: with it, person keys can be linked back to ids
    opt_out_person_ids: list[str]
    opt_out_counts_in_team_totals: bool
    retention_days: int
    min_group_size: int
    problems: tuple[str, ...] = field(default=(), repr=False, compare=False)  # found while reading

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PrivacySettings:
        read = Reader(env)
        switch = (read.text("LOADBEARING_OPT_OUT_COUNTS_IN_TEAM_TOTALS") or "false").lower()
        if switch not in ("true", "false"):
            read.problems.append(f"LOADBEARING_OPT_OUT_COUNTS_IN_TEAM_TOTALS must be true or false, got {switch!r}")
        return cls(
            person_key_salt=read.text(SALT_SETTING),
            opt_out_person_ids=read.items("LOADBEARING_OPT_OUT_PERSON_IDS", r"[^,'\"\s]+", "a roster person_id") or [],
            opt_out_counts_in_team_totals=switch == "true",
            retention_days=read.count("LOADBEARING_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, "days"),
            min_group_size=read.count("LOADBEARING_MIN_GROUP_SIZE", DEFAULT_MIN_GROUP_SIZE, "people"),
            problems=tuple(read.problems),
        )

    def validate(self) -> list[str]:
        missing_salt = (
            []
            if self.person_key_salt
            else [
                f"{SALT_SETTING} is missing (a long random secret mixed into the pseudonymous person keys, e.g. "
                "`openssl rand -hex 32`; keep it: a new salt gives everyone new keys)"
            ]
        )
        return [*missing_salt, *self.problems]

    def dbt_vars(self) -> dict:
        """The non-secret settings as dbt_project.yml's vars: they are logged and land in the manifest."""
        return {
            "opt_out_person_ids": self.opt_out_person_ids,
            "opt_out_counts_in_team_totals": self.opt_out_counts_in_team_totals,
            "retention_days": self.retention_days,
            "group_min_people": self.min_group_size,
        }


def dbt_invocation(
    warehouse: Path | PostgresSettings, privacy: PrivacySettings, target_promotable_share: float | None = None
) -> tuple[list[str], dict[str, str]]:
    """The arguments and environment variables that hand a run's settings to one dbt process:
    --vars for what may be logged; the warehouse (what dbt_project/profiles.yml opens: the DuckDB
    file's path, or the Postgres target and its connection) and the salt only in that process's
    environment, never in this one's. `target_promotable_share`: the organization's target
    (LOADBEARING_TARGET_PROMOTABLE) for people the roster gives none; None leaves
    dbt_project.yml's default."""
    if isinstance(warehouse, PostgresSettings):
        env = warehouse.env()
        env.pop(POSTGRES_PASSWORD_SETTING, None)
        if warehouse.password:
            env[DBT_POSTGRES_PASSWORD_ENV] = warehouse.password
        if privacy.person_key_salt:
            env["PGOPTIONS"] = f"-c {POSTGRES_SALT_SETTING}={_pgoptions_escaped(privacy.person_key_salt)}"
    else:
        env = {WAREHOUSE_SETTING: str(warehouse)}
        if privacy.person_key_salt:
            env[DBT_SALT_ENV] = privacy.person_key_salt
    dbt_vars = privacy.dbt_vars()
    if target_promotable_share is not None:
        dbt_vars["default_target_promotable_share"] = target_promotable_share
    return ["--vars", json.dumps(dbt_vars)], env


def _pgoptions_escaped(value: str) -> str:
    """A value inside libpq's `options`: spaces separate options there, a backslash escapes."""
    return value.replace("\\", "\\\\").replace(" ", "\\ ")


def with_process_env(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment and `extra`, for a child process (dbt) that needs both."""
    return {**os.environ, **extra}


@dataclass(frozen=True)
class Settings:
    github: GithubSettings | None  # None: not configured, skipped
    jira: JiraSettings | None
    calendar: CalendarSettings | None
    people: PeopleSettings
    load: LoadSettings  # the working warehouse, dlt's state, HTTP timeout, DuckDB memory
    start_date: str | None  # ISO date of the first backfill; None: each connector's default
    published_warehouse: Path  # the copy readers keep open
    schedule_cron: str
    schedule_timezone: str
    privacy: PrivacySettings
    selfreports: SelfReportsSettings | None = None  # None: no shared folder of self-reports, skipped
    oncall: OncallSettings | None = None  # None: LOADBEARING_ONCALL_PROVIDER unset or none, skipped

    @property
    def warehouse(self) -> Path:
        """The working DuckDB file the run writes."""
        return self.load.warehouse

    @property
    def pipelines_dir(self) -> Path:
        return self.load.pipelines_dir

    @property
    def published_destination(self) -> Path | PostgresSettings:
        """What readers read: the published DuckDB file, or the Postgres database (its published schema)."""
        return self.load.postgres or self.published_warehouse

    def configured_sources(self) -> list[str]:
        return (
            [name for name in ("github", "jira", "calendar") if getattr(self, name)]
            + ["people"]
            + (["selfreports"] if self.selfreports else [])
            + (["oncall"] if self.oncall else [])
        )

    def dbt_invocation(self) -> tuple[list[str], dict[str, str]]:
        return dbt_invocation(self.load.destination, self.privacy, self.people.organization_target)


def _schedule(read: Reader) -> tuple[str, str]:
    cron = read.text("LOADBEARING_SCHEDULE_CRON") or DEFAULT_CRON
    if not is_valid_cron_string(cron):
        read.problems.append(f"LOADBEARING_SCHEDULE_CRON is not a cron expression: {cron!r}")
    timezone = read.text("LOADBEARING_SCHEDULE_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        read.problems.append(f"LOADBEARING_SCHEDULE_TIMEZONE is not an IANA time zone: {timezone!r}")
    return cron, timezone


def _published_warehouse_problems(warehouse: Path, published: Path) -> list[str]:
    if warehouse == published:
        return [f"{PUBLISHED_WAREHOUSE_SETTING} must differ from {WAREHOUSE_SETTING} (readers keep it open)"]
    if warehouse.name != published.name:
        # dbt views name their database by the file's name; a renamed copy would break them
        return [
            f"{PUBLISHED_WAREHOUSE_SETTING} must have the same file name as {WAREHOUSE_SETTING} "
            f"({warehouse.name}), in another folder"
        ]
    return []


def schedule_settings(env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Cron and time zone alone: the schedule is defined when Dagster loads the code, secrets are not read."""
    read = Reader(env)
    cron, timezone = _schedule(read)
    if read.problems:
        raise SettingsError(read.problems)
    return cron, timezone


def _source(spec, env: Mapping[str, str], problems: list[str]):
    """A connector's settings, or None when none of them is set (the source is skipped)."""
    if not spec.configured(env):
        return None
    settings = spec.from_env(env)
    problems.extend(settings.validate())
    return settings


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """All settings, or a SettingsError naming every missing or invalid one."""
    read = Reader(env)
    problems: list[str] = []
    github, jira, calendar = (
        _source(spec, read.env, problems) for spec in (GithubSettings, JiraSettings, CalendarSettings)
    )
    if not (github or jira or calendar):
        problems.append(
            "no activity source is configured: set the SOURCES__GITHUB__*, SOURCES__JIRA__* "
            "or SOURCES__CALENDAR__* settings of at least one"
        )
    people = PeopleSettings.from_env(read.env)
    oncall = _source(OncallSettings, read.env, problems)
    load = LoadSettings.from_env(read.env)
    published = published_warehouse(read.env)
    privacy = PrivacySettings.from_env(read.env)
    cron, timezone = _schedule(read)
    settings = Settings(
        github=github,
        jira=jira,
        calendar=calendar,
        people=people,
        load=load,
        start_date=read.iso_date("LOADBEARING_START_DATE"),
        published_warehouse=published,
        schedule_cron=cron,
        schedule_timezone=timezone,
        privacy=privacy,
        selfreports=_source(SelfReportsSettings, read.env, problems),
        oncall=oncall,
    )
    problems += [
        *people.validate(),
        *load.validate(),
        *_published_warehouse_problems(load.warehouse, published),
        *read.problems,
        *privacy.validate(),
    ]
    if problems:
        raise SettingsError(problems)
    return settings
