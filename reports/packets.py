"""Evidence packets: one person's hidden work in a period, written for a promotion committee,
as HTML (printable to PDF on A4) and Markdown.

First a summary a committee reads in half a page: the figures with their context (incidents
handled and how many at night, reviews given and for how many colleagues, new hires
supported, meetings run, work covered for others), the person's share of their team's load,
and a few highlighted items. Then the items, one line per pull request, issue or meeting
series with what was done to it, each linked; self-reported entries and endorsed items in a
section of their own, never mixed with what the tools recorded.

The packet follows the person's roster settings (dim_people): for someone seeking promotion it
gives the period's promotion-track share against their own target (the organization's when the
roster sets none); for someone not seeking promotion it is a record of value instead, with no
target: what their reliability, mentoring and stewardship work came to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from markupsafe import Markup

from reports.build import write_atomically
from reports.dataset import categories
from reports.evidence import ItemGroup, day, group_items, highlights, hours, md, read_items, share, slug, web_url
from reports.marts import Marts, MartsError
from reports.render import content_security_policy, templates

__all__ = ["build_packets", "last_period", "last_quarter", "md", "web_url", "PERIODS"]

PERSON = "select * from {m}.dim_people"
# everyone's load per category in the period (days on each person's clock) and their team's: sums
# over the period's days of fct_person_daily_load. Read once for all packets: a query per person
# would make the step grow with people x history
LOAD = """
    with period as (
        select * from {m}.fct_person_daily_load where day >= ? and day <= ?
    ),
    team as (
        select team, work_category, sum(effort_hours) as team_hours from period group by team, work_category
    )
    select p.person_key, p.work_category as category, sum(p.events) as events, sum(p.effort_hours) as hours,
           max(t.team_hours) as team_hours, sum(p.effort_hours) / nullif(max(t.team_hours), 0) as team_share
    from period p join team t on t.team = p.team and t.work_category = p.work_category
    group by p.person_key, p.work_category
