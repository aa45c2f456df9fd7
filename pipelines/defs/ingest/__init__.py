"""The dlt loads, one multi-asset per source. INGEST_ASSETS is every one: what the code location
assembles and what the retention step waits for, so a new source is added here once."""

from pipelines.defs.ingest.calendar import calendar_assets
from pipelines.defs.ingest.github import github_assets
from pipelines.defs.ingest.jira import jira_assets
from pipelines.defs.ingest.oncall import oncall_assets
from pipelines.defs.ingest.people import people_assets
from pipelines.defs.ingest.selfreports import selfreports_assets

INGEST_ASSETS = [github_assets, jira_assets, calendar_assets, people_assets, selfreports_assets, oncall_assets]
