"""What the browser tests ask the built-in dashboard page (reports/templates/dashboard.js)."""

from tests.support.browser import Browser

# the page sets data-ready once every chart of the view has drawn
READY = "document.body.dataset.ready === 'true'"
# per visible chart: its name and how many marks (bars, points, cells, rules, labels) it drew
DRAWN = """Array.from(document.querySelectorAll('[data-chart]'))
    .filter((c) => !c.hidden && !c.closest('[hidden]'))
    .map((c) => [c.dataset.chart, c.querySelectorAll('g.role-mark > *').length])"""
# the team view's small multiples, one per person: their titles
FACETS = """Array.from(document.querySelectorAll('[data-chart="team_allocation"] g.cell g.role-title text'))
    .map((t) => t.textContent)"""
# the teams the organization view's share chart shows
SHARE_LEGEND = """Array.from(document.querySelectorAll('[data-chart="org_share"] g.role-legend-label text'))
    .map((t) => t.textContent)"""
EVERY_CHART = {
    "org_share",
    "org_top_share",
    "org_half",
    "team_allocation",
    "team_reviews",
    "team_incidents",
    "team_onboarding",
    "team_meetings",
    "person_split",
}


def show(browser: Browser, view: str, team: str | None = None, person: str | None = None) -> None:
    """Choose a team, a view and a person the way a reader does, and wait for the charts."""
    if team is not None:
        browser.select("#filter-team", team)
    browser.click(f"nav button[data-view={view}]")
    if person is not None:
        browser.select("#filter-person", person)
    browser.wait_for(READY)
