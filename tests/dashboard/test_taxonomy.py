"""Category labels, kinds and order come from the work_categories seed (through dim_work_categories):
editing the seed changes the dashboard and the packets without a Python edit."""

from datetime import date

from marts_fixture import SEED, build_marts

from reports import DashboardSettings
from reports.dataset import build_dataset
from reports.marts import Marts
from reports.packets import build_packets


def edited_seed(tmp_path):
    """incident_response relabelled; `security` added, hidden, ordered with incident_response."""
    text = SEED.read_text(encoding="utf-8")
    assert "\nincident_response,Incident response,3,false," in text
    text = text.replace("\nincident_response,Incident response,", "\nincident_response,On-call & incidents,")
    seed = tmp_path / "work_categories.csv"
    seed.write_text(
        text + "security,Security work,3,false,Vulnerabilities fixed and audits answered.\n", encoding="utf-8"
    )
    return seed


def test_a_relabelled_and_an_added_category_reach_the_dashboard(tmp_path):
    # GIVEN the seed edited, and the documentation work classified as the new category
    warehouse = build_marts(
        tmp_path / "loadbearing.duckdb", seed=edited_seed(tmp_path), recategorized={"documentation": "security"}
    )
    # WHEN the dashboard's data is read
    with Marts(warehouse) as marts:
        data = build_dataset(marts, DashboardSettings("pseudonymous"))
    # THEN the categories carry the seed's labels, in its order, and only those with work
    labels = [c["label"] for c in data["categories"]]
    assert labels[:5] == ["Launches", "Design leadership", "On-call & incidents", "Security work", "Code review"]
    assert "Incident response" not in labels and "Documentation" not in labels
    assert {"id": "security", "label": "Security work", "kind": "hidden"} in data["categories"]
    # ... and the panels that show hidden categories have the new one's rows
    for panel in ("allocation", "concentration"):
        assert any(row["category"] == "security" for row in data[panel]), panel


def test_a_packet_shows_an_added_category_under_its_label(tmp_path):
    warehouse = build_marts(
        tmp_path / "loadbearing.duckdb", seed=edited_seed(tmp_path), recategorized={"documentation": "security"}
    )
    html, markdown = build_packets(
        warehouse, tmp_path / "packets", people=["pk001"], since=date(2026, 7, 27), until=date(2026, 11, 15)
    )
    text = markdown.read_text()
    assert "## Security work" in text and "| Security work | hidden |" in text
    assert "## On-call & incidents" in text and "Documentation" not in text
