"""Shared fixtures: a marts warehouse (built by marts_fixture) and a headless chromium."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # marts_fixture.py beside the tests

from marts_fixture import build_marts  # noqa: E402

from tests.support.browser import artifacts_dir, open_browser  # noqa: E402


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    return build_marts(tmp_path_factory.mktemp("published") / "loadbearing.duckdb")


@pytest.fixture
def browser():
    with open_browser() as opened:
        yield opened


@pytest.fixture(scope="session")
def artifacts() -> Path:
    return artifacts_dir()
