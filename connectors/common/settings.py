"""Settings every package shares, and how a settings module reads and checks its variables.

Each connector's settings.py holds a spec of its own settings (`from_env`, `validate()`);
this module holds what is no single connector's: where the warehouses and dlt's state are,
the HTTP timeout and DuckDB's memory, and the error that names every bad setting at once.
Each variable is read here or in one spec, nowhere else; `pipelines/settings.py` collects
every spec's problems into one SettingsError before a run does any work.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from connectors.common import keys

REPO_ROOT = Path(__file__).resolve().parents[2]

WAREHOUSE_SETTING = "LOADBEARING_WAREHOUSE"
DEFAULT_WAREHOUSE = "warehouse/work/loadbearing.duckdb"
PUBLISHED_WAREHOUSE_SETTING = "LOADBEARING_PUBLISHED_WAREHOUSE"
DEFAULT_PUBLISHED_WAREHOUSE = "warehouse/loadbearing.duckdb"
PIPELINES_DIR_SETTING = "LOADBEARING_PIPELINES_DIR"
DEFAULT_PIPELINES_DIR = "warehouse/work/dlt"
TIMEOUT_SETTING = "LOADBEARING_HTTP_TIMEOUT_S"  # seconds to wait for an answer (connect and each read)
DEFAULT_TIMEOUT_S = 30.0
# DuckDB caches up to 80 % of RAM by default and keeps it: the load step's process grew to ~2 GB
# on a 200-person backfill; with 256MB it peaked at 0.6 GB in the same time (make bench). Above
# the limit DuckDB spills to a temporary folder beside the file.
MEMORY_LIMIT_SETTING = "LOADBEARING_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "512MB"
# Which warehouse the run loads and dbt builds: the DuckDB file above (the default) or a
# PostgreSQL database, given by the LOADBEARING_POSTGRES_* settings.
WAREHOUSE_KIND_SETTING = "LOADBEARING_WAREHOUSE_KIND"
WAREHOUSE_KINDS = ("duckdb", "postgres")
POSTGRES_HOST_SETTING = "LOADBEARING_POSTGRES_HOST"
POSTGRES_PORT_SETTING = "LOADBEARING_POSTGRES_PORT"
POSTGRES_USER_SETTING = "LOADBEARING_POSTGRES_USER"
POSTGRES_PASSWORD_SETTING = "LOADBEARING_POSTGRES_PASSWORD"
POSTGRES_DATABASE_SETTING = "LOADBEARING_POSTGRES_DATABASE"
DEFAULT_POSTGRES_PORT = 5432


class SettingsError(ValueError):
    """One message that names every bad setting, so a user fixes them all at once."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            "Loadbearing cannot start: fix these settings (see .env.example):\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )


def process_env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    """The variables a spec reads: the given ones (tests, the harness) or this process's."""
    return os.environ if env is None else env


class Reader:
    """Reads variables and collects every problem instead of stopping at the first."""

    def __init__(self, env: Mapping[str, str] | None = None):
        self.env = process_env(env)
        self.problems: list[str] = []

    def any_set(self, names: tuple[str, ...]) -> bool:
        return any(self.env.get(name, "").strip() for name in names)

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

    def count(self, name: str, default: int | None, unit: str) -> int | None:
        """A positive whole number, or `default` when unset (and when invalid, with a problem)."""
        value = self.text(name)
        if value is None:
            return default
        if not (value.isdigit() and int(value) > 0):
            self.problems.append(f"{name} must be a positive number of {unit}, got {value!r}")
            return default
        return int(value)

    def seconds(self, name: str, default: float) -> float:
        value = self.text(name)
        try:
            seconds = float(value) if value else default
        except ValueError:
            seconds = -1.0
        if not seconds > 0:
            self.problems.append(f"{name} must be a positive number of seconds, got {value!r}")
            return default
        return seconds

    def iso_date(self, name: str) -> str | None:
        value = self.text(name)
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                self.problems.append(f"{name} must be an ISO date like 2026-01-01, got {value!r}")
        return value

    def private_key(self, name: str) -> str | None:
        """An RSA private key in PEM: the text itself (line breaks may be written `\\n`) or the
        path of a file holding it; a problem when it is neither (the key is never shown)."""
        value = self.text(name)
        if not value:
            return None
        text, problem = keys.text_or_file(value)
        pem = keys.normalized_pem(text) if text else None
        problem = problem or keys.pem_problem(pem)
        if problem:
            self.problems.append(f"{name} {problem}: it must be {keys.PEM_HINT} or the path of a .pem file")
            return None
        return pem

    def service_account_key(self, name: str) -> str | None:
        """A Google service account's key file: its JSON, or the path of the file; returned as JSON text."""
        value = self.text(name)
        if not value:
            return None
        text, problem = keys.text_or_file(value)
        info, problems = keys.service_account_problems(text) if text else (None, [problem])
        if problems:
            self.problems.extend(f"{name} {problem}" for problem in problems)
            return None
        return json.dumps(info)

    def path(self, name: str, default: str) -> Path:
        """Relative to the repository root, so every process finds the same file."""
        path = Path(self.text(name) or default).expanduser()
        return path if path.is_absolute() else REPO_ROOT / path


