"""The classification on real work items (tests/fixtures/real_work_items): hand-labelled public
pull requests, issues, Jira issues and meetings, classified by the project's own macros and seeds
(harness/corpus.py). The held-out half is scored here as `make accuracy` reports it."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from harness import corpus
from sandbox.accuracy import macro_f1, score

RULES = corpus.DBT_PROJECT_DIR / "seeds" / "classification_rules.csv"
# each of these categories needs this many hand-labelled items for its figures to mean something
MIN_SUPPORT = {
    "launch": 25,
    "design_leadership": 25,
    "incident_response": 25,
    "maintenance": 25,
    "documentation": 25,
    "coordination": 25,
}
HELD_OUT_MACRO_F1_FLOOR = 0.82
HELD_OUT_CATEGORY_F1_FLOOR = 0.68


@pytest.fixture(scope="module")
def items():
    return corpus.load_items()


@pytest.fixture(scope="module")
def classified(items, tmp_path_factory):
    return corpus.classify_items(items, tmp_path_factory.mktemp("corpus"))


def test_the_corpus_is_large_varied_and_attributed(items):
    assert len(items) >= 400
    counts = Counter(item.category for item in items)
    assert all(counts[c] >= n for c, n in MIN_SUPPORT.items()), counts
    assert {item.kind for item in items} == set(corpus.KIND_FIELDS)
    assert all(item.origin and item.fields is not None for item in items)
    held_out = sum(item.held_out for item in items)
    assert 0.35 * len(items) < held_out < 0.65 * len(items)


def test_the_held_out_half_is_classified_at_least_as_well_as_when_the_rules_were_last_tuned(items, classified):
    """A floor, not the goal: issue 15 asks for macro-F1 0.90 with no category of support >= 10 below
    0.80; on the 2,197-item corpus (every label read by two readers) the rules reach 0.822 on the
    held-out half, weakest category launch 0.706 (docs/ACCURACY.md), where two readers agree with
    each other at 0.910. This keeps what was reached from slipping."""
    held_out = [item for item in items if item.held_out]
    scores = score({i.id: i.category for i in held_out}, {i.id: classified[i.id].category for i in held_out})
    figures = [(s.category, round(s.f1, 3)) for s in scores]
    assert macro_f1(scores) >= HELD_OUT_MACRO_F1_FLOOR, figures
    assert all(s.f1 >= HELD_OUT_CATEGORY_F1_FLOOR for s in scores if s.support >= 10), figures


def test_every_rule_on_content_matches_some_real_item(items, classified):
    """No pattern may exist only for the sandbox's generator: each rule that reads what an item is
    about (titles, labels, types, files, branches, repositories, meeting titles) matches a real item,
    or reads vocabulary no public source shows and is listed, with why, in
    corpus.VOCABULARY_WITHOUT_PUBLIC_ITEMS (tests/e2e checks the sandbox speaks it). Rules on what
    was done (reviews, commits on others' PRs, reassignments, 1:1 relations, links between items)
    read facts no single item carries; the sandbox tests cover them."""
    assert sorted(corpus.unmatched_rules(items, classified, RULES)) == sorted(corpus.VOCABULARY_WITHOUT_PUBLIC_ITEMS)


def test_a_default_guess_is_told_apart(items, classified):
    guesses = [classified[i.id] for i in items if classified[i.id].evidence == "default"]
    assert guesses, "some real items carry no signal at all"
    assert all(g.rule_id.endswith("_default") for g in guesses)
    assert all(classified[i.id].evidence == "none" for i in items if classified[i.id].rule_id == "unmatched")


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", "bad.jsonl:1: not JSON"),
        (
            json.dumps({"id": "x", "kind": "pull_request", "category": "launch", "why": "w", "origin": "o"}),
            "bad.jsonl:1: missing license",
        ),
        (
            json.dumps({"id": "x", "kind": "tweet", "category": "launch", "why": "w", "origin": "o", "license": "MIT"}),
            "bad.jsonl:1: kind 'tweet'",
        ),
        (
            json.dumps(
                {
                    "id": "x",
                    "kind": "meeting",
                    "category": "fun",
                    "why": "w",
                    "origin": "o",
                    "license": "MIT",
                    "title": "t",
                }
            ),
            "bad.jsonl:1: category 'fun'",
        ),
        (
            json.dumps(
                {
                    "id": "x",
                    "kind": "jira_issue",
                    "category": "launch",
                    "why": "w",
                    "origin": "o",
                    "license": "MIT",
                    "summary": "s",
                    "labels": "a,b",
                }
            ),
            "bad.jsonl:1: labels must be a list",
        ),
    ],
)
def test_a_malformed_item_is_named_by_file_and_line(tmp_path, line, message):
    (tmp_path / "bad.jsonl").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match=message.replace("(", r"\(")):
        corpus.load_items(tmp_path)


def test_a_folder_labelled_elsewhere_is_scored_without_provenance(tmp_path):
    """`make accuracy ARGS="--corpus DIR"` scores a set that does not say why or where from; this
    repository's own corpus must (the default)."""
    item = {"id": "meeting:elsewhere#1", "kind": "meeting", "category": "hiring", "title": "Phone screen"}
    (tmp_path / "elsewhere.jsonl").write_text(json.dumps(item) + "\n", encoding="utf-8")
    (loaded,) = corpus.load_items(tmp_path, provenance=False)
    assert (loaded.category, loaded.fields["title"], loaded.origin) == ("hiring", "Phone screen", "not stated")
    with pytest.raises(corpus.CorpusError, match="elsewhere.jsonl:1: missing why, origin, license"):
        corpus.load_items(tmp_path)


def test_the_corpus_was_read_twice(items):
    """The second reader's labels cover the corpus as it was when they were read, and agree with
    the first reader's often enough to be a scale for the rules (docs/ACCURACY.md prints it)."""
    text = corpus.reader_agreement(items)
    rows = [json.loads(line) for line in (corpus.CORPUS_DIR / "readers" / "second_reader.jsonl").open()]
    assert len(rows) >= 1477 and len({r["id"] for r in rows}) == len(rows)
    same = sum(r["first"] == r["second"] for r in rows) / len(rows)
    assert 0.85 < same < 1, "two readers who always agree were not reading blind"
    assert f"| all items | {len(rows)} | {same:.1%} |" in text


def test_reader_agreement_is_scored_like_the_rules(tmp_path):
    meeting = {"kind": "meeting", "title": "Weekly sync", "category": "coordination"}
    items = [{**meeting, "id": f"meeting:x#{n}"} for n in range(4)]
    (tmp_path / "x.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    (tmp_path / "readers").mkdir()
    readers = [("coordination", "coordination"), ("coordination", "coordination"), ("coordination", "other")]
    (tmp_path / "readers" / "second_reader.jsonl").write_text(
        "".join(
            json.dumps({"id": f"meeting:x#{n}", "first": a, "second": b}) + "\n" for n, (a, b) in enumerate(readers)
        ),
        encoding="utf-8",
    )
    loaded = corpus.load_items(tmp_path, provenance=False)
    # coordination: precision 1, recall 2/3 -> F1 0.8; other has no first-reader support, so is not scored
    assert "| all items | 3 | 66.7% | 0.800 |" in corpus.reader_agreement(loaded, tmp_path)
    (tmp_path / "readers" / "second_reader.jsonl").write_text(
        json.dumps({"id": "meeting:y#1", "first": "other", "second": "other"}) + "\n", encoding="utf-8"
    )
    with pytest.raises(corpus.CorpusError, match="ids not in the corpus: meeting:y#1"):
        corpus.reader_agreement(loaded, tmp_path)
