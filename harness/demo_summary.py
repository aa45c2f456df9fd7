"""What `make demo` prints at the end: rows per source table, the top findings, the paths.

Reads the published warehouse read-only, as any analyst would: the published DuckDB file, or
the Postgres database (its raw tables, and the marts of its published schema).
"""

from __future__ import annotations

from pathlib import Path

from connectors.common.warehouse import PUBLISHED_SCHEMA, open_warehouse
from pipelines.defs.publish_dashboard import dashboard_path, packets_dir
from pipelines.settings import Settings
from reports.marts import Marts, MartsError

# the team where one person carries the largest share of the incident work, and who
INCIDENT_SINK = """
    with load as (
        select p.team, p.display_name, sum(e.effort_hours) as hours
        from {m}.fct_work_events e join {m}.dim_people p on p.person_key = e.person_key
        where e.work_category = 'incident_response'
        group by p.team, p.display_name
    ), ranked as (
        select *, hours / sum(hours) over (partition by team) as share,
               count(*) over (partition by team) as carriers,
               row_number() over (partition by team order by hours desc, display_name) as place
        from load
    )
    select team, display_name, share, carriers from ranked
    where place = 1 and carriers > 1
    order by share desc limit 1
"""

# people flagged by the competence-trap signal, longest streak first
COMPETENCE_TRAP = """
    select p.display_name, p.team, s.longest_trap_streak_weeks
    from {m}.fct_competence_trap_signals s join {m}.dim_people p on p.person_key = s.person_key
    where s.is_flagged
    order by s.longest_trap_streak_weeks desc, p.display_name
    limit 3
"""


def print_summary(settings: Settings) -> None:
    destination = settings.published_destination
    with open_warehouse(destination, read_only=True) as warehouse:
        print("\nRows loaded, per source table:")
        for schema, table in warehouse.raw_tables():
            print(f"  {schema + '.' + table:<36} {warehouse.row_count(schema, table):>8,}")
    try:
        with Marts(destination) as marts:
            lines = findings(marts)
    except MartsError:  # no marts built yet: nothing to find
        lines = []
    if lines:
        print("\nFindings:")
        for line in lines:
            print(f"  - {line}")
    if settings.load.postgres is not None:
        postgres = settings.load.postgres
        print(f"\nPublished marts (schema {PUBLISHED_SCHEMA} of the PostgreSQL database, any time):")
        print(f"  postgresql://{postgres.user}@{postgres.host}:{postgres.port}/{postgres.database}")
    else:
        print("\nPublished warehouse (open it with duckdb, read-only, any time):")
        print(f"  {settings.published_warehouse}")
    for label, path in _outputs(settings.published_warehouse):
        print(f"{label}:\n  {path}")


def findings(marts: Marts) -> list[str]:
    lines = []
    sink = marts.rows(INCIDENT_SINK)
    if sink:
        team, person, share, carriers = sink[0].values()
        lines.append(
            f"incident load is most concentrated in team {team}: {person} carries {share:.0%} of it "
            f"(of {carriers} people who handle incidents)"
        )
    trapped = marts.rows(COMPETENCE_TRAP)
    if trapped:
        lines.append(
            "competence-trap signal (non-promotable work high, promotable low, weeks in a row): "
            + ", ".join(f"{name} ({team}, {weeks} weeks)" for name, team, weeks in (t.values() for t in trapped))
        )
    else:
        lines.append("no one carries the competence-trap signal")
    return lines


def _outputs(published: Path) -> list[tuple[str, Path]]:
    """The dashboard and evidence packets, where the publish step wrote them."""
    candidates = [("Dashboard", dashboard_path(published)), ("Evidence packets", packets_dir(published))]
    candidates.append(("Weekly digests", published.parent / "digests"))
    return [(label, path) for label, path in candidates if path.exists()]
