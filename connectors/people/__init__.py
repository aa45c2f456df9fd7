"""The people roster → raw_people.people (docs/CONTRACTS.md, "Raw tables").

The roster is read and checked when the resource runs (connectors.people.roster; not when
the source is built: Dagster builds it at import time with a placeholder path). A bad row
is left out with a warning naming file, row and column, the others load; a file that is
not a readable roster loads nothing. The table is replaced on each load, not merged:
the roster is a complete snapshot, and someone taken off it (or a mistyped person_id
fixed) must not linger as a ghost that still claims their emails and logins.
"""

from __future__ import annotations

import logging

import dlt

from connectors.people import settings
from connectors.people.roster import Roster, RosterError, read_roster

__all__ = ["people_source", "read_roster", "Roster", "RosterError"]
log = logging.getLogger("loadbearing.people")

COLUMN_TYPES = {
    "person_id": {"data_type": "text", "nullable": False},
    "display_name": {"data_type": "text"},
    "emails": {"data_type": "json"},
    "github_logins": {"data_type": "json"},
    "jira_account_ids": {"data_type": "json"},
    "team": {"data_type": "text"},
    "manager_id": {"data_type": "text"},
    "start_date": {"data_type": "date"},
    "time_zone": {"data_type": "text"},
    "level": {"data_type": "text"},
    "attributes": {"data_type": "json"},
    "target_promotable_share": {"data_type": "double"},  # null: the organization's target
    "seeks_promotion": {"data_type": "bool"},  # null: yes
}


@dlt.source(name=settings.SOURCE_NAME, max_table_nesting=0)
def people_source(roster_path: str = dlt.config.value):
    def people():
        roster = read_roster(roster_path)  # all good rows at once, or RosterError before any
        for problem in roster.problems:
            log.warning("People roster: row left out: %s", problem)
        yield roster.people

    return dlt.resource(
        people, name="people", primary_key="person_id", write_disposition="replace", columns=COLUMN_TYPES
    )
