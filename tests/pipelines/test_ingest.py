"""A failing connector ends the step with a message naming the source and what to fix."""

import dlt
import pytest

from connectors.common.http import AuthError, SourceError
from connectors.common.pipeline import make_pipeline
from pipelines.defs.ingest.factory import source_failure


def failing_source(error: Exception):
    @dlt.source(name="github", max_table_nesting=0)
    def github():
        @dlt.resource(primary_key="id")
        def pull_requests():
            raise error
            yield  # a generator, like every connector resource

        return pull_requests

    return github()


def failure_from_a_real_run(tmp_path, error: Exception):
    pipeline = make_pipeline("github", tmp_path / "w.duckdb", str(tmp_path / "dlt"))
    with pytest.raises(Exception) as caught:
        pipeline.run(failing_source(error), loader_file_format="parquet")
    return source_failure("github", caught.value)


def test_a_rejected_token_names_the_source_and_the_setting_and_is_not_retried(tmp_path):
    error = AuthError(
        "GitHub rejected the credentials (HTTP 401 on GET /orgs/acme/repos): check SOURCES__GITHUB__ACCESS_TOKEN"
    )
    failure = failure_from_a_real_run(tmp_path, error)
    assert failure.description == f"github: {error}"
    assert failure.allow_retries is False


def test_a_persistent_server_error_may_heal_and_is_retried(tmp_path):
    failure = failure_from_a_real_run(
        tmp_path, SourceError("GitHub: GET /orgs/acme/repos still failed with HTTP 502 after 6 attempts")
    )
    assert failure.description.startswith("github: GitHub: GET /orgs/acme/repos still failed with HTTP 502")
    assert failure.allow_retries is True


def test_an_unexpected_error_names_the_source_and_its_type(tmp_path):
    failure = failure_from_a_real_run(tmp_path, KeyError("merged_at"))
    assert failure.description == "github: KeyError: 'merged_at'"
