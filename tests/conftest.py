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
