"""How the run's settings reach dbt: the privacy settings as --vars, the warehouse path and the
person-key salt in the environment of the dbt process only; the Dagster process's own is left as it was."""

from __future__ import annotations

import hashlib
import os

import duckdb
import pytest
from dagster import materialize

from pipelines.defs.resources import resources
from pipelines.defs.transform.dbt import loadbearing_dbt_assets

SALT = "dbt-settings-test-salt"
MIN_GROUP_SIZE = 3  # not dbt_project.yml's default (10)


@pytest.fixture(scope="module")
def loaded(small_org, loaded_warehouse):
    """A working warehouse with every connector's raw tables (its folder holds the roster), and the roster's person ids."""
    return loaded_warehouse.parent, loaded_warehouse, sorted(person["person_id"] for person in small_org.people)


@pytest.fixture(scope="module")
def built(loaded):
    """The dbt asset materialized under settings that differ from dbt_project.yml's defaults;
    the process's environment before and after."""
    work, warehouse, people = loaded
    settings = {
        "SOURCES__GITHUB__ACCESS_TOKEN": "placeholder-token",
        "SOURCES__GITHUB__ORG": "acme",
        "SOURCES__PEOPLE__ROSTER_PATH": str(work / "roster.csv"),
        "LOADBEARING_WAREHOUSE": str(warehouse),
        "LOADBEARING_PUBLISHED_WAREHOUSE": str(work / "published" / warehouse.name),
        "LOADBEARING_PIPELINES_DIR": str(work / "dlt"),
        "LOADBEARING_PERSON_KEY_SALT": SALT,
        "LOADBEARING_OPT_OUT_PERSON_IDS": people[0],
        "LOADBEARING_MIN_GROUP_SIZE": str(MIN_GROUP_SIZE),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings.items():
            patch.setenv(name, value)
        before = dict(os.environ)
        result = materialize([loadbearing_dbt_assets], resources=resources())
        after = dict(os.environ)
    return result, before, after, warehouse, people


def test_the_dbt_step_leaves_the_process_environment_as_it_was(built):
    result, before, after, _, _ = built
    assert result.success
    assert after == before


def test_an_opt_out_and_the_group_size_reach_the_marts_as_vars(built):
    _, _, _, warehouse, people = built
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = {row[0] for row in con.execute("select person_id from marts.dim_people").fetchall()}
        group_sizes = {
            row[0]
            for row in con.execute("select distinct min_people_per_group from marts.fct_group_comparison").fetchall()
        }
    assert kept == set(people[1:])
    assert group_sizes == {MIN_GROUP_SIZE}


def test_the_salt_reaches_dbt_and_none_of_its_files(built):
    _, _, _, warehouse, people = built
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (key,) = con.execute("select person_key from marts.dim_people where person_id = ?", [people[1]]).fetchone()
    # macros/person_key.sql: md5 of salt | person_id
    assert key == hashlib.md5(f"{SALT}|{people[1]}".encode()).hexdigest()
    written = [path for path in (warehouse.parent / "dbt_target").rglob("*") if path.is_file()]
    assert any(path.name == "run_results.json" for path in written)
    assert not [path for path in written if SALT.encode() in path.read_bytes()]
