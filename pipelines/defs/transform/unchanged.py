"""Whether a run's dbt build can be skipped: nothing it reads has changed since the marts were built.

The build's data version (every dbt asset reports it) is a digest of the raw tables' content after
retention (the raw_retention step's data version), the dbt project and the privacy settings.
The build is skipped when all of these hold:
- every dbt asset's latest materialization is at today's version, and the step that made them
  succeeded (a build whose data tests failed must not pass for current, nor be published later);
- raw_retention ran after the last load of every raw table (its version stands for what they hold);
- every table dbt makes is in the warehouse (the warehouse was not replaced since);
- no work event has left the retention window since the build (the window moves every day).
The publishing steps after it decide for themselves, from their own inputs (pipelines/defs/publish*.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from dagster import AssetKey, DagsterInstance
from dagster._core.definitions.data_version import extract_data_provenance_from_entry
from dagster._core.execution.stats import StepEventStatus

from connectors.common.warehouse import Warehouse
from pipelines.defs.versions import inputs_version, latest_version
from pipelines.settings import PrivacySettings

# seeds the incremental classification follows row by row (it hashes the mapped features and the
# rules): editing them reclassifies what they change, not everything
CLASSIFICATION_SEEDS = ("classification_rules", "label_mappings")
WORK_EVENTS = "intermediate.int_work_events__all_people"  # the model that applies the retention window
MATERIALIZED = ("table", "incremental", "view", "seed", "snapshot")


def _without_parse_times(value):
    if isinstance(value, dict):
        return {
            k: _without_parse_times(v)
            for k, v in value.items()
            if not (k == "created_at" and isinstance(v, (int, float)))
        }
    if isinstance(value, list):
        return [_without_parse_times(v) for v in value]
    return value


def _digest_of(manifest: Mapping[str, Any], classification_seeds: bool) -> str:
    parsed = dict(manifest)
    parsed["metadata"] = {"dbt_version": manifest.get("metadata", {}).get("dbt_version")}
    if not classification_seeds:
        parsed["nodes"] = {
            uid: {k: v for k, v in node.items() if k != "checksum"}
            if node.get("resource_type") == "seed" and node.get("name") in CLASSIFICATION_SEEDS
            else node
            for uid, node in manifest.get("nodes", {}).items()
        }
    return hashlib.sha256(json.dumps(_without_parse_times(parsed), sort_keys=True).encode()).hexdigest()


def project_digest(manifest: Mapping[str, Any]) -> str:
    """The dbt project's code, seeds and settings, as dbt parsed them (not when it parsed them)."""
    return _digest_of(manifest, classification_seeds=True)


def code_digest(manifest: Mapping[str, Any]) -> str:
    """The dbt assets' code version: the project as far as a change needs every incremental model
    rebuilt from scratch, i.e. all of it but the contents of CLASSIFICATION_SEEDS."""
    return _digest_of(manifest, classification_seeds=False)


def build_version(
    instance: DagsterInstance, retention: AssetKey, manifest: Mapping[str, Any], privacy: PrivacySettings
) -> str:
    """What the marts are made from; the salt enters it hashed."""
    salt = hashlib.sha256((privacy.person_key_salt or "").encode()).hexdigest()
    settings = sorted({**privacy.dbt_vars(), "salt": salt}.items())
    return inputs_version(instance, [retention], project_digest(manifest), *(f"{k}={v}" for k, v in settings))


def skip_reason(
    instance: DagsterInstance,
    con: Warehouse,
    keys: Iterable[AssetKey],
    version: str,
    retention: AssetKey,
    raw_tables: Iterable[AssetKey],
    manifest: Mapping[str, Any],
    retention_days: int,
    step_key: str,
) -> str | None:
    """Why the build can be skipped, or None when it cannot (the conditions of this module's doc)."""
    if any(latest_version(instance, key)[0] != version for key in keys):
        return None
    if not made_by_a_successful_step(instance, keys, step_key):
        return None
    _, pruned = latest_version(instance, retention)
    loads = [stored for stored in (latest_version(instance, key)[1] for key in raw_tables) if stored is not None]
    if pruned is None or (loads and max(loads) > pruned):
        return None
    if missing_relations(con, manifest) or expired_work_events(con, retention_days) != 0:
        return None
    return "no raw row, dbt project or privacy setting changed and no work event left the retention window since the last build"


def made_by_a_successful_step(instance: DagsterInstance, keys: Iterable[AssetKey], step_key: str) -> bool:
    """Whether the runs that last materialized `keys` finished the step `step_key` successfully."""
    runs = set()
    for key in keys:
        event = instance.get_latest_materialization_event(key)
        if event is None:
            return False
        runs.add(event.run_id)
    for run_id in runs:
        stats = instance.get_run_step_stats(run_id, step_keys=[step_key])
        if not stats or stats[0].status != StepEventStatus.SUCCESS:
            return False
    return True


def needs_full_refresh(instance: DagsterInstance, keys: Iterable[AssetKey], code_version: str) -> bool:
    """Whether some dbt asset was last built by other code (or never): its incremental rows are not this code's."""
    for key in keys:
        record = instance.get_latest_data_version_record(key)
        provenance = extract_data_provenance_from_entry(record.event_log_entry) if record else None
        if provenance is None or provenance.code_version != code_version:
            return True
    return False


def missing_relations(con: Warehouse, manifest: Mapping[str, Any]) -> list[str]:
    """The tables and views of the manifest's models, seeds and snapshots that the warehouse lacks."""
    expected = {
        f"{node['schema']}.{node.get('alias') or node['name']}".lower()
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") in ("model", "seed", "snapshot")
        and node.get("config", {}).get("materialized") in MATERIALIZED
        and node.get("config", {}).get("enabled", True)
    }
    return sorted(expected - con.relations())


def retention_cutoff(retention_days: int, today: date | None = None) -> datetime:
    """The oldest instant kept: the start of the day retention_days ago (dbt's retention_cutoff macro)."""
    return datetime.combine((today or date.today()) - timedelta(days=retention_days), time.min)


def expired_work_events(con: Warehouse, retention_days: int, today: date | None = None) -> int | None:
    """Work events built into the marts that today's retention window leaves out; None when none are built."""
    if WORK_EVENTS not in con.relations():
        return None
    return con.rows(
        f"select count(*) from {WORK_EVENTS} where occurred_at < ?", [retention_cutoff(retention_days, today)]
    )[0][0]
