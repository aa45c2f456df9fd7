"""Data versions: what each step of the daily job reports it made, so that the next one can tell
whether its inputs changed since it last ran (Dagster records them with each materialization).

A raw table's version is its content: row count and a sum of row hashes without dlt's own
columns (a daily run re-merges some unchanged rows and replaces the roster, which gives them new
load ids, not new values); the warehouse computes it (connectors.common.warehouse,
`table_version`). Every later step's version is a digest of its inputs' versions and
its own settings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from dagster import AssetExecutionContext, AssetKey, DagsterInstance, DataVersion, MaterializeResult
from dagster._core.definitions.data_version import extract_data_version_from_entry

# a run with this tag set to "true" rebuilds and republishes everything, changed or not
# (the UI's launchpad; `make demo ARGS=--full-refresh`)
FULL_REFRESH_TAG = "loadbearing/full_refresh"


def digest(parts: Iterable[str]) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(f"{part}\n".encode())
    return hashed.hexdigest()


def latest_version(instance: DagsterInstance, key: AssetKey) -> tuple[str | None, int | None]:
    """The data version of the asset's latest materialization and its event's storage id (None, None: never)."""
    record = instance.get_latest_data_version_record(key)
    if record is None:
        return None, None
    version = extract_data_version_from_entry(record.event_log_entry)
    return (version.value if version else None), record.storage_id


def inputs_version(instance: DagsterInstance, keys: Iterable[AssetKey], *settings: str) -> str:
    """A digest of the latest data versions of `keys` and of `settings`."""
    versions = [f"{key.to_user_string()}={latest_version(instance, key)[0]}" for key in sorted(keys)]
    return digest([*versions, *settings])


def full_refresh_asked(context: AssetExecutionContext) -> bool:
    return context.run.tags.get(FULL_REFRESH_TAG) == "true"


def is_current(context: AssetExecutionContext, version: str, made_exists: bool = True) -> bool:
    """Whether the asset's latest materialization is at `version` and what it made is still there,
    and no full refresh was asked for: then the step has nothing to do."""
    if full_refresh_asked(context) or not made_exists:
        return False
    return latest_version(context.instance, context.asset_key)[0] == version


def skipped(version: str, reason: str, key: AssetKey | None = None) -> MaterializeResult:
    """The report of a step that had nothing to do: what it made is still current, at `version`."""
    return MaterializeResult(asset_key=key, data_version=DataVersion(version), metadata={"skipped": reason})
