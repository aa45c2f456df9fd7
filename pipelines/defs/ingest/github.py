"""GitHub pull requests, reviews, comments, commits, issues and releases -> raw_github."""

from __future__ import annotations

from connectors.github import github_source
from pipelines.defs.ingest.factory import ingest_assets, present
from pipelines.settings import Settings


def build_source(settings: Settings):
    github = settings.github
    if github is None:
        return None
    return github_source(**github.source_arguments(), **present(start_date=settings.start_date))


github_assets = ingest_assets("github", github_source(org="placeholder", access_token="placeholder"), build_source)
