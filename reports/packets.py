"""Evidence packets: one person's hidden work in a period, as HTML and Markdown, ready to paste.

A summary (hours and counts per category, and the person's share of their team's load; the
promotable categories too, so the hidden work is seen against the whole), then one section
per hidden category, each item dated, in the past tense, with its link.

The packet follows the person's roster settings (dim_people): for someone seeking promotion it
gives the period's promotion-track share against their own target (the organization's when the
roster sets none); for someone not seeking promotion it is a record of value instead, with no
target: what their reliability, mentoring and stewardship work came to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from reports.build import write_atomically
from reports.dataset import categories
from reports.marts import Marts, MartsError
from reports.render import content_security_policy, templates

PERSON = "select * from {m}.dim_people"
# everyone's load per category in the period (days on each person's clock) and their share of their
# team's: sums over the period's days of fct_person_daily_load. Read once for all packets: a query per
# person would make the step grow with people x history
LOAD = """
    with period as (
        select * from {m}.fct_person_daily_load where day >= ? and day <= ?
    ),
    team as (
        select team, work_category, sum(effort_hours) as team_hours from period group by team, work_category
    )
    select p.person_key, p.work_category as category, sum(p.events) as events, sum(p.effort_hours) as hours,
           sum(p.effort_hours) / nullif(max(t.team_hours), 0) as team_share
    from period p join team t on t.team = p.team and t.work_category = p.work_category
    group by p.person_key, p.work_category
"""
ITEMS = """
    select i.person_key, coalesce(e.occurred_at_local, i.occurred_at) as occurred_at,
           i.work_category as category, i.description, i.source_url as url, i.is_default_guess as guessed
    from {m}.fct_evidence_items i left join {m}.fct_work_events e on e.event_key = i.evidence_key
    where coalesce(e.occurred_at_local, i.occurred_at) >= ?
      and coalesce(e.occurred_at_local, i.occurred_at) < ?
    order by i.person_key, 2, i.description, i.source_url
"""


@dataclass
class Section:
    category: str
    label: str
    kind: str
    events: int = 0
    hours: float = 0.0
    team_share: float | None = None
    items: list[dict] = field(default_factory=list)


@dataclass
class Packet:
    person_key: str
    name: str
    team: str
    since: date
    until: date
    sections: list[Section]
    target: float | None = None  # dim_people.target_promotable_share
    personal_target: bool = False  # the roster sets it (not the organization's default)
    seeks_promotion: bool = True

    @property
    def promotable_share(self) -> float | None:
        """Promotable hours over promotable and hidden hours (`other` is not attributed)."""
        promotable = sum(s.hours for s in self.sections if s.kind == "promotable")
        attributed = promotable + sum(s.hours for s in self.sections if s.kind == "hidden")
        return promotable / attributed if attributed else None

    @property
    def title(self) -> str:
        return "Evidence packet" if self.seeks_promotion else "Record of value"

    @property
    def framing(self) -> str:
        """One sentence on what the packet is for, by the person's intent and target."""
        if not self.seeks_promotion:
            return (
                f"{self.name} is not seeking promotion: this is a record of the value of their work, not a "
                "competence-trap alarm, and it measures them against no target."
            )
        whose = "their own target" if self.personal_target else "the organization's target"
        share = self.promotable_share
        if share is None or self.target is None:
            return "No promotable or hidden work was attributed in this period."
        return f"Promotion-track share of the period: {share:.0%}, against {whose} of {self.target:.0%}."

    @property
    def record_of_value(self) -> list[tuple[str, float, int]]:
        """(what, hours, items) of reliability, mentoring and stewardship work in the period."""
        record = []
        for what, group in VALUE_GROUPS:
            chosen = [s for s in self.hidden if (s.category in group if group else s.category not in GROUPED)]
            record.append((what, sum(s.hours for s in chosen), sum(s.events for s in chosen)))
        return record

    @property
    def hidden(self) -> list[Section]:
        return [s for s in self.sections if s.kind == "hidden" and (s.events or s.items)]

    @property
    def summary(self) -> list[Section]:
        """Every category the person worked in, promotable first; `other` is not attributed."""
        return [s for s in self.sections if s.kind == "promotable" and s.events] + self.hidden

    @property
    def stem(self) -> str:
        return f"{_slug(self.person_key)}_{self.since.isoformat()}_{self.until.isoformat()}"


# the record of value (as fct_competence_trap_signals sums it): stewardship is every other hidden category
VALUE_GROUPS = (
    ("Reliability (incident response)", {"incident_response"}),
    ("Mentoring (onboarding and mentoring)", {"onboarding_mentoring"}),
    ("Stewardship (reviews, maintenance, documentation, coordination, hiring, covering)", None),
)
GROUPED = set().union(*(c for _, c in VALUE_GROUPS if c))


