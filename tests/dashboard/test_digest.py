"""The Friday digest on the synthetic marts: the week's split and categories add up to the marts,
the person's own target or intent is followed, the trap signal brings one suggested move naming
someone who did that work, self-reports stay apart; the Dagster asset, its job and its schedule."""

import shutil
import subprocess
import sys
from datetime import date

import duckdb
import pytest
from dagster import AssetKey, materialize

from pipelines.defs.digest import DIGEST_CRON, friday_digest_job, weekly_digests
from pipelines.defs.resources import LoadbearingSettings
from pipelines.defs.schedules import daily_job
from reports.digest import TREND_WEEKS, build_digests

WEEK = date(2026, 10, 12)  # a Monday of the fixture's sixteen weeks


@pytest.fixture(scope="module")
def digests(warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("digests")
    written = build_digests(warehouse, out, week=date(2026, 10, 16), people=["pk002", "pk003", "pk001"], named=True)
    return {(p.stem, p.suffix): p.read_text() for p in written}


def test_the_week_splits_promotion_track_and_hidden_work_as_the_marts_do(warehouse, digests):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        promotable, hidden = con.execute(
            "select coalesce(sum(effort_hours) filter (where is_promotable), 0), "
            "sum(effort_hours) filter (where not is_promotable) "
            "from marts.fct_person_weekly_allocation where person_key = 'pk003' and week_start = ?",
            [WEEK],
        ).fetchone()
        incidents = con.execute(
            "select sum(effort_hours) from marts.fct_person_weekly_allocation "
            "where person_key = 'pk003' and week_start = ? and work_category = 'incident_response'",
            [WEEK],
        ).fetchone()[0]
    text = digests[("pk003", ".md")]
    assert text.startswith("# Your week 2026-W42: Cy Fenn (payments)")
    assert f"{promotable:.1f} h promotion-track, {hidden:.1f} h hidden" in text
    assert "| Incident response | hidden |" in text and f"| {incidents:.1f} h |" in text
    assert "your own target of 50%" in text
    # the trend: twelve weeks ending with this one
    weeks = [line for line in text.splitlines() if line.startswith("| 2026-")]
    assert len(weeks) == TREND_WEEKS and weeks[-1].startswith(f"| {WEEK} |")


def test_the_trap_signal_brings_one_move_naming_someone_who_did_that_work(warehouse, digests):
    text = digests[("pk002", ".md")]
    assert "the organization's target of 70%" in text
    moves = [line for line in text.splitlines() if line.startswith("**Suggested move:**")]
    assert len(moves) == 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        suggested = con.execute(
            "select p.display_name, r.work_category from marts.fct_rotation_suggestions r "
            "join marts.dim_people p using (person_key) where r.top_person_key = 'pk002' and r.suggestion_rank = 1"
        ).fetchall()
    assert any(f" to {name}: " in moves[0] for name, _ in suggested)
    # nobody else in the three is flagged: no move for them
    assert "Suggested move" not in digests[("pk003", ".md")] + digests[("pk001", ".md")]


def test_someone_not_seeking_promotion_gets_no_target(digests):
    text = digests[("pk001", ".md")] + digests[("pk001", ".txt")]
    assert "not seeking promotion, so there is no target" in text
    assert "target of" not in text and "at or above the target" not in text


def test_the_email_text_has_a_subject_and_short_lines(digests):
    text = digests[("pk002", ".txt")]
    assert text.startswith("Subject: Your week 2026-W42: ")
    assert all(len(line) <= 76 for line in text.splitlines() if "://" not in line)
    assert "<" not in text.replace("<=", "")


def test_self_reported_entries_are_listed_apart(warehouse, tmp_path):
    """The fixture marks every 31st hidden item self-reported: such an item is in its own section, never
    under its category (the packet too)."""
    from reports.packets import build_packets

    with duckdb.connect(str(warehouse), read_only=True) as con:
        person, day, url = con.execute(
            "select person_key, cast(occurred_at as date), source_url from marts.fct_evidence_items "
            "where self_reported order by occurred_at limit 1"
        ).fetchone()
    digest = next(p for p in build_digests(warehouse, tmp_path, week=day, people=[person]) if p.suffix == ".md")
    _, packet = build_packets(warehouse, tmp_path, people=[person], since=day, until=day)
    for text in (digest.read_text(), packet.read_text()):
        before, marked = text.split("## Self-reported and endorsed")
        assert url in marked and "(self-reported)" in marked and url not in before


def test_the_cli_writes_everyones_digest_of_the_latest_week(warehouse, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "reports.digest", "--warehouse", str(warehouse), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (week,) = list(tmp_path.iterdir())
    assert week.name == "2026-11-09" and len(list(week.glob("*.txt"))) == 18


def test_the_digest_runs_in_its_own_friday_job_and_skips_unchanged_inputs(warehouse, tmp_path, monkeypatch):
    published = tmp_path / "loadbearing.duckdb"
    shutil.copy(warehouse, published)
    roster = tmp_path / "roster.csv"
    roster.write_text("person_id\n")
    for name, value in {
        "SOURCES__CALENDAR__ICS_FEEDS": f"oncall={tmp_path / 'oncall.ics'}",
        "SOURCES__PEOPLE__ROSTER_PATH": str(roster),
        "LOADBEARING_PERSON_KEY_SALT": "placeholder-salt",
        "LOADBEARING_WAREHOUSE": str(tmp_path / "work" / "loadbearing.duckdb"),
        "LOADBEARING_PUBLISHED_WAREHOUSE": str(published),
    }.items():
        monkeypatch.setenv(name, value)
    from dagster import DagsterInstance

    with DagsterInstance.ephemeral() as instance:
        runs = [
            materialize([weekly_digests], instance=instance, resources={"loadbearing": LoadbearingSettings()})
            for _ in range(2)
        ]
    assert all(run.success for run in runs)
    assert len(list((tmp_path / "digests" / "2026-11-09").glob("*.html"))) == 18
    first, second = (run.asset_materializations_for_node("weekly_digests")[0].metadata for run in runs)
    assert first["people"].value == 18 and "skipped" not in first and "skipped" in second
    assert AssetKey(["published_warehouse"]) in weekly_digests.dependency_keys
    assert DIGEST_CRON.split()[-1] == "5"  # Fridays
    assert friday_digest_job.selection.resolve(_graph()) == {weekly_digests.key}
    assert weekly_digests.key not in daily_job.selection.resolve(_graph())


def _graph():
    from pipelines.definitions import defs

    return defs.resolve_asset_graph()
