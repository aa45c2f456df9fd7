"""The Friday digest: one person's week, as Markdown, HTML and an email-ready plain text.

The week's work split into promotion-track and hidden, by category with hours, against the
person's own target (the organization's when the roster sets none; none at all for someone not
seeking promotion), the 12-week trend, the items behind it, and one suggested move when the
competence-trap signal is on: which recurring duty to hand over, and to whom
(fct_rotation_suggestions). Colleagues are named only in named privacy mode, else by key.

    python -m reports.digest [--week 2026-11-27] [--person p012 ...]
                             [--warehouse warehouse/loadbearing.duckdb] [--out warehouse/digests]
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from markupsafe import Markup

from reports.build import add_document_arguments, write_atomically
from reports.dataset import categories
from reports.evidence import ItemGroup, group_items, hours, md, read_items, share, slug
from reports.marts import Marts
from reports.packets import marks, resolve_person
from reports.render import content_security_policy, templates

TREND_WEEKS = 12
PEOPLE = "select * from {m}.dim_people"
LATEST_WEEK = "select max(week_start) as week from {m}.fct_person_weekly_allocation where week_start <= ?"
WEEKS = """
    select person_key, week_start, work_category as category, is_promotable, events, effort_hours as hours
    from {m}.fct_person_weekly_allocation where week_start >= ? and week_start <= ?
"""
TRAP = "select person_key, is_flagged, longest_trap_streak_weeks as streak from {m}.fct_competence_trap_signals"
# the concentrated duties of the last three months and who could take each over
ROTATION = """
    select r.team, r.month, r.work_category as category, r.top_person_key, r.top_person_share, r.person_key,
           r.suggestion_rank, r.category_hours, r.hidden_hours_per_week
    from {m}.fct_rotation_suggestions r
    where r.month >= ? and r.month <= ?
"""
# hidden duties that came back at least three times in the trend's weeks: what could be handed over
RECURRING = """
    select person_key, work_category as category, title, count(*) as times, sum(effort_hours) as hours
    from {m}.fct_work_events
    where occurred_at_local >= ? and occurred_at_local < ? and is_promotable = false and title is not null
    group by person_key, work_category, title
    having count(*) >= 3
"""


@dataclass
class Category:
    id: str
    label: str
    kind: str
    events: int = 0
    hours: float = 0.0
    groups: list[ItemGroup] = field(default_factory=list)


@dataclass
class TrendWeek:
    week_start: date
    promotable_hours: float
    hidden_hours: float

    @property
    def share(self) -> float | None:
        attributed = self.promotable_hours + self.hidden_hours
        return self.promotable_hours / attributed if attributed else None


@dataclass
class Digest:
    person_key: str
    name: str
    team: str
    week_start: date
    categories: list[Category]
    trend: list[TrendWeek]
    self_reports: list[ItemGroup]
    target: float | None
    personal_target: bool
    seeks_promotion: bool
    move: str | None = None

    @property
    def week_label(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def dates(self) -> str:
        return f"{self.week_start:%d %b} to {self.week_start + timedelta(days=6):%d %b %Y}"

    @property
    def promotable(self) -> list[Category]:
        return [c for c in self.categories if c.kind == "promotable" and c.events]

    @property
    def hidden(self) -> list[Category]:
        return [c for c in self.categories if c.kind == "hidden" and c.events]

    @property
    def this_week(self) -> TrendWeek:
        return self.trend[-1]

    @property
    def subject(self) -> str:
        return f"Your week {self.week_label}: {self.split}"

    @property
    def split(self) -> str:
        week = self.this_week
        return f"{hours(week.promotable_hours)} promotion-track, {hours(week.hidden_hours)} hidden"

    @property
    def against_target(self) -> str:
        """The week's share against the person's own target, or no target for someone not seeking promotion."""
        week = self.this_week
        if not self.seeks_promotion:
            return (
                "You are not seeking promotion, so there is no target: this is what your work held up this week "
                f"({hours(week.hidden_hours)} of reliability, mentoring and stewardship)."
            )
        if week.share is None:
            return "No promotion-track or hidden work was recorded this week."
        whose = "your own target" if self.personal_target else "the organization's target"
        side = "at or above" if week.share >= self.target else "below"
        return f"Promotion-track share {share(week.share)}, {side} {whose} of {share(self.target)}."

    @property
    def trend_summary(self) -> str:
        shares = [w.share for w in self.trend if w.share is not None]
        if not shares:
            return f"No attributed work in the last {len(self.trend)} weeks."
        average = sum(shares) / len(shares)
        text = f"{len(self.trend)}-week average promotion-track share {share(average)}"
        if self.seeks_promotion:
            reached = sum(s >= self.target for s in shares)
            text += f"; {reached} of {len(shares)} weeks with work at or above the target"
        return text + "."


def latest_week(marts: Marts, today: date) -> date | None:
    """The Monday of the latest week with work, not after today's week."""
    monday = today - timedelta(days=today.weekday())
    week = marts.rows(LATEST_WEEK, [monday.isoformat()])[0]["week"]
    return date.fromisoformat(week) if week else None


