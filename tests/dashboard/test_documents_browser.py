"""A packet, a digest and the dashboard's rotation panel in headless Chromium at A4 width (794 CSS
pixels): nothing wider than the page, a sane number of printed A4 pages; screenshots saved in
test-artifacts/ for a reviewer."""

import base64
import re
from datetime import date

import pytest

from reports import DashboardSettings, build_dashboard
from reports.digest import build_digests
from reports.packets import build_packets
from tests.support.browser import open_browser
from tests.support.dashboard_page import READY

A4_WIDTH = 794  # 210 mm at 96 CSS pixels per inch
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def a4_browser():
    with open_browser() as opened:
        opened.width = A4_WIDTH
        opened.call(
            "Emulation.setDeviceMetricsOverride", width=A4_WIDTH, height=1123, deviceScaleFactor=1, mobile=False
        )
        yield opened


def printed_pages(browser) -> int:
    pdf = base64.b64decode(browser.call("Page.printToPDF", preferCSSPageSize=True)["data"])
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_packet_fits_a4_and_prints_summary_first(a4_browser, warehouse, tmp_path, artifacts):
    html, _ = build_packets(warehouse, tmp_path, people=["pk002"], since=date(2026, 9, 1), until=date(2026, 9, 30))
    a4_browser.open(html)
    assert a4_browser.evaluate(FITS)
    a4_browser.screenshot(artifacts / "packet-a4.png")
    # the summary is a page of its own, the items follow: two pages at least, not dozens
    assert 2 <= printed_pages(a4_browser) <= 8
    assert a4_browser.evaluate("document.querySelectorAll('.figures li').length") >= 5
    assert not a4_browser.errors()


def test_a_digest_fits_a4(a4_browser, warehouse, tmp_path, artifacts):
    html = next(
        p
        for p in build_digests(warehouse, tmp_path, week=date(2026, 10, 12), people=["pk002"], named=True)
        if p.suffix == ".html"
    )
    a4_browser.open(html)
    assert a4_browser.evaluate(FITS)
    assert a4_browser.evaluate("document.querySelectorAll('svg.share-bar').length") == 12
    assert a4_browser.evaluate("document.querySelector('.move').textContent").startswith("Suggested move:")
    a4_browser.screenshot(artifacts / "digest-a4.png")
    assert 1 <= printed_pages(a4_browser) <= 4
    assert not a4_browser.errors()


def test_the_rotation_panel_fits_its_column_at_a4_width(a4_browser, warehouse, tmp_path, artifacts):
    page = build_dashboard(warehouse, tmp_path / "index.html", DashboardSettings("named"))
    a4_browser.open(page, READY)
    table = "document.querySelector('#rotation-table')"
    assert a4_browser.evaluate(f"{table}.querySelectorAll('tbody tr').length") > 0
    # the table is no wider than its panel (it would be cut off or scroll sideways)
    assert a4_browser.evaluate(f"{table}.querySelector('table').scrollWidth <= {table}.clientWidth")
    a4_browser.screenshot(artifacts / "dashboard-rotation-a4.png")
    assert not a4_browser.errors()
