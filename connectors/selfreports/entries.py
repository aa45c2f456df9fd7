"""Read a folder of self-reports and endorsements (YAML or CSV files): each entry is checked on its
own, so one with a problem is left out and named by file and line while the others load; a file
that cannot be read at all (YAML that does not parse, a CSV column no entry has) loads nothing
of its own and is named by the line where it breaks.

Lines are counted as an editor shows them: in YAML the line where the entry's mapping starts,
in CSV the row's line (the header is line 1).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from connectors.common.http import SourceError
from connectors.selfreports import settings


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: `date: 2026-11-31` is then an entry's problem, not a
    crash of the whole file, and every date is parsed in one place (_date)."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*$", re.IGNORECASE)


@dataclass
class Entries:
    """What the folder holds that loads, and one `file:line: what` per entry or file left out."""

    self_reports: list[dict] = field(default_factory=list)
    endorsements: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # {file, line, problem}

    def problem(self, file: str, line: int, what: str) -> None:
        self.problems.append({"file": file, "line": line, "problem": what})

    def messages(self) -> list[str]:
        return [f"{p['file']}:{p['line']}: {p['problem']}" for p in self.problems]


def read_folder(folder: str | Path) -> Entries:
    """Every entry of the folder's YAML and CSV files (subfolders too, in path order)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(f"Self-reports folder {folder} does not exist (set {settings.FOLDER_SETTING})")
    entries = Entries()
    taxonomy = settings.categories()
    ids: dict[str, str] = {}  # entry id -> file:line where it was first given
    suffixes = settings.YAML_SUFFIXES + settings.CSV_SUFFIXES
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes):
        name = path.relative_to(folder).as_posix()
        reader = _csv_entries if path.suffix.lower() in settings.CSV_SUFFIXES else _yaml_entries
        for line, raw in reader(path, name, entries):
            _add(entries, raw, name, line, taxonomy, ids)
    return entries


# -- reading files --------------------------------------------------------------------


def _yaml_entries(path: Path, name: str, entries: Entries) -> list[tuple[int, object]]:
    """(line, entry) of a YAML list; PyYAML's marks give each entry's first line."""
    try:
        loader = _TextDatesLoader(path.read_bytes())
        try:
            root = loader.get_single_node()
            if root is None:
                return []  # an empty file
            if not isinstance(root, yaml.SequenceNode):
                entries.problem(name, root.start_mark.line + 1, "the file must be a YAML list of entries (- kind: ...)")
                return []
            return [(node.start_mark.line + 1, loader.construct_object(node, deep=True)) for node in root.value]
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        entries.problem(
            name,
            mark.line + 1 if mark else 1,
            f"not valid YAML ({getattr(exc, 'problem', None) or exc}); the file was not read",
        )
        return []


def _csv_entries(path: Path, name: str, entries: Entries) -> list[tuple[int, object]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        known = {column for columns in settings.FIELDS.values() for column in columns}
        header = [column.strip() for column in reader.fieldnames or []]
        unknown = [column for column in header if column not in known]
        if unknown:
            entries.problem(name, 1, f"unknown column(s) {', '.join(unknown)}; the file was not read")
            return []
        reader.fieldnames = header
        rows = []
        for row in reader:
            if row.pop(None, None):  # DictReader files cells beyond the header under None
                entries.problem(name, reader.line_num, "more cells than the header has columns")
                continue
            rows.append((reader.line_num, {k: v for k, v in row.items() if v is not None and v.strip()}))
        return rows


# -- one entry ------------------------------------------------------------------------


def _add(entries: Entries, raw: object, file: str, line: int, taxonomy: list[str], ids: dict[str, str]) -> None:
    problems: list[str] = []
    if not isinstance(raw, dict):
        entries.problem(file, line, "an entry must be a mapping of field: value")
        return
    kind = _text(raw.get("kind"))
    if kind not in settings.FIELDS:
        entries.problem(file, line, f"kind must be {settings.SELF_REPORT} or {settings.ENDORSEMENT}, got {kind!r}")
        return
    unknown = [str(k) for k in raw if k not in settings.FIELDS[kind]]
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)} (a {kind} has: {', '.join(settings.FIELDS[kind])})")
    for name in settings.REQUIRED[kind]:
        if not _text(raw.get(name)):
            problems.append(f"{name} is required")
    row = _self_report(raw, problems, taxonomy) if kind == settings.SELF_REPORT else _endorsement(raw, problems)
    entry_id = row["entry_id"]
    if entry_id in ids:
        problems.append(f"id {entry_id!r} is already used at {ids[entry_id]}")
    if problems:
        entries.problem(file, line, "; ".join(problems))
        return
    ids[entry_id] = f"{file}:{line}"
    row.update(file=file, line=line)
    (entries.self_reports if kind == settings.SELF_REPORT else entries.endorsements).append(row)


