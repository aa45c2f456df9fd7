"""People's data (issue 6, part 5), on one sandbox load built by dbt four times: as configured
(baseline), with one person opted out (their effort left out of team totals, then kept in them),
and with a short retention window and another salt. See README, "Privacy"."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from pipelines.settings import SettingsError, load_settings
from reports.build import build_dashboard
from reports.digest import build_digests
from reports.marts import MartsError
from reports.packets import build_packets
from reports.settings import DashboardSettings
from tests.privacy.deployment import (
    MIN_GROUP_SIZE,
    SHIFTS,
    Builds,
    plant_private_life,
    privacy,
    private_event,
    query,
    table_text,
    tables,
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture(scope="module")
def small_org(small_org):
    plant_private_life(small_org)
    return small_org


@pytest.fixture(scope="module")
def built(small_org, loaded_warehouse, tmp_path_factory):
    deployment = Builds(loaded_warehouse, tmp_path_factory.mktemp("privacy"))
    baseline = deployment.build("baseline", privacy())
    # the person with the most work events opts out
    (person_id,) = query(
        baseline,
        """
        select p.person_id from marts.fct_work_events e join marts.dim_people p using (person_key)
        group by p.person_id order by count(*) desc, p.person_id limit 1""",
    )[0]
    opted_out = privacy(opt_out_person_ids=[person_id])
    # the window starts a month after the organization's first day
    retention_days = (date.today() - (small_org.start.date() + timedelta(days=30))).days
    return {
        "org": small_org,
        "work": deployment.work,
        "person_id": person_id,
        "baseline": baseline,
        "opt_out": deployment.build("opt_out", opted_out, "build"),  # with the data tests: they hold without them
        "opt_out_in_totals": deployment.build(
            "opt_out_in_totals", privacy(opt_out_person_ids=[person_id], opt_out_counts_in_team_totals=True)
        ),
        "retention_days": retention_days,
        # as the daily job runs it: its retention step, then dbt
        "retention": deployment.build(
            "retention", privacy(retention_days=retention_days, person_key_salt="another-salt"), prune=True
        ),
    }


def roster(built) -> dict[str, dict]:
    return {p["person_id"]: p for p in built["org"].people}


def keys(warehouse) -> dict[str, str]:
    return dict(query(warehouse, "select person_id, person_key from marts.dim_people"))


def mart_tables(warehouse) -> list[str]:
    return [table for _, table in tables(warehouse, "marts")]


def test_person_keys_are_keyed_hashes_stable_for_one_salt(built):
    baseline, opt_out, resalted = keys(built["baseline"]), keys(built["opt_out"]), keys(built["retention"])
    assert len(baseline) == len(roster(built))
    assert all(key != person_id and len(key) >= 32 for person_id, key in baseline.items())
    # the same salt gives the same keys run after run; another salt gives everyone another key
    assert opt_out == {p: k for p, k in baseline.items() if p != built["person_id"]}
    assert set(resalted) == set(baseline) and not set(resalted.values()) & set(baseline.values())


def test_the_salt_is_in_no_compiled_sql_log_or_artifact_of_dbt(built):
    work = built["work"]
    written = [p for folder in (work / "target", work / "logs") for p in folder.rglob("*") if p.is_file()]
    assert any(p.name == "manifest.json" for p in written) and any(p.suffix == ".log" for p in written)
    for salt in (privacy().person_key_salt, "another-salt"):
        assert not [p for p in written if salt.encode() in p.read_bytes()]


def test_names_ids_and_emails_live_only_in_dim_people(built):
    people = roster(built).values()
    names = [p["display_name"].lower() for p in people]
    emails = [e.lower() for p in people for e in p["emails"]]
    assert len(names) == 12 and len(emails) >= 12
    for mart in mart_tables(built["baseline"]):
        if mart == "dim_people":
            continue
        columns = {
            c
            for (c,) in query(
                built["baseline"],
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
                [mart],
            )
        }
        assert not columns & {"person_id", "display_name", "email", "emails"}, mart
        text = table_text(built["baseline"], "marts", mart)
        found = [value for value in names + emails if value in text]
        assert not found, f"marts.{mart} holds {found}"


@pytest.mark.parametrize("build", ["opt_out", "opt_out_in_totals"])
def test_an_opted_out_person_is_in_no_mart(built, build):
    person = roster(built)[built["person_id"]]
    traces = [keys(built["baseline"])[built["person_id"]].lower(), person["display_name"].lower()]
    traces += [e.lower() for e in person["emails"]]
    marts = mart_tables(built[build])
    assert len(marts) >= 10
    for mart in marts:
        text = table_text(built[build], "marts", mart)
        assert not [t for t in traces if t in text], f"marts.{mart} still knows the opted-out person ({build})"
    assert built["person_id"] not in keys(built[build])


def test_opted_out_effort_counts_in_team_totals_only_when_configured(built):
    key = keys(built["baseline"])[built["person_id"]]
    (team,) = query(built["baseline"], "select team from marts.dim_people where person_key = ?", [key])[0]
    events, hours = query(
        built["baseline"], "select count(*), sum(effort_hours) from marts.fct_work_events where person_key = ?", [key]
    )[0]
    assert events > 0

    def team_totals(build):
        return query(
            built[build],
            """select sum(effort_hours), max(team_members)
                                      from marts.fct_team_concentration where team = ?""",
            [team],
        )[0]

    def all_events(build):
        return query(built[build], "select count(*) from marts.fct_work_events")[0][0]

    (total, members), (left_out, members_left) = team_totals("baseline"), team_totals("opt_out")
    kept, members_kept = team_totals("opt_out_in_totals")
    assert left_out == pytest.approx(total - hours) and members_left == members - 1
    assert kept == pytest.approx(total) and members_kept == members
    # the measures of concentration are over the others either way: the switch changes totals only
    spread = """select team, month, work_category, top_person_key, round(gini, 9), contributors
                from marts.fct_team_concentration order by 1, 2, 3"""
    assert query(built["opt_out"], spread) == query(built["opt_out_in_totals"], spread)
    # per-person marts never count them, whatever the switch says
    assert all_events("opt_out") == all_events("opt_out_in_totals") == all_events("baseline") - events


def test_dashboard_and_packets_leave_out_the_opted_out(built, tmp_path):
    person = roster(built)[built["person_id"]]
    key = keys(built["baseline"])[built["person_id"]]
    page = build_dashboard(built["opt_out"], tmp_path / "dashboard.html", DashboardSettings("named"))
    html = page.read_text()
    someone_else = next(iter(keys(built["opt_out"])))
    assert roster(built)[someone_else]["display_name"] in html  # named mode does name the others
    assert person["display_name"] not in html and key not in html
    org = built["org"]
    packets = build_packets(built["opt_out"], tmp_path / "packets", since=org.start.date(), until=org.now.date())
    assert packets
    assert not [p.name for p in packets if key in p.name or person["display_name"] in p.read_text()]
    with pytest.raises(MartsError, match="no such person"):
        build_packets(built["opt_out"], tmp_path / "packets", people=[built["person_id"]])
    # the weekly digests (named: colleagues in suggested moves by name) neither
    digests = build_digests(built["opt_out"], tmp_path / "digests", today=org.now.date(), named=True)
    assert digests
    assert not [
        p.name for p in digests if key in p.name or key in p.read_text() or person["display_name"] in p.read_text()
    ]


def test_group_comparison_suppresses_a_small_group_and_its_complement(built):
    rows = query(
        built["baseline"],
        """select group_value, is_suppressed, people, non_promotable_share
                                       from marts.fct_group_comparison where attribute = 'shift'""",
    )
    cells = {group: (suppressed, people, share) for group, suppressed, people, share in rows}
    assert set(cells) == set(SHIFTS)
    true_sizes = {group: SHIFTS.count(group) for group in cells}
    assert true_sizes["weekend"] < MIN_GROUP_SIZE and cells["weekend"][0]
    assert all(people is None and share is None for suppressed, people, share in cells.values() if suppressed)
    # the total is public (dim_people); what it leaves after the shown cells must not be one small group
    total = query(built["baseline"], "select count(*) from marts.dim_people")[0][0]
    hidden = total - sum(people for suppressed, people, _ in cells.values() if not suppressed)
    suppressed = [group for group, (is_suppressed, _, _) in cells.items() if is_suppressed]
    assert len(suppressed) >= 2 and hidden >= MIN_GROUP_SIZE
    assert hidden == sum(true_sizes[group] for group in suppressed) != true_sizes["weekend"]
    assert not cells["day"][0] and cells["day"][1] == 6  # a large cell is still shown


def test_a_private_event_keeps_its_duration_only(built):
    event = private_event(built["org"])
    warehouse = built["baseline"]
    everything = tables(warehouse)
    assert {"raw_calendar", "staging", "intermediate", "marts"} <= {schema for schema, _ in everything}
    for schema, table in everything:
        text = table_text(warehouse, schema, table)
        assert not [s for s in event.secrets if s.lower() in text], f"{schema}.{table}"
    copies = query(
        warehouse,
        """select calendar_id, cast(attendees as varchar), cast(organizer as varchar),
                                        cast(creator as varchar) from raw_calendar.events where id = ?""",
        [event.event_id],
    )
    assert {c[0] for c in copies} == {event.organizer_email, event.colleague_email}
    for calendar_id, *people in copies:  # each calendar keeps only its owner's own address
        assert set(EMAIL.findall(" ".join(p for p in people if p))) <= {calendar_id}
    counted = query(
        warehouse,
        """select e.activity_type, e.duration_hours, e.title, p.person_id
                                  from marts.fct_work_events e join marts.dim_people p using (person_key)
                                  where e.object_id = ?""",
        [event.event_id],
    )
    organizer = next(p["person_id"] for p in roster(built).values() if event.organizer_email in p["emails"])
    assert counted == [("meeting_organized", 1.0, None, organizer)]


def test_retention_prunes_raw_data_and_marts(built):
    before, after = built["baseline"], built["retention"]
    cutoff = datetime.combine(date.today() - timedelta(days=built["retention_days"]), datetime.min.time())
    aged = {  # raw table -> when its rows happened or last changed
        "raw_github.pull_requests": "updated_at",
        "raw_github.reviews": "submitted_at",
        "raw_github.issue_comments": "updated_at",
        "raw_jira.issue_changelogs": "created",
        "raw_jira.worklogs": "updated",
        "raw_jira.comments": "updated",
        "staging.stg_calendar__events": "coalesce(ends_at, starts_at)",
        "marts.fct_work_events": "occurred_at",
        "marts.fct_evidence_items": "occurred_at",
    }
    for table, column in aged.items():
        old_before = query(before, f"select count(*) from {table} where cast({column} as timestamp) < ?", [cutoff])[0][
            0
        ]
        kept, oldest = query(after, f"select count(*), min(cast({column} as timestamp)) from {table}")[0]
        assert old_before > 0 and kept > 0, f"{table}: the window should cut through its rows"
        assert oldest >= cutoff, f"{table} keeps rows from {oldest}, before {cutoff}"
    orphans = """select count(*) from raw_github.pull_request_commits c
                 where not exists (select 1 from raw_github.pull_requests p where p.repo = c.repo and p.number = c.pull_number)"""
    assert query(after, orphans)[0][0] == 0
    assert (
        query(after, "select count(*) from raw_github.pull_request_commits")[0][0]
        < query(before, "select count(*) from raw_github.pull_request_commits")[0][0]
    )
    assert (
        query(after, "select min(week_start) from marts.fct_person_weekly_allocation")[0][0]
        >= (cutoff - timedelta(days=7)).date()
    )
    # the roster is not activity: everyone stays
    assert query(after, "select count(*) from raw_people.people") == query(
        before, "select count(*) from raw_people.people"
    )


def test_a_missing_salt_is_one_error_that_names_the_setting(tmp_path):
    roster_path = tmp_path / "roster.csv"
    roster_path.write_text("person_id,display_name\np1,Ada\n")
    env = {
        "SOURCES__GITHUB__ACCESS_TOKEN": "placeholder",
        "SOURCES__GITHUB__ORG": "acme",
        "SOURCES__PEOPLE__ROSTER_PATH": str(roster_path),
    }
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert [p for p in caught.value.problems if "LOADBEARING_PERSON_KEY_SALT" in p] == caught.value.problems
    settings = load_settings(
        {**env, "LOADBEARING_PERSON_KEY_SALT": "s3cret-salt", "LOADBEARING_OPT_OUT_PERSON_IDS": "p7, p9"}
    )
    assert "s3cret-salt" not in repr(settings)
    assert settings.privacy.dbt_vars()["opt_out_person_ids"] == ["p7", "p9"]
    assert settings.privacy.retention_days == 400
