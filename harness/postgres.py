"""A private, throwaway PostgreSQL cluster: initdb in a temporary folder, started with pg_ctl on a
free port of 127.0.0.1, stopped and removed when done. Nothing of the machine's own PostgreSQL
service is used or changed; the server binaries are Debian's (scripts/install-postgres.sh).

The cluster runs as an ordinary user (initdb refuses root): as root, the `postgres` account the
package creates. Text is ordered by bytes (collation C), as DuckDB orders it; character classes,
lower() and upper() are Unicode's (LC_CTYPE C.UTF-8), as in DuckDB; the time zone is UTC.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from connectors.common.settings import REPO_ROOT, PostgresSettings

SUPERUSER = "loadbearing"
DATABASE = "loadbearing"
START_TIMEOUT_S = 60
# a throwaway cluster need not survive a crash: no fsync, no full-page writes
SERVER_OPTIONS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "timezone=UTC")


class PostgresUnavailable(RuntimeError):
    pass


def server_bin() -> Path:
    """Debian's server binaries of the newest installed PostgreSQL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise PostgresUnavailable("PostgreSQL's server is not installed: run scripts/install-postgres.sh")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, timeout=START_TIMEOUT_S)
    if done.returncode != 0:
        raise PostgresUnavailable(f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


@contextmanager
def postgres_cluster() -> Iterator[PostgresSettings]:
    """A running cluster with an empty database `loadbearing`, as the settings to connect to it."""
    import psycopg2

    bindir = server_bin()
    # under /tmp itself: the server's account must reach the folder (pytest's are root's alone)
    root = Path(tempfile.mkdtemp(prefix="loadbearing-pg-"))
    data, log = root / "data", root / "server.log"
    password = secrets.token_hex(16)
    (root / "pwfile").write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(root / "pwfile", "postgres")
    port = _free_port()
    started = False
    try:
        _run(
            [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, f"--pwfile={root / 'pwfile'}",
             "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--lc-collate=C", "--lc-ctype=C.UTF-8", "--no-sync"],
            "initdb",
        )  # fmt: skip
        options = " ".join(
            [f"-p {port}", "-c listen_addresses=127.0.0.1", f"-k {root}", *(f"-c {o}" for o in SERVER_OPTIONS)]
        )
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"], "pg_ctl start")
        started = True
        settings = PostgresSettings(host="127.0.0.1", port=port, user=SUPERUSER, database=DATABASE, password=password)
        con = psycopg2.connect(**{**settings.connect_kwargs(), "dbname": "postgres"})
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"create database {DATABASE}")
        con.close()
        yield settings
    except PostgresUnavailable:
        if log.exists():
            raise PostgresUnavailable(f"PostgreSQL did not start; its log:\n{log.read_text()[-3000:]}") from None
        raise
    finally:
        if started:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], "pg_ctl stop")
        shutil.rmtree(root, ignore_errors=True)


def create_database(server: PostgresSettings, name: str) -> PostgresSettings:
    """A new, empty database on `server`'s cluster (dropped first if it exists), as its settings."""
    import psycopg2

    con = psycopg2.connect(**{**server.connect_kwargs(), "dbname": "postgres"})
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f'drop database if exists "{name}" with (force)')
        cur.execute(f'create database "{name}"')
    con.close()
    return PostgresSettings(
        host=server.host, port=server.port, user=server.user, database=name, password=server.password
    )


def readme_dagster_yaml() -> str:
    """The README's dagster.yaml for Dagster's storage in PostgreSQL ("Production Dagster": its one
    yaml block with Postgres storage), as written there: what the tests and the demo run with."""
    blocks = re.findall(r"```yaml\n(.*?)```", (REPO_ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    (block,) = [block for block in blocks if "postgres_db:" in block]
    return block


def dagster_storage_env(storage: PostgresSettings) -> dict[str, str]:
    """The variables the README's dagster.yaml reads, for the database `storage`."""
    return {
        "DAGSTER_PG_HOST": storage.host,
        "DAGSTER_PG_PORT": str(storage.port),
        "DAGSTER_PG_USER": storage.user,
        "DAGSTER_PG_PASSWORD": storage.password or "",
        "DAGSTER_PG_DB": storage.database,
    }
