"""Evidence packets: the numbers add up to the marts, items are dated and linked, the CLI names mistakes."""

import subprocess
import sys
from datetime import date

import duckdb
import pytest

from reports.evidence import group_items
from reports.packets import build_packets, last_period, last_quarter, md, web_url

SEPTEMBER = {"since": date(2026, 9, 1), "until": date(2026, 9, 30)}


@pytest.mark.parametrize(
    "today, quarter",
    [
        (date(2026, 11, 22), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 1, 15), (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_the_default_period_is_the_last_complete_quarter(today, quarter):
    assert last_quarter(today) == quarter


def test_a_packet_sums_the_persons_hidden_work_and_their_share_of_the_team(warehouse, tmp_path):
    # WHEN the incident sink of team payments asks for September's packet
    html, markdown = build_packets(warehouse, tmp_path, people=["pk002"], **SEPTEMBER)
    text = markdown.read_text()
    # THEN the summary's incident line is what the marts hold for them, and for their team
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mine, team = con.execute("""
            select count(*) filter (where person_key = 'pk002'),
                   sum(effort_hours) filter (where person_key = 'pk002') / sum(effort_hours)
            from marts.fct_work_events join marts.dim_people using (person_key)
            where team = 'payments' and work_category = 'incident_response'
              and occurred_at_local >= '2026-09-01' and occurred_at_local < '2026-10-01'
        """).fetchall()[0]
    assert f"| Incident response | hidden | {mine} |" in text and f"| {team:.0%} |" in text
    # ... each hidden category has its section, promotable work has none
    assert "## Incident response" in text and "## Code review" in text and "## Launches" not in text
    # ... and every item is dated inside the period and linked to its source
    items = [line for line in text.splitlines() if line.startswith("- 2026")]
    assert len(items) >= mine
    assert all("2026-09-01" <= line[2:12] <= "2026-09-30" and "([source](<http" in line for line in items)
    assert html.name == "pk002_2026-09-01_2026-09-30.html" and 'href="http://sandbox.invalid/' in html.read_text()


def test_without_people_every_person_with_hidden_work_gets_a_packet(warehouse, tmp_path):
    written = build_packets(warehouse, tmp_path, **SEPTEMBER)
    assert len(written) == 2 * 18
    assert {p.suffix for p in written} == {".html", ".md"}


def test_markdown_text_cannot_become_markup():
    assert md("a_b *c* [d](e) <b> | ~f~ &amp;") == r"a\_b \*c\* \[d\](e) \<b\> \| \~f\~ \&amp;"
    assert md("Q&A\nnew line") == "Q&A new line"
    assert web_url("javascript:alert(1)") is None
    assert web_url("https://x.example/a b)(<c>") == "https://x.example/a%20b%29%28%3Cc%3E"


def test_the_cli_names_an_unknown_person(warehouse, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reports.packet",
            "--person",
            "p999",
            "--warehouse",
            str(warehouse),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "--person 'p999': no such person in dim_people" in result.stderr


def test_the_cli_writes_a_packet_by_name(warehouse, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reports.packet",
            "--person",
            "Bo Marsh",
            "--since",
            "2026-09-01",
            "--until",
            "2026-09-30",
            "--warehouse",
            str(warehouse),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(tmp_path / "pk002_2026-09-01_2026-09-30.html"),
        str(tmp_path / "pk002_2026-09-01_2026-09-30.md"),
    ]


def test_a_guessed_category_is_marked_as_a_guess(warehouse, tmp_path):
    """An item whose category no label, type, file or title stated (a default rule) says so, in
    both formats; an item a signal decided does not."""
    from reports.packets import GUESSED_NOTE

    html, markdown = build_packets(warehouse, tmp_path, people=["pk002"], **SEPTEMBER)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        guessed, decided = con.execute("""
            select count(*) filter (where is_default_guess), count(*) filter (where not is_default_guess)
            from marts.fct_evidence_items
            where person_key = 'pk002' and occurred_at >= '2026-08-31' and occurred_at < '2026-10-02'
        """).fetchall()[0]
    items = [line for line in markdown.read_text().splitlines() if line.startswith("- 2026")]
    marked = [line for line in items if f"({GUESSED_NOTE})" in line]
    assert guessed and decided, "the fixture has both kinds of item for this person"
    assert 0 < len(marked) < len(items)
    assert html.read_text().count(f'<em class="guessed">({GUESSED_NOTE})</em>') == len(marked)


@pytest.mark.parametrize(
    "period, expected",
    [
        ("month", (date(2026, 10, 1), date(2026, 10, 31))),
        ("half", (date(2026, 1, 1), date(2026, 6, 30))),
        ("year", (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_the_period_is_selectable(period, expected):
    assert last_period(date(2026, 11, 22), period) == expected


def item(activity_type, url, source="github", title="Add SEPA payouts", day="2026-09-02", **extra):
    return {
        "category": "code_review",
        "occurred_at": f"{day}T10:00:00",
        "source": source,
        "activity_type": activity_type,
        "title": title,
        "url": url,
        "hours": 0.5,
        "guessed": False,
        "description": f"{activity_type} on {title}",
        "self_reported": False,
        "endorsed_by_n": 0,
        **extra,
    }


def test_items_on_one_pull_request_make_one_line_with_counts():
    pr = "https://github.example/o/r/pull/7"
    groups = group_items(
        [
            item("review_submitted", f"{pr}#pullrequestreview-1"),
            item("review_comment", f"{pr}#discussion_r2", day="2026-09-03"),
            item("review_comment", f"{pr}#discussion_r3", day="2026-09-04"),
            item("review_submitted", "https://github.example/o/r/pull/8#pullrequestreview-4", title="Other"),
            item("meeting_organized", "https://cal.example/e1", source="calendar", title="Weekly planning"),
            item("meeting_organized", "https://cal.example/e2", source="calendar", title="Weekly planning"),
            item("review_comment", f"{pr}#discussion_r5", self_reported=True),
        ]
    )
    first, other, meetings, reported = groups
    assert first.description == 'Pull request "Add SEPA payouts": 1 review, 2 review comments.'
    assert (first.dates, first.url, first.hours) == ("2026-09-02 to 2026-09-04", pr, 1.5)
    assert other.description == "review_submitted on Other" and other.url.endswith("#pullrequestreview-4")
    assert meetings.description == 'Meeting "Weekly planning": 2 meetings organized.'
    assert reported.self_reported and len(reported.items) == 1
