"""One organization size measured end to end: backfill, request counts against the minimum, the
DuckDB floor, a daily run with no change and one after the sandbox adds a day."""

from __future__ import annotations

import gc
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import floor, minimum, warehouse
from bench.deployment import JobRun, bench_deployed, run_measured
from harness.deployment import JobDeployment
from pipelines.settings import DEFAULT_RETENTION_DAYS

INGEST_STEPS = ("github", "jira", "calendar", "people")
NOT_WORK = ("published_warehouse", "dashboard", "evidence_packets")  # after the marts: not sandbox -> marts


@dataclass(frozen=True)
class Size:
    people: int
    months: int
    history_only: bool = False  # only the backfill and the one-day-change daily run (the 24-month comparison)
    daily: bool = True  # False: the backfill and the floor only (trying a setting)
    floor: bool = True  # False: no replay of the backfill's pages (a large size's time budget)

    @property
    def teams(self) -> int:
        return max(2, self.people // 8)

    @property
    def label(self) -> str:
        return f"{self.people} people x {self.months} months"


def measure(size: Size, seed: int = 7, log=print) -> dict:
    from sandbox.generate import generate_org

    log(f"bench: {size.label}: generating the organization")
    started = time.monotonic()
    org = generate_org(seed=seed, people=size.people, teams=size.teams, months=size.months)
    # the org lives as long as the sandbox serves it: left to the collector, each full collection
    # rescans it, a pause of 0.5-1.5 s every few GraphQL pages served
    gc.freeze()
    truth = org.ground_truth
    result = {
        "people": size.people,
        "months": size.months,
        "teams": size.teams,
        "seed": seed,
        "generate_s": round(time.monotonic() - started, 1),
        "activities": len(truth["activities"]),
        "activities_per_person_year": round(len(truth["activities"]) / size.people / (size.months / 12)),
        "raw_rows_expected": sum(truth["counts"].values()),
        "list_streams": minimum.list_streams(org),
    }
    try:
        with (
            tempfile.TemporaryDirectory(prefix="loadbearing-bench-") as tmp,
            bench_deployed(org, Path(tmp)) as deployment,
        ):
            # the whole history stays: the default retention (400 days) would prune a 24-month history to 13
            deployment.env["LOADBEARING_RETENTION_DAYS"] = str(max(DEFAULT_RETENTION_DAYS, size.months * 31 + 31))
            log(f"bench: {size.label}: full backfill through the daily job")
            backfill = run_measured(deployment)
            result["backfill"] = run_summary(backfill)
            if not backfill.ok:
                result["error"] = backfill.output[-4000:]
                return result
            result["backfill"]["raw_rows"] = warehouse.raw_rows(deployment.working)
            result["backfill"]["work_events"] = warehouse.work_events(deployment.working)
            result["requests"] = request_table(backfill.requests, minimum.minimum_requests(org))
            if size.floor and not size.history_only:
                log(f"bench: {size.label}: the sandbox's pages again, and DuckDB's read_json on them")
                result["floor"] = floor_figures(deployment, backfill, Path(tmp) / "pages", result["activities"])
            if not size.daily:
                return result
            if not size.history_only:
                log(f"bench: {size.label}: a daily run with no change")
                result["daily_no_change"] = daily(deployment)
            log(f"bench: {size.label}: the sandbox adds a day; the daily run")
            org.advance_day()
            result["daily_one_day"] = daily(deployment)
        return result
    finally:
        gc.unfreeze()  # frozen objects are never freed: DuckDB's bindings would report them as leaks at exit


def run_summary(run: JobRun) -> dict:
    work_s = sum(s for step, s in run.steps.items() if step not in NOT_WORK)
    return {
        "ok": run.ok,
        "wall_s": round(run.wall_s, 1),
        "peak_rss_mb": round(run.peak_rss_mb),
        "rss_at_peak_mb": run.rss_at_peak_mb,
        "requests": len(run.requests),
        "not_modified_304": sum(1 for r in run.requests if r.status == 304),
        "statuses": dict(Counter(str(r.status) for r in run.requests)),
        "steps_s": run.steps,
        "ingest_s": round(sum(run.steps.get(s, 0) for s in INGEST_STEPS), 1),
        "dbt_s": run.steps.get("dbt"),
        # the job's steps up to the marts; the rest of the wall time is Dagster starting and the publish steps
        "sandbox_to_marts_s": round(work_s, 1),
    }


def request_table(log, needed: minimum.Needed) -> list[dict]:
    """Requests per endpoint against the minimum; the target allows 5 % more and one more per stream."""
    actual = minimum.actual_requests(log)
    rows = []
    for template in sorted(set(actual) | set(needed.requests)):
        got, least, streams = actual.get(template, 0), needed.requests[template], needed.streams[template]
        rows.append(
            {
                "source": minimum.source_of(template),
                "endpoint": template,
                "requests": got,
                "minimum": least,
                "streams": streams,
                "ratio": round(got / least, 3) if least else None,
                "within_target": got <= 1.05 * least + streams,
            }
        )
    return rows


def floor_figures(deployment: JobDeployment, backfill: JobRun, folder: Path, activities: int) -> dict:
    served = floor.replay(deployment.server, backfill.requests, folder)
    read_s, rows = floor.read_pages(folder)
    summary = run_summary(backfill)
    dbt_s = summary["dbt_s"] or 0.0
    # the connectors' steps minus the time the sandbox needs to serve the same pages to one client
    ingest_local_s = max(0.0, summary["ingest_s"] - served.seconds)
    local_s = ingest_local_s + dbt_s
    floor_s = read_s + dbt_s
    return {
        "sandbox_requests_per_s": round(served.per_second),
        "sandbox_serving_s": round(served.seconds, 1),
        "sandbox_megabytes": round(served.megabytes, 1),
        "sandbox_share_of_ingest": round(served.seconds / summary["ingest_s"], 2) if summary["ingest_s"] else None,
        "read_json_s": round(read_s, 2),
        "read_json_rows": rows,
        "ingest_local_s": round(ingest_local_s, 1),
        "pipeline_local_s": round(local_s, 1),
        "floor_s": round(floor_s, 1),
        "ratio_to_floor": round(local_s / floor_s, 2) if floor_s else None,
        "ingest_ratio_to_read_json": round(ingest_local_s / read_s, 1) if read_s else None,
        "activities_per_s_local": round(activities / local_s) if local_s else None,
        "activities_per_s_floor": round(activities / floor_s) if floor_s else None,
    }


def daily(deployment: JobDeployment) -> dict:
    before = warehouse.load_ids(deployment.working)
    run = run_measured(deployment)
    summary = run_summary(run)
    summary["by_endpoint"] = dict(sorted(minimum.actual_requests(run.requests).items()))
    if run.ok:
        written = warehouse.rows_written(deployment.working, before)
        summary["rows_touched"] = sum(written.values())
        summary["rows_touched_by_table"] = {t: n for t, n in written.items() if n}
    else:
        summary["error"] = run.output[-4000:]
    return summary
