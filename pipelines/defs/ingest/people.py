"""The people roster -> raw_people."""

from __future__ import annotations

import dlt

from connectors.people import people_source
from pipelines.defs.ingest.factory import ingest_assets
from pipelines.settings import Settings


def build_source(settings: Settings):
    return people_source(**settings.people.source_arguments())


@dlt.source(name="people", max_table_nesting=0)
def roster_tables():
    """people_source reads the roster as it is made, so Dagster names the table from this
    stand-in; the run loads the real source (test_defs checks both name raw_people.people)."""
    return dlt.resource([], name="people", primary_key="person_id")


people_assets = ingest_assets("people", roster_tables(), build_source)
