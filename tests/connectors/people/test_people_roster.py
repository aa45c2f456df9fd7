"""The people connector: good CSV and YAML rosters load; every kind of bad row is named by
file, row and column and left out while the other rows load; a file that is not a readable
roster loads nothing."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from connectors.common.pipeline import make_pipeline
from connectors.people import RosterError, people_source, read_roster
from connectors.people.settings import COLUMNS

# synthetic people only
PEOPLE = [
    {
        "person_id": "p001",
        "display_name": "Ada Quill",
        "emails": ["ada.quill@loadbearing-demo.example"],
        "github_logins": ["adaq"],
        "jira_account_ids": ["712020:aaa1"],
        "team": "payments",
        "manager_id": None,
        "start_date": "2021-04-01",
        "time_zone": "Europe/Berlin",
        "level": "M1",
        "attributes": {"caregiver": "yes"},
    },
    {
        "person_id": "p002",
        "display_name": "Bo Tern",
        "emails": ["bo.tern@loadbearing-demo.example", "bo@old-name.example"],
        "github_logins": ["botern", "bo-alt"],
        "jira_account_ids": ["712020:bbb2"],
        "team": "payments",
        "manager_id": "p001",
        "start_date": "2026-10-01",
        "time_zone": "America/New_York",
        "level": "L3",
        "attributes": {},
    },
    {
        "person_id": "p003",
        "display_name": "Cy Wren",
        "emails": ["cy.wren@loadbearing-demo.example"],
        "github_logins": [],
        "jira_account_ids": [],
        "team": "platform",
        "manager_id": "p001",
        "start_date": "2019-01-15",
        "time_zone": "",
        "level": "",
        "attributes": {},
    },
]


def _write_csv(path, people, columns=COLUMNS):
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for p in people:
            writer.writerow(
                [
                    ";".join(p[c])
                    if isinstance(p.get(c), list)
                    else json.dumps(p[c])
                    if isinstance(p.get(c), dict)
                    else (p.get(c) or "")
                    for c in columns
                ]
            )
    return path


YAML_ROSTER = """\
- person_id: p001
  display_name: Ada Quill
  emails: [ada.quill@loadbearing-demo.example]
  github_logins: [adaq]
  jira_account_ids: ["712020:aaa1"]
  team: payments
  manager_id: null
  start_date: 2021-04-01          # unquoted: YAML reads a date
  time_zone: Europe/Berlin
  level: M1
  attributes: {caregiver: "yes"}
- person_id: p002
  display_name: Bo Tern
  emails: bo.tern@loadbearing-demo.example;bo@old-name.example
  github_logins: [botern, bo-alt]
  jira_account_ids: ["712020:bbb2"]
  team: payments
  manager_id: p001
  start_date: '2026-10-01'
  time_zone: America/New_York
  level: L3
- person_id: p003
  display_name: Cy Wren
  emails: [cy.wren@loadbearing-demo.example]
  team: platform
  manager_id: p001
  start_date: '2019-01-15'
