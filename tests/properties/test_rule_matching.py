"""The `classify` macro, compiled by dbt and run by DuckDB on generated activities and rules,
agrees with a Python oracle: of the rules whose source (or '*'), activity_type regex and
pattern (on the named feature) match, the lowest priority wins, ties broken by rule_id;
no match is ('other', 'unmatched'); every activity comes out exactly once."""

from __future__ import annotations

import re

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties.conftest import FEATURES

# small vocabularies, so that several rules often match one activity at one priority
SOURCES = ["github", "jira"]
ACTIVITY_TYPES = ["pr_authored", "review_submitted", "jira_worklog"]
TYPE_PATTERNS = [".", ".", "^pr_authored$", "^(review_submitted|jira_worklog)$", "review", "x^"]
VALUE_PATTERNS = ["a", "^a", "b$", "(?i)ab", ".", ".", "^$", "A|b", "^(fix|chore):"]
CATEGORIES = ["launch", "maintenance", "code_review", "incident_response"]

activities = st.lists(
    st.fixed_dictionaries(
        {
            "source": st.sampled_from(SOURCES),
            "activity_type": st.sampled_from(ACTIVITY_TYPES),
            **{
                f: st.sampled_from(["a", "ab", "Ab", "fix: b", "", "xa"])
                | st.none()
                | st.text(alphabet="abA :", max_size=5)
                for f in FEATURES
            },
        }
    ),
    min_size=1,
    max_size=6,
)

rules = st.lists(
    st.fixed_dictionaries(
        {
            "rule_id": st.text(alphabet="abc_", min_size=1, max_size=3),
            "source": st.sampled_from(SOURCES + ["*", "*"]),
            "activity_type": st.sampled_from(TYPE_PATTERNS),
            "field": st.sampled_from(
                FEATURES * 3 + ["activity_type"]
            ),  # a field no feature column carries never matches
            "pattern": st.sampled_from(VALUE_PATTERNS),
            "category": st.sampled_from(CATEGORIES),
            "priority": st.integers(1, 2),  # few values: ties are common and rule_id must break them
        }
    ),
    min_size=2,
    max_size=10,
    unique_by=lambda r: r["rule_id"],
)


def oracle(activity: dict, rule_list: list[dict]) -> tuple[str, str]:
    matching = [
        r
        for r in rule_list
        if r["field"] in FEATURES
        and activity[r["field"]] is not None
        and r["source"] in (activity["source"], "*")
        and re.search(r["activity_type"], activity["activity_type"])
        and re.search(r["pattern"], activity[r["field"]])
    ]
    if not matching:
        return "other", "unmatched"
    best = min(matching, key=lambda r: (r["priority"], r["rule_id"]))
    return best["category"], best["rule_id"]


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as connection:
        yield connection


@settings(max_examples=60, deadline=None)
@given(activity_list=activities, rule_list=rules)
def test_first_match_by_priority(compiled_sql, con, activity_list, rule_list):
    con.execute(
        "create or replace table features (activity_id integer, source varchar, activity_type varchar, "
        + ", ".join(f"{f} varchar" for f in FEATURES)
        + ")"
    )
    con.execute(
        "create or replace table rules (rule_id varchar, source varchar, activity_type varchar, "
        "field varchar, pattern varchar, category varchar, priority integer, evidence varchar)"
    )
    if activity_list:
        con.executemany(
            f"insert into features values (?, ?, ?{', ?' * len(FEATURES)})",
            [[i, a["source"], a["activity_type"], *(a[f] for f in FEATURES)] for i, a in enumerate(activity_list)],
        )
    if rule_list:
        con.executemany(
            "insert into rules values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [r[k] for k in ("rule_id", "source", "activity_type", "field", "pattern", "category", "priority")]
                + [f"evidence of {r['rule_id']}"]
                for r in rule_list
            ],
        )
    got = con.execute(
        f"select activity_id, work_category, rule_id, evidence from ({compiled_sql['classify']})"
    ).fetchall()
    assert sorted(row[0] for row in got) == list(range(len(activity_list)))  # each activity exactly once
    expected = {i: oracle(a, rule_list) for i, a in enumerate(activity_list)}
    assert {row[0]: row[1:3] for row in got} == expected
    # the winning rule's evidence, 'none' when nothing matched
    assert {row[0]: row[3] for row in got} == {
        i: "none" if rule == "unmatched" else f"evidence of {rule}" for i, (_, rule) in expected.items()
    }
