"""A dbt-duckdb plugin (dbt_project/profiles.yml) that hands the person-key salt to DuckDB as
a session variable: the secret is then never part of SQL text that dbt compiles, logs or
writes under target/, where anyone reading the project could find it.

profiles.yml gives it the salt as the plugin's config, from DBT_ENV_SECRET_PERSON_KEY_SALT
(pipelines.settings.dbt_invocation sets it in the dbt process's environment only; dbt scrubs
DBT_ENV_SECRET_* values from its logs, and the profile's plugin config is among what it logs).
"""

from dbt.adapters.duckdb.plugins import BasePlugin


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict) -> None:
        self.salt = plugin_config["salt"]

    def configure_cursor(self, cursor):
        # a DuckDB session variable belongs to one cursor, and dbt-duckdb gives each thread its own
        cursor.execute("set variable person_key_salt = ?", [self.salt])
