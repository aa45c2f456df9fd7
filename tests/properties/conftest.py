"""dbt SQL under property tests, compiled once per session by the real dbt: the `classify`
macro over tables named `features` and `rules`, and the model int_jira__completions, whose
refs then point into the database `props` (the compile target's file name)."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.dbt.test_dbt_project import DBT, PROJECT_DIR

FEATURES = ["title", "labels"]  # the feature columns the classify property test fills
SPLIT = "-- @@next@@"


@pytest.fixture(scope="session")
def compiled_sql(tmp_path_factory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("compile")
    completions = (PROJECT_DIR / "models" / "intermediate" / "int_jira__completions.sql").read_text()
    inline = f"{{{{ classify('features', 'rules', {FEATURES!r}) }}}}\n{SPLIT}\n{completions}"
    env = {**os.environ, "LOADBEARING_WAREHOUSE": str(work / "props.duckdb"), "DBT_LOG_PATH": str(work / "logs"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [DBT, "compile", "--quiet", "--output", "json", "--inline", inline, "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR), "--target-path", str(work / "target")],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    classify, completions = json.loads(result.stdout)["compiled"].split(SPLIT)
    return {"classify": classify, "completions": completions}
