"""Self-reports and endorsements from the team's shared folder -> raw_selfreports."""

from __future__ import annotations

import dlt

from connectors.selfreports import ENDORSEMENT_COLUMNS, PROBLEM_COLUMNS, SELF_REPORT_COLUMNS, selfreports_source
from pipelines.defs.ingest.factory import ingest_assets
from pipelines.settings import Settings


def build_source(settings: Settings):
    return selfreports_source(**settings.selfreports.source_arguments()) if settings.selfreports else None


@dlt.source(name="selfreports", max_table_nesting=0)
def selfreports_tables():
    """selfreports_source reads the folder when it runs, so Dagster names the tables from this
    stand-in; the run loads the real source (test_defs checks both name the same tables)."""
    return (
        dlt.resource([], name="self_reports", primary_key="entry_id", columns=SELF_REPORT_COLUMNS),
        dlt.resource([], name="endorsements", primary_key="entry_id", columns=ENDORSEMENT_COLUMNS),
        dlt.resource([], name="entry_problems", columns=PROBLEM_COLUMNS),
    )


selfreports_assets = ingest_assets("selfreports", selfreports_tables(), build_source)
