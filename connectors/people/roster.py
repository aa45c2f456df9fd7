"""Read a people roster (CSV or YAML): each row is checked on its own, so one bad row is
rejected (and named) while the others load; a file that cannot be read as a roster at all
(not CSV/YAML, a required column missing from the header, an unknown column) loads nothing.

Rows are numbered as a person sees them: in a CSV by line (the header is row 1, the
first person row 2); in YAML by entry (the first entry of the list is row 1).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from connectors.common.http import SourceError
from connectors.people import settings

EMAIL = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>.]+$")


class RosterError(SourceError):
    """The roster cannot be loaded at all; `problems` lists each as `file: row N, column C: what`."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"People roster {path} has {len(problems)} problem(s); nothing was loaded "
            f"(fix the file named by {settings.ROSTER_SETTING}):\n{listing}"
        )


@dataclass
class Roster:
    """The rows that load, and one `file: row N, column C: what` line per problem of a rejected row."""

    people: list[dict]
    problems: list[str]


@dataclass
class _Problems:
    path: Path
    found: list[str]
    rejected: set = field(default_factory=set)  # row numbers that do not load

    def add(self, row: int | str, column: str | None, what: str) -> None:
        where = f"row {row}" + (f", column {column}" if column else "")
        self.found.append(f"{self.path}: {where}: {what}")
        self.rejected.add(row)


def read_roster(path: str | Path) -> Roster:
    """The people of the roster as raw_people.people rows, bad rows left out and named;
    RosterError when the file as a whole cannot be read as a roster or no row is left."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"People roster {path} does not exist (set {settings.ROSTER_SETTING})")
    if path.suffix.lower() in settings.CSV_SUFFIXES:
        reader = _csv_rows
    elif path.suffix.lower() in settings.YAML_SUFFIXES:
        reader = _yaml_rows
    else:
        raise SourceError(f"People roster {path}: expected a .csv, .yaml or .yml file")
    layout = _Problems(path, [])  # problems of the file itself: the rows cannot be trusted
    problems = _Problems(path, [])
    rows = reader(path, layout, problems)
    if layout.found:
        raise RosterError(path, layout.found)
    people = [(number, _person(raw, number, problems)) for number, raw in rows]
    _check_roster(people, problems)
    kept = [person for number, person in people if number not in problems.rejected]
    if not kept:  # replacing the table with nothing would drop everyone's activity
        raise RosterError(path, problems.found or [f"{path}: no person rows"])
    return Roster(kept, problems.found)


# -- reading --------------------------------------------------------------------------


def _csv_rows(path: Path, layout: _Problems, problems: _Problems) -> list[tuple[int, dict]]:
    with path.open(newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        reader = csv.DictReader(handle)
        reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
        _check_columns(reader.fieldnames, 1, layout)
        for column in settings.REQUIRED:
            if column not in reader.fieldnames:
                layout.add(1, column, "required column is missing from the header")
        rows = [(reader.line_num, row) for row in reader]  # blank lines are skipped, still counted
    for number, row in rows:
        if None in row:  # DictReader files cells beyond the header under None
            problems.add(number, None, "more cells than the header has columns")
        if any("\n" in cell for cell in row.values() if isinstance(cell, str)):
            # numbered by its last line: an unclosed quote swallows the lines after it into this row
            problems.add(
                number,
                None,
                "a cell runs over several lines (a quote left open?); the lines it swallowed were not read as rows",
            )
    return rows


def _yaml_rows(path: Path, layout: _Problems, problems: _Problems) -> list[tuple[int, dict]]:
    try:
        data = yaml.safe_load(path.read_bytes())  # YAML reads UTF-8/16 and rejects other bytes itself
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark else "?"
        layout.found.append(f"{layout.path}: {line}: not valid YAML ({getattr(exc, 'problem', None) or exc})")
        return []
    if not isinstance(data, list):
        layout.add(1, None, "the file must be a list of people (mappings)")
        return []
    rows = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            problems.add(number, None, "an entry must be a mapping of column: value")
            entry = {}
        _check_columns(entry, number, problems)
        rows.append((number, entry))
    return rows


def _check_columns(columns, row: int, problems: _Problems) -> None:
    """A misspelt column would silently drop what it holds."""
    for column in columns:
        if column not in settings.COLUMNS:
            problems.add(row, column, f"unknown column (expected: {', '.join(settings.COLUMNS)})")


# -- one person -----------------------------------------------------------------------


def _person(raw: dict, row: int, problems: _Problems) -> dict:
    for column, value in raw.items():
        if isinstance(value, str) and not _is_utf8(value):
            problems.add(row, column, "holds bytes that are not UTF-8 text (save the roster as UTF-8)")
    person = {column: _text(raw.get(column)) for column in settings.COLUMNS}
    for column in settings.REQUIRED:
        if not person[column]:
            problems.add(row, column, "required value is empty")
    for column in settings.LIST_COLUMNS:
        person[column] = _list(raw.get(column), row, column, problems)
    for email in person["emails"]:
        if not EMAIL.match(email):
            problems.add(row, "emails", f"{email!r} does not look like an email address")
    person["start_date"] = _date(raw.get("start_date"), row, problems)
    person["time_zone"] = _time_zone(person["time_zone"], row, problems)
    person["attributes"] = _attributes(raw.get("attributes"), row, problems)
    person["target_promotable_share"] = _target(raw.get("target_promotable_share"), row, problems)
    person["seeks_promotion"] = _switch(raw.get("seeks_promotion"), row, "seeks_promotion", problems)
    return person


def _is_utf8(text: str) -> bool:
    """The CSV is read with surrogateescape: a byte that is not UTF-8 becomes a lone surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value) -> str | None:
    if value is None or isinstance(value, (list, dict)):
        return None
    text = str(value).strip()
    return text or None


