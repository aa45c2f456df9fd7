"""Packets and digests read through reports.marts.Marts from a PostgreSQL warehouse equal the ones
read from DuckDB, word for word (the same sandbox organization built by dbt on each)."""

from __future__ import annotations

from reports.digest import build_digests
from reports.packets import build_packets
from tests.postgres.test_postgres_warehouse import built  # noqa: F401  (the fixture: both warehouses built)


def test_packets_and_digests_read_from_postgres_equal_duckdbs(
    built,  # noqa: F811
    small_org,
    loaded_warehouse,
    loaded_postgres,
    tmp_path,
):
    assert built["duckdb"][0].returncode == 0 and built["postgres"][0].returncode == 0
    since, until = small_org.start.date(), small_org.now.date()
    documents = {}
    for name, warehouse in (("duckdb", loaded_warehouse), ("postgres", loaded_postgres.postgres)):
        written = build_packets(warehouse, tmp_path / name / "packets", since=since, until=until)
        written += build_digests(warehouse, tmp_path / name / "digests", today=until, named=True)
        documents[name] = {p.relative_to(tmp_path / name): p.read_text() for p in written}
    assert len(documents["duckdb"]) > 20 and any(p.suffix == ".txt" for p in documents["duckdb"])
    assert documents["postgres"].keys() == documents["duckdb"].keys()
    unequal = {
        str(path): _first_difference(text, documents["postgres"][path])
        for path, text in documents["duckdb"].items()
        if documents["postgres"][path] != text
    }
    assert not unequal, unequal


def _first_difference(duckdb_text: str, postgres_text: str) -> tuple[str, str]:
    """The first line that differs: (DuckDB's, Postgres')."""
    pairs = zip(duckdb_text.splitlines(), postgres_text.splitlines(), strict=False)
    return next(((d, p) for d, p in pairs if d != p), ("(same lines)", "(a different number of lines)"))
