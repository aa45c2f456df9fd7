"""One small organization loaded once from the sandbox (tests/conftest.py's `loaded_warehouse`),
then built by dbt under several privacy configurations; each build is kept as its own copy of
the warehouse for the tests to read."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb

from harness.deployment import PRUNE_RAW_DATA, run_dbt
from pipelines.settings import PrivacySettings
from sandbox import calendar_objects as cal

MIN_GROUP_SIZE = 3
# a self-reported attribute with one group under k: 12 - 6 - 4 would give the small group away
SHIFTS = ["day"] * 6 + ["night"] * 4 + ["weekend"] * 2


@dataclass(frozen=True)
class PrivateEvent:
    """A private appointment with a colleague and an outside guest: only its duration may survive."""

    event_id: str
    organizer_email: str
    colleague_email: str
    secrets: tuple[str, ...]  # title, description, location, the guest's name and email


def private_event(org) -> PrivateEvent:
    """The appointment of the organization's first person with its second (plant_private_life adds it)."""
    return PrivateEvent(
        "privatetherapy01",
        org.people[0]["emails"][0],
        org.people[1]["emails"][0],
        (
            "Therapy with Dr Quill",
            "Bring the referral letter",
            "Clinic on Elm Street",
            "Morgan Quill",
            "morgan.quill@clinic.example",
        ),
    )


def plant_private_life(org) -> None:
    """SHIFTS as everyone's attributes, and the private_event in both its people's calendars."""
    for person, shift in zip(org.people, SHIFTS):
        person["attributes"] = {"shift": shift}
    event, colleague = private_event(org), org.people[1]
    start = (org.now - timedelta(days=3)).replace(hour=15, minute=0, second=0, microsecond=0)
    guests = [
        {"email": event.organizer_email, "organizer": True, "responseStatus": "accepted"},
        {"email": event.colleague_email, "displayName": colleague["display_name"], "responseStatus": "accepted"},
        {"email": "morgan.quill@clinic.example", "displayName": "Morgan Quill", "responseStatus": "accepted"},
    ]
    item = cal.event(
        event.event_id,
        event.secrets[0],
        event.organizer_email,
        guests,
        start,
        start + timedelta(hours=1),
        "UTC",
        start - timedelta(days=1),
        description=event.secrets[1],
        private=True,
    )
    item["location"] = event.secrets[2]
    for email in (event.organizer_email, event.colleague_email):
        org.calendars[email].append(cal.copy_for(item, email))


def privacy(**changes) -> PrivacySettings:
    settings = {
        "person_key_salt": "privacy-test-salt",
        "opt_out_person_ids": [],
        "opt_out_counts_in_team_totals": False,
        "retention_days": 400,
        "min_group_size": MIN_GROUP_SIZE,
    }
    return PrivacySettings(**{**settings, **changes})


@dataclass
class Builds:
    """dbt on the loaded `warehouse` under several settings, its logs and target in `work`."""

    warehouse: Path
    work: Path

    def build(self, name: str, settings: PrivacySettings, *command: str, prune: bool = False) -> Path:
        """`dbt <command>` (default: seeds and models, no tests) under these settings, after the
        daily job's retention step if `prune`; a copy of the result."""
        command = command or ("build", "--resource-type", "seed", "--resource-type", "model")
        if prune:
            run_dbt(self.warehouse, self.work, *PRUNE_RAW_DATA, privacy=settings)
        run_dbt(self.warehouse, self.work, *command, privacy=settings)
        # same file name in its own folder: dbt's views name their database by the file's name
        copy = self.work / name / self.warehouse.name
        copy.parent.mkdir()
        shutil.copy(self.warehouse, copy)
        return copy


def tables(warehouse: Path, schema: str | None = None) -> list[tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where ? is null or table_schema = ? order by 1, 2",
            [schema, schema],
        ).fetchall()


def table_text(warehouse: Path, schema: str, table: str) -> str:
    """Every value of the table as one lower-case text, to search for what must not be there."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(f'select * from "{schema}"."{table}"').fetchall()
    return "\n".join("|".join(map(str, row)) for row in rows).lower()


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
