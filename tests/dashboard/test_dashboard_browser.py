"""The dashboard in a real browser, on a synthetic marts warehouse: the period filter, suppressed
groups, pseudonymous mode. (Every chart drawing and the team filter are checked on the real
pipeline output in tests/e2e/test_dashboard_demo.py.)"""

import json

import duckdb
import pytest

from reports import DashboardSettings, build_dashboard
from tests.support.dashboard_page import READY, show


@pytest.fixture(scope="module")
def named_dashboard(warehouse, tmp_path_factory):
    return build_dashboard(warehouse, tmp_path_factory.mktemp("dash") / "index.html", DashboardSettings("named"))


def test_the_period_filter_narrows_the_weeks(browser, named_dashboard):
    browser.open(named_dashboard, READY)
    show(browser, "person", person="pk002")
    weeks = "document.querySelectorAll('[data-chart=\"person_split\"] g.role-axis-label')[0].querySelectorAll('text').length"
    everything = browser.evaluate(weeks)
    browser.select("#filter-from", "2026-10")
    browser.select("#filter-to", "2026-10")
    browser.wait_for(READY)
    assert 0 < browser.evaluate(weeks) < everything
    assert browser.evaluate("document.querySelector('#evidence-table').textContent").count("2026-09") == 0


def test_small_groups_show_as_suppressed_not_zero(browser, named_dashboard):
    browser.open(named_dashboard, READY)
    rows = browser.evaluate("Array.from(document.querySelectorAll('#group-table tbody tr')).map((r) => r.innerText)")
    caregivers = [row for row in rows if row.startswith("caregiver")]
    assert len(caregivers) == 2
    assert all("suppressed (a group has fewer than 10 people)" in row for row in caregivers)
    assert not any(ch.isdigit() for row in caregivers for ch in row.replace("fewer than 10", ""))
    assert any(row.startswith("tenure") and "58 %" in row for row in rows)


def test_the_rotation_panel_names_who_could_take_over_concentrated_work(browser, named_dashboard, artifacts):
    browser.open(named_dashboard, READY)
    rows = browser.evaluate("Array.from(document.querySelectorAll('#rotation-table tbody tr')).map((r) => r.innerText)")
    assert rows, "the organization view shows rotation suggestions"
    assert all("did " in row and " h/week" in row for row in rows)
    browser.select("#filter-team", "payments")
    browser.wait_for(READY)
    team_rows = browser.evaluate(
        "Array.from(document.querySelectorAll('#rotation-table tbody tr')).map((r) => r.cells[0].innerText)"
    )
    assert team_rows and set(team_rows) == {"payments"}
    browser.screenshot(artifacts / "dashboard-rotation.png")
    assert not browser.errors()


def test_the_person_view_shows_their_own_target_or_their_intent(browser, named_dashboard):
    browser.open(named_dashboard, READY)
    show(browser, "person", person="pk003")
    assert "(own target 50 %)" in browser.evaluate("document.querySelector('#person-summary').textContent")
    rule = "document.querySelectorAll('[data-chart=\"person_split\"] g.mark-rule.role-mark > *').length"
    assert browser.evaluate(rule) == 1
    show(browser, "person", person="pk001")
    summary = browser.evaluate("document.querySelector('#person-summary').textContent")
    assert "not seeking promotion" in summary and "target 70" not in summary
    assert browser.evaluate(rule) == 0


def test_pseudonymous_mode_carries_no_names_and_no_titles(warehouse, tmp_path):
    page = build_dashboard(warehouse, tmp_path / "index.html", DashboardSettings("pseudonymous")).read_text()
    data = json.loads(page.split('id="lb-data">')[1].split("</script>")[0])
    assert all(p["key"].startswith(p["label"]) for p in data["people"])
    assert data["evidence"] == []
    for text in ("Bo Marsh", "Ada Quill", "Checkout latency spike", "Handled incident"):
        assert text not in page


def test_self_reports_and_endorsements_are_marked_as_such(browser, named_dashboard, warehouse):
    # GIVEN the person with the most self-reported hidden items, and their endorsed ones
    with duckdb.connect(str(warehouse), read_only=True) as con:
        person, reported, hours = con.execute(
            "select person_key, count(*), sum(effort_hours) from marts.fct_work_events where self_reported "
            "group by 1 order by 2 desc, 1 limit 1"
        ).fetchone()
        (endorsed,) = con.execute(
            "select count(*) from marts.fct_evidence_items where person_key = ? and endorsed_by_n = 2", [person]
        ).fetchone()
    # WHEN a reader opens their page over the whole history
    browser.open(named_dashboard, READY)
    show(browser, "person", person=person)
    # THEN each self-reported item says so, apart from tool-recorded ones, and so do endorsements
    recorded_by = browser.evaluate(
        "Array.from(document.querySelectorAll('#evidence-table tbody tr')).map((r) => r.cells[3].innerText)"
    )
    assert sum(cell.startswith("self-reported") for cell in recorded_by) == reported > 0
    assert sum(cell.endswith("endorsed by 2 colleagues") for cell in recorded_by) == endorsed
    assert {cell.split(",")[0] for cell in recorded_by} == {"self-reported", "a tool"}
    # AND the summary counts the self-reported hours apart
    note = browser.evaluate("document.querySelector('#person-self-reports').textContent")
    assert note.startswith(f"Self-reported in the period: {reported} entr") and f"{round(hours)} h" in note
    assert not browser.errors()
