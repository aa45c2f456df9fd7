"""Read a people roster (CSV or YAML) and check it whole, so that a bad roster loads nothing.

Rows are numbered as a person sees them: in a CSV by line (the header is row 1, the
first person row 2); in YAML by entry (the first entry of the list is row 1).
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from connectors.common.http import SourceError
from connectors.people import settings

EMAIL = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>.]+$")


class RosterError(SourceError):
    """The roster has problems; `problems` lists each as `file: row N, column C: what`."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"People roster {path} has {len(problems)} problem(s); nothing was loaded "
                         f"(fix the file named by {settings.ROSTER_SETTING}):\n{listing}")


@dataclass
class _Problems:
    path: Path
    found: list[str]

    def add(self, row: int | str, column: str | None, what: str) -> None:
        where = f"row {row}" + (f", column {column}" if column else "")
        self.found.append(f"{self.path}: {where}: {what}")


def read_roster(path: str | Path) -> list[dict]:
    """The people of the roster as raw_people.people rows, or RosterError listing every problem."""
    path = Path(path)
    problems = _Problems(path, [])
    if not path.is_file():
        raise SourceError(f"People roster {path} does not exist (set {settings.ROSTER_SETTING})")
    if path.suffix.lower() in settings.CSV_SUFFIXES:
        rows = _csv_rows(path, problems)
    elif path.suffix.lower() in settings.YAML_SUFFIXES:
        rows = _yaml_rows(path, problems)
    else:
        raise SourceError(f"People roster {path}: expected a .csv, .yaml or .yml file")
    people = [(number, _person(raw, number, problems)) for number, raw in rows]
    _check_roster(people, problems)
    if problems.found:
        raise RosterError(path, problems.found)
    return [person for _, person in people]


# -- reading --------------------------------------------------------------------------

def _csv_rows(path: Path, problems: _Problems) -> list[tuple[int, dict]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
        _check_columns(reader.fieldnames, 1, problems)
        for column in settings.REQUIRED:
            if column not in reader.fieldnames:
                problems.add(1, column, "required column is missing from the header")
        rows = [(reader.line_num, row) for row in reader]  # blank lines are skipped, still counted
    for number, row in rows:
        if None in row:  # DictReader files cells beyond the header under None
            problems.add(number, None, "more cells than the header has columns")
    return rows


def _yaml_rows(path: Path, problems: _Problems) -> list[tuple[int, dict]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark else "?"
        problems.found.append(f"{problems.path}: {line}: not valid YAML ({getattr(exc, 'problem', None) or exc})")
        return []
    if not isinstance(data, list):
        problems.add(1, None, "the file must be a list of people (mappings)")
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
    return person


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
        problems.add(row, "attributes", "must be a JSON object, e.g. {\"caregiver\": \"yes\"}")
        return {}
    return value


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
                    problems.add(number, column, f"{value!r} also belongs to row {owners[key]}; "
                                 "activity could not be told apart")
                owners.setdefault(key, number)
