"""What the dashboard and the evidence packets show, read from environment variables.

LOADBEARING_PRIVACY_MODE        `pseudonymous` (default: person keys only, no names, no
                                evidence text in the dashboard) or `named`
LOADBEARING_TARGET_PROMOTABLE   a person's target promotion-track share, `70%` or `0.7` (default 70 %)

Group comparisons are suppressed in the marts (dbt var `group_min_people`); the page shows
what the mart suppressed as suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from connectors.common.settings import SettingsError, process_env

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
    target = _share(env.get("LOADBEARING_TARGET_PROMOTABLE") or "70%")
    if target is None:
        problems.append(
            f"LOADBEARING_TARGET_PROMOTABLE must be a share like 70% or 0.7, got {env['LOADBEARING_TARGET_PROMOTABLE']!r}"
        )
    if problems:
        raise SettingsError(problems)
    return DashboardSettings(mode, target)


def _share(text: str) -> float | None:
    text = text.strip()
    try:
        value = float(text.rstrip("%").strip()) / (100 if text.endswith("%") or float(text.rstrip("%")) > 1 else 1)
    except ValueError:
        return None
    return value if 0 <= value <= 1 else None
