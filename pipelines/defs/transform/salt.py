"""A dbt-duckdb plugin (dbt_project/profiles.yml) that hands the person-key salt to DuckDB as
a session variable: the secret is then never part of SQL text that dbt compiles, logs or
writes under target/, where anyone reading the project could find it."""
import os

from dbt.adapters.duckdb.plugins import BasePlugin

SALT_SETTING = "LOADBEARING_PERSON_KEY_SALT"  # pipelines/settings.py requires it for the daily job
DEFAULT_SALT = "loadbearing-default-salt"  # a plain `dbt build` outside a deployment


class Plugin(BasePlugin):
    def configure_cursor(self, cursor):
        # a DuckDB session variable belongs to one cursor, and dbt-duckdb gives each thread its own
        cursor.execute("set variable person_key_salt = ?", [os.environ.get(SALT_SETTING) or DEFAULT_SALT])
