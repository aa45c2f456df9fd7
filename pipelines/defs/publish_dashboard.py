"""The built-in dashboard and the evidence packets, rebuilt from the published marts after each run.

Both read the published warehouse (read-only, as every reader does: the published DuckDB file, or
the Postgres database's published schema) and write beside the published DuckDB file's place
(LOADBEARING_PUBLISHED_WAREHOUSE): `<published dir>/dashboard/index.html` and `<published dir>/packets/`. Each is rebuilt only when
its inputs changed: the published marts (their data versions) and the dashboard's settings, or
the packets' quarter.
"""

from datetime import date
from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, DataVersion, MaterializeResult, MetadataValue, asset

from pipelines.defs.resources import LoadbearingSettings
from pipelines.defs.versions import inputs_version, is_current, skipped
from reports import build_dashboard, build_packets, dashboard_settings
from reports.marts import MARTS
from reports.packets import last_quarter

# the marts the dashboard reads, keyed as pipelines/defs/transform/dbt.py keys dbt models
MART_KEYS = [AssetKey(["marts", name]) for name in MARTS]
# they are read from the published copy, so publishing comes first
DEPS = [AssetKey(["published_warehouse"]), *MART_KEYS]


def dashboard_path(published_warehouse: Path) -> Path:
    return published_warehouse.parent / "dashboard" / "index.html"


def packets_dir(published_warehouse: Path) -> Path:
    return published_warehouse.parent / "packets"


@asset(
    deps=DEPS,
    group_name="publish",
    kinds={"html"},
    description="One self-contained HTML file (charts, data and scripts inlined; opens offline): "
    "where the hidden work goes and who carries it, by organization, team and person.",
)
def dashboard(context: AssetExecutionContext, loadbearing: LoadbearingSettings) -> MaterializeResult:
    published = loadbearing.settings.published_warehouse
    settings = dashboard_settings()
    version = inputs_version(context.instance, DEPS, repr(settings))
    if is_current(context, version, dashboard_path(published).exists()):
        context.log.info(f"{dashboard_path(published)} shows the published marts with these settings: not rebuilt")
        return skipped(version, "the published marts and the dashboard settings are those it was built from")
    path = build_dashboard(loadbearing.settings.published_destination, dashboard_path(published), settings)
    context.log.info(f"dashboard written to {path} ({settings.privacy_mode})")
    return MaterializeResult(
        data_version=DataVersion(version),
        metadata={
            "path": MetadataValue.path(str(path)),
            "bytes": path.stat().st_size,
            "privacy_mode": settings.privacy_mode,
        },
    )


@asset(
    deps=DEPS,
    group_name="publish",
    kinds={"html", "markdown"},
    description="An evidence packet (HTML printable on A4, and Markdown) for every person with hidden work "
    "last quarter: a summary for a committee (incidents, reviews, new hires, meetings run, cover, team "
    "shares, highlights), then one line per pull request, issue or meeting, each dated and linked.",
)
def evidence_packets(context: AssetExecutionContext, loadbearing: LoadbearingSettings) -> MaterializeResult:
    published = loadbearing.settings.published_warehouse
    since, until = last_quarter(date.today())
    version = inputs_version(context.instance, DEPS, f"quarter {since} {until}")
    if is_current(context, version, packets_dir(published).is_dir()):
        context.log.info(f"{packets_dir(published)} holds the packets of {since} to {until}: not rebuilt")
        return skipped(version, "the published marts and the quarter are those they were built from")
    written = build_packets(
        loadbearing.settings.published_destination, packets_dir(published), since=since, until=until
    )
    people = len(written) // 2
    context.log.info(f"{people} evidence packets for {since} to {until} in {packets_dir(published)}")
    return MaterializeResult(
        data_version=DataVersion(version),
        metadata={
            "path": MetadataValue.path(str(packets_dir(published))),
            "people": people,
            "period": f"{since} to {until}",
        },
    )