@dataclass(frozen=True)
class PostgresSettings:
    """A PostgreSQL warehouse: where it is and who connects (the password is kept out of `repr`)."""

    host: str
    port: int
    user: str
    database: str
    password: str | None = field(default=None, repr=False)  # a secret

    @classmethod
    def read(cls, read: Reader) -> PostgresSettings:
        why = f" ({WAREHOUSE_KIND_SETTING} is postgres)"
        port = read.count(POSTGRES_PORT_SETTING, DEFAULT_POSTGRES_PORT, "a TCP port")
        return cls(
            host=read.text(POSTGRES_HOST_SETTING, required=True, why=why) or "",
            port=port or DEFAULT_POSTGRES_PORT,
            user=read.text(POSTGRES_USER_SETTING, required=True, why=why) or "",
            database=read.text(POSTGRES_DATABASE_SETTING, required=True, why=why) or "",
            password=read.text(POSTGRES_PASSWORD_SETTING),
        )

    def env(self) -> dict[str, str]:
        """These settings as the variables they are read from (for a child process, e.g. the daily job)."""
        env = {
            WAREHOUSE_KIND_SETTING: "postgres",
            POSTGRES_HOST_SETTING: self.host,
            POSTGRES_PORT_SETTING: str(self.port),
            POSTGRES_USER_SETTING: self.user,
            POSTGRES_DATABASE_SETTING: self.database,
        }
        if self.password:
            env[POSTGRES_PASSWORD_SETTING] = self.password
        return env

    def connect_kwargs(self) -> dict:
        """psycopg2.connect's keyword arguments."""
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password or "",
            "dbname": self.database,
        }


@dataclass(frozen=True)
class LoadSettings:
    """Where a load writes and how it behaves, for the job and `python -m connectors.<source>` alike."""

    warehouse: Path  # the working DuckDB file (dbt's profile reads it as LOADBEARING_WAREHOUSE)
    pipelines_dir: Path  # dlt's state
    http_timeout_s: float
    duckdb_memory_limit: str
    problems: tuple[str, ...] = ()  # found while reading
    warehouse_kind: str = "duckdb"  # one of WAREHOUSE_KINDS
    postgres: PostgresSettings | None = None  # the PostgreSQL warehouse when warehouse_kind is postgres

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LoadSettings:
        read = Reader(env)
        kind = (read.text(WAREHOUSE_KIND_SETTING) or "duckdb").lower()
        if kind not in WAREHOUSE_KINDS:
            read.problems.append(f"{WAREHOUSE_KIND_SETTING} must be one of {', '.join(WAREHOUSE_KINDS)}, got {kind!r}")
        return cls(
            warehouse=read.path(WAREHOUSE_SETTING, DEFAULT_WAREHOUSE),
            pipelines_dir=read.path(PIPELINES_DIR_SETTING, DEFAULT_PIPELINES_DIR),
            http_timeout_s=read.seconds(TIMEOUT_SETTING, DEFAULT_TIMEOUT_S),
            duckdb_memory_limit=read.text(MEMORY_LIMIT_SETTING) or DEFAULT_MEMORY_LIMIT,
            warehouse_kind=kind,
            postgres=PostgresSettings.read(read) if kind == "postgres" else None,
            problems=tuple(read.problems),
        )

    @property
    def destination(self) -> Path | PostgresSettings:
        """Where dlt loads: the DuckDB file, or the PostgreSQL database."""
        return self.postgres if self.postgres is not None else self.warehouse

    def validate(self) -> list[str]:
        return list(self.problems)


def published_warehouse(env: Mapping[str, str] | None = None) -> Path:
    """The copy readers (dashboard, packets, BI tools) keep open; the job replaces it after a run."""
    return Reader(env).path(PUBLISHED_WAREHOUSE_SETTING, DEFAULT_PUBLISHED_WAREHOUSE)


def http_timeout_s() -> float:
    """The HTTP timeout of every API call (connectors.common.http); checked up front by LoadSettings."""
    return LoadSettings.from_env().http_timeout_s


def duckdb_memory_limit() -> str:
    """DuckDB's memory_limit for dlt's load and the job's own connections (dbt has its own, profiles.yml)."""
    return LoadSettings.from_env().duckdb_memory_limit
