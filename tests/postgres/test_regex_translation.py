"""macros/text.sql's regex_pattern: an RE2 pattern (the seeds') matches on Postgres exactly what it
matches on DuckDB. One query of cases compiled by dbt for each warehouse and run on each."""

from __future__ import annotations

import duckdb
import psycopg2

NL = "\n"
# (pattern, value, does RE2 match)
CASES = [
    (r"\bfix\b", "a fix here", True),
    (r"\bfix\b", "prefix", False),
    (r"\bfix\b", "fix_it", False),  # `_` is a word character
    (r"\bfix\b", "fix-it", True),
    (r"\bcaf\b", "café", True),  # RE2's word characters are ASCII
    (r"(?i)\bFIX(es|ed)?\b", "Fixed: the bug", True),
    (r"a.b", f"a{NL}b", False),  # RE2's `.` is not a newline
    (r"a.b", "axb", True),
    (r"a[^|]b", f"a{NL}b", True),  # a negated class is
    (r"a[.]b", "axb", False),
    (r"a[.]b", "a.b", True),
    (r"a\.b", "axb", False),
    (r"x\\b", r"x\b", True),  # an escaped backslash, then a letter
    (r"x\\b", "x b", False),
    (r"^b", f"a{NL}b", False),  # ^ and $: the whole text
    (r"a$", f"a{NL}b", False),
    (r"(?i)é", "É", True),
    (r"^(hot-?fix|sev-?[0-3])$", "sev-2", True),
    (r"\d{2,}", "v12", True),
    (r"\s", "a b", True),
    (r"\[docs?\]", "[doc] x", True),
]


def _literal(text: str) -> str:
    return "(" + " || chr(10) || ".join("'" + part.replace("'", "''") + "'" for part in text.split(NL)) + ")"


def _inline() -> str:
    rows = ", ".join(f"({i}, {_literal(p)}, {_literal(v)})" for i, (p, v, _) in enumerate(CASES))
    return (
        "select n, {{ regex_matches('value', regex_pattern('pattern')) }} as matched "
        f"from (values {rows}) as cases(n, pattern, value) order by n"
    )


def _compiled(dbt, warehouse, work) -> str:
    done = dbt(warehouse, work, "--quiet", "compile", "--inline", _inline())
    return done.stdout.strip()


def test_patterns_match_on_postgres_as_on_duckdb(dbt, postgres_server, tmp_path):
    expected = [matched for _, _, matched in CASES]
    duck_sql = _compiled(dbt, tmp_path / "warehouse.duckdb", tmp_path / "duckdb")
    pg_sql = _compiled(dbt, postgres_server, tmp_path / "postgres")
    assert "regexp_matches(value, pattern)" in duck_sql  # DuckDB reads the pattern as written
    with duckdb.connect() as con:
        on_duckdb = [bool(m) for _, m in con.execute(duck_sql).fetchall()]
    with psycopg2.connect(**postgres_server.connect_kwargs()) as con, con.cursor() as cur:
        cur.execute(pg_sql)
        on_postgres = [bool(m) for _, m in cur.fetchall()]
        # untranslated, Postgres reads \b as a backspace: the reason for the translation
        cur.execute(r"select 'a fix here' ~ '\bfix\b'")
        assert cur.fetchone()[0] is False
    assert on_duckdb == expected, [c for c, m in zip(CASES, on_duckdb) if m != c[2]]
    assert on_postgres == expected, [c for c, m in zip(CASES, on_postgres) if m != c[2]]
