"""Personal targets and intent (roster target_promotable_share, seeks_promotion, through dim_people and
fct_competence_trap_signals) in the dashboard's data and the packets; the rotation suggestions' panel data.
In the fixture pk003 aims for 50 %, pk001 (whose weeks show the trap pattern) does not seek promotion."""

from datetime import date

import duckdb

from reports import DashboardSettings
from reports.dataset import build_dataset
from reports.marts import Marts
from reports.packets import build_packets

PERIOD = {"since": date(2026, 7, 27), "until": date(2026, 11, 15)}


def test_packets_follow_each_persons_target_and_intent(warehouse, tmp_path):
    written = build_packets(warehouse, tmp_path, people=["pk002", "pk003", "pk001"], **PERIOD)
    default, own, not_seeking = (p.read_text() for p in written if p.suffix == ".md")
    # someone on the organization's target: measured against it
    assert default.startswith("# Evidence packet: Bo Marsh (payments)")
    assert "against the organization's target of 70%" in default
    # someone with their own 50 % target: measured against theirs
    assert own.startswith("# Evidence packet: Cy Fenn (payments)")
    assert "against their own target of 50%" in own
    # someone not seeking promotion: a record of value, no target, no alarm
    assert not_seeking.startswith("# Record of value: Ada Quill (payments)")
    assert "is not seeking promotion: this is a record of the value of their work" in not_seeking
    assert "target of" not in not_seeking
    for what in ("Reliability (incident response)", "Mentoring (onboarding and mentoring)", "Stewardship ("):
        assert f"- {what}" in not_seeking
    # ... whose record adds up to their hidden work in the period, with every item still listed
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (hidden,) = con.execute(
            "select sum(effort_hours) from marts.fct_person_daily_load "
            "where person_key = 'pk001' and not is_promotable and day between ? and ?",
            [PERIOD["since"], PERIOD["until"]],
        ).fetchone()
    recorded = sum(
        float(line.split(": ")[-1].split(" h,")[0])
        for line in not_seeking.splitlines()
        if line.startswith("- ") and " h, " in line
    )
    assert abs(recorded - hidden) < 0.2
    assert "## Incident response" in not_seeking
    html = next(p for p in written if p.name.startswith("pk001") and p.suffix == ".html").read_text()
    assert "<h1>Record of value: Ada Quill (payments)</h1>" in html and 'class="record-of-value"' in html


def test_the_trap_list_flags_only_people_seeking_promotion_and_shows_their_target(warehouse):
    with Marts(warehouse) as marts:
        data = build_dataset(marts, DashboardSettings("pseudonymous"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        pattern = {
            k
            for (k,) in con.execute(
                "select person_key from marts.fct_competence_trap_signals where has_trap_pattern"
            ).fetchall()
        }
    assert {"pk001", "pk002"} <= pattern
    flagged = {row["person"] for row in data["trap"]}
    assert "pk002" in flagged and "pk001" not in flagged
    assert all(row["target"] == 0.7 for row in data["trap"])
    people = {p["key"]: p for p in data["people"]}
    assert (people["pk003"]["target"], people["pk003"]["personal_target"]) == (0.5, True)
    assert people["pk001"]["seeks_promotion"] is False and people["pk002"]["seeks_promotion"] is True


def test_the_rotation_panel_data_names_people_of_the_team_with_reasons(warehouse):
    with Marts(warehouse) as marts:
        data = build_dataset(marts, DashboardSettings("pseudonymous"))
    teams = {p["key"]: p["team"] for p in data["people"]}
    assert data["rotation"]
    for row in data["rotation"]:
        assert teams[row["person"]] == row["team"] and row["person"] != row["top_person"]
        assert row["reason"].startswith("did ") and row["category"] in row["reason"]
    # pseudonymous: the carrier is shown by key prefix, as everywhere else
    assert all(len(row["top_person"]) <= 8 for row in data["rotation"])
