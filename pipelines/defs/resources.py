"""What every asset shares: the run's settings, dlt, dbt, and the pool of warehouse writers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from importlib.metadata import version as installed_version

import dagster_dbt.core.resource as dagster_dbt_cli
from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
from dagster_dlt import DagsterDltResource
from packaging.version import Version
from pydantic import PrivateAttr

from connectors.common.warehouse import DuckDBWarehouse, PostgresWarehouse, open_warehouse
from pipelines.defs.transform.project import DBT_EXECUTABLE, dbt_project
from pipelines.settings import Settings, load_settings

# DuckDB allows one writing process: every asset that writes the warehouse takes a slot here
WAREHOUSE_POOL = "warehouse"


class LoadbearingSettings(ConfigurableResource):
    """The settings of pipelines/settings.py, read from the environment when a run starts.

    Nothing is configured through Dagster, so no value (and no token) reaches run config
    or the event log; a missing or invalid setting fails the run before any step works.
    """

    _settings: Settings | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._settings = load_settings()

    @property
    def settings(self) -> Settings:
        if self._settings is None:  # used outside a run, e.g. in a test
            self._settings = load_settings()
        return self._settings


class VenvDbtCliResource(DbtCliResource):
    """dagster-dbt's resource for the venv's own dbt, whose version is the installed dbt-core's,
    with `cli(..., env=...)`: variables for that one dbt process's environment.

    dagster-dbt learns the version by running `dbt --version` before every command (about 3 s
    of a daily run here); the executable is dbt-core's, so the package metadata says the same.
    It gives dbt this process's environment and takes no more (dagster#29656 was declined in
    favour of setting the variables in this process, which would leave the run's salt in this process for every
    later step); `env` is added to what it starts dbt with, and nothing else sees it.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        """No in-process adapter: dagster-dbt makes one only to fetch column metadata and row counts,
        which these assets do not ask for, and it would read the profile here, without `env`."""
        return None

    def cli(self, args: Sequence[str], *, env: Mapping[str, str] | None = None, **kwargs) -> DbtCliInvocation:
        if not env:
            return super().cli(args, **kwargs)
        # DbtCliResource.cli starts dbt through this name before it returns: swapped for that call only
        launcher = dagster_dbt_cli.DbtCliInvocation
        dagster_dbt_cli.DbtCliInvocation = _launched_with(env)
        try:
            return super().cli(args, **kwargs)
        finally:
            dagster_dbt_cli.DbtCliInvocation = launcher


def _launched_with(extra_env: Mapping[str, str]) -> type[DbtCliInvocation]:
    class Invocation(DbtCliInvocation):
        @classmethod
        def run(cls, *, env: dict[str, str], **params) -> DbtCliInvocation:
            return super().run(env={**env, **extra_env}, **params)

    return Invocation


def warehouse_connection(settings: Settings) -> DuckDBWarehouse | PostgresWarehouse:
    """The working warehouse (the DuckDB file or the Postgres database), for a step that reads or
    writes it itself (it holds the pool's slot)."""
    return open_warehouse(settings.load.destination, duckdb_memory_limit=settings.load.duckdb_memory_limit)


def resources() -> dict:
    return {
        "dlt": DagsterDltResource(),
        # the venv's dbt, so the job runs without an activated venv
        "dbt": VenvDbtCliResource(project_dir=dbt_project(), dbt_executable=DBT_EXECUTABLE),
        "loadbearing": LoadbearingSettings(),
    }
