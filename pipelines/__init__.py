"""The Dagster code location: adapts the connectors and the dbt project, nothing more."""
