"""On-call connector settings: which provider (PagerDuty or Opsgenie), its endpoints, page sizes,
cursor overlaps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from connectors.common.settings import Reader

SOURCE_NAME = "oncall"
PROVIDER_SETTING = "LOADBEARING_ONCALL_PROVIDER"
PROVIDERS = ("pagerduty", "opsgenie", "none")
API_KEY_SETTING = "SOURCES__ONCALL__API_KEY"
BASE_URL_SETTING = "SOURCES__ONCALL__BASE_URL"
START_DATE_SETTING = "SOURCES__ONCALL__START_DATE"
# Opsgenie's API gives no web link: the account's web address makes one per alert
WEB_URL_SETTING = "SOURCES__ONCALL__WEB_URL"
OPSGENIE_ALERT_PAGE = "/alert/detail/{id}/details"

PAGERDUTY_BASE_URL = "https://api.pagerduty.com"
# Opsgenie keeps an account's data in one region: EU accounts answer at https://api.eu.opsgenie.com
OPSGENIE_BASE_URL = "https://api.opsgenie.com"
DEFAULT_BASE_URLS = {"pagerduty": PAGERDUTY_BASE_URL, "opsgenie": OPSGENIE_BASE_URL}

# PagerDuty REST v2
PAGERDUTY_ACCEPT = "application/vnd.pagerduty+json;version=2"
INCIDENTS = "/incidents"
LOG_ENTRIES = "/log_entries"
USERS = "/users"
PAGERDUTY_PAGE_SIZE = 100  # PagerDuty's maximum `limit`
# /incidents refuses a since..until range over 6 months: longer backfills go in windows of this
PAGERDUTY_WINDOW = timedelta(days=90)

# Opsgenie Alert API v2
ALERTS = "/v2/alerts"
ALERT_LOGS = "/v2/alerts/{id}/logs"
OPSGENIE_PAGE_SIZE = 100  # Opsgenie's maximum `limit`

# log entries and alerts become visible a little after they happen: re-read this much before the cursor
OVERLAP_S = 600.0
# an incident's title and urgency may still change after it triggers: incidents are re-read this far back
INCIDENT_LOOKBACK_S = 2 * 86400.0
FIRST_BACKFILL = timedelta(days=365)  # without start_date, a first run reads this far back

SETTINGS_HELP = f"""settings (env vars, .dlt/config.toml [sources.oncall], or .dlt/secrets.toml):
  {PROVIDER_SETTING}  pagerduty, opsgenie or none (default none: no on-call source)
  {API_KEY_SETTING} (secret) a PagerDuty REST API key (read-only is enough) or an Opsgenie API key
  {BASE_URL_SETTING}  optional; default {PAGERDUTY_BASE_URL} or {OPSGENIE_BASE_URL}
                          (Opsgenie EU accounts: https://api.eu.opsgenie.com)
  {START_DATE_SETTING}  optional ISO date of the first backfill (default: a year back)
  {WEB_URL_SETTING}  Opsgenie only, optional: the account's web address (https://<account>.app.opsgenie.com);
                          alerts link to <it>{OPSGENIE_ALERT_PAGE} (without it, pages have no link)

tables (dataset raw_oncall):
  PagerDuty: pagerduty_incidents, pagerduty_log_entries (GET {LOG_ENTRIES}?is_overview=false: notify,
    assign, escalate, acknowledge, resolve), pagerduty_users (their emails match the roster);
  Opsgenie: opsgenie_alerts (GET {ALERTS}, by updatedAt), opsgenie_alert_logs ({ALERT_LOGS}).
Cursors: log entries by created_at, alerts by updatedAt, each re-read {int(OVERLAP_S // 60)} min
before the cursor and merged on their ids, so nothing is duplicated."""


@dataclass(frozen=True)
class OncallSettings:
    """The source's settings, by dlt's names (the job and `python -m connectors.oncall` share them)."""

    provider: str
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    web_url: str | None = None
    problems: tuple[str, ...] = field(default=(), repr=False)  # found while reading

    @staticmethod
    def configured(env: Mapping[str, str] | None = None) -> bool:
        """A provider chosen (or a key given, which needs one): `none` and unset leave the source out."""
        read = Reader(env)
        provider = (read.text(PROVIDER_SETTING) or "none").lower()
        return provider != "none" or read.any_set((API_KEY_SETTING, BASE_URL_SETTING))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OncallSettings:
        read = Reader(env)
        provider = (read.text(PROVIDER_SETTING) or "none").lower()
        if provider not in PROVIDERS:
            read.problems.append(f"{PROVIDER_SETTING} must be one of {', '.join(PROVIDERS)}, got {provider!r}")
        return cls(
            provider=provider,
            api_key=read.text(API_KEY_SETTING),
            base_url=read.url(BASE_URL_SETTING),
            web_url=read.url(WEB_URL_SETTING),
            problems=tuple(read.problems),
        )

    def validate(self) -> list[str]:
        problems = list(self.problems)
        if self.provider == "none":
            problems.append(
                f"{API_KEY_SETTING} or {BASE_URL_SETTING} is set but {PROVIDER_SETTING} is not: "
                "set it to pagerduty or opsgenie (or leave the on-call settings out)"
            )
        elif self.provider in PROVIDERS and not self.api_key:
            problems.append(
                f"{API_KEY_SETTING} is missing (a {self.provider} API key; {PROVIDER_SETTING}={self.provider})"
            )
        return problems

    def source_arguments(self) -> dict:
        """oncall_source's arguments; the ones left out resolve through dlt (its defaults, config files)."""
        arguments = {
            "provider": self.provider,
            "api_key": self.api_key,
            "base_url": self.base_url,
            "web_url": self.web_url,
        }
        return {name: value for name, value in arguments.items() if value is not None}
