"""dbt SQL under property tests, compiled once per session by the real dbt: the `classify`
macro over tables named `features` and `rules`, and the model int_jira__completions, whose
refs then point into the database `props` (the compile target's file name)."""

from __future__ import annotations

import json

import pytest

FEATURES = ["title", "labels"]  # the feature columns the classify property test fills
SPLIT = "-- @@next@@"


@pytest.fixture(scope="session")
def compiled_sql(tmp_path_factory, dbt) -> dict[str, str]:
    from harness.deployment import DBT_PROJECT_DIR  # here: the property tests that compile nothing need no Dagster

    work = tmp_path_factory.mktemp("compile")
    completions = (DBT_PROJECT_DIR / "models" / "intermediate" / "int_jira__completions.sql").read_text()
    inline = f"{{{{ classify('features', 'rules', {FEATURES!r}) }}}}\n{SPLIT}\n{completions}"
    result = dbt(work / "props.duckdb", work, "compile", "--quiet", "--output", "json", "--inline", inline)
    classify, completions = json.loads(result.stdout)["compiled"].split(SPLIT)
    return {"classify": classify, "completions": completions}
