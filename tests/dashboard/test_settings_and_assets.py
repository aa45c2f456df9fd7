"""The dashboard's settings, and the two Dagster assets writing beside the published warehouse."""

import shutil

import pytest
from dagster import AssetKey, materialize

from pipelines.defs.publish_dashboard import dashboard, evidence_packets
from pipelines.defs.resources import LoadbearingSettings
from pipelines.settings import SettingsError
from reports.marts import Marts, MartsError
from reports.settings import DashboardSettings, dashboard_settings


def test_defaults_are_pseudonymous_with_a_70_percent_target():
    assert dashboard_settings({}) == DashboardSettings("pseudonymous", 0.70)
    assert dashboard_settings(
        {"LOADBEARING_TARGET_PROMOTABLE": "0.6", "LOADBEARING_PRIVACY_MODE": "Named"}
    ) == DashboardSettings("named", 0.6)


def test_the_dashboards_target_is_the_one_the_marts_compare_with():
    """dbt_project.yml's default target is the dashboard's; the job hands the setting to dbt, where it
    is the target of everyone the roster gives none."""
    import json
    from pathlib import Path

    from pipelines.settings import DBT_VAR_DEFAULTS, PrivacySettings, dbt_invocation

    assert DBT_VAR_DEFAULTS["default_target_promotable_share"] == dashboard_settings({}).target_promotable_share
    privacy = PrivacySettings.from_env({})
    args, _ = dbt_invocation(Path("w.duckdb"), privacy, 0.6)
    assert json.loads(args[1])["default_target_promotable_share"] == 0.6
    args, _ = dbt_invocation(Path("w.duckdb"), privacy)
    assert "default_target_promotable_share" not in json.loads(args[1])


def test_bad_settings_are_named_together():
    with pytest.raises(SettingsError) as raised:
        dashboard_settings({"LOADBEARING_PRIVACY_MODE": "open", "LOADBEARING_TARGET_PROMOTABLE": "170%"})
    message = str(raised.value)
    for name in ("LOADBEARING_PRIVACY_MODE", "LOADBEARING_TARGET_PROMOTABLE"):
        assert name in message


def test_a_warehouse_without_marts_is_named(tmp_path):
    import duckdb

    empty = tmp_path / "loadbearing.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(MartsError, match="lacks the marts dim_people"):
        Marts(empty)


def test_the_assets_write_the_dashboard_and_packets_beside_the_published_warehouse(warehouse, tmp_path, monkeypatch):
    # GIVEN a published warehouse and the run's settings pointing at it
    published = tmp_path / "loadbearing.duckdb"
    shutil.copy(warehouse, published)
    roster = tmp_path / "roster.csv"
    roster.write_text("person_id\n")
    for name, value in {
        "SOURCES__CALENDAR__ICS_FEEDS": f"oncall={tmp_path / 'oncall.ics'}",
        "SOURCES__PEOPLE__ROSTER_PATH": str(roster),
        "LOADBEARING_PERSON_KEY_SALT": "placeholder-salt",
        "LOADBEARING_WAREHOUSE": str(tmp_path / "work" / "loadbearing.duckdb"),
        "LOADBEARING_PUBLISHED_WAREHOUSE": str(published),
        "LOADBEARING_PRIVACY_MODE": "named",
    }.items():
        monkeypatch.setenv(name, value)
    # WHEN both assets materialize
    result = materialize([dashboard, evidence_packets], resources={"loadbearing": LoadbearingSettings()})
    # THEN the files are where `make demo` announces them, and the assets wait for the marts
    assert result.success
    assert (tmp_path / "dashboard" / "index.html").stat().st_size > 500_000
    assert len(list((tmp_path / "packets").glob("*.md"))) == 18
    assert AssetKey(["marts", "fct_work_events"]) in dashboard.dependency_keys
    assert AssetKey(["published_warehouse"]) in evidence_packets.dependency_keys
