"""Each injected fault, against the real connectors through dlt: the connector retries within
bounds or fails naming the source and endpoint, and once the fault clears the next run
leaves the warehouse equal, row for row, to a run that never saw the fault."""

from __future__ import annotations

import re

import pytest

from harness.fault_lab import Labs
from harness.fault_scenarios import SCENARIOS


@pytest.fixture(scope="module")
def labs(tmp_path_factory):
    with Labs(tmp_path_factory.mktemp("reliability")) as labs:
        yield labs


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if not s.thorough], ids=lambda s: s.id)
def test_fault_then_recovery_equals_a_clean_run(labs, scenario):
    lab = labs.for_scenario(scenario)
    lab.server.clear_log()
    result = lab.run(scenario)
    hits = [r for r in lab.server.request_log if re.search(scenario.endpoint, r.path)]
    assert hits, f"no request reached {scenario.endpoint}: the fault was never exercised"
    if scenario.fails:
        assert result.faulted and re.search(scenario.fails, result.faulted), result.faulted
    else:
        assert result.faulted is None, result.faulted
    assert result.recovery is None, result.recovery
    comparison = result.comparison
    assert comparison.rows > 1000
    assert comparison.equal, [d for d in comparison.differences()]
    added = {column for table in comparison.tables for column in table.extra_columns}
    assert added == ({scenario.added_column} if scenario.added_column else set())