def build_digests(
    warehouse_path: Path,
    out_dir: Path,
    week: date | None = None,
    people: list[str] | None = None,
    named: bool = False,
    today: date | None = None,
) -> list[Path]:
    """Write `<week_start>/<key>.md`, `.html` and `.txt` for each person (default: everyone who
    worked that week; default week: the latest with work). Returns the paths written."""
    with Marts(warehouse_path) as marts:
        week_start = week - timedelta(days=week.weekday()) if week else latest_week(marts, today or date.today())
        if week_start is None:
            return []
        roster = marts.rows(PEOPLE)
        read = Week.read(marts, week_start)
    chosen = [resolve_person(roster, who) for who in people] if people else roster
    names = {p["person_key"]: p.get("display_name") or p["person_key"] for p in roster} if named else {}
    written = []
    for person in chosen:
        digest = read.digest(person, names)
        if people or digest.this_week.share is not None:
            written += write_digest(digest, Path(out_dir) / week_start.isoformat())
    return written


@dataclass
class Week:
    """Everything the week's digests show, read in six queries for everyone."""

    week_start: date
    categories: list[dict]
    weeks: dict[str, list[dict]]
    items: dict[str, list[dict]]
    flagged: set[str]
    rotation: list[dict]
    recurring: dict[str, list[dict]]

    @classmethod
    def read(cls, marts: Marts, week_start: date) -> Week:
        first = week_start - timedelta(weeks=TREND_WEEKS - 1)
        end = week_start + timedelta(days=6)
        return cls(
            week_start,
            categories(marts),
            _by_person(marts.rows(WEEKS, [first.isoformat(), week_start.isoformat()])),
            read_items(marts, week_start, end),
            {row["person_key"] for row in marts.rows(TRAP) if row["is_flagged"]},
            marts.rows(ROTATION, [(week_start - timedelta(days=92)).isoformat(), week_start.isoformat()]),
            _by_person(marts.rows(RECURRING, [first.isoformat(), (end + timedelta(days=1)).isoformat()])),
        )

    def digest(self, person: dict, names: dict[str, str]) -> Digest:
        key = person["person_key"]
        shown = {c["id"]: Category(c["id"], c["label"], c["kind"]) for c in self.categories}
        trend = {self.week_start - timedelta(weeks=n): [0.0, 0.0] for n in reversed(range(TREND_WEEKS))}
        for row in self.weeks.get(key, []):
            week = date.fromisoformat(row["week_start"])
            if row["is_promotable"] is not None:
                trend[week][0 if row["is_promotable"] else 1] += row["hours"]
            if week == self.week_start:
                shown[row["category"]].events, shown[row["category"]].hours = row["events"], row["hours"]
        items = self.items.get(key, [])
        for group in group_items([i for i in items if not i["self_reported"]]):
            shown[group.category].groups.append(group)
        return Digest(
            key,
            person.get("display_name") or key,
            person["team"],
            self.week_start,
            list(shown.values()),
            [TrendWeek(week, promotable, hidden) for week, (promotable, hidden) in trend.items()],
            group_items([i for i in items if i["self_reported"] or i["endorsed_by_n"]]),
            target=person.get("target_promotable_share"),
            personal_target=bool(person.get("has_personal_target")),
            seeks_promotion=person.get("seeks_promotion") is not False,
            move=self.move(key, shown, names) if key in self.flagged else None,
        )

    def move(self, key: str, shown: dict[str, Category], names: dict[str, str]) -> str:
        """One suggested move for someone the trap signal flags: a recurring duty to hand over, and to whom."""
        carried = [r for r in self.rotation if r["top_person_key"] == key]
        if carried:
            latest = max(r["month"] for r in carried)
            top = max(
                (r for r in carried if r["month"] == latest), key=lambda r: (r["top_person_share"], r["category"])
            )
            category = top["category"]
        else:
            load: dict[str, float] = {}
            for row in self.weeks.get(key, []):
                if row["is_promotable"] is False:
                    load[row["category"]] = load.get(row["category"], 0) + row["hours"]
            if not load:
                return "Ask your manager which of your hidden duties someone else could take on in turn."
            category = max(load, key=lambda c: (load[c], c))
        label = shown[category].label.lower()
        duties = sorted(
            (r for r in self.recurring.get(key, []) if r["category"] == category),
            key=lambda r: (-r["times"], r["title"]),
        )
        duty = (
            f'the recurring "{duties[0]["title"]}" ({duties[0]["times"]} times in {TREND_WEEKS} weeks, '
            f"{hours(duties[0]['hours'])})"
            if duties
            else f"part of your {label}"
        )
        if not carried:
            return f"Hand over {duty}: {label} is the largest part of your hidden work in the last {TREND_WEEKS} weeks."
        successor = min(
            (r for r in carried if r["month"] == latest and r["category"] == category),
            key=lambda r: r["suggestion_rank"],
        )
        who = names.get(successor["person_key"], successor["person_key"])
        return (
            f"Hand over {duty} to {who}: you carried {share(top['top_person_share'])} of the {top['team']} team's "
            f"{label} in {str(latest)[:7]}; {who} did {hours(successor['category_hours'])} of it in the last 90 days "
            f"and carries {successor['hidden_hours_per_week']:.1f} h of hidden work a week."
        )


