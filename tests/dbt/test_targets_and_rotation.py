"""Personal targets and intent, and rotation suggestions, on a generated organization the real
connectors load from the sandbox and `dbt build` turns into marts: the roster's planted 50 % target
and the person not seeking promotion reach the trap signal and the packets; the rotation suggestions
for the planted incident/review sink's concentrated duties name people the ground truth says did that
work (the organization's two months of history lie inside the 90-day window; with one month
the planted sink's share of a 12-person team sits on the 50 % concentration line)."""

from __future__ import annotations

import duckdb
import pytest

from reports.packets import build_packets
from sandbox.generate import generate_org

SINK_CATEGORIES = ("incident_response", "code_review")  # what the planted sink carries (harness/accuracy.py)


@pytest.fixture(scope="module")
def small_org():
    return generate_org(seed=3, people=12, teams=3, months=2)


@pytest.fixture(scope="module")
def built(small_org, loaded_warehouse, dbt):
    dbt(loaded_warehouse, loaded_warehouse.parent, "build", "--exclude-resource-type", "unit_test")
    return loaded_warehouse


def _rows(warehouse, sql, params=None):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


SIGNALS = """
    select p.person_id, s.target_promotable_share, s.has_personal_target, s.seeks_promotion,
           s.trap_promotable_threshold, s.has_trap_pattern, s.is_flagged, s.weeks_observed,
           s.reliability_hours + s.mentoring_hours + s.stewardship_hours as hidden_hours
    from marts.fct_competence_trap_signals s join marts.dim_people p using (person_key)
"""


def test_the_planted_targets_and_intent_reach_the_trap_signal(small_org, built):
    planted = small_org.ground_truth["planted"]
    signals = {row[0]: row[1:] for row in _rows(built, SIGNALS)}
    [targeted] = planted["personal_target"]
    [not_seeking] = planted["not_seeking_promotion"]
    target, personal, seeking, threshold, _, _, _, _ = signals[targeted["person_id"]]
    assert (target, personal, seeking) == (0.5, True, True)
    assert threshold == pytest.approx(0.1 * 0.5 / 0.7)  # dbt_project.yml's trap_promotable_share, scaled
    target, personal, seeking, threshold, pattern, flagged, weeks, hidden = signals[not_seeking["person_id"]]
    assert (target, personal, seeking, flagged) == (0.7, False, False, False)
    assert weeks > 0 and hidden > 0  # their record of value stays
    # everyone else: the organization's target, seeking promotion, flagged exactly when the pattern shows
    for person, (target, personal, seeking, threshold, pattern, flagged, *_) in signals.items():
        if person not in (targeted["person_id"], not_seeking["person_id"]):
            assert (target, personal, seeking, threshold, flagged) == (0.7, False, True, pytest.approx(0.1), pattern)


def test_packets_follow_the_planted_targets_and_intent(small_org, built, tmp_path):
    planted = small_org.ground_truth["planted"]
    since, until = small_org.start.date(), small_org.now.date()
    targeted = planted["personal_target"][0]["person_id"]
    not_seeking = planted["not_seeking_promotion"][0]["person_id"]
    trapped = planted["competence_trap"][0]["person_id"]
    written = build_packets(built, tmp_path, people=[targeted, not_seeking, trapped], since=since, until=until)
    own, record, default = (p.read_text() for p in written if p.suffix == ".md")
    assert own.startswith("# Evidence packet: ") and "against their own target of 50%" in own
    assert record.startswith("# Record of value: ") and "is not seeking promotion" in record
    assert "target of" not in record and "- Reliability (incident response): " in record
    assert default.startswith("# Evidence packet: ") and "against the organization's target of 70%" in default


SUGGESTIONS = """
    select s.team, s.month, s.work_category, t.person_id, p.person_id, s.suggestion_rank, s.candidates, s.reason
    from marts.fct_rotation_suggestions s
    join marts.dim_people p on p.person_key = s.person_key
    join marts.dim_people t on t.person_key = s.top_person_key
    order by 1, 2, 3, 6
"""


def test_rotation_suggestions_for_the_planted_sinks_duties_name_people_who_did_that_work(small_org, built):
    truth = small_org.ground_truth
    did = {(a["person_id"], a["category"]) for a in truth["activities"]}
    team_of = {p["person_id"]: p["team"] for p in small_org.people}
    suggestions = _rows(built, SUGGESTIONS)
    checked = 0
    for sink in truth["planted"]["incident_review_sink"]:
        for team, month, category, top, person, rank, candidates, reason in suggestions:
            if team != sink["team"] or category not in SINK_CATEGORIES:
                continue
            checked += 1
            assert team_of[person] == team and person != top
            assert (person, category) in did, f"{person} is suggested for {category} but never did any"
            assert reason.startswith("did ") and f" h of {category} in the last 90 days; hidden load " in reason
            assert 1 <= rank <= candidates
        # the sink carries the duty they were planted with, and someone else could take it over
        carried = [row for row in suggestions if row[0] == sink["team"] and row[3] == sink["person_id"]]
        assert {row[2] for row in carried} & set(SINK_CATEGORIES), "the sink's concentrated duty has suggestions"
    assert checked
