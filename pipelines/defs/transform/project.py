"""The dbt project object, and how its manifest.json is made.

Dagster reads manifest.json when it loads the definitions. `dagster dev` makes it itself
(`prepare_if_dev`); everything else (`make demo`, `make accuracy`, the tests, a deployment's
build step) calls `prepare_manifest()` first, or runs `dbt parse` in dbt_project/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject
from filelock import FileLock

from connectors.common.settings import DEFAULT_WAREHOUSE, REPO_ROOT, WAREHOUSE_SETTING
from pipelines.settings import DBT_PROJECT_DIR, with_process_env

# dagster-dbt looks for `dbt` on PATH; the venv's own works without an activated venv
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "packages.yml", "models", "seeds", "macros", "snapshots", "tests")


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


def target_path(warehouse: Path) -> Path:
    """dbt's target folder: beside the working warehouse, one folder reused by every run. dagster-dbt's
    default is a new folder under dbt_project/target per run (about 12 MB each, never removed), and
    reusing one lets dbt parse partially."""
    return warehouse.parent / "dbt_target"


def prepare_manifest() -> Path:
    """`dbt parse` when manifest.json is missing or older than the project; call it before
    importing pipelines.definitions. A lock keeps parallel test workers from racing."""
    project = dbt_project()
    if manifest_is_stale(project):
        project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(project.manifest_path.parent / ".parse.lock")):
            if manifest_is_stale(project):
                _parse(project)
    return project.manifest_path


def manifest_is_stale(project: DbtProject) -> bool:
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    return any(path.stat().st_mtime > built for path in _project_files(project.project_dir))


def _project_files(project_dir: Path):
    for part in PROJECT_PARTS:
        path = project_dir / part
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())


def _parse(project: DbtProject) -> None:
    """dbt parse into a folder of its own, then manifest.json swapped in: a parse killed halfway
    must not leave a truncated manifest that is newer than the project, so never parsed again."""
    # parsing reads the profile; any absolute path will do for it
    env = with_process_env({WAREHOUSE_SETTING: str(REPO_ROOT / DEFAULT_WAREHOUSE)})
    parsed = project.manifest_path.parent / "parse"
    result = subprocess.run(
        [DBT_EXECUTABLE, "parse", "--quiet", "--target-path", str(parsed)],
        cwd=project.project_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"dbt parse failed in {project.project_dir} (exit {result.returncode}):\n"
            f"{(result.stdout + result.stderr)[-3000:]}"
        )
    os.replace(parsed / "manifest.json", project.manifest_path)