def last_quarter(today: date) -> tuple[date, date]:
    """The last complete calendar quarter before today: (first day, last day)."""
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_day = this_quarter - timedelta(days=1)
    return date(last_day.year, 3 * ((last_day.month - 1) // 3) + 1, 1), last_day


def build_packets(
    warehouse_path: Path,
    out_dir: Path,
    people: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
) -> list[Path]:
    """Write `<key>_<since>_<until>.html` and `.md` for each person (default: everyone with
    hidden work in the period; default period: last quarter). Returns the paths written."""
    if since is None and until is None:
        since, until = last_quarter(today or date.today())
    until = until or (today or date.today())
    since = since or until - timedelta(days=91)
    if since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    written = []
    with Marts(warehouse_path) as marts:
        roster = marts.rows(PERSON)
        chosen = [resolve_person(roster, who) for who in people] if people else roster
        period = Period.read(marts, since, until)
        for person in chosen:
            packet = period.packet(person)
            if people or packet.hidden:
                written += write_packet(packet, Path(out_dir))
    return written


def resolve_person(roster: list[dict], who: str) -> dict:
    """A person by key, by roster id (when the mart carries it) or by their exact display name."""
    for column in ("person_key", "person_id"):
        match = [p for p in roster if str(p.get(column, "")) == who]
        if match:
            return match[0]
    named = [p for p in roster if (p.get("display_name") or "").casefold() == who.casefold()]
    if len(named) == 1:
        return named[0]
    raise MartsError(
        f"--person {who!r}: no such person in dim_people"
        + (" (several people have that name: use their person_key)" if named else " (use a person_key or person_id)")
    )


@dataclass
class Period:
    """Everyone's load, their share of their team's and their evidence items in one period, read in
    three queries."""

    since: date
    until: date
    categories: list[dict]
    load: dict[str, list[dict]]
    items: dict[str, list[dict]]

    @classmethod
    def read(cls, marts: Marts, since: date, until: date) -> Period:
        def by_person(sql: str, bounds: list[str]) -> dict[str, list[dict]]:
            grouped: dict[str, list[dict]] = {}
            for row in marts.rows(sql, bounds):
                grouped.setdefault(row["person_key"], []).append(row)
            return grouped

        days = [since.isoformat(), until.isoformat()]
        instants = [since.isoformat(), (until + timedelta(days=1)).isoformat()]
        return cls(since, until, categories(marts), by_person(LOAD, days), by_person(ITEMS, instants))

    def packet(self, person: dict) -> Packet:
        key = person["person_key"]
        sections = {c["id"]: Section(c["id"], c["label"], c["kind"]) for c in self.categories}
        for row in self.load.get(key, []):
            section = sections[row["category"]]
            section.events, section.hours, section.team_share = row["events"], row["hours"], row["team_share"]
        for item in self.items.get(key, []):
            sections[item["category"]].items.append(item)
        return Packet(
            key,
            person.get("display_name") or key,
            person["team"],
            self.since,
            self.until,
            list(sections.values()),
            target=person.get("target_promotable_share"),
            personal_target=bool(person.get("has_personal_target")),
            seeks_promotion=person.get("seeks_promotion") is not False,
        )


def write_packet(packet: Packet, out_dir: Path) -> list[Path]:
    html = templates.get_template("packet.html.j2")
    css = (Path(__file__).parent / "templates" / "packet.css").read_text(encoding="utf-8")
    page = html.render(
        packet=packet,
        css=Markup(css),
        csp=content_security_policy([], [css]),
        when=_day,
        hours=_hours,
        share=_share,
        web_url=web_url,
        guessed_note=GUESSED_NOTE,
    )
    return [
        write_atomically(out_dir / f"{packet.stem}.html", page),
        write_atomically(out_dir / f"{packet.stem}.md", packet_markdown(packet)),
    ]


# beside an item whose category nothing in it stated (a default guess, fct_work_events.evidence)
GUESSED_NOTE = "category guessed: no label, type, file or title said what it was"


def packet_markdown(packet: Packet) -> str:
    lines = [
        f"# {packet.title}: {md(packet.name)} ({md(packet.team)})",
        "",
        f"Work from {_day(packet.since)} to {_day(packet.until)}; below the summary, item by item, the hidden "
        "work that promotion systems do not see.",
        "",
        md(packet.framing),
        "",
    ]
    if not packet.seeks_promotion:
        lines += [f"- {md(what)}: {_hours(hours)}, {items} items" for what, hours, items in packet.record_of_value]
        lines.append("")
    lines += ["| Category | Kind | Items | Hours | Share of the team's load |", "|---|---|---:|---:|---:|"]
    lines += [
        f"| {md(s.label)} | {s.kind} | {s.events} | {_hours(s.hours)} | {_share(s.team_share)} |"
        for s in packet.summary
    ]
    if not packet.hidden:
        lines.append("| (no hidden work recorded in this period) | | | | |")
    for section in packet.hidden:
        lines += ["", f"## {md(section.label)}", ""]
        for item in section.items:
            url = web_url(item["url"])
            link = f" ([source](<{url}>))" if url else ""
            guessed = f" ({GUESSED_NOTE})" if item.get("guessed") else ""
            lines.append(
                f"- {_day(item['occurred_at'])}: {md(item['description'] or _untitled(section))}{guessed}{link}"
            )
        if not section.items:
            lines.append(f"- {section.events} items, no individual entries recorded")
    return "\n".join(lines) + "\n"


# what could start markup, raw HTML or a table cell mid-line; `&` only where it would start an entity
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")


def md(text: str) -> str:
    """Literal text in Markdown (one line): markup and raw HTML are escaped, so they show as typed."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def web_url(url: str | None) -> str | None:
    """An http(s) link, percent-encoded so it cannot break out of a Markdown link or an attribute."""
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def _untitled(section: Section) -> str:
    return f"{section.label}: an item without a title (private)"


def _day(value) -> str:
    return str(value)[:10]


def _hours(value: float) -> str:
    return f"{value:.1f} h"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "person"
