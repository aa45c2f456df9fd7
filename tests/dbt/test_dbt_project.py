"""`dbt build` (seeds, models, data tests, unit tests) on a small generated organization that
the real connectors load from the sandbox server into a temporary DuckDB."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import duckdb
import pytest

from harness.deployment import DBT_PROJECT_DIR
from reports.marts import MARTS as DASHBOARD_MARTS
from sandbox.generate import generate_org

# what the dashboard and packets read, and the reports analysts read
MARTS = [*DASHBOARD_MARTS, "rpt_unmapped_identities", "rpt_classification_coverage", "rpt_vocabulary"]


@pytest.fixture(scope="module")
def small_org():
    """Another seed than the one the rules were tuned on, three teams, one month."""
    return generate_org(seed=3, people=12, teams=3, months=1)


@pytest.fixture(scope="module")
def built(small_org, loaded_warehouse, dbt):
    work = loaded_warehouse.parent
    result = dbt(loaded_warehouse, work, "build", check=False)
    run_results = json.loads((work / "target" / "run_results.json").read_text()) if result.returncode == 0 else None
    return {"org": small_org, "warehouse": loaded_warehouse, "result": result, "run_results": run_results}


def test_dbt_build_succeeds_with_data_and_unit_tests(built):
    result = built["result"]
    assert result.returncode == 0, result.stdout[-4000:]
    kinds = Counter(r["unique_id"].split(".")[0] for r in built["run_results"]["results"])
    assert kinds["seed"] == 4
    assert kinds["test"] > 50  # data tests on every mart
    assert kinds["unit_test"] >= 10  # rule families and edge cases
    assert all(r["status"] in ("success", "pass") for r in built["run_results"]["results"])


def test_every_mart_has_rows(built):
    assert built["result"].returncode == 0, built["result"].stdout[-4000:]
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        for mart in MARTS:
            rows = con.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
            assert rows > 0, f"marts.{mart} is empty"


def test_work_events_agree_with_the_sandbox_truth(built):
    """The classification, scored on the activities both sides know (another seed than the one the
    rules were tuned on)."""
    assert built["result"].returncode == 0, built["result"].stdout[-4000:]
    truth = {
        (a["source"], a["activity_type"], a["object_id"], a["person_id"]): a["category"]
        for a in built["org"].ground_truth["activities"]
    }
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        rows = con.execute("""
            select e.source, e.activity_type, e.object_id, p.person_id, e.work_category
            from marts.fct_work_events as e join marts.dim_people as p using (person_key)
        """).fetchall()
    predicted = {row[:4]: row[4] for row in rows}
    known = [key for key in predicted if key in truth]
    assert len(known) >= 0.9 * len(predicted), "most work events should be activities of the truth"
    agreeing = sum(predicted[key] == truth[key] for key in known)
    assert agreeing >= 0.95 * len(known), f"{agreeing} of {len(known)} work events classified as the truth says"


def test_mapping_a_value_reclassifies_the_work_carrying_it(built, dbt, tmp_path):
    """The loop of README's "Fitting the taxonomy to your organization": a label rpt_vocabulary shows
    as not understood, mapped in a copy of the project's label_mappings seed, is read on the next
    build; only work carrying it changes category, and the report shows the mapping."""
    assert built["result"].returncode == 0, built["result"].stdout[-4000:]
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    carrying = """
        select activity_id from intermediate.int_activity__features
        where '|' || coalesce(pr_labels, '') || '|' || coalesce(issue_labels, '') || '|' || coalesce(jira_labels, '') || '|'
            like '%|' || ? || '|%'
    """
    with duckdb.connect(str(warehouse), read_only=True) as con:
        unknown = con.execute("""
            select source, value, normalized from marts.rpt_vocabulary
            where field = 'label' and not is_understood order by activities desc, value limit 1
        """).fetchall()
        assert unknown, "the sandbox organization uses labels no rule reads"
        ((source, value, normalized),) = unknown
        before = dict(con.execute("select event_key, work_category from marts.fct_work_events").fetchall())
        carriers = {row[0] for row in con.execute(carrying, [value]).fetchall()}
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    with open(project / "seeds" / "label_mappings.csv", "a", encoding="utf-8") as seed:
        seed.write(f"analyst_mapping,*,label,^{re.escape(normalized)}$,incident,9999\n")
    dbt(warehouse, tmp_path, "build", "--exclude-resource-type", "unit_test", project_dir=project)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after = dict(con.execute("select event_key, work_category from marts.fct_work_events").fetchall())
        reported = con.execute(
            "select canonical, mapping_id, is_understood from marts.rpt_vocabulary "
            "where source = ? and field = 'label' and value = ?",  # a label may be both GitHub's and Jira's
            [source, value],
        ).fetchall()
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed, f"mapping {value!r} to incident changed no work event"
    assert changed <= carriers
    assert {after[key] for key in changed} == {"incident_response"}
    assert reported == [("incident", "analyst_mapping", True)]


def test_activity_is_unioned_by_column_name(built, dbt, tmp_path):
    """union_activity (int_activity__unioned) reads each activity column by name, in whatever order a
    source's model has them, and stops the build naming what a model lacks or has in excess."""
    assert built["result"].returncode == 0, built["result"].stdout[-4000:]
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(built["warehouse"], warehouse)
    with duckdb.connect(str(warehouse)) as con:
        columns = [row[0] for row in con.execute("describe intermediate.int_activity__jira").fetchall()]
        con.execute(
            f"create table main.reordered as select {', '.join(reversed(columns))} from intermediate.int_activity__jira"
        )
        con.execute(
            "create table main.lacking as select * exclude (item_ref), 'x' as note from intermediate.int_activity__jira"
        )
    union = "{{ union_activity([adapter.get_relation(database=target.database, schema='main', identifier='%s')]) }}"

    compiled = dbt(
        warehouse, tmp_path, "compile", "--quiet", "--output", "json", "--inline", union % "reordered", check=False
    )
    assert compiled.returncode == 0, compiled.stdout[-4000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        unioned = con.execute(json.loads(compiled.stdout)["compiled"] + " order by all").fetchall()
        jira = con.execute("select * from intermediate.int_activity__jira order by all").fetchall()
    assert unioned and unioned == jira

    failed = dbt(
        warehouse, tmp_path, "compile", "--quiet", "--output", "json", "--inline", union % "lacking", check=False
    )
    assert failed.returncode != 0
    assert '"main"."lacking" does not have the activity columns: missing item_ref; extra note' in failed.stdout
