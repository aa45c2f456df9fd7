"""Dagster reads dbt's manifest.json when the definitions are imported: make it first."""

from pipelines.defs.transform.project import prepare_manifest

prepare_manifest()
