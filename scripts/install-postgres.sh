#!/bin/sh
# The Postgres warehouse tests start a private PostgreSQL cluster of their own (harness/postgres.py)
# from Debian's server binaries; install them once, only when missing.
set -eu
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-postgres: PostgreSQL's server (initdb, pg_ctl) is missing and apt-get is not available; install postgresql yourself" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update -qq
# the cluster the package may create and start is not used: the tests initdb their own
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
ls /usr/lib/postgresql/*/bin/initdb
