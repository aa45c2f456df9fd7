"""The dashboard in a real browser, on a synthetic marts warehouse: the period filter, suppressed
groups, pseudonymous mode. (Every chart drawing and the team filter are checked on the real
pipeline output in tests/e2e/test_dashboard_demo.py.)"""

import json

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
