"""The seeds' regular expressions are RE2 (DuckDB's dialect); on Postgres, macros/text.sql's
regex_pattern translates them token by token. It translates what these patterns use and nothing
more: this test keeps every pattern of classification_rules.csv and label_mappings.csv inside
that subset, so a future pattern cannot match differently on one warehouse without a failing test
(tests/postgres/test_regex_translation.py checks the translation itself on both warehouses).

The subset, and why the rest is out:
- literal characters, `.` (translated), `^` and `$` (the whole text in both: no multi-line flag);
- groups `( )` and `(?: )`, alternation, quantifiers `* + ? {n,m}` and their lazy forms (a
  pattern is only ever tested for a match, where greediness does not matter);
- `(?i)` at the very start (Postgres takes embedded options only there);
- escapes: `\\b` (translated), `\\d`, `\\s` and escaped punctuation (`\\.`, `\\|`, `\\[` ...);
- bracket expressions of literal characters, ranges and escaped punctuation.
Out: `\\w`, `\\B`, `\\p{..}`, `\\A`, `\\z`, `\\Q..\\E`, `\\x..`, back-references, POSIX classes
(`[[:alpha:]]`: ASCII in RE2, the locale's in Postgres), lookarounds and named groups (not RE2),
inline flags anywhere else.
"""

from __future__ import annotations

import csv
import re

import pytest

from harness.deployment import DBT_PROJECT_DIR

SEEDS = DBT_PROJECT_DIR / "seeds"
PATTERN_COLUMNS = {"classification_rules.csv": ("activity_type", "pattern"), "label_mappings.csv": ("pattern",)}
# the tokens regex_pattern cuts a pattern into (macros/text.sql): an escape, a bracket expression, a character
TOKEN = re.compile(r"\\.|\[\^?\]?(?:[^]\\]|\\.)*\]|.", re.DOTALL)
SUPPORTED_ESCAPES = {"\\b", "\\d", "\\s"}
PUNCTUATION = set("\\.|[](){}*+?^$-/#:'\" &,;<>=!@%~`_")


def unsupported(pattern: str) -> list[str]:
    """The constructs of `pattern` outside the subset regex_pattern translates (empty when none)."""
    problems = []
    body = pattern[4:] if pattern.startswith("(?i)") else pattern
    for match in TOKEN.finditer(body):
        token = match.group()
        if token.startswith("\\"):
            if token not in SUPPORTED_ESCAPES and token[1:] not in PUNCTUATION:
                problems.append(f"escape {token}")
        elif token.startswith("[") and len(token) > 1:
            inner = token[1:-1]
            if "[:" in inner or "[=" in inner or "[." in inner:
                problems.append(f"class {token}")
            for escape in re.findall(r"\\.", inner):
                if escape[1:] not in PUNCTUATION:
                    problems.append(f"escape {escape} in {token}")
        elif token == "[":
            problems.append("an unclosed [")
        elif (
            token == "(" and body[match.end() : match.end() + 1] == "?" and body[match.end() : match.end() + 2] != "?:"
        ):
            problems.append(f"group {body[match.start() : match.start() + 4]}")
    return problems


def _patterns():
    for name, columns in PATTERN_COLUMNS.items():
        with (SEEDS / name).open(newline="") as handle:
            for row in csv.DictReader(handle):
                row_id = row.get("rule_id") or row.get("mapping_id")
                for column in columns:
                    yield pytest.param(row[column], id=f"{name}:{row_id}:{column}")


@pytest.mark.parametrize("pattern", list(_patterns()))
def test_every_seed_pattern_uses_only_what_the_translation_supports(pattern):
    assert unsupported(pattern) == []


@pytest.mark.parametrize(
    "pattern",
    [r"\w+", r"\Bfix", r"[[:alpha:]]", r"\p{L}", r"(?=x)", r"(?P<n>x)", r"a(?i)b", r"\Afix\z", r"(a)\1", r"[\w]"],
)
def test_what_the_translation_does_not_support_is_found(pattern):
    assert unsupported(pattern)


def test_the_seeds_have_patterns():
    assert len(list(_patterns())) > 100
