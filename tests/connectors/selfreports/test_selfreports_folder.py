"""The self-reports connector: YAML and CSV entries of a shared folder load into raw_selfreports;
each malformed entry is named by file and line and left out while the others load; a file that
does not parse is named by the line where it breaks; a reload replaces what the folder no longer holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from connectors.common.http import SourceError
from connectors.common.pipeline import run
from connectors.selfreports import read_folder, selfreports_source
from connectors.selfreports.settings import FOLDER_SETTING, SelfReportsSettings

# synthetic people only
TEAM_YAML = """\
- kind: self_report
  id: ana-release
  person: p004
  date: 2026-11-03
  hours: 2.5
  title: Coordinated the release across three teams
  category: coordination
  for_whom: p007
- kind: self_report
  person: p004
  date: 2026-11-04
  duration: 1h30m
  title: Mentored the new hire through the deploy pipeline
- kind: self_report
  person: p005
  date: 2026-11-31
  hours: thirty
  title: Calmed a stakeholder
- kind: endorsement
  by: p007
  about: p004
  item: ana-release
  text: Kept three teams in step
- kind: endorsement
  by: p004
  about: p004
  item: OPS-12
  text: Praising myself
- kind: self_report
  person: p006
  date: 2026-11-05
  title: Rewrote the runbook
  category: docs
"""

CSV_TEXT = """\
kind,person,date,hours,title,by,about,item,text
self_report,p008,2026-11-02,1,Interviewed a candidate,,,,
endorsement,,,,,p008,p005,loadbearing-demo/payments#12,Found the root cause
self_report,p008,,1,No date given,,,,
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    (shared / "platform").mkdir(parents=True)
    (shared / "team.yaml").write_text(TEAM_YAML)
    (shared / "platform" / "entries.csv").write_text(CSV_TEXT)
    (shared / "broken.yml").write_text("- kind: self_report\n  person: p009\n  title: [unclosed\n")
    (shared / "notes.txt").write_text("not an entry file: ignored")
    return shared


def test_malformed_entries_are_named_by_file_and_line_and_the_others_load(folder):
    # WHEN the folder is read
    found = read_folder(folder)
    # THEN the good entries of both formats load, with where they are written
    # (files in path order: platform/entries.csv before team.yaml)
    assert [(r["file"], r["line"]) for r in found.self_reports] == [
        ("platform/entries.csv", 2),
        ("team.yaml", 1),
        ("team.yaml", 9),
    ]
    assert found.self_reports[1]["entry_id"] == "ana-release" and found.self_reports[1]["for_whom"] == "p007"
    assert [r["title"] for r in found.self_reports] == [
        "Interviewed a candidate",
        "Coordinated the release across three teams",
        "Mentored the new hire through the deploy pipeline",
    ]
    mentoring = found.self_reports[2]
    assert mentoring["hours"] == 1.5 and mentoring["category"] is None and mentoring["report_date"] == date(2026, 11, 4)
    assert len(mentoring["entry_id"]) == 16  # derived from person, date and title
    assert [(e["endorser_person_id"], e["item"]) for e in found.endorsements] == [
        ("p008", "loadbearing-demo/payments#12"),
        ("p007", "ana-release"),
    ]
    # AND each bad entry is one problem naming file and line, saying what is wrong
    problems = {(p["file"], p["line"]): p["problem"] for p in found.problems}
    assert set(problems) == {
        ("broken.yml", 4),
        ("platform/entries.csv", 4),
        ("team.yaml", 14),
        ("team.yaml", 24),
        ("team.yaml", 29),
    }
    assert "not valid YAML" in problems[("broken.yml", 4)]
    assert problems[("platform/entries.csv", 4)] == "date is required"
    assert (
        "'2026-11-31' is not a date" in problems[("team.yaml", 14)] and "hours 'thirty'" in problems[("team.yaml", 14)]
    )
    assert "same person" in problems[("team.yaml", 24)]
    assert "category 'docs' is not in the taxonomy" in problems[("team.yaml", 29)]
    assert found.messages()[0].startswith("broken.yml:4: not valid YAML")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("- kind: praise\n  by: p1\n", "kind must be self_report or endorsement, got 'praise'"),
        (
            "- kind: self_report\n  person: p1\n  date: 2026-11-01\n  title: x\n  hours: 30\n",
            "hours 30 is outside 0–24",
        ),
        ("- kind: self_report\n  person: p1\n  date: 2026-11-01\n  title: x\n  duration: soon\n", "not like 90m"),
        ("- kind: self_report\n  person: p1\n  date: 2026-11-01\n  title: x\n  hour: 2\n", "unknown field(s) hour"),
        ("- kind: endorsement\n  by: p1\n  about: p2\n  item: X-1\n", "text is required"),
        ("- just text\n", "an entry must be a mapping"),
        ("kind: self_report\n", "must be a YAML list"),
    ],
)
def test_each_kind_of_problem_is_explained(tmp_path, entry, problem):
    (tmp_path / "one.yaml").write_text(entry)
    found = read_folder(tmp_path)
    assert not found.self_reports and not found.endorsements
    assert [p["file"] for p in found.problems] == ["one.yaml"] and problem in found.problems[0]["problem"]


