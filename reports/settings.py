"""What the dashboard and the evidence packets show, read from environment variables.

LOADBEARING_PRIVACY_MODE        `pseudonymous` (default: person keys only, no names, no
                                evidence text in the dashboard) or `named`
LOADBEARING_TARGET_PROMOTABLE   the organization's target promotion-track share (read by the
                                people connector's settings, which dbt gets it from too)

Group comparisons are suppressed in the marts (dbt var `group_min_people`); the page shows
what the mart suppressed as suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from connectors.common.settings import SettingsError, process_env
from connectors.people.settings import organization_target

PRIVACY_MODES = ("pseudonymous", "named")


@dataclass(frozen=True)
class DashboardSettings:
    privacy_mode: str = "pseudonymous"
    target_promotable_share: float = 0.70

    @property
    def named(self) -> bool:
        return self.privacy_mode == "named"


def dashboard_settings(env: Mapping[str, str] | None = None) -> DashboardSettings:
    """The settings, or a SettingsError naming each bad one."""
    env = process_env(env)
    problems = []
    mode = (env.get("LOADBEARING_PRIVACY_MODE") or "pseudonymous").strip().lower()
    if mode not in PRIVACY_MODES:
        problems.append(f"LOADBEARING_PRIVACY_MODE must be one of {', '.join(PRIVACY_MODES)}, got {mode!r}")
    target, target_problems = organization_target(env)
    problems += target_problems
    if problems:
        raise SettingsError(problems)
    return DashboardSettings(mode, target)
