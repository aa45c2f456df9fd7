"""A roster with bad rows, loaded by the real people connector into DuckDB: each bad row is
named by file, row and column and left out; every other row loads, names in any script intact."""

from __future__ import annotations

import duckdb
import pytest

from connectors.common.pipeline import run
from connectors.people import people_source, read_roster
from connectors.people.settings import COLUMNS
from tests.badinput.capture import logged
from tests.badinput.samples import EVERY_SCRIPT


def _row(person_id: str, name: str, tz: str = "Europe/Berlin", extra: str = "") -> str:
    cells = {
        "person_id": person_id,
        "display_name": name,
        "emails": f"{person_id}@loadbearing-demo.example",
        "github_logins": f"gh-{person_id}",
        "jira_account_ids": f"acc-{person_id}",
        "team": "payments",
        "manager_id": "",
        "start_date": "2024-01-15",
        "time_zone": tz,
        "level": "L3",
        "attributes": "{}",
    }
    return ",".join('"' + cells.get(c, "").replace('"', '""') + '"' for c in COLUMNS) + extra


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    work = tmp_path_factory.mktemp("roster")
    roster = work / "roster.csv"
    lines = [
        ",".join(COLUMNS).encode(),
        _row("p001", EVERY_SCRIPT).encode(),  # row 2: every script
        _row("p002", "Bo Tern").encode(),  # row 3
        _row("p003", "Cy Wren", extra=',"surplus"').encode(),  # row 4: a cell too many
        _row("p001", "Di Copy")
        .replace("p001@", "dicopy@")
        .replace("gh-p001", "gh-di")
        .replace("acc-p001", "acc-di")
        .encode(),  # row 5: person_id taken
        _row("p005", "Ed Stone", tz="Mars/Olympus").encode(),  # row 6: unknown time zone
        _row("p006", "Caf\u00e9 Owner").encode("latin-1"),  # row 7: not UTF-8
        _row("p007", "Flo Reed").encode(),
    ]  # row 8
    roster.write_bytes(b"\r\n".join(lines) + b"\r\n")
    with logged("loadbearing.people") as records:
        run(people_source(roster_path=str(roster)), "people", work / "warehouse.duckdb", str(work / "dlt"))
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        people = dict(con.execute("select person_id, display_name from raw_people.people").fetchall())
    return {"roster": roster, "people": people, "warnings": records}


def test_the_good_rows_load_and_a_name_in_every_script_arrives_intact(loaded):
    assert sorted(loaded["people"]) == ["p001", "p002", "p007"]
    assert loaded["people"]["p001"] == EVERY_SCRIPT


@pytest.mark.parametrize(
    "row, column, words",
    [
        (4, None, "more cells than the header"),
        (5, "person_id", "'p001' is already used in row 2"),
        (6, "time_zone", "'Mars/Olympus' is not an IANA time zone"),
        (7, "display_name", "not UTF-8"),
    ],
)
def test_each_bad_row_is_named_by_file_row_and_column(loaded, row, column, words):
    where = f"{loaded['roster']}: row {row}" + (f", column {column}" if column else "") + ": "
    assert any(where in w and words in w for w in loaded["warnings"]), loaded["warnings"]


def test_an_unclosed_quote_is_named_instead_of_silently_eating_rows(tmp_path):
    roster = tmp_path / "roster.csv"
    rows = [
        _row(p, name).replace('"', "")
        for p, name in (("p001", "Ada Quill"), ("p002", "Bo Tern"), ("p003", "Cy Wren"), ("p004", "Di Lamb"))
    ]
    rows[1] = rows[1].replace("Bo Tern", '"Bo Tern')  # opened, never closed: the next rows become its cell
    roster.write_text("\n".join([",".join(COLUMNS)] + rows) + "\n")
    read = read_roster(roster)
    assert [p["person_id"] for p in read.people] == ["p001"]
    assert any("row 5: a cell runs over several lines" in p for p in read.problems), read.problems
