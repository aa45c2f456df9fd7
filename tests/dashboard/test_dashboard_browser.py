"""The dashboard in a real browser: every chart draws, nothing errors, filters change the view."""
import json

import pytest

from pipelines.dashboard import DashboardSettings, build_dashboard

READY = "document.body.dataset.ready === 'true'"
# per visible chart: its name and how many marks (bars, points, cells, rules, labels) it drew
DRAWN = """Array.from(document.querySelectorAll('[data-chart]'))
    .filter((c) => !c.hidden && !c.closest('[hidden]'))
    .map((c) => [c.dataset.chart, c.querySelectorAll('g.role-mark > *').length])"""
FACETS = """Array.from(document.querySelectorAll('[data-chart="team_allocation"] g.cell g.role-title text'))
    .map((t) => t.textContent)"""
SHARE_LEGEND = """Array.from(document.querySelectorAll('[data-chart="org_share"] g.role-legend-label text'))
    .map((t) => t.textContent)"""


@pytest.fixture(scope="module")
def named_dashboard(warehouse, tmp_path_factory):
    return build_dashboard(warehouse, tmp_path_factory.mktemp("dash") / "index.html", DashboardSettings("named"))


def show(browser, view: str, team: str | None = None, person: str | None = None):
    if team is not None:
        browser.select("#filter-team", team)
    browser.click(f"nav button[data-view={view}]")
    if person is not None:
        browser.select("#filter-person", person)
    browser.wait_for(READY)


def test_every_chart_draws_marks_with_no_console_error(browser, named_dashboard, artifacts):
    # GIVEN the dashboard of a warehouse with three teams
    browser.open(named_dashboard, READY)
    drawn = {}
    # WHEN a manager looks at each view in turn
    for view, team, person in (("organization", None, None), ("team", "payments", None), ("person", None, "pk002")):
        show(browser, view, team, person)
        drawn.update(dict(browser.evaluate(DRAWN)))
        browser.screenshot(artifacts / f"dashboard-{view}.png")
    # THEN every chart of every view drew marks, and the browser reported no error
    assert set(drawn) == {"org_share", "org_top_share", "org_half", "team_allocation", "team_reviews",
                          "team_incidents", "team_onboarding", "team_meetings", "person_split"}
    assert all(count > 0 for count in drawn.values()), drawn
    assert browser.errors() == []
    # ... and it asked for nothing beyond the file itself: it opens offline
    assert [url for url in browser.requests if not url.startswith(("file:", "data:"))] == []


def test_the_team_filter_changes_what_is_shown(browser, named_dashboard):
    browser.open(named_dashboard, READY)
    assert sorted(browser.evaluate(SHARE_LEGEND)) == ["payments", "platform", "search"]
    # WHEN one team is chosen
    browser.select("#filter-team", "search")
    browser.wait_for(READY)
    # THEN the organization view shows that team only, and the team view its six people
    assert browser.evaluate(SHARE_LEGEND) == ["search"]
    show(browser, "team")
    search = browser.evaluate(FACETS)
    show(browser, "team", team="platform")
    platform = browser.evaluate(FACETS)
    assert len(search) == len(platform) == 6 and not set(search) & set(platform)
    assert browser.errors() == []


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
    rows = browser.evaluate(
        "Array.from(document.querySelectorAll('#group-table tbody tr')).map((r) => r.innerText)")
    caregivers = [row for row in rows if row.startswith("caregiver")]
    assert len(caregivers) == 2
    assert all("suppressed (a group has fewer than 10 people)" in row for row in caregivers)
    assert not any(ch.isdigit() for row in caregivers for ch in row.replace("fewer than 10", ""))
    assert any(row.startswith("tenure") and "58 %" in row for row in rows)


def test_pseudonymous_mode_carries_no_names_and_no_titles(warehouse, tmp_path):
    page = build_dashboard(warehouse, tmp_path / "index.html", DashboardSettings("pseudonymous")).read_text()
    data = json.loads(page.split('id="lb-data">')[1].split("</script>")[0])
    assert all(p["key"].startswith(p["label"]) for p in data["people"])
    assert data["evidence"] == []
    for text in ("Bo Marsh", "Ada Quill", "Checkout latency spike", "Handled incident"):
        assert text not in page
