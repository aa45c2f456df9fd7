"""Self-reports and peer endorsements -> raw_selfreports (docs/CONTRACTS.md, "Raw tables").

Work that is in no tool (a stakeholder calmed, a hallway mentoring session) is written by the
person who did it, and colleagues vouch for items, in YAML or CSV files of a folder the team
shares (connectors.selfreports.settings.SETTINGS_HELP has the format). The folder is read when
the resources run, not when the source is built (Dagster builds it at import time with a
placeholder). An entry with a problem is left out with a warning naming its file and line, and
the problems are loaded too (raw_selfreports.entry_problems), so a run shows them. The tables are
replaced on each load, not merged: the folder is the complete record, and an entry deleted or
corrected there must not linger.
"""

from __future__ import annotations

import logging

import dlt

from connectors.selfreports import settings
from connectors.selfreports.entries import Entries, read_folder

__all__ = ["selfreports_source", "read_folder", "Entries"]
log = logging.getLogger("loadbearing.selfreports")

PLACE = {"file": {"data_type": "text"}, "line": {"data_type": "bigint"}}  # where the entry is written
SELF_REPORT_COLUMNS = {
    "entry_id": {"data_type": "text", "nullable": False},
    "person_id": {"data_type": "text"},
    "report_date": {"data_type": "date"},
    "hours": {"data_type": "double"},
    "title": {"data_type": "text"},
    "description": {"data_type": "text"},
    "category": {"data_type": "text"},  # null: the classification rules decide
    "for_whom": {"data_type": "text"},
    "link": {"data_type": "text"},
    **PLACE,
}
ENDORSEMENT_COLUMNS = {
    "entry_id": {"data_type": "text", "nullable": False},
    "endorser_person_id": {"data_type": "text"},
    "endorsed_person_id": {"data_type": "text"},
    "item": {"data_type": "text"},
    "text": {"data_type": "text"},
    "endorsed_on": {"data_type": "date"},
    **PLACE,
}
PROBLEM_COLUMNS = {**PLACE, "problem": {"data_type": "text"}}


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def selfreports_source(folder: str = dlt.config.value):
    read: list[Entries] = []

    def entries() -> Entries:
        """The folder, read once per load for all three tables."""
        if not read:
            found = read_folder(folder)
            for message in found.messages():
                log.warning("Self-reports: entry left out: %s", message)
            read.append(found)
        return read[0]

    def self_reports():
        yield entries().self_reports

    def endorsements():
        yield entries().endorsements

    def entry_problems():
        yield entries().problems

    return (
        dlt.resource(
            self_reports,
            name="self_reports",
            primary_key="entry_id",
            write_disposition="replace",
            columns=SELF_REPORT_COLUMNS,
        ),
        dlt.resource(
            endorsements,
            name="endorsements",
            primary_key="entry_id",
            write_disposition="replace",
            columns=ENDORSEMENT_COLUMNS,
        ),
        dlt.resource(entry_problems, name="entry_problems", write_disposition="replace", columns=PROBLEM_COLUMNS),
    )
