"""End to end: the dashboard and the evidence packets the daily job writes, opened in Chromium.

One small organization in which the incident-and-review sink's titles carry markup (a pull
request they reviewed, a Jira incident they closed, a war room they organized), planted in the
sandbox before the run; one daily run through Dagster in named mode, as `make demo` runs it;
then the pages opened as a manager and as the sink would open them, and the packets' links
followed into the running sandbox.
"""

import re
import urllib.request

import duckdb
import pytest

from harness.demo_summary import print_summary
from harness.deployment import JobDeployment
from pipelines.defs.publish_dashboard import dashboard_path
from pipelines.settings import load_settings
from reports import build_packets
from sandbox.model import PLACEHOLDER_ORIGIN
from tests.support.browser import artifacts_dir, open_browser
from tests.support.dashboard_page import DRAWN, EVERY_CHART, FACETS, READY, SHARE_LEGEND, show

SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=1">'
NOTHING_RAN = "typeof window.pwned === 'undefined'"
SOURCE_LINK = re.compile(r" \(\[source\]\(<([^>]+)>\)\)$")


def plant_hostile_titles(org) -> None:
    """Append markup to three titles of the sink's hidden work, keeping the words that classify
    it (so the items still reach their packet)."""
    truth = org.ground_truth
    sink = hostile_person(org)
    done = {(a["activity_type"], a["category"]): a["object_id"] for a in truth["activities"] if a["person_id"] == sink}
    review = done[("review_submitted", "code_review")]
    ((repo, number),) = [
        key for key, reviews in org.pull_reviews.items() if any(str(r["id"]) == review for r in reviews)
    ]
    for item in [*org.pulls[repo], *org.issues.get(repo, [])]:  # a PR is also an issue in GitHub's API
        if item["number"] == number:
            item["title"] += " " + SCRIPT
    for issue in org.jira_issues:
        if str(issue["id"]) == done[("jira_issue_completed", "incident_response")]:
            issue["fields"]["summary"] += " " + IMG
    for events in org.calendars.values():  # the same event sits in every attendee's calendar
        for event in events:
            if event["id"] == done[("meeting_organized", "incident_response")]:
                event["summary"] += " " + SCRIPT + IMG


@pytest.fixture(scope="module")
def small_org(small_org):
    plant_hostile_titles(small_org)
    return small_org


@pytest.fixture(scope="module")
def deployment(small_org, sandbox_server, tmp_path_factory) -> JobDeployment:
    deployment = JobDeployment(small_org, sandbox_server, tmp_path_factory.mktemp("dashboard-e2e"))
    run = deployment.run_daily_job(LOADBEARING_PRIVACY_MODE="named")
    assert run.returncode == 0, run.output[-6000:]
    return deployment


@pytest.fixture(scope="module")
def people(deployment) -> dict[str, dict]:
    """dim_people of the published warehouse, by roster person_id."""
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        cursor = con.execute("select person_id, person_key, display_name, team from marts.dim_people")
        columns = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}


@pytest.fixture(scope="module")
def browser():
    with open_browser() as opened:
        yield opened


@pytest.fixture(scope="module")
def packet_of(deployment, tmp_path_factory):
    """person_id -> (html, markdown) of their packet over the whole history of the organization."""
    out, org = tmp_path_factory.mktemp("packets"), deployment.org

    def build(person_id: str):
        return build_packets(
            deployment.published, out, people=[person_id], since=org.start.date(), until=org.now.date()
        )

    return build


def hostile_person(org) -> str:
    return org.ground_truth["planted"]["incident_review_sink"][0]["person_id"]


def planted(deployment, role: str) -> list[str]:
    return [p["person_id"] for p in deployment.org.ground_truth["planted"][role]]


# --- the dashboard --------------------------------------------------------------------------


def test_every_chart_of_the_real_dashboard_draws_with_no_console_error(deployment, people, browser):
    page = dashboard_path(deployment.published)
    browser.open(page, READY)
    # the team with the new hire, so its onboarding chart has someone to show
    team = deployment.org.ground_truth["planted"]["new_hires"][0]["team"]
    sink = people[hostile_person(deployment.org)]["person_key"]
    drawn = {}
    for view, chosen_team, person in (("organization", None, None), ("team", team, None), ("person", "", sink)):
        show(browser, view, chosen_team, person)
        drawn.update(dict(browser.evaluate(DRAWN)))
        browser.screenshot(artifacts_dir() / f"e2e-dashboard-{view}.png")
    assert set(drawn) == EVERY_CHART
    assert all(marks > 0 for marks in drawn.values()), drawn
    assert browser.errors() == []
    # it asked for nothing but itself: it opens offline
    assert [url for url in browser.requests if not url.startswith(("file:", "data:"))] == []