def _self_report(raw: dict, problems: list[str], taxonomy: list[str]) -> dict:
    person, title, day = _text(raw.get("person")), _text(raw.get("title")), _date(raw.get("date"), problems)
    category = _text(raw.get("category"))
    if category and category not in taxonomy:
        problems.append(f"category {category!r} is not in the taxonomy ({', '.join(taxonomy)})")
    return {
        "entry_id": _text(raw.get("id")) or _derived_id(settings.SELF_REPORT, person, day, title),
        "person_id": person,
        "report_date": day,
        "hours": _hours(raw, problems),
        "title": title,
        "description": _text(raw.get("description")),
        "category": category,
        "for_whom": _text(raw.get("for_whom")),
        "link": _text(raw.get("link")),
    }


def _endorsement(raw: dict, problems: list[str]) -> dict:
    by, about, item = _text(raw.get("by")), _text(raw.get("about")), _text(raw.get("item"))
    if by and by == about:
        problems.append("an endorsement is of someone else's work (by and about are the same person)")
    return {
        "entry_id": _text(raw.get("id")) or _derived_id(settings.ENDORSEMENT, by, about, item),
        "endorser_person_id": by,
        "endorsed_person_id": about,
        "item": item,
        "text": _text(raw.get("text")),
        "endorsed_on": _date(raw.get("date"), problems) if raw.get("date") is not None else None,
    }


def _derived_id(*parts) -> str:
    """Stable while what it is made of stays: an entry edited elsewhere keeps its id."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


def _text(value) -> str | None:
    if value is None or isinstance(value, (list, dict)):
        return None
    text = str(value).strip()
    return text or None


def _date(value, problems: list[str]) -> date | None:
    if isinstance(value, date):  # a value a caller made (YAML here leaves dates as text)
        return value
    text = _text(value)
    if not text:
        return None  # reported as required where it is
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"date {text!r} is not a date as YYYY-MM-DD")
        return None


def _hours(raw: dict, problems: list[str]) -> float | None:
    """`hours: 2.5`, or `duration: 90m / 1h30m / 1.5h`; neither: no effort of its own."""
    hours, duration = raw.get("hours"), _text(raw.get("duration"))
    if hours is not None and duration:
        problems.append("give hours or duration, not both")
        return None
    if duration:
        match = DURATION.match(duration)
        if not match or not any(match.groups()):
            problems.append(f"duration {duration!r} is not like 90m, 1h30m or 1.5h")
            return None
        value = float(match[1] or 0) + float(match[2] or 0) / 60
    elif hours is None or (isinstance(hours, str) and not hours.strip()):
        return None
    else:
        try:
            value = float(hours) if not isinstance(hours, bool) else float("nan")
        except (TypeError, ValueError):
            problems.append(f"hours {hours!r} is not a number")
            return None
    if not 0 < value <= settings.MAX_HOURS:  # NaN too
        problems.append(f"hours {value:g} is outside 0–{settings.MAX_HOURS:g}")
        return None
    return round(value, 4)