"""


def _load(tmp_path, roster):
    pipeline = make_pipeline("people", tmp_path / "warehouse.duckdb", pipelines_dir=str(tmp_path / "dlt"))
    pipeline.run(people_source(roster_path=str(roster)), loader_file_format="parquet")


def _rows(tmp_path, sql):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


LOADED = (
    "select person_id, display_name, emails::varchar, github_logins::varchar, jira_account_ids::varchar, "
    "team, manager_id, start_date::varchar, time_zone, level, attributes::varchar "
    "from raw_people.people order by person_id"
)
EXPECTED = [
    (
        "p001",
        "Ada Quill",
        '["ada.quill@loadbearing-demo.example"]',
        '["adaq"]',
        '["712020:aaa1"]',
        "payments",
        None,
        "2021-04-01",
        "Europe/Berlin",
        "M1",
        '{"caregiver":"yes"}',
    ),
    (
        "p002",
        "Bo Tern",
        '["bo.tern@loadbearing-demo.example","bo@old-name.example"]',
        '["botern","bo-alt"]',
        '["712020:bbb2"]',
        "payments",
        "p001",
        "2026-10-01",
        "America/New_York",
        "L3",
        "{}",
    ),
    (
        "p003",
        "Cy Wren",
        '["cy.wren@loadbearing-demo.example"]',
        "[]",
        "[]",
        "platform",
        "p001",
        "2019-01-15",
        None,
        None,
        "{}",
    ),
]


def test_csv_roster_loads_every_column(tmp_path):
    _load(tmp_path, _write_csv(tmp_path / "roster.csv", PEOPLE))
    assert _rows(tmp_path, LOADED) == EXPECTED


def test_yaml_roster_loads_the_same_rows(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text(YAML_ROSTER)
    _load(tmp_path, roster)
    assert _rows(tmp_path, LOADED) == EXPECTED


def test_each_load_replaces_the_roster(tmp_path):
    _load(tmp_path, _write_csv(tmp_path / "roster.csv", PEOPLE))
    _load(tmp_path, _write_csv(tmp_path / "roster.csv", PEOPLE[:2]))  # p003 left the roster
    assert [r[0] for r in _rows(tmp_path, "select person_id from raw_people.people order by 1")] == ["p001", "p002"]


def _with(index, **changes):
    people = [dict(p) for p in PEOPLE]
    people[index].update(changes)
    return people


# (roster people, columns, row, column, words in the message); CSV rows count the header as row 1
BAD_HEADER = {
    "missing required column": (PEOPLE, [c for c in COLUMNS if c != "team"], 1, "team", "missing"),
    "unknown column": (PEOPLE, COLUMNS[:-1] + ["atributes"], 1, "atributes", "unknown column"),
}
BAD_CSV = {
    "empty required value": (_with(1, display_name=""), COLUMNS, 3, "display_name", "empty"),
    "duplicate person_id": (_with(2, person_id="p001"), COLUMNS, 4, "person_id", "already used in row 2"),
    "bad date": (_with(0, start_date="01/04/2021"), COLUMNS, 2, "start_date", "'01/04/2021' is not a date"),
    "impossible date": (_with(0, start_date="2021-02-30"), COLUMNS, 2, "start_date", "not a date"),
    "bad time zone": (_with(1, time_zone="CEST"), COLUMNS, 3, "time_zone", "'CEST' is not an IANA time zone"),
    "time zone region only": (_with(1, time_zone="America"), COLUMNS, 3, "time_zone", "not an IANA time zone"),
    "unknown manager": (_with(2, manager_id="p999"), COLUMNS, 4, "manager_id", "'p999' is not the person_id"),
    "own manager": (_with(1, manager_id="p002"), COLUMNS, 3, "manager_id", "own manager"),
    "bad email": (
        _with(0, emails=["ada.quill.loadbearing-demo.example"]),
        COLUMNS,
        2,
        "emails",
        "does not look like an email",
    ),
    "email of someone else": (
        _with(2, emails=["Ada.Quill@loadbearing-demo.example"]),
        COLUMNS,
        4,
        "emails",
        "also belongs to row 2",
    ),
    "login of someone else": (_with(1, github_logins=["ADAQ"]), COLUMNS, 3, "github_logins", "also belongs to row 2"),
    "attributes not an object": (_with(1, attributes='["x"]'), COLUMNS, 3, "attributes", "must be a JSON object"),
    "target above 100 %": (
        _with(1, target_promotable_share="120%"),
        COLUMNS,
        3,
        "target_promotable_share",
        "'120%' is outside 0–100 %",
    ),
    "negative target": (_with(0, target_promotable_share="-0.2"), COLUMNS, 2, "target_promotable_share", "outside"),
    "target not a number": (
        _with(2, target_promotable_share="half"),
        COLUMNS,
        4,
        "target_promotable_share",
        "'half' is not a share like 50% or 0.5",
    ),
    "bad boolean": (_with(1, seeks_promotion="maybe"), COLUMNS, 3, "seeks_promotion", "'maybe' is not true or false"),
}


@pytest.mark.parametrize("case", sorted(BAD_HEADER))
def test_a_bad_header_is_named_and_loads_nothing(tmp_path, case):
    people, columns, row, column, words = BAD_HEADER[case]
    roster = _write_csv(tmp_path / "roster.csv", people, columns)
    with pytest.raises(RosterError) as failure:
        read_roster(roster)
    assert any(
        p.startswith(f"{roster}: row {row}, column {column}: ") and words in p for p in failure.value.problems
    ), failure.value.problems
    assert str(roster) in str(failure.value) and "nothing was loaded" in str(failure.value)


@pytest.mark.parametrize("case", sorted(BAD_CSV))
def test_each_bad_csv_row_is_named_by_file_row_and_column_and_left_out(tmp_path, case):
    people, columns, row, column, words = BAD_CSV[case]
    roster = read_roster(_write_csv(tmp_path / "roster.csv", people, columns))
    path = tmp_path / "roster.csv"
    assert any(p.startswith(f"{path}: row {row}, column {column}: ") and words in p for p in roster.problems), (
        roster.problems
    )
    # rows count from 2 in a CSV: the row named is the one left out, the others load
    assert [p["person_id"] for p in roster.people] == [p["person_id"] for i, p in enumerate(people) if i != row - 2]


def test_invalid_json_attributes_and_extra_cells(tmp_path):
    roster = tmp_path / "roster.csv"
    lines = _write_csv(tmp_path / "roster.csv", _with(0, attributes="{caregiver: yes}")).read_text().splitlines()
    lines[2] += ",surplus"
    roster.write_text("\n".join(lines) + "\n")
    problems = read_roster(roster).problems
    assert any(p.startswith(f"{roster}: row 2, column attributes: not valid JSON") for p in problems), problems
    assert any(p.startswith(f"{roster}: row 3: more cells than the header") for p in problems), problems


def test_all_problems_are_listed_at_once_and_yaml_rows_count_from_one(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        YAML_ROSTER.replace("time_zone: America/New_York", "time_zone: Mars/Olympus").replace(
            "start_date: '2019-01-15'", "start_date: soon\n  github_login: cyw"
        )
    )
    read = read_roster(roster)
    assert [p["person_id"] for p in read.people] == ["p001"]
    assert sorted(read.problems) == sorted(
        [
            f"{roster}: row 2, column time_zone: 'Mars/Olympus' is not an IANA time zone (e.g. Europe/Berlin, America/New_York)",
            f"{roster}: row 3, column start_date: 'soon' is not a date as YYYY-MM-DD",
            f"{roster}: row 3, column github_login: unknown column (expected: {', '.join(COLUMNS)})",
        ]
    )


def test_a_bad_row_is_left_out_of_the_load_and_a_bad_file_loads_nothing(tmp_path, caplog):
    _load(tmp_path, _write_csv(tmp_path / "bad_row.csv", _with(2, manager_id="p999")))
    assert _rows(tmp_path, LOADED) == EXPECTED[:2]
    assert "bad_row.csv: row 4, column manager_id" in caplog.text

    _load(tmp_path, _write_csv(tmp_path / "good.csv", PEOPLE))
    bad_file = _write_csv(tmp_path / "bad_file.csv", PEOPLE, [c for c in COLUMNS if c != "team"])
    with pytest.raises(PipelineStepFailed) as failure:
        _load(tmp_path, bad_file)  # a good load, then a roster that cannot be read: the good rows stay
    assert isinstance(failure.value.__cause__, RosterError) or isinstance(
        failure.value.__cause__.__cause__, RosterError
    )
    assert _rows(tmp_path, LOADED) == EXPECTED


def test_personal_targets_and_intent_load_with_their_defaults_left_empty(tmp_path):
    """A target as 50%, 0.5 or 50 is the share 0.5; empty is null (the organization's target);
    seeks_promotion reads true/false, yes/no, 1/0, empty is null (yes)."""
    people = _with(0, target_promotable_share="50%", seeks_promotion="no")
    people[1].update(target_promotable_share="0.55", seeks_promotion="TRUE")
    _load(tmp_path, _write_csv(tmp_path / "roster.csv", people))
    loaded = _rows(
        tmp_path, "select person_id, target_promotable_share, seeks_promotion from raw_people.people order by 1"
    )
    assert loaded == [("p001", 0.5, False), ("p002", 0.55, True), ("p003", None, None)]
    yaml_roster = tmp_path / "roster.yaml"
    yaml_roster.write_text(
        YAML_ROSTER.replace("level: M1", "level: M1\n  target_promotable_share: 50\n  seeks_promotion: no")
    )
    read = read_roster(yaml_roster)
    assert read.problems == []
    assert [(p["target_promotable_share"], p["seeks_promotion"]) for p in read.people] == [
        (0.5, False),
        (None, None),
        (None, None),
    ]


def test_a_roster_without_the_target_columns_still_loads(tmp_path):
    older = [c for c in COLUMNS if c not in ("target_promotable_share", "seeks_promotion")]
    _load(tmp_path, _write_csv(tmp_path / "roster.csv", PEOPLE, older))
    assert _rows(tmp_path, LOADED) == EXPECTED
    assert _rows(tmp_path, "select distinct target_promotable_share, seeks_promotion from raw_people.people") == [
        (None, None)
    ]


def test_yaml_that_does_not_parse_is_named_by_line(tmp_path):
    roster = tmp_path / "roster.yml"
    roster.write_text(YAML_ROSTER.replace("team: platform", "team: [platform"))
    with pytest.raises(RosterError) as failure:
        read_roster(roster)
    [problem] = failure.value.problems
    assert problem.startswith(f"{roster}: line ") and "not valid YAML" in problem


def test_csv_rows_are_numbered_by_line_even_after_a_blank_line(tmp_path):
    roster = _write_csv(tmp_path / "roster.csv", _with(2, time_zone="Nowhere/Else"))
    lines = roster.read_text().splitlines()
    roster.write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n")
    assert [p.split(": ")[1] for p in read_roster(roster).problems] == ["row 5, column time_zone"]
