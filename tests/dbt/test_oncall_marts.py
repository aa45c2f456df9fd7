"""Pages in the marts: a small organization loaded from the sandbox with the on-call source
(PagerDuty) beside every other, built by dbt, compared with the sandbox's ground truth of who was
paged, who acknowledged, and which pages came in the person's sleep hours; and the page and the
Jira incident its title names counted as one incident."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

import duckdb
import pytest
import yaml

from harness.deployment import DBT_PROJECT_DIR, SOURCES, SourcesDeployment
from sandbox.oncall import oncall_incidents

HOURS = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


@pytest.fixture(scope="module")
def deployment(small_org, sandbox_server, tmp_path_factory):
    deployment = SourcesDeployment(tmp_path_factory.mktemp("oncall"))
    deployment.must_load(small_org, sandbox_server, sources=(*SOURCES, "oncall"))
    deployment.build_marts()
    return deployment


@pytest.fixture(scope="module")
def warehouse(deployment):
    return deployment.warehouse


def test_every_data_test_passes_with_pages(deployment, dbt):
    result = dbt(deployment.warehouse, deployment.root / "dbt", "test", check=False)
    assert result.returncode == 0, result.stdout[-4000:]


def _rows(warehouse, sql: str):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _band(at, zone: str) -> str:
    local = at.astimezone(ZoneInfo(zone))
    if local.hour >= HOURS["sleep_start_hour"] or local.hour < HOURS["business_start_hour"]:
        return "sleep"
    if local.isoweekday() >= 6 or local.hour >= HOURS["business_end_hour"]:
        return "off_hours"
    return "business"


def _week(at, zone: str):
    local = at.astimezone(ZoneInfo(zone)).date()
    return local - timedelta(days=local.weekday())


def test_pages_per_person_match_the_ground_truth(small_org, warehouse):
    # GIVEN who the sandbox paged and who acknowledged, and when on their own clock
    zones = {p["person_id"]: p["time_zone"] for p in small_org.people}
    expected = Counter()
    for incident in oncall_incidents(small_org):
        for n in incident.notifications:
            expected[(n.person_id, "pages")] += 1
            band = _band(n.at, zones[n.person_id])
            expected[(n.person_id, "after_hours_pages")] += band != "business"
            expected[(n.person_id, "sleep_hours_pages")] += band == "sleep"
        if incident.acknowledged_by:
            expected[(incident.acknowledged_by.person_id, "pages_acknowledged")] += 1
    assert sum(count for (_, name), count in expected.items() if name == "sleep_hours_pages") > 0
    # WHEN the marts are read per person
    rows = _rows(
        warehouse,
        "select p.person_id, sum(pages), sum(pages_acknowledged), sum(after_hours_pages), sum(sleep_hours_pages) "
        "from marts.fct_person_weekly_oncall o join marts.dim_people p using (person_key) group by p.person_id",
    )
    found = Counter()
    for person_id, *counts in rows:
        for name, count in zip(("pages", "pages_acknowledged", "after_hours_pages", "sleep_hours_pages"), counts):
            found[(person_id, name)] = int(count)
    # THEN every count is the truth's
    assert +found == +expected


def test_a_page_and_the_jira_incident_it_names_count_once(small_org, warehouse):
    # GIVEN each person-week's Jira incident work (from the marts) and pages (from the truth):
    # a page titled with its Jira key is that issue's incident, one titled without it one of its own
    zones = {p["person_id"]: p["time_zone"] for p in small_org.people}
    expected = defaultdict(set)
    for person_id, week, issue_key in _rows(
        warehouse,
        "select p.person_id, cast(date_trunc('week', e.occurred_at_local) as date), j.issue_key "
        "from marts.fct_work_events e join marts.dim_people p using (person_key) "
        "join intermediate.int_activity__unioned a on a.activity_id = e.event_key "
        "join staging.stg_jira__issues j on a.item_ref = j.issue_id "
        "where e.work_category = 'incident_response' and e.source = 'jira' and a.item_type = 'jira_issue'",
    ):
        expected[(person_id, week)].add(issue_key)
    merged = 0
    for incident in oncall_incidents(small_org):
        identity = incident.jira_key if incident.key_in_title else f"pagerduty:{incident.pagerduty_id}"
        actions = [*incident.notifications, *([incident.acknowledged_by] if incident.acknowledged_by else [])]
        for action in actions:
            week = (action.person_id, _week(action.at, zones[action.person_id]))
            merged += identity in expected[week]
            expected[week].add(identity)
    assert merged > 0  # some pages meet their ticket's work in the same week: the case under test
    # WHEN the mart counts incidents handled
    found = {
        (person_id, week): count
        for person_id, week, count in _rows(
            warehouse,
            "select p.person_id, week_start, incidents_handled "
            "from marts.fct_person_weekly_oncall o join marts.dim_people p using (person_key)",
        )
    }
    # THEN each person-week counts each incident once
    assert found == {week: len(identities) for week, identities in expected.items()}


def test_pages_reach_the_evidence_items(warehouse):
    descriptions = _rows(
        warehouse,
        "select description from marts.fct_evidence_items where activity_type in ('oncall_paged', 'oncall_acknowledged')",
    )
    assert descriptions
    assert all(
        d.startswith(("Was paged for the incident ", "Acknowledged the page for the incident "))
        for (d,) in descriptions
    )
