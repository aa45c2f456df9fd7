"""What `make demo` prints at the end: rows per source table, the top findings, the paths.

Reads the published warehouse read-only, as any analyst would.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.defs.publish_dashboard import dashboard_path, packets_dir
from pipelines.settings import Settings

RAW_TABLES = """
    select table_schema, table_name from information_schema.tables
    where table_schema like 'raw\\_%' escape '\\' and table_schema not like '%\\_staging' escape '\\'
      and table_name not like '\\_dlt%' escape '\\'
    order by 1, 2
"""

# the team where one person carries the largest share of the incident work, and who
INCIDENT_SINK = """
    with load as (
        select p.team, p.display_name, sum(e.effort_hours) as hours
        from {marts}.fct_work_events e join {marts}.dim_people p on p.person_key = e.person_key
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
    from {marts}.fct_competence_trap_signals s join {marts}.dim_people p on p.person_key = s.person_key
    where s.is_flagged
    order by s.longest_trap_streak_weeks desc, p.display_name
    limit 3
"""


def print_summary(settings: Settings) -> None:
    with duckdb.connect(str(settings.published_warehouse), read_only=True) as con:
        print("\nRows loaded, per source table:")
        for schema, table in con.execute(RAW_TABLES).fetchall():
            (rows,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0]
            print(f"  {schema + '.' + table:<36} {rows:>8,}")
        marts = _schema_of(con, "fct_work_events")
        if marts:
            print("\nFindings:")
            for line in findings(con, marts):
                print(f"  - {line}")
    print("\nPublished warehouse (open it with duckdb, read-only, any time):")
    print(f"  {settings.published_warehouse}")
    for label, path in _outputs(settings.published_warehouse):
        print(f"{label}:\n  {path}")


def findings(con: duckdb.DuckDBPyConnection, marts: str) -> list[str]:
    lines = []
    sink = con.execute(INCIDENT_SINK.format(marts=marts)).fetchall()
    if sink:
        team, person, share, carriers = sink[0]
        lines.append(
            f"incident load is most concentrated in team {team}: {person} carries {share:.0%} of it "
            f"(of {carriers} people who handle incidents)"
        )
    trapped = con.execute(COMPETENCE_TRAP.format(marts=marts)).fetchall()
    if trapped:
        lines.append(
            "competence-trap signal (non-promotable work high, promotable low, weeks in a row): "
            + ", ".join(f"{name} ({team}, {weeks} weeks)" for name, team, weeks in trapped)
        )
    else:
        lines.append("no one carries the competence-trap signal")
    return lines


def _schema_of(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    rows = con.execute(
        "select table_schema from information_schema.tables where table_name = ? order by 1", [table]
    ).fetchall()
    return f'"{rows[0][0]}"' if rows else None


def _outputs(published: Path) -> list[tuple[str, Path]]:
    """The dashboard and evidence packets, where the publish step wrote them."""
    candidates = [("Dashboard", dashboard_path(published)), ("Evidence packets", packets_dir(published))]
    candidates.append(("Weekly digests", published.parent / "digests"))
    return [(label, path) for label, path in candidates if path.exists()]
