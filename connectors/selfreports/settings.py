"""Self-reports and peer endorsements connector settings: the shared folder and the entries' fields."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from connectors.common.settings import REPO_ROOT, Reader

SOURCE_NAME = "selfreports"
FOLDER_SETTING = "SOURCES__SELFREPORTS__FOLDER"
# the taxonomy an explicit category must come from: the organization's own seed
TAXONOMY_SEED = REPO_ROOT / "dbt_project" / "seeds" / "work_categories.csv"
YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv",)

SELF_REPORT = "self_report"
ENDORSEMENT = "endorsement"
# per kind: the fields an entry may have, and those it must have
FIELDS = {
    SELF_REPORT: (
        "kind",
        "id",
        "person",
        "date",
        "hours",
        "duration",
        "title",
        "description",
        "category",
        "for_whom",
        "link",
    ),
    ENDORSEMENT: ("kind", "id", "by", "about", "item", "text", "date"),
}
REQUIRED = {SELF_REPORT: ("person", "date", "title"), ENDORSEMENT: ("by", "about", "item", "text")}
MAX_HOURS = 24.0  # one entry is one day's work at most

SETTINGS_HELP = f"""settings (env vars or .dlt/config.toml [sources.selfreports]):
  {FOLDER_SETTING}  a folder the team shares (a synced drive, a repository checkout): every
  *.yaml, *.yml and *.csv file in it (and its subfolders) is read.

Each entry is a self-report (work in no tool) or an endorsement (a colleague vouching for an item):
  - kind: self_report          # YAML: a list of such mappings; CSV: one row each, these as columns
    id: ana-release-nov        # optional; needed to endorse the entry
    person: p004               # roster person_id of who did the work
    date: 2026-11-03
    hours: 2.5                 # or duration: 90m / 1h30m / 1.5h (up to {MAX_HOURS:g} h)
    title: Coordinated the release across three teams
    description: ...           # optional
    category: coordination     # optional, from dbt_project/seeds/work_categories.csv; else the rules decide
    for_whom: p007             # optional, a roster person_id or free text
    link: https://...          # optional
  - kind: endorsement
    by: p007                   # roster person_id of the colleague
    about: p004                # whose work it is
    item: OPS-12               # a Jira key, a pull request or other item URL, owner/repo#12, or an entry id
    text: Kept three teams in step
    date: 2026-11-05           # optional
An entry with a problem is left out with a warning naming its file and line (also loaded into
raw_selfreports.entry_problems); the others load. The tables are replaced on each load: the folder
is the whole record, so an entry deleted from it is gone."""


def categories(seed: Path = TAXONOMY_SEED) -> list[str]:
    with seed.open(newline="", encoding="utf-8") as handle:
        return [row["category"] for row in csv.DictReader(handle)]


@dataclass(frozen=True)
class SelfReportsSettings:
    folder: Path

    @staticmethod
    def configured(env: Mapping[str, str] | None = None) -> bool:
        return Reader(env).any_set((FOLDER_SETTING,))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SelfReportsSettings:
        return cls(folder=Reader(env).path(FOLDER_SETTING, ""))

    def validate(self) -> list[str]:
        if not self.folder.is_dir():
            return [f"{FOLDER_SETTING}: no folder at {self.folder} (the shared folder of self-reports)"]
        return []

    def source_arguments(self) -> dict:
        return {"folder": str(self.folder)}
