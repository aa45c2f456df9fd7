"""People connector settings: the roster's columns and how they are written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from connectors.common.settings import Reader

SOURCE_NAME = "people"
ROSTER_SETTING = "SOURCES__PEOPLE__ROSTER_PATH"
# the organization's target promotion-track share, for people the roster gives none (dbt, dashboard)
TARGET_SETTING = "LOADBEARING_TARGET_PROMOTABLE"
DEFAULT_TARGET = 0.70

COLUMNS = [
    "person_id",
    "display_name",
    "emails",
    "github_logins",
    "jira_account_ids",
    "team",
    "manager_id",
    "start_date",
    "time_zone",
    "level",
    "attributes",
    "target_promotable_share",
    "seeks_promotion",
]
REQUIRED = ["person_id", "display_name", "team", "start_date"]  # a row without one of these is an error
LIST_COLUMNS = ["emails", "github_logins", "jira_account_ids"]
IDENTITY_COLUMNS = LIST_COLUMNS  # each value may belong to one person only: activity is matched on them
LIST_SEPARATOR = ";"  # in CSV cells; YAML takes real lists
CSV_SUFFIXES = (".csv",)
YAML_SUFFIXES = (".yaml", ".yml")

SETTINGS_HELP = f"""settings (env vars or .dlt/config.toml [sources.people]):
  {ROSTER_SETTING}  the roster file, CSV or YAML
  {TARGET_SETTING}  the organization's target promotion-track share, 70% or 0.7 (default 70 %)

columns: {", ".join(COLUMNS)}
  required: {", ".join(REQUIRED)}; start_date as YYYY-MM-DD; time_zone an IANA name (e.g. Europe/Berlin,
  default UTC); manager_id the person_id of someone in the roster.
  CSV: the first row names the columns; {", ".join(LIST_COLUMNS)} are '{LIST_SEPARATOR}'-separated; attributes
  is a JSON object of self-reported group attributes (e.g. {{"caregiver": "yes"}}).
  target_promotable_share (optional): the share of promotion-track work the person aims for, as
  50% or 0.5, between 0 and 100 %; empty: the organization's target (LOADBEARING_TARGET_PROMOTABLE,
  default 70 %). seeks_promotion (optional): true/false (also yes/no, 1/0); empty: true. For someone
  not seeking promotion the competence-trap signal is not raised and the evidence packet is a
  record of value.
  YAML: a list of mappings with those keys; lists as YAML lists, attributes as a mapping.
Each row is checked before anything loads: a bad row is left out with a warning naming file, row
and column, and the other rows load; a file that cannot be read as a roster (a required column
missing from the header, an unknown column, YAML that does not parse) loads nothing.
Table raw_people.people is replaced on each load."""


@dataclass(frozen=True)
class PeopleSettings:
    """The roster's place, by dlt's name (so the job and `python -m connectors.people` share it)."""

    roster_path: Path | None = None  # relative paths are relative to the repository root
    organization_target: float | None = DEFAULT_TARGET  # None: the setting is not a share
    target_problems: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PeopleSettings:
        read = Reader(env)
        target, problems = organization_target(env)
        return cls(
            roster_path=read.path(ROSTER_SETTING, "") if read.text(ROSTER_SETTING) else None,
            organization_target=target,
            target_problems=tuple(problems),
        )

    def validate(self) -> list[str]:
        problems = list(self.target_problems)
        if self.roster_path is None:
            problems.append(f"{ROSTER_SETTING} is missing (the people roster, CSV or YAML)")
        elif not self.roster_path.is_file():
            problems.append(f"{ROSTER_SETTING}: no file at {self.roster_path}")
        return problems

    def source_arguments(self) -> dict:
        """people_source's arguments; without a roster path it resolves through dlt (config files)."""
        return {"roster_path": str(self.roster_path)} if self.roster_path else {}


def organization_target(env: Mapping[str, str] | None = None) -> tuple[float | None, list[str]]:
    """LOADBEARING_TARGET_PROMOTABLE as a share, and what is wrong with it."""
    text = Reader(env).text(TARGET_SETTING)
    if not text:
        return DEFAULT_TARGET, []
    try:
        return parse_share(text), []
    except ValueError as exc:
        return None, [f"{TARGET_SETTING} {exc}"]


def parse_share(text: str) -> float:
    """A share of promotion-track work: `50%` or `0.5` (a bare number above 1 is a percentage).
    ValueError says what is wrong."""
    number = text.strip().removesuffix("%").strip()
    try:
        share = float(number)
    except ValueError:
        raise ValueError(f"{text!r} is not a share like 50% or 0.5") from None
    if not 0 <= share <= 100:  # NaN too
        raise ValueError(f"{text!r} is outside 0–100 %")
    return round(share / 100 if text.strip().endswith("%") or share > 1 else share, 6)