"""
PERIODS = {"month": 1, "quarter": 3, "half": 6, "year": 12}  # the last complete one, in months


@dataclass
class Section:
    category: str
    label: str
    kind: str
    events: int = 0
    hours: float = 0.0
    team_hours: float | None = None
    team_share: float | None = None
    items: list[dict] = field(default_factory=list)

    @property
    def groups(self) -> list[ItemGroup]:
        """What the tools recorded, one line per object; self-reports have their own section."""
        return group_items([i for i in self.items if not i["self_reported"]])


@dataclass
class Figure:
    headline: str  # "42 reviews given"
    context: str  # "on 30 pull requests, for 6 colleagues; 28% of the team's code review"


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
    def recorded(self) -> list[dict]:
        """The hidden items the tools recorded (not self-reported)."""
        return [i for s in self.hidden for i in s.items if not i["self_reported"]]

    @property
    def figures(self) -> list[Figure]:
        """The summary's figures, each with its context; a figure with nothing behind it is left out."""
        section = {s.category: s for s in self.hidden}
        items = self.recorded

        def of_team(category: str) -> str:
            found = section.get(category)
            return f"; {share(found.team_share)} of the team's {found.label.lower()}" if found else ""

        def colleagues(chosen: list[dict]) -> int:
            return len({i["counterpart"] for i in chosen if i["counterpart"]})

        figures = []
        hidden_hours = sum(s.hours for s in self.hidden)
        team_hours = sum(s.team_hours or 0 for s in self.hidden)
        if hidden_hours:
            figures.append(
                Figure(
                    f"{hours(hidden_hours)} of hidden work",
                    f"{share(hidden_hours / team_hours if team_hours else None)} of the hidden work of "
                    f"team {self.team} in these categories ({hours(team_hours)})",
                )
            )
        incidents = [i for i in items if i["category"] == "incident_response"]
        if incidents:
            sleep = sum(i["time_band"] == "sleep" for i in incidents)
            off = sum(i["time_band"] == "off_hours" for i in incidents)
            figures.append(
                Figure(
                    _many(len(group_items(incidents)), "incident handled", "incidents handled"),
                    f"{_many(len(incidents), 'action', 'actions')}: {sleep} at night (22–08), {off} in the evening "
                    f"or at the weekend{of_team('incident_response')}",
                )
            )
        reviews = [i for i in items if i["activity_type"] == "review_submitted"]
        if reviews:
            figures.append(
                Figure(
                    _many(len(reviews), "review given", "reviews given"),
                    f"on {_many(len(group_items(reviews)), 'pull request', 'pull requests')}, for "
                    f"{_many(colleagues(reviews), 'colleague', 'colleagues')}{of_team('code_review')}",
                )
            )
        onboarding = [i for i in items if i["category"] == "onboarding_mentoring"]
        if onboarding:
            supported = colleagues(onboarding)
            figures.append(
                Figure(
                    _many(supported, "new hire supported", "new hires supported")
                    if supported
                    else _many(len(onboarding), "onboarding or mentoring item", "onboarding and mentoring items"),
                    f"{hours(sum(i['hours'] or 0 for i in onboarding))} of onboarding and mentoring"
                    f"{of_team('onboarding_mentoring')}",
                )
            )
        meetings = [i for i in items if i["activity_type"] == "meeting_organized"]
        if meetings:
            series = [g for g in group_items(meetings) if len(g.items) > 1]
            figures.append(
                Figure(
                    _many(len(meetings), "meeting run", "meetings run"),
                    f"{_many(len(series), 'recurring series', 'recurring series')}; "
                    f"{hours(sum(i['hours'] or 0 for i in meetings))} in all",
                )
            )
        covering = [i for i in items if i["category"] == "covering"]
        if covering:
            figures.append(
                Figure(
                    _many(len(group_items(covering)), "item covered for others", "items covered for others"),
                    f"{_many(len(covering), 'action', 'actions')} for "
                    f"{_many(colleagues(covering), 'colleague', 'colleagues')}{of_team('covering')}",
                )
            )
        reported = self.self_reports
        if reported:
            figures.append(
                Figure(
                    _many(len(reported), "self-reported or endorsed entry", "self-reported or endorsed entries"),
                    "listed apart at the end, not counted in the figures above",
                )
            )
        return figures

    @property
    def highlights(self) -> list[ItemGroup]:
        return highlights([g for s in self.hidden for g in s.groups])

    @property
    def self_reports(self) -> list[ItemGroup]:
        """Entries the person wrote, and recorded items colleagues endorsed: marked, apart."""
        marked = [i for s in self.hidden for i in s.items if i["self_reported"] or i["endorsed_by_n"]]
        return sorted(group_items(marked), key=lambda g: g.first)

    @property
    def stem(self) -> str:
        return f"{slug(self.person_key)}_{self.since.isoformat()}_{self.until.isoformat()}"


# the record of value (as fct_competence_trap_signals sums it): stewardship is every other hidden category
VALUE_GROUPS = (
    ("Reliability (incident response)", {"incident_response"}),
    ("Mentoring (onboarding and mentoring)", {"onboarding_mentoring"}),
    ("Stewardship (reviews, maintenance, documentation, coordination, hiring, covering)", None),
)
GROUPED = set().union(*(c for _, c in VALUE_GROUPS if c))


