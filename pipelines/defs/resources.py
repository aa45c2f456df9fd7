"""What every asset shares: the run's settings, dlt, dbt, and the pool of warehouse writers."""
from __future__ import annotations

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource
from dagster_dlt import DagsterDltResource
from packaging.version import Version
from pydantic import PrivateAttr

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
    """dagster-dbt's resource for the venv's own dbt, whose version is the installed dbt-core's.

    dagster-dbt learns the version by running `dbt --version` before every command (about 3 s
    of a daily run here); the executable is dbt-core's, so the package metadata says the same.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))


def resources() -> dict:
    return {
        "dlt": DagsterDltResource(),
        # the venv's dbt, so the job runs without an activated venv
        "dbt": VenvDbtCliResource(project_dir=dbt_project(), dbt_executable=DBT_EXECUTABLE),
        "loadbearing": LoadbearingSettings(),
    }
