"""dagster_home/dagster.yaml: local sqlite storage, no telemetry, one writer at a time."""

import shutil

from dagster import DagsterInstance
from dagster._core.storage.runs import SqliteRunStorage

from pipelines.settings import REPO_ROOT


def test_the_local_instance_keeps_one_warehouse_writer_at_a_time(tmp_path, monkeypatch):
    # GIVEN a dagster_home holding only the repository's dagster.yaml
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    # WHEN Dagster loads the instance from it
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        concurrency = instance.get_concurrency_config()
        # THEN storage is sqlite inside dagster_home, telemetry is off, every pool (the
        # warehouse pool included) runs one step at a time, and runs queue one by one
        assert isinstance(instance.run_storage, SqliteRunStorage)
        assert not instance.telemetry_enabled
        assert concurrency.pool_config.default_pool_limit == 1
        assert concurrency.run_queue_config.max_concurrent_runs == 1
    assert (tmp_path / "history").is_dir()
