"""What the connector suites check of loads from the sandbox, one way for every source."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path

import duckdb


def assert_matches_ground_truth(org, warehouse: Path, dataset: str, primary_keys: dict) -> None:
    """Each table of `dataset` holds as many rows as the ground truth counts, each primary key once."""
    expected = {k.split(".", 1)[1]: v for k, v in org.ground_truth["counts"].items() if k.startswith(f"{dataset}.")}
    assert set(expected) == set(primary_keys)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, key in primary_keys.items():
            key = key if isinstance(key, str) else ", ".join(key)
            rows, keys = con.execute(f"select count(*), count(distinct ({key})) from {dataset}.{table}").fetchall()[0]
            assert rows == keys == expected[table], table


def next_day_changes(org, versions: Callable[[object], dict[Hashable, object]]) -> set:
    """The sandbox moved one day on; the keys whose version (`versions(org)`: key -> version) it changed."""
    before = versions(org)
    org.advance_day()
    changed = {key for key, version in versions(org).items() if before.get(key) != version}
    assert changed, "the sandbox day should change something"
    return changed