def test_an_id_used_twice_keeps_the_first(tmp_path):
    entry = "- kind: self_report\n  id: same\n  person: p1\n  date: 2026-11-01\n  title: {}\n"
    (tmp_path / "a.yaml").write_text(entry.format("first") + entry.format("second"))
    found = read_folder(tmp_path)
    assert [r["title"] for r in found.self_reports] == ["first"]
    assert found.messages() == ["a.yaml:6: id 'same' is already used at a.yaml:1"]


def test_a_missing_folder_stops_the_load(tmp_path):
    with pytest.raises(SourceError, match="SOURCES__SELFREPORTS__FOLDER"):
        read_folder(tmp_path / "nowhere")


def test_the_folder_loads_into_duckdb_and_a_reload_replaces_it(folder, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    run(selfreports_source(folder=str(folder)), "selfreports", warehouse, tmp_path / "dlt")

    def rows(sql):
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()

    assert rows("select count(*) from raw_selfreports.self_reports") == [(3,)]
    assert rows("select count(*) from raw_selfreports.endorsements") == [(2,)]
    assert rows("select file, line from raw_selfreports.entry_problems order by 1, 2")[0] == ("broken.yml", 4)
    # WHEN the team deletes its YAML file and fixes the broken one
    (folder / "team.yaml").unlink()
    (folder / "broken.yml").write_text("- kind: self_report\n  person: p009\n  date: 2026-11-06\n  title: Paired\n")
    run(selfreports_source(folder=str(folder)), "selfreports", warehouse, tmp_path / "dlt")
    # THEN only what the folder holds now is loaded
    assert rows("select person_id, title from raw_selfreports.self_reports order by 1") == [
        ("p008", "Interviewed a candidate"),
        ("p009", "Paired"),
    ]
    assert rows("select item from raw_selfreports.endorsements") == [("loadbearing-demo/payments#12",)]
    assert rows("select count(*) from raw_selfreports.entry_problems") == [(1,)]


def test_the_folder_setting_is_optional_and_checked(tmp_path):
    assert not SelfReportsSettings.configured({})
    env = {FOLDER_SETTING: str(tmp_path / "missing")}
    assert SelfReportsSettings.configured(env)
    assert SelfReportsSettings.from_env(env).validate() == [
        f"{FOLDER_SETTING}: no folder at {tmp_path / 'missing'} (the shared folder of self-reports)"
    ]
    assert SelfReportsSettings.from_env({FOLDER_SETTING: str(tmp_path)}).validate() == []


def test_a_csv_row_with_more_cells_than_columns_is_left_out(tmp_path):
    (tmp_path / "team.csv").write_text(
        "kind,person,date,title\nself_report,p1,2026-11-02,Paired,extra\nself_report,p2,2026-11-03,Mentored\n"
    )
    found = read_folder(tmp_path)
    assert [r["person_id"] for r in found.self_reports] == ["p2"]
    assert found.messages() == ["team.csv:2: more cells than the header has columns"]
