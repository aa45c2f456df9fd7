"""LOADBEARING_WAREHOUSE_KIND and the LOADBEARING_POSTGRES_* settings: what dlt and dbt get from them."""

from __future__ import annotations

from pathlib import Path

from connectors.common.pipeline import loader_file_format, make_pipeline
from connectors.common.settings import LoadSettings, PostgresSettings
from pipelines.settings import PrivacySettings, dbt_invocation

POSTGRES_ENV = {
    "LOADBEARING_WAREHOUSE_KIND": "postgres",
    "LOADBEARING_POSTGRES_HOST": "db.internal",
    "LOADBEARING_POSTGRES_PORT": "6432",
    "LOADBEARING_POSTGRES_USER": "loader",
    "LOADBEARING_POSTGRES_PASSWORD": "pg-secret",
    "LOADBEARING_POSTGRES_DATABASE": "work",
}


def test_duckdb_is_the_default_warehouse():
    load = LoadSettings.from_env({})
    assert (load.warehouse_kind, load.postgres, load.problems) == ("duckdb", None, ())
    assert load.destination == load.warehouse


def test_postgres_settings_are_read_and_the_password_kept_out_of_repr():
    load = LoadSettings.from_env(POSTGRES_ENV)
    assert load.problems == ()
    assert load.destination == PostgresSettings("db.internal", 6432, "loader", "work", "pg-secret")
    assert "pg-secret" not in repr(load)
    assert load.postgres.env() == POSTGRES_ENV


def test_every_missing_or_bad_postgres_setting_is_named():
    problems = LoadSettings.from_env(
        {"LOADBEARING_WAREHOUSE_KIND": "postgres", "LOADBEARING_POSTGRES_PORT": "x"}
    ).validate()
    for name in ("HOST", "USER", "DATABASE", "PORT"):
        assert any(f"LOADBEARING_POSTGRES_{name}" in problem for problem in problems), problems
    assert LoadSettings.from_env({"LOADBEARING_WAREHOUSE_KIND": "sqlite"}).validate() == [
        "LOADBEARING_WAREHOUSE_KIND must be one of duckdb, postgres, got 'sqlite'"
    ]


def test_dbt_gets_the_postgres_target_with_its_secrets_as_dbt_scrubs_them():
    postgres = LoadSettings.from_env(POSTGRES_ENV).postgres
    privacy = PrivacySettings.from_env({"LOADBEARING_PERSON_KEY_SALT": "a salt\\ here"})
    args, env = dbt_invocation(postgres, privacy)
    assert env == {
        "LOADBEARING_WAREHOUSE_KIND": "postgres",
        "LOADBEARING_POSTGRES_HOST": "db.internal",
        "LOADBEARING_POSTGRES_PORT": "6432",
        "LOADBEARING_POSTGRES_USER": "loader",
        "LOADBEARING_POSTGRES_DATABASE": "work",
        "DBT_ENV_SECRET_POSTGRES_PASSWORD": "pg-secret",
        # libpq's options: a space separates them, a backslash escapes
        "PGOPTIONS": "-c loadbearing.person_key_salt=a\\ salt\\\\\\ here",
    }
    assert "salt" not in " ".join(args) and "pg-secret" not in " ".join(args)


def test_dbt_gets_the_duckdb_file_as_before():
    privacy = PrivacySettings.from_env({"LOADBEARING_PERSON_KEY_SALT": "s"})
    _, env = dbt_invocation(Path("/w/loadbearing.duckdb"), privacy)
    assert env == {"LOADBEARING_WAREHOUSE": "/w/loadbearing.duckdb", "DBT_ENV_SECRET_PERSON_KEY_SALT": "s"}


def test_dlt_loads_where_the_setting_says(tmp_path):
    postgres = LoadSettings.from_env(POSTGRES_ENV).postgres
    pipeline = make_pipeline("github", postgres, tmp_path)
    assert pipeline.destination.destination_type.endswith("postgres")
    assert loader_file_format(postgres) == "insert_values"
    duck = make_pipeline("github", tmp_path / "w.duckdb", tmp_path)
    assert duck.destination.destination_type.endswith("duckdb")
    assert loader_file_format(tmp_path / "w.duckdb") == "parquet"
