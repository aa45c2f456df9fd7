"""Self-reports and endorsements (issue 19) on the small sandbox organization, loaded by every
connector and built by dbt twice: as configured, and with the person who self-reported most opted
out. Each self-report reaches the marts marked self_reported, with the category its writer named or
the rules gave; endorsements raise endorsed_by_n on the endorsed item; the malformed entries are named
by file and line and are nowhere; an opted-out person's entries, and their endorsements, are nowhere."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from tests.privacy.deployment import Builds, privacy, query, table_text, tables

PR_URL = re.compile(r"/web/github/(?P<repo>[^/]+/[^/]+)/pull/(?P<number>\d+)$")


@pytest.fixture(scope="module")
def truth(small_org):
    return small_org.ground_truth["self_reports"]


@pytest.fixture(scope="module")
def built(truth, loaded_warehouse, tmp_path_factory):
    deployment = Builds(loaded_warehouse, tmp_path_factory.mktemp("selfreports"))
    # the person with the most self-reports who also endorsed someone's self-report opts out
    endorsers = {e["endorser"] for e in truth["endorsements"] if e["item"] in entry_ids(truth)}
    reports = Counter(a["person_id"] for a in truth["activities"] if a["person_id"] in endorsers)
    opted_out = reports.most_common(1)[0][0]
    return {
        "baseline": deployment.build("baseline", privacy(), "build"),  # with the data tests
        "opt_out": deployment.build("opt_out", privacy(opt_out_person_ids=[opted_out])),
        "opted_out": opted_out,
    }


def entry_ids(truth) -> set[str]:
    return {a["object_id"] for a in truth["activities"]}


def self_report_events(warehouse) -> dict[str, tuple]:
    rows = query(
        warehouse,
        """select e.object_id, p.person_id, e.work_category, e.rule_id, e.evidence, e.endorsed_by_n
        from marts.fct_work_events e join marts.dim_people p using (person_key) where e.self_reported""",
    )
    return {row[0]: row[1:] for row in rows}


def test_every_self_report_reaches_the_marts_marked_as_such(built, truth, small_org):
    events = self_report_events(built["baseline"])
    assert len(truth["activities"]) >= 10
    assert {a["object_id"]: a["person_id"] for a in truth["activities"]} == {k: v[0] for k, v in events.items()}
    # tool-recorded work is never marked, and a self-report is never anything else
    assert query(
        built["baseline"], "select source, self_reported, count(*) from marts.fct_work_events group by all order by 1"
    ) == [
        (
            "calendar",
            False,
            query(built["baseline"], "select count(*) from marts.fct_work_events where source = 'calendar'")[0][0],
        ),
        (
            "github",
            False,
            query(built["baseline"], "select count(*) from marts.fct_work_events where source = 'github'")[0][0],
        ),
        (
            "jira",
            False,
            query(built["baseline"], "select count(*) from marts.fct_work_events where source = 'jira'")[0][0],
        ),
        ("selfreports", True, len(truth["activities"])),
    ]


def test_a_named_category_wins_and_the_rules_classify_the_others(built, truth, small_org):
    events = self_report_events(built["baseline"])
    named = {e["id"]: e["category"] for entries in truth["files"].values() for e in entries if e.get("category")}
    rules = dict(query(built["baseline"], "select rule_id, category from seeds.classification_rules"))
    by_rules = {k: v for k, v in events.items() if k not in named}
    assert by_rules and {k: v[1:4] for k, v in events.items() if k in named} == {
        k: (named[k], "stated_by_writer", "explicit") for k in events if k in named
    }
    # an unnamed one carries the category of the title rule that decided it
    assert all(category == rules[rule] and evidence == "title" for _, category, rule, evidence, _ in by_rules.values())
    real = {a["object_id"]: a["category"] for a in truth["activities"]}
    agreeing = sum(v[1] == real[k] for k, v in by_rules.items())
    assert agreeing >= 0.8 * len(by_rules), f"{agreeing} of {len(by_rules)} unnamed self-reports as the truth says"


def expected_endorsements(truth, excluded: str | None = None) -> dict[tuple[str, str], int]:
    """(person, item as an object_id) -> distinct colleagues vouching, as the truth has them."""
    endorsers = defaultdict(set)
    for e in truth["endorsements"]:
        if e["endorser"] == excluded or e["about"] == excluded:
            continue
        url = PR_URL.search(e["item"])
        item = f"{url['repo']}#{url['number']}" if url else e["item"]
        endorsers[(e["about"], item)].add(e["endorser"])
    return {key: len(people) for key, people in endorsers.items()}


def test_endorsements_raise_endorsed_by_n_on_the_item(built, truth, small_org):
    expected = expected_endorsements(truth)
    kinds = {
        "entry" if i in entry_ids(truth) else "jira" if re.match(r"^[A-Z]+-\d+$", i) else "pr" for _, i in expected
    }
    assert kinds == {"entry", "jira", "pr"}
    # self-reports: exactly the colleagues who vouched
    events = self_report_events(built["baseline"])
    assert {k: v[4] for k, v in events.items() if v[4]} == {
        item: n for (_, item), n in expected.items() if item in entry_ids(truth)
    }
    # tool items: the endorsed person's own activity on the item (the pull request they wrote, the
    # issue they finished) carries the count; nobody else's does
    tool = {key: n for key, n in expected.items() if key[1] not in entry_ids(truth)}
    keys = dict(query(built["baseline"], "select person_id, person_key from marts.dim_people"))
    issue_keys = {i["key"]: i["id"] for i in small_org.jira_issues}
    for (person, item), n in tool.items():
        object_id = issue_keys.get(item, item)
        found = query(
            built["baseline"],
            """select endorsed_by_n from marts.fct_work_events
            where person_key = ? and object_id = ? and activity_type in ('pr_authored', 'jira_issue_completed')""",
            [keys[person], object_id],
        )
        assert found == [(n,)], (person, item)
    endorsed_people = set(
        query(built["baseline"], "select distinct person_key from marts.fct_work_events where endorsed_by_n > 0")
    )
    assert endorsed_people == {(keys[person],) for person, _ in expected}


def test_malformed_entries_are_named_by_file_and_line_and_left_out(built, truth, loaded_warehouse):
    problems = query(loaded_warehouse, "select file, line, problem from raw_selfreports.entry_problems order by line")
    assert [(f, line) for f, line, _ in problems] == [(m["file"], m["line"]) for m in truth["malformed"]]
    assert "2026-02-30" in problems[0][2] and "heroics" in problems[1][2] and "same person" in problems[2][2]
    bad_ids = [e.get("id") or e["item"] for e in truth["files"]["mixed.yaml"][1:4]]
    for _, mart in tables(built["baseline"], "marts"):
        text = table_text(built["baseline"], "marts", mart)
        assert not [i for i in bad_ids if i.lower() in text], mart
    # the good entries around them in the same file load
    assert {"-mixed-good"} == {k[4:] for k in self_report_events(built["baseline"]) if "mixed" in k}


def test_evidence_items_carry_the_marks(built, truth):
    rows = query(
        built["baseline"],
        """select i.description, i.self_reported, i.endorsed_by_n, e.endorsed_by_n
        from marts.fct_evidence_items i join marts.fct_work_events e on e.event_key = i.evidence_key""",
    )
    reported = [r for r in rows if r[1]]
    assert reported and all(r[0].startswith('Self-reported: "') for r in reported)
    assert all(r[2] == r[3] for r in rows) and any(r[2] for r in reported)
    assert not [r for r in rows if not r[1] and r[0].startswith("Self-reported")]


def test_an_opted_out_persons_entries_and_endorsements_are_nowhere(built, truth):
    person = built["opted_out"]
    own = [a["object_id"] for a in truth["activities"] if a["person_id"] == person]
    assert own
    for _, mart in tables(built["opt_out"], "marts"):
        text = table_text(built["opt_out"], "marts", mart)
        assert not [i for i in own if i.lower() in text], f"marts.{mart} holds an opted-out person's entry"
    # what they vouched for no longer counts them
    events = self_report_events(built["opt_out"])
    expected = expected_endorsements(truth, excluded=person)
    assert {k: v[4] for k, v in events.items() if v[4]} == {
        item: n for (_, item), n in expected.items() if item in entry_ids(truth)
    }
    assert expected != expected_endorsements(truth)


def test_self_reports_reach_packets_and_digests_in_their_own_marked_section(built, truth, tmp_path):
    from reports.digest import build_digests
    from reports.packets import build_packets

    loaded = entry_ids(truth)
    reports = [e for entries in truth["files"].values() for e in entries if e.get("id") in loaded]
    by_person = defaultdict(list)
    for entry in reports:
        by_person[entry["person"]].append(entry)
    person, entries = max(by_person.items(), key=lambda item: len(item[1]))
    days = sorted(date.fromisoformat(e["date"]) for e in entries)
    packet = next(
        p.read_text()
        for p in build_packets(built["baseline"], tmp_path / "packets", [person], since=days[0], until=days[-1])
        if p.suffix == ".md"
    )
    latest = max(entries, key=lambda e: e["date"])
    digest = next(
        p.read_text()
        for p in build_digests(built["baseline"], tmp_path / "digests", date.fromisoformat(latest["date"]), [person])
        if p.suffix == ".md"
    )
    for document, shown in ((packet, entries), (digest, [latest])):
        assert "## Self-reported and endorsed" in document, document
        tool_part, marked = document.split("## Self-reported and endorsed")
        for entry in shown:
            line = next((line for line in marked.splitlines() if entry["title"] in line), marked)
            assert "(self-reported)" in line, (entry, line)
        # kept out of the tool-recorded part: no line there is marked self-reported
        assert "(self-reported)" not in tool_part
