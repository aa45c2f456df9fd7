"""Shared fixtures: a marts warehouse (built by marts_fixture) and a headless chromium."""
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # browser.py and marts_fixture.py beside the tests

from browser import CHROMIUM, Browser  # noqa: E402
from marts_fixture import build_marts  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    return build_marts(tmp_path_factory.mktemp("published") / "loadbearing.duckdb")


@pytest.fixture
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-chromium.sh (make test does)")
    with Browser() as opened:
        yield opened


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