def _list(value, row: int, column: str, problems: _Problems) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(settings.LIST_SEPARATOR)
    elif isinstance(value, list):
        items = value
    else:
        problems.add(row, column, f"expected a list or '{settings.LIST_SEPARATOR}'-separated text")
        return []
    out = []
    for item in items:
        if isinstance(item, (list, dict)):
            problems.add(row, column, f"list items must be text, not {type(item).__name__}")
        elif str(item).strip():
            out.append(str(item).strip())
    return out


def _date(value, row: int, problems: _Problems) -> date | None:
    if isinstance(value, date):  # YAML reads an unquoted 2024-05-01 as a date
        return value
    text = _text(value)
    if not text:
        return None  # reported as a required value
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.add(row, "start_date", f"{text!r} is not a date as YYYY-MM-DD")
        return None


def _time_zone(value: str | None, row: int, problems: _Problems) -> str | None:
    if not value:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "America"
        problems.add(row, "time_zone", f"{value!r} is not an IANA time zone (e.g. Europe/Berlin, America/New_York)")
    return value


def _attributes(value, row: int, problems: _Problems) -> dict:
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            problems.add(row, "attributes", f"not valid JSON ({exc.msg} at character {exc.pos})")
            return {}
    if not isinstance(value, dict):
        problems.add(row, "attributes", 'must be a JSON object, e.g. {"caregiver": "yes"}')
        return {}
    return value


TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0"}


def _target(value, row: int, problems: _Problems) -> float | None:
    """A share of promotion-track work (settings.parse_share); empty: None, the organization's target."""
    if isinstance(value, bool):  # YAML reads yes/no as booleans
        problems.add(row, "target_promotable_share", f"{value!r} is not a share like 50% or 0.5")
        return None
    text = _text(value)
    if not text:
        return None
    try:
        return settings.parse_share(text)
    except ValueError as exc:
        problems.add(row, "target_promotable_share", str(exc))
        return None


def _switch(value, row: int, column: str, problems: _Problems) -> bool | None:
    """true/false, yes/no, 1/0 in any case; empty: None (the column's default)."""
    if isinstance(value, bool):
        return value
    text = _text(value)
    if not text:
        return None
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    problems.add(row, column, f"{text!r} is not true or false (also yes/no, 1/0)")
    return None


# -- the roster as a whole ------------------------------------------------------------


def _check_roster(people: list[tuple[int, dict]], problems: _Problems) -> None:
    rows: dict[str, int] = {}
    for number, person in people:
        pid = person["person_id"]
        if pid and pid in rows:
            problems.add(number, "person_id", f"{pid!r} is already used in row {rows[pid]}")
        elif pid:
            rows[pid] = number
    for number, person in people:
        manager = person["manager_id"]
        if manager and manager not in rows:
            problems.add(number, "manager_id", f"{manager!r} is not the person_id of anyone in the roster")
        elif manager and manager == person["person_id"]:
            problems.add(number, "manager_id", "a person cannot be their own manager")
    for column in settings.IDENTITY_COLUMNS:
        owners: dict[str, int] = {}
        for number, person in people:
            for value in person[column]:
                key = value if column == "jira_account_ids" else value.lower()  # emails, logins: any case
                if key in owners and owners[key] != number:
                    problems.add(
                        number, column, f"{value!r} also belongs to row {owners[key]}; activity could not be told apart"
                    )
                owners.setdefault(key, number)
