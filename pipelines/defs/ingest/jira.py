"""Jira issues, changelogs, worklogs, comments and users -> raw_jira."""

from __future__ import annotations

from connectors.jira import jira_source
from pipelines.defs.ingest.factory import ingest_assets, present
from pipelines.settings import Settings


def build_source(settings: Settings):
    jira = settings.jira
    if jira is None:
        return None
    return jira_source(**jira.source_arguments(), **present(start_date=settings.start_date))


jira_assets = ingest_assets(
    "jira",
    jira_source(site_url="https://placeholder.invalid", email="placeholder@invalid", api_token="placeholder"),
    build_source,
)