def _by_person(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["person_key"], []).append(row)
    return grouped


def write_digest(digest: Digest, out_dir: Path) -> list[Path]:
    css = (Path(__file__).parent / "templates" / "packet.css").read_text(encoding="utf-8")
    page = templates.get_template("digest.html.j2").render(
        digest=digest, css=Markup(css), csp=content_security_policy([], [css]), hours=hours, share=share, marks=marks
    )
    stem = slug(digest.person_key)
    return [
        write_atomically(out_dir / f"{stem}.html", page),
        write_atomically(out_dir / f"{stem}.md", digest_markdown(digest)),
        write_atomically(out_dir / f"{stem}.txt", digest_text(digest)),
    ]


def digest_markdown(digest: Digest) -> str:
    lines = [
        f"# Your week {digest.week_label}: {md(digest.name)} ({md(digest.team)})",
        "",
        f"{digest.dates}: {digest.split}. {md(digest.against_target)}",
        "",
    ]
    if digest.move:
        lines += [f"**Suggested move:** {md(digest.move)}", ""]
    lines += ["| Category | Kind | Items | Hours |", "|---|---|---:|---:|"]
    lines += [
        f"| {md(c.label)} | {c.kind} | {c.events} | {hours(c.hours)} |" for c in digest.promotable + digest.hidden
    ]
    lines += ["", f"## The last {len(digest.trend)} weeks", "", md(digest.trend_summary), ""]
    lines += ["| Week | Promotion-track | Hidden | Share |", "|---|---:|---:|---:|"]
    lines += [
        f"| {w.week_start} | {hours(w.promotable_hours)} | {hours(w.hidden_hours)} | {share(w.share)} |"
        for w in digest.trend
    ]
    for heading, chosen in (("Promotion-track work", digest.promotable), ("Hidden work", digest.hidden)):
        if chosen:
            lines += ["", f"## {heading}"]
        for category in chosen:
            lines += ["", f"### {md(category.label)} ({hours(category.hours)})", ""]
            lines += [_line(g) for g in category.groups] or [f"- {category.events} items, no entries recorded"]
    if digest.self_reports:
        lines += ["", "## Self-reported and endorsed", ""] + [_line(g) for g in digest.self_reports]
    return "\n".join(lines) + "\n"


def _line(group: ItemGroup) -> str:
    notes = "".join(f" ({md(note)})" for note in marks(group))
    link = f" ([source](<{group.url}>))" if group.url else ""
    return f"- {group.dates}: {md(group.description)}{notes}{link}"


def digest_text(digest: Digest, width: int = 76) -> str:
    """Plain text to paste into an email: a Subject line, then lines of at most `width` characters."""

    def para(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=" " * len(indent)) or [""]

    lines = [f"Subject: {digest.subject}", ""]
    lines += para(f"{digest.name} ({digest.team}), {digest.dates}.")
    lines += [""] + para(f"{digest.split}. {digest.against_target}")
    if digest.move:
        lines += [""] + para(f"Suggested move: {digest.move}")
    lines += ["", "This week by category:"]
    lines += [f"  {c.label[:36]:<36} {c.kind:<10} {hours(c.hours):>8}" for c in digest.promotable + digest.hidden]
    lines += ["", f"The last {len(digest.trend)} weeks (promotion-track share):"]
    for week in digest.trend:
        filled = 0 if week.share is None else round(week.share * 20)
        lines.append(f"  {week.week_start}  {share(week.share):>4}  {'#' * filled}{'.' * (20 - filled)}")
    lines += para(digest.trend_summary)
    for category in digest.promotable + digest.hidden:
        lines += ["", f"{category.label} ({hours(category.hours)}):"]
        for group in category.groups:
            notes = "".join(f" ({note})" for note in marks(group))
            lines += para(f"{group.dates}: {group.description}{notes}", "  - ")
            if group.url:
                lines.append(f"    {group.url}")
    if digest.self_reports:
        lines += ["", "Self-reported and endorsed:"]
        for group in digest.self_reports:
            lines += para(f"{group.dates}: {group.description}{''.join(f' ({n})' for n in marks(group))}", "  - ")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    from connectors.common.settings import SettingsError
    from reports.marts import MartsError
    from reports.settings import dashboard_settings

    parser = argparse.ArgumentParser(prog="python -m reports.digest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--week", type=date.fromisoformat, help="any day of the week (default: the latest with work)")
    parser.add_argument("--person", action="append", help="person_key, person_id or exact name (default: everyone)")
    add_document_arguments(parser, "digests", "<week start>/<key>.md, .html and .txt")
    args = parser.parse_args(argv)
    try:
        named = dashboard_settings().named
        written = build_digests(args.warehouse, args.out, week=args.week, people=args.person, named=named)
    except (MartsError, SettingsError, ValueError) as exc:
        print(f"digest: {exc}", file=sys.stderr)
        return 2
    print(f"{len(written) // 3} digests in {written[0].parent}" if written else "no work recorded: no digest written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
