"""The classification rules on real work items: the corpus of tests/fixtures/real_work_items
(its README gives the format, the origins and the labelling guide).

Each item becomes the one activity it stands for (a pull request authored, an issue opened, a Jira
issue completed by its assignee, a meeting organized), with the features int_activity__features
would give it; the project's own macros then map its vocabulary (canonical_features) and classify
it (classify), in DuckDB, with the seeds as `dbt seed` loads them. So the corpus is scored by the
same SQL and the same seeds as the daily run.

An item is in the held-out half when the first hex digit of sha1(id) is 8-f: the split is fixed
by the ids, not chosen.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.settings import REPO_ROOT

CORPUS_DIR = REPO_ROOT / "tests" / "fixtures" / "real_work_items"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT = str(Path(sys.executable).parent / "dbt")
CATEGORIES = (
    "launch",
    "design_leadership",
    "incident_response",
    "maintenance",
    "documentation",
    "coordination",
    "hiring",
    "onboarding_mentoring",
    "other",
)
# what scoring needs; the provenance fields are required of this repository's corpus, not of a folder
# someone scores with --corpus (a set labelled elsewhere may not say why or where from)
COMMON = ("id", "kind", "category")
PROVENANCE = ("why", "origin", "license")
KIND_FIELDS = {
    "pull_request": ("title", "labels", "branch", "files", "added_files", "body"),
    "github_issue": ("title", "labels"),
    "jira_issue": ("summary", "issue_type", "priority", "components", "labels", "parent_type"),
    "meeting": ("title", "recurring"),
}
SPLIT = "-- @@next@@"
# rules whose field says what was done or how two items relate rather than what one is about: no
# corpus item can carry them (nor an activity type other than the four the corpus's kinds stand for)
STRUCTURAL_FIELDS = ("activity_type", "pr_author_status", "jira_completion", "one_on_one", "pr_linked_jira")
# the activity each kind of item stands for (whose credit it is: see the README)
KIND_ACTIVITY = {
    "pull_request": "pr_authored",
    "github_issue": "gh_issue_opened",
    "jira_issue": "jira_issue_completed",
    "meeting": "meeting_organized",
}
JIRA_LABELS_UNSEEN = "Jira labels; the public release notes the Jira items come from do not list them"
# rules on vocabulary that real organizations use but no public source the corpus copies from shows:
# the sandbox speaks it (tests/e2e checks that each of these classifies some sandbox activity)
VOCABULARY_WITHOUT_PUBLIC_ITEMS = {
    "incident_jira_type": "Jira Service Management's Incident type; public Jira projects are software projects",
    "design_jira_type": "a team's own Spike or Design type; public Apache projects define none",
    "incident_jira_label": JIRA_LABELS_UNSEEN,
    "design_jira_label": JIRA_LABELS_UNSEEN,
    "documentation_jira_label": JIRA_LABELS_UNSEEN,
    "maintenance_jira_label": JIRA_LABELS_UNSEEN,
}
EVIDENCE_STRENGTH = ("activity", "label", "type", "files", "repo", "branch", "link", "title", "body", "default", "none")
REPO_IN_ID = re.compile(r"^gh-(?:pr|issue):([^#\s]+/[^#\s]+)#")


class CorpusError(ValueError):
    """An item that does not follow the corpus format; the message names its file and line."""


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    category: str
    origin: str
    fields: dict
    where: str  # file:line

    @property
    def held_out(self) -> bool:
        return hashlib.sha1(self.id.encode()).hexdigest()[0] in "89abcdef"

    @property
    def text(self) -> str:
        """What a reader sees first: title or summary, with labels or type."""
        f = self.fields
        if self.kind == "jira_issue":
            return f"[{f.get('issue_type')}/{f.get('priority')}] {f.get('summary')}"
        labels = f" {{{', '.join(f['labels'])}}}" if f.get("labels") else ""
        return f"{f.get('title')}{labels}"


@dataclass
class Classified:
    category: str = "other"
    rule_id: str = "unmatched"
    evidence: str = "none"
    matching_rules: list[str] = field(default_factory=list)


def load_items(directory: Path = CORPUS_DIR, provenance: bool = True) -> list[Item]:
    """Every item of the folder's *.jsonl files, checked against the format (with `provenance`, each
    item must also say why it has its label, where it comes from and under which license)."""
    files = sorted(Path(directory).glob("*.jsonl"))
    if not files:
        raise CorpusError(f"{directory}: no *.jsonl files")
    items, seen = [], {}
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as error:
                raise CorpusError(f"{where}: not JSON ({error})") from None
            item = _parse(raw, where, provenance)
            if item.id in seen:
                raise CorpusError(f"{where}: id {item.id!r} already in {seen[item.id]}")
            seen[item.id] = where
            items.append(item)
    return items


def _parse(raw: dict, where: str, provenance: bool) -> Item:
    required = (*COMMON, *PROVENANCE) if provenance else COMMON
    missing = [name for name in required if not raw.get(name)]
    if missing:
        raise CorpusError(f"{where}: missing {', '.join(missing)}")
    if raw["kind"] not in KIND_FIELDS:
        raise CorpusError(f"{where}: kind {raw['kind']!r} is not one of {', '.join(KIND_FIELDS)}")
    if raw["category"] not in CATEGORIES:
        raise CorpusError(f"{where}: category {raw['category']!r} is not one of {', '.join(CATEGORIES)}")
    text_field = "summary" if raw["kind"] == "jira_issue" else "title"
    if not isinstance(raw.get(text_field), str) or not raw[text_field].strip():
        raise CorpusError(f"{where}: a {raw['kind']} needs a {text_field}")
    for name in ("labels", "components", "files", "added_files"):
        if raw.get(name) is not None and not isinstance(raw[name], list):
            raise CorpusError(f"{where}: {name} must be a list")
    return Item(
        raw["id"],
        raw["kind"],
        raw["category"],
        raw.get("origin") or "not stated",
        {name: raw.get(name) for name in KIND_FIELDS[raw["kind"]]},
        where,
    )


def halves(items: list[Item]) -> tuple[tuple[str, list[Item]], ...]:
    """The parts every figure is given for: the held-out half, the development half, all items."""
    return (
        ("held-out half", [i for i in items if i.held_out]),
        ("development half", [i for i in items if not i.held_out]),
        ("all items", items),
    )


def features(item: Item) -> dict:
    """The features int_activity__features gives the activity an item stands for."""
    f = item.fields
    activity = {"activity_type": KIND_ACTIVITY[item.kind], "activity_id": item.id}

    def joined(values, sort=False):
        return None if values is None else "|".join(sorted(values) if sort else values)

    if item.kind == "pull_request":
        # GitHub's own order for labels; files sorted, as pr_files is
        repo = REPO_IN_ID.match(item.id)
        return {
            **activity,
            "source": "github",
            "pr_title": f["title"],
            "pr_repo": repo.group(1) if repo else None,
            "pr_labels": joined(f["labels"] or []),
            "pr_branch": f["branch"],
            "pr_files": joined(f["files"], True),
            # null when no file is new, as the SQL's aggregate of no rows is
            "pr_added_files": joined(f["added_files"], True) or None,
            "pr_body": f["body"],
        }
    if item.kind == "github_issue":
        return {**activity, "source": "github", "issue_title": f["title"], "issue_labels": joined(f["labels"] or [])}
    if item.kind == "jira_issue":
        return {
            **activity,
            "source": "jira",
            "jira_summary": f["summary"],
            "jira_type": f["issue_type"],
            "jira_parent_type": f["parent_type"],
            "jira_priority": f["priority"],
            "jira_labels": joined(f["labels"] or []),
            "jira_components": joined(f["components"] or []),
            "jira_completion": "owner",
        }
    return {
        **activity,
        "source": "calendar",
        "meeting_title": f["title"],
        "recurring_meeting_title": f["title"] if f["recurring"] else None,
    }


def classify_items(items: list[Item], work: Path) -> dict[str, Classified]:
    """Each item's category, rule and evidence, and every rule that matched it, from the project's
    seeds and macros (`dbt seed`, `dbt compile --inline`) run in a DuckDB file under `work`."""
    work.mkdir(parents=True, exist_ok=True)
    database = work / "corpus.duckdb"
    database.unlink(missing_ok=True)
    env = {
        **os.environ,
        "LOADBEARING_WAREHOUSE": str(database),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    common = [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(work / "target"),
    ]
    inline = (
        f"{{{{ tojson(classification_features()) }}}}\n{SPLIT}\n{{{{ canonical_features('corpus_features') }}}}"
        f"\n{SPLIT}\n{{{{ classify('corpus_canonical', ref('classification_rules'), all_matches=true) }}}}"
    )
    compiled = json.loads(_dbt(["compile", "--quiet", "--output", "json", "--inline", inline, *common], env))
    columns_json, canonical_sql, matches_sql = compiled["compiled"].split(SPLIT)
    columns = ["activity_id", "source", *json.loads(columns_json), "jira_parent_type"]
    with duckdb.connect(str(database)) as con:
        for seed in ("classification_rules", "label_mappings"):
            load_seed(con, seed)
        con.execute(f"create table corpus_features ({', '.join(f'{c} varchar' for c in columns)})")
        rows = [features(item) for item in items]
        con.executemany(
            f"insert into corpus_features values ({', '.join('?' * len(columns))})",
            [[row.get(c) for c in columns] for row in rows],
        )
        con.execute(f"create table corpus_canonical as {canonical_sql}")
        matches = con.execute(
            f"select activity_id, category, rule_id, evidence, match_rank from ({matches_sql}) "
            "order by activity_id, match_rank"
        ).fetchall()
    out = {item.id: Classified() for item in items}
    for item_id, category, rule_id, evidence, rank in matches:
        result = out[item_id]
        if rank == 1:
            result.category, result.rule_id, result.evidence = category, rule_id, evidence
        result.matching_rules.append(rule_id)
    return out


def load_seed(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """A seed into schema `seeds`, typed as dbt_project/seeds/_seeds.yml declares (read here, not by
    `dbt seed`: one dbt process fewer)."""
    import yaml

    declared = yaml.safe_load((DBT_PROJECT_DIR / "seeds" / "_seeds.yml").read_text(encoding="utf-8"))
    (types,) = [s["config"]["column_types"] for s in declared["seeds"] if s["name"] == name]
    con.execute("create schema if not exists seeds")
    con.execute(
        f"create or replace table seeds.{name} as select * from read_csv(?, header = true, columns = ?)",
        [str(DBT_PROJECT_DIR / "seeds" / f"{name}.csv"), {k: v for k, v in types.items()}],
    )


def _dbt(args: list[str], env: dict) -> str:
    result = subprocess.run([DBT, *args], cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"dbt {args[0]} failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}")
    return result.stdout


def report(items: list[Item], results: dict[str, Classified], title: str, worst: int = 20) -> tuple[str, float]:
    """Per-category precision, recall and F1, macro-F1, the confusion table and the `worst` items
    (none when 0), as Markdown; and the macro-F1."""
    from sandbox.accuracy import macro_f1, score

    truth = {item.id: item.category for item in items}
    predicted = {item.id: results[item.id].category for item in items}
    scores = score(truth, predicted)
    macro = macro_f1(scores)
    lines = [
        f"### {title}: {len(items)} items, macro-F1 {macro:.3f}",
        "",
        "| category | precision | recall | F1 | support | predicted |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {s.category} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} | {s.predicted} |"
        for s in scores
    ]
    labels = sorted(set(truth.values()) | set(predicted.values()))
    confusion = Counter((truth[i], predicted[i]) for i in truth)
    short = {c: c.split("_")[0][:6] for c in labels}
    lines += [
        "",
        "Confusion (rows: hand label, columns: rules):",
        "",
        "| | " + " | ".join(short[c] for c in labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    lines += [f"| {t} | " + " | ".join(str(confusion[(t, p)] or "") for p in labels) + " |" for t in labels]
    # which source the rules read worst: an organization's weakest system is where to map vocabulary first
    kinds = Counter(item.kind for item in items)
    right = Counter(item.kind for item in items if predicted[item.id] == item.category)
    lines += ["", "| kind of item | items | classified as labelled |", "|---|---:|---:|"]
    lines += [f"| {kind} | {kinds[kind]} | {right[kind] / kinds[kind]:.1%} |" for kind in KIND_FIELDS if kinds[kind]]
    wrong = [item for item in items if predicted[item.id] != item.category]
    if not worst:
        return "\n".join([*lines, "", f"{len(wrong)} misclassified (not listed: these items are only scored)"]), macro
    # a confident wrong answer (a label, a type) is worse than a wrong guess
    wrong.sort(key=lambda item: (EVIDENCE_STRENGTH.index(results[item.id].evidence), item.id))
    lines += [
        "",
        f"Worst {min(worst, len(wrong))} of {len(wrong)} misclassified (strongest evidence first):",
        "",
        "| item | hand label | rules | rule (evidence) | text |",
        "|---|---|---|---|---|",
    ]
    for item in wrong[:worst]:
        r = results[item.id]
        text = item.text.replace("|", "\\|")[:90]
        lines.append(f"| {item.id} | {item.category} | {r.category} | {r.rule_id} ({r.evidence}) | {text} |")
    return "\n".join(lines), macro


def unmatched_rules(items: list[Item], results: dict[str, Classified], rules_csv: Path) -> list[str]:
    """Rules on what an item is about (not on what was done) that match no item of the corpus."""
    import csv

    matched = {rule for r in results.values() for rule in r.matching_rules}
    with open(rules_csv, newline="", encoding="utf-8") as handle:
        rules = list(csv.DictReader(handle))
    return [
        r["rule_id"]
        for r in rules
        if r["field"] not in STRUCTURAL_FIELDS
        and r["rule_id"] not in matched
        and any(re.search(r["activity_type"], activity) for activity in KIND_ACTIVITY.values())
    ]


def reader_agreement(items: list[Item], directory: Path = CORPUS_DIR) -> str | None:
    """How far two people agree on the corpus's labels (Markdown; None when the folder has no
    readers/second_reader.jsonl): a second reader labelled every item blind to the first reader's
    labels and to the rules; `first` is the first reader's label before disagreements were settled.
    It is the scale for the rules' figures: the rules cannot be expected to agree with the labels
    more than two careful readers agree with each other."""
    from sandbox.accuracy import macro_f1, score

    path = Path(directory) / "readers" / "second_reader.jsonl"
    if not path.exists():
        return None
    readers = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        if not {"first", "second"} <= row.keys() or not {row["first"], row["second"]} <= set(CATEGORIES):
            raise CorpusError(f"{path.name}:{number}: needs a first and a second label among the categories")
        readers[row["id"]] = row
    unknown = readers.keys() - {item.id for item in items}
    if unknown:
        raise CorpusError(f"{path.name}: ids not in the corpus: {', '.join(sorted(unknown)[:5])}")
    lines = [
        f"### Agreement between two readers ({len(readers)} items)",
        "",
        "| items | read by both | same label | macro-F1 of the second reader against the first |",
        "|---|---:|---:|---:|",
    ]
    for name, subset in halves(items):
        both = [readers[i.id] for i in subset if i.id in readers]
        if both:
            same = sum(r["first"] == r["second"] for r in both) / len(both)
            macro = macro_f1(score({r["id"]: r["first"] for r in both}, {r["id"]: r["second"] for r in both}))
            lines.append(f"| {name} | {len(both)} | {same:.1%} | {macro:.3f} |")
    return "\n".join(lines)
