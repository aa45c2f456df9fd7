"""What the suites that stand up a deployment share (harness/deployment.py does the work): a
small organization, a sandbox serving it, the organization loaded by every connector into a
warehouse, and the dbt runner.

A module that needs another organization overrides `small_org` (it may take the parent
`small_org` and plant data in it); the server and the loaded warehouse then serve and load
that one. All are per module: modules move the organization's clock on and plant data."""

# the harness is imported by the fixtures, not here: it pulls Dagster and dlt in (seconds), which
# the suites that use none of these fixtures need not wait for
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def small_org():
    from harness.deployment import SMALL_ORG
    from sandbox.generate import generate_org

    return generate_org(**SMALL_ORG)


@pytest.fixture(scope="module")
def sandbox_server(small_org):
    from sandbox.server import SandboxServer

    with SandboxServer(small_org) as server:
        yield server


@pytest.fixture(scope="module")
def loaded_warehouse(small_org, sandbox_server, tmp_path_factory) -> Path:
    """The organization as every connector loads it from the sandbox, before dbt; the folder
    around the file is the module's to use (dbt's logs and target, copies)."""
    from harness.deployment import SourcesDeployment

    deployment = SourcesDeployment(tmp_path_factory.mktemp("loaded"))
    deployment.must_load(small_org, sandbox_server)
    return deployment.warehouse


@pytest.fixture(scope="session")
def dbt():
    """harness.deployment.run_dbt: `dbt(warehouse, work, *args, env=None, project_dir=..., check=True)`."""
    from harness.deployment import run_dbt

    return run_dbt


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster of the session's own (harness.postgres: Debian's server,
    installed by scripts/install-postgres.sh), as the settings of its superuser; when it cannot
    start, the tests that use it fail (never skip)."""
    from harness.postgres import postgres_cluster

    with postgres_cluster() as server:
        yield server


@pytest.fixture(scope="module")
def loaded_postgres(small_org, sandbox_server, postgres_server, tmp_path_factory):
    """`loaded_warehouse` on Postgres: the organization as every connector loads it from the
    sandbox into a database of the module's own, before dbt. A SourcesDeployment: its `target`
    is the database; its folder holds dlt's state and the roster, and is the module's to use."""
    from harness.deployment import SourcesDeployment
    from harness.postgres import create_database

    root = tmp_path_factory.mktemp("loaded_pg")
    database = create_database(postgres_server, root.name.lower())
    deployment = SourcesDeployment(root, postgres=database)
    deployment.must_load(small_org, sandbox_server)
    return deployment