def test_choosing_a_team_changes_what_is_shown(deployment, people, browser):
    browser.open(dashboard_path(deployment.published), READY)
    teams = sorted({p["team"] for p in people.values()})
    assert sorted(browser.evaluate(SHARE_LEGEND)) == teams
    shown = {}
    for team in teams:
        show(browser, "organization", team=team)
        assert browser.evaluate(SHARE_LEGEND) == [team]
        show(browser, "team")
        shown[team] = set(browser.evaluate(FACETS))
    # each team's view shows its own people, and only them
    for team, names in shown.items():
        assert names and names <= {p["display_name"] for p in people.values() if p["team"] == team}, (team, names)
    assert browser.errors() == []


def test_hostile_titles_show_literally_in_the_dashboard_and_nothing_runs(deployment, people, browser):
    browser.open(dashboard_path(deployment.published), READY)
    show(browser, "person", team="", person=people[hostile_person(deployment.org)]["person_key"])
    assert_literal_and_inert(
        browser, browser.evaluate("document.querySelector('#evidence-table').innerText"), "main img, main script"
    )


def assert_literal_and_inert(browser, text: str, elements: str) -> None:
    """The planted markup shows in `text` as written; none of it ran, or became one of `elements`."""
    assert SCRIPT in text and IMG in text
    assert browser.evaluate(NOTHING_RAN)
    assert browser.evaluate(f"document.querySelectorAll('{elements}').length") == 0
    assert browser.errors() == []


# --- the evidence packets -----------------------------------------------------------------------


def test_hostile_titles_show_literally_in_a_packet_and_nothing_runs(deployment, packet_of, browser):
    html, _ = packet_of(hostile_person(deployment.org))
    browser.open(html)
    assert_literal_and_inert(browser, browser.evaluate("document.body.innerText"), "img, script")


def test_the_sinks_packet_lists_incidents_and_reviews_whose_links_open(deployment, people, packet_of):
    for sink in planted(deployment, "incident_review_sink"):
        _, markdown = packet_of(sink)
        sections = packet_sections(markdown.read_text())
        items = sections["Incident response"] + sections["Code review"]
        assert len(sections["Incident response"]) >= 10 and len(sections["Code review"]) >= 10, sections.keys()
        links = [SOURCE_LINK.search(item) for item in items]
        # an .ics feed has no web page: its meetings are the only items without a link
        assert sum(link is None for link in links) == feed_items_of(deployment, people[sink]["person_key"])
        base = deployment.server.base_url
        urls = [link.group(1).replace(PLACEHOLDER_ORIGIN, base) for link in links if link]
        assert all(url.startswith(base + "/") for url in urls)
        for url in urls:
            with urllib.request.urlopen(url, timeout=10) as page:
                assert page.status == 200 and b"in the Loadbearing sandbox" in page.read(), url


def test_a_launch_shippers_packet_shows_mostly_launches(deployment, packet_of):
    for shipper in planted(deployment, "launch_shippers"):
        _, markdown = packet_of(shipper)
        hours = summary_hours(markdown.read_text())
        # by hours (a launch is fewer, longer items than reviews and meetings): over half of it all
        assert hours["Launches"] > sum(hours.values()) / 2, (shipper, hours)


# --- what `make demo` prints ----------------------------------------------------------------------


def test_the_printed_dashboard_path_is_a_file_that_loads_nothing_remote(deployment, capsys):
    print_summary(load_settings(deployment.env))
    printed = capsys.readouterr().out
    path = re.search(r"^Dashboard:\n  (.+)$", printed, re.MULTILINE).group(1)
    page = open(path, encoding="utf-8").read()
    assert path == str(dashboard_path(deployment.published))
    remote = r"""<(script|link|img|iframe|embed|object|source)\b[^>]*\b(src|href|data)\s*=\s*["']?\s*(https?:)?//"""
    assert not re.search(remote, page, re.IGNORECASE)
    assert not re.search(r"""(@import|url\()\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)


def packet_sections(markdown: str) -> dict[str, list[str]]:
    """The packet's `## Category` sections: their item lines."""
    sections: dict[str, list[str]] = {}
    for block in markdown.split("\n## ")[1:]:
        title, *lines = block.splitlines()
        sections[title] = [line for line in lines if line.startswith("- ")]
    return sections


def summary_hours(markdown: str) -> dict[str, float]:
    """Category -> hours, from the packet's summary table."""
    rows = re.findall(r"^\| ([^|]+) \| (?:promotable|hidden) \| \d+ \| ([\d.]+) h \|", markdown, re.MULTILINE)
    return {label: float(hours) for label, hours in rows}


def feed_items_of(deployment, person_key: str) -> int:
    """The packet lines of the person's incident and review evidence items that came from an .ics
    feed: one per meeting series (category and title)."""
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        return con.execute(
            """
            select count(*) from (
                select distinct i.work_category, e.title from marts.fct_evidence_items i
                join marts.fct_work_events e on e.event_key = i.evidence_key
                where i.person_key = ? and i.work_category in ('incident_response', 'code_review')
                  and exists (select 1 from raw_calendar.events c where c.id = e.object_id and c.feed = 'ics')
            )
        """,
            [person_key],
        ).fetchall()[0][0]
