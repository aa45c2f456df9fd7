"""One small organization loaded once from the sandbox, then built by dbt under several privacy
configurations; each build is kept as its own copy of the warehouse for the tests to read."""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb

from pipelines.settings import PrivacySettings, dbt_invocation
from sandbox import calendar_objects as cal
from sandbox.generate import generate_org
from tests.dbt.test_dbt_project import DBT, PROJECT_DIR, load_sandbox

SMALL_ORG = {"seed": 7, "people": 12, "teams": 2, "months": 2}
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


def small_org():
    """The sandbox organization with SHIFTS as everyone's attributes and one PrivateEvent."""
    org = generate_org(**SMALL_ORG)
    for person, shift in zip(org.people, SHIFTS):
        person["attributes"] = {"shift": shift}
    organizer, colleague = org.people[0], org.people[1]
    organizer_email, colleague_email = organizer["emails"][0], colleague["emails"][0]
    event = PrivateEvent("privatetherapy01", organizer_email, colleague_email,
                         ("Therapy with Dr Quill", "Bring the referral letter", "Clinic on Elm Street",
                          "Morgan Quill", "morgan.quill@clinic.example"))
    start = (org.now - timedelta(days=3)).replace(hour=15, minute=0, second=0, microsecond=0)
    guests = [{"email": organizer_email, "organizer": True, "responseStatus": "accepted"},
              {"email": colleague_email, "displayName": colleague["display_name"], "responseStatus": "accepted"},
              {"email": "morgan.quill@clinic.example", "displayName": "Morgan Quill", "responseStatus": "accepted"}]
    item = cal.event(event.event_id, event.secrets[0], organizer_email, guests, start, start + timedelta(hours=1),
                     "UTC", start - timedelta(days=1), description=event.secrets[1], private=True)
    item["location"] = event.secrets[2]
    for email in (organizer_email, colleague_email):
        org.calendars[email].append(cal.copy_for(item, email))
    return org, event


def privacy(**changes) -> PrivacySettings:
    settings = {"person_key_salt": "privacy-test-salt", "opt_out_person_ids": [], "opt_out_counts_in_team_totals": False,
                "retention_days": 400, "min_group_size": MIN_GROUP_SIZE}
    return PrivacySettings(**{**settings, **changes})


class Deployment:
    """The loaded warehouse in `work`, and `build(name, settings)` -> a copy of it after dbt ran."""

    def __init__(self, work: Path):
        self.work = work
        self.warehouse = work / "live" / "warehouse.duckdb"
        self.warehouse.parent.mkdir(parents=True)
        self.org, self.private_event = small_org()
        load_sandbox(self.org, self.warehouse, work)

    def build(self, name: str, settings: PrivacySettings, *command: str) -> Path:
        """`dbt <command>` (default: seeds and models, no tests) under these settings."""
        command = command or ("build", "--resource-type", "seed", "--resource-type", "model")
        dbt_vars, dbt_env = dbt_invocation(self.warehouse, settings)
        env = {**os.environ, **dbt_env, "DBT_LOG_PATH": str(self.work / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        done = subprocess.run(
            [DBT, *command, *dbt_vars, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
             "--target-path", str(self.work / "target")],
            cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, f"dbt {' '.join(command)} ({name}) failed:\n{done.stdout[-4000:]}"
        # same file name in its own folder: dbt's views name their database by the file's name
        copy = self.work / name / self.warehouse.name
        copy.parent.mkdir()
        shutil.copy(self.warehouse, copy)
        return copy


def tables(warehouse: Path, schema: str | None = None) -> list[tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where ? is null or table_schema = ? order by 1, 2", [schema, schema]
        ).fetchall()


def table_text(warehouse: Path, schema: str, table: str) -> str:
    """Every value of the table as one lower-case text, to search for what must not be there."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(f'select * from "{schema}"."{table}"').fetchall()
    return "\n".join("|".join(map(str, row)) for row in rows).lower()


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
