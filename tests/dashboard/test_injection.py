"""Hostile titles and names show as text, in the dashboard and in a packet; none of it runs."""

import re
from datetime import date

import pytest
from marts_fixture import build_marts

from reports import DashboardSettings, build_dashboard, build_packets
from tests.support.dashboard_page import READY

HOSTILE = ["<script>window.pwned=1</script>", '<img src=x onerror="window.pwned=1">']
HOSTILE_NAME = '<img src=y onerror="window.pwned=2">Bo'


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory):
    return build_marts(
        tmp_path_factory.mktemp("hostile") / "loadbearing.duckdb", titles=HOSTILE, names={"pk001": HOSTILE_NAME}
    )


def test_the_dashboard_shows_hostile_text_literally(browser, hostile_warehouse, tmp_path, artifacts):
    page = build_dashboard(hostile_warehouse, tmp_path / "index.html", DashboardSettings("named"))
    browser.open(page, READY)
    browser.click("nav button[data-view=person]")
    browser.select("#filter-person", "pk001")
    browser.wait_for(READY)
    text = browser.evaluate("document.body.innerText")
    assert all(hostile in text for hostile in HOSTILE)
    assert HOSTILE_NAME in browser.evaluate("document.querySelector('#filter-person').selectedOptions[0].textContent")
    assert browser.evaluate("typeof window.pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('main img, main script').length") == 0
    assert browser.errors() == []
    browser.screenshot(artifacts / "dashboard-injection.png")


def test_a_packet_shows_hostile_text_literally(browser, hostile_warehouse, tmp_path):
    html, markdown = build_packets(
        hostile_warehouse, tmp_path, people=["pk001"], since=date(2026, 7, 1), until=date(2026, 9, 30)
    )
    browser.open(html)
    text = browser.evaluate("document.body.innerText")
    assert all(hostile in text for hostile in HOSTILE) and HOSTILE_NAME in text
    assert browser.evaluate("typeof window.pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img, script').length") == 0
    # its own style applies (allowed by hash): the policy blocked nothing it needs
    assert browser.evaluate("getComputedStyle(document.body).maxWidth") == "860px"
    assert browser.errors() == []
    # Markdown renderers pass raw HTML through: there it is escaped, so it renders as typed
    md = markdown.read_text()
    assert not re.search(r"(?<!\\)<(script|img|/script)", md)
    assert r"\<script\>window.pwned=1\</script\>" in md