def last_period(today: date, period: str = "quarter") -> tuple[date, date]:
    """The last complete calendar month, quarter, half or year before today: (first day, last day)."""
    months = PERIODS[period]
    this_one = date(today.year, months * ((today.month - 1) // months) + 1, 1)
    last_day = this_one - timedelta(days=1)
    return date(last_day.year, months * ((last_day.month - 1) // months) + 1, 1), last_day


def last_quarter(today: date) -> tuple[date, date]:
    return last_period(today, "quarter")


def build_packets(
    warehouse_path: Path,
    out_dir: Path,
    people: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
    period: str = "quarter",
) -> list[Path]:
    """Write `<key>_<since>_<until>.html` and `.md` for each person (default: everyone with
    hidden work in the period; default period: the last complete `period`). Returns the paths written."""
    if since is None and until is None:
        since, until = last_period(today or date.today(), period)
    until = until or (today or date.today())
    since = since or until - timedelta(days=91)
    if since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    written = []
    with Marts(warehouse_path) as marts:
        roster = marts.rows(PERSON)
        chosen = [resolve_person(roster, who) for who in people] if people else roster
        read = Period.read(marts, since, until)
        for person in chosen:
            packet = read.packet(person)
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
    """Everyone's load, their team's and their hidden items in one period, read in three queries."""

    since: date
    until: date
    categories: list[dict]
    load: dict[str, list[dict]]
    items: dict[str, list[dict]]

    @classmethod
    def read(cls, marts: Marts, since: date, until: date) -> Period:
        load: dict[str, list[dict]] = {}
        for row in marts.rows(LOAD, [since.isoformat(), until.isoformat()]):
            load.setdefault(row["person_key"], []).append(row)
        hidden = {
            key: [i for i in items if i["is_promotable"] is False]
            for key, items in read_items(marts, since, until).items()
        }
        return cls(since, until, categories(marts), load, hidden)

    def packet(self, person: dict) -> Packet:
        key = person["person_key"]
        sections = {c["id"]: Section(c["id"], c["label"], c["kind"]) for c in self.categories}
        for row in self.load.get(key, []):
            section = sections[row["category"]]
            # a sum of counts is numeric on PostgreSQL
            section.events, section.hours = int(row["events"]), row["hours"]
            section.team_hours, section.team_share = row["team_hours"], row["team_share"]
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
        when=day,
        hours=hours,
        share=share,
        marks=marks,
        self_reports_note=SELF_REPORTS_NOTE,
    )
    return [
        write_atomically(out_dir / f"{packet.stem}.html", page),
        write_atomically(out_dir / f"{packet.stem}.md", packet_markdown(packet)),
    ]


# beside an item whose category nothing in it stated (a default guess, fct_work_events.evidence)
GUESSED_NOTE = "category guessed: no label, type, file or title said what it was"


def marks(group: ItemGroup) -> list[str]:
    """The notes beside an item's line: a guessed category, a self-report, endorsements."""
    notes = [GUESSED_NOTE] if group.guessed else []
    if group.self_reported:
        notes.append("self-reported")
    if group.endorsed_by_n:
        notes.append(f"endorsed by {_many(group.endorsed_by_n, 'colleague', 'colleagues')}")
    return notes


def group_line(group: ItemGroup) -> str:
    """One Markdown list item: dates, what, the notes, hours when several, the link."""
    notes = "".join(f" ({md(note)})" for note in marks(group))
    effort = f" ({hours(group.hours)})" if len(group.items) > 1 else ""
    link = f" ([source](<{group.url}>))" if group.url else ""
    return f"- {group.dates}: {md(group.description)}{notes}{effort}{link}"


def packet_markdown(packet: Packet) -> str:
    lines = [
        f"# {packet.title}: {md(packet.name)} ({md(packet.team)})",
        "",
        f"Work from {day(packet.since)} to {day(packet.until)}: the summary first, then item by item, "
        "the hidden work that promotion systems do not see.",
        "",
        md(packet.framing),
        "",
        "## Summary",
        "",
    ]
    lines += [f"- **{md(f.headline)}**: {md(f.context)}" for f in packet.figures]
    if not packet.seeks_promotion:
        lines += ["", "Record of value:", ""]
        lines += [f"- {md(what)}: {hours(spent)}, {items} items" for what, spent, items in packet.record_of_value]
    if packet.highlights:
        lines += ["", "Highlights:", ""] + [group_line(g) for g in packet.highlights]
    lines += ["", "| Category | Kind | Items | Hours | Share of the team's load |", "|---|---|---:|---:|---:|"]
    lines += [
        f"| {md(s.label)} | {s.kind} | {s.events} | {hours(s.hours)} | {share(s.team_share)} |" for s in packet.summary
    ]
    if not packet.hidden:
        lines.append("| (no hidden work recorded in this period) | | | | |")
    for section in packet.hidden:
        lines += ["", f"## {md(section.label)}", ""]
        lines += [group_line(g) for g in section.groups] or [
            f"- {section.events} items, no individual entries recorded"
        ]
    if packet.self_reports:
        lines += ["", "## Self-reported and endorsed", "", SELF_REPORTS_NOTE, ""]
        lines += [group_line(g) for g in packet.self_reports]
    return "\n".join(lines) + "\n"


SELF_REPORTS_NOTE = (
    "Entries the person wrote about their own work, and recorded items colleagues endorsed: "
    "what no tool records, kept apart from the figures above."
)


def _many(n: int, one: str, several: str) -> str:
    return f"{n} {one if n == 1 else several}"
