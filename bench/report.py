"""bench/results.json and the markdown table bench/results.md."""

from __future__ import annotations

import json
from pathlib import Path

BENCH_DIR = Path(__file__).parent


def _get(result: dict, *keys, default=None):
    for key in keys:
        if not isinstance(result, dict) or key not in result:
            return default
        result = result[key]
    return result


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


ROWS = [  # (label, function of one size's result)
    ("activities (ground truth)", lambda r: r["activities"]),
    ("activities per person-year", lambda r: r["activities_per_person_year"]),
    ("raw rows expected (sandbox counts)", lambda r: r["raw_rows_expected"]),
    ("raw rows loaded", lambda r: _get(r, "backfill", "raw_rows")),
    ("rows in marts.fct_work_events", lambda r: _get(r, "backfill", "work_events")),
    ("backfill: wall time of the job process, s", lambda r: _get(r, "backfill", "wall_s")),
    ("backfill: steps sandbox -> marts, s", lambda r: _get(r, "backfill", "sandbox_to_marts_s")),
    ("backfill: connectors (4 steps), s", lambda r: _get(r, "backfill", "ingest_s")),
    ("backfill: activities/s end to end (wall)", lambda r: _per_s(r["activities"], _get(r, "backfill", "wall_s"))),
    ("backfill: peak RSS of the process tree, MB", lambda r: _get(r, "backfill", "peak_rss_mb")),
    ("backfill: HTTP requests", lambda r: _get(r, "backfill", "requests")),
    ("minimum requests for the same data", lambda r: sum(x["minimum"] for x in r.get("requests", [])) or None),
    ("requests / minimum", lambda r: _ratio(r)),
    ("sandbox: requests/s served to one client", lambda r: _get(r, "floor", "sandbox_requests_per_s")),
    ("sandbox: share of the connectors' time", lambda r: _get(r, "floor", "sandbox_share_of_ingest")),
    ("floor: read_json of the saved pages, s", lambda r: _get(r, "floor", "read_json_s")),
    ("floor: read_json + dbt build, s", lambda r: _get(r, "floor", "floor_s")),
    ("pipeline local processing (connectors - serving + dbt), s", lambda r: _get(r, "floor", "pipeline_local_s")),
    ("pipeline local / floor", lambda r: _get(r, "floor", "ratio_to_floor")),
    ("connectors local / read_json", lambda r: _get(r, "floor", "ingest_ratio_to_read_json")),
    ("activities/s, local processing", lambda r: _get(r, "floor", "activities_per_s_local")),
    ("dbt build, full (backfill), s", lambda r: _get(r, "backfill", "dbt_s")),
    ("dbt build, daily (one-day change), s", lambda r: _get(r, "daily_one_day", "dbt_s")),
    ("daily, no change: wall s", lambda r: _get(r, "daily_no_change", "wall_s")),
    ("daily, no change: dbt step (inputs compared, build skipped), s", lambda r: _get(r, "daily_no_change", "dbt_s")),
    ("daily, no change: requests (304s)", lambda r: _with_304(_get(r, "daily_no_change"))),
    ("daily, no change: list streams (1 request each is the least)", lambda r: r.get("list_streams")),
    ("daily, no change: raw rows touched", lambda r: _get(r, "daily_no_change", "rows_touched")),
    ("daily, one-day change: wall s", lambda r: _get(r, "daily_one_day", "wall_s")),
    ("daily, one-day change: requests (304s)", lambda r: _with_304(_get(r, "daily_one_day"))),
    ("daily, one-day change: raw rows touched", lambda r: _get(r, "daily_one_day", "rows_touched")),
    ("daily, one-day change: peak RSS, MB", lambda r: _get(r, "daily_one_day", "peak_rss_mb")),
]


MEANINGS = [
    "**activities**: the generated organization's ground-truth activities (docs/CONTRACTS.md); a complete "
    "backfill ends with as many rows in `marts.fct_work_events` (see the notes where it does not).",
    "**wall time** is the job's process from start to exit: Dagster starting (~10–15 s), the four connector steps, "
    "`dbt build`, publishing the warehouse, the dashboard and the evidence packets; **steps sandbox -> marts** is "
    "the connector steps plus the dbt step (the steps run one after another: one warehouse pool slot).",
    "**peak RSS**: the largest sum of VmRSS over the job's process and all its children (dbt runs as one), "
    "polled from /proc every 0.1 s.",
    "**minimum requests**: from the sandbox's item counts and each endpoint's largest page size (GitHub "
    "GraphQL: a page of 100 pull requests with their nested lists, plus a query per further page of a list "
    "longer than 100); an issue's own worklog and comment lists only when it has more than the search inlines.",
    "**sandbox requests/s**: the backfill's GETs and GraphQL queries replayed by one client on one keep-alive "
    "connection (a GraphQL page of 100 pull requests with their reviews, commits and files takes ~0.1 s); its "
    "**share of the connectors' time** is that replay's duration over the connector steps' duration.",
    "**floor**: the same pages saved as files (a JSON-lines file per endpoint, a page a line), read by DuckDB "
    "`read_json` into a table per endpoint, plus the same `dbt build` (the backfill's dbt step). **pipeline "
    "local processing** = connector steps - the sandbox's serving time for the same requests + the dbt step.",
    "**daily, no change**: the job run again on an unchanged sandbox; **one-day change**: after "
    "`org.advance_day()`. **raw rows touched**: raw rows whose `_dlt_load_id` is one of the run's loads "
    "(inserted or merged; the roster is replaced every run).",
    "**dbt build, daily**: every model is a table but the classification, which is incremental, so a daily "
    "build with any change rebuilds the rest (without the unit tests, which `make test` runs). A run whose "
    "inputs are unchanged (raw rows by content after the retention step, the dbt project, the privacy settings, "
    "the retention window) skips the build, and the publishing steps skip when theirs are "
    "(pipelines/defs/transform/unchanged.py, pipelines/defs/versions.py): the no-change run's dbt step is "
    "that comparison.",
]


def _per_s(count, seconds):
    return round(count / seconds) if seconds else None


def _ratio(result: dict):
    rows = result.get("requests") or []
    least = sum(x["minimum"] for x in rows)
    return round(sum(x["requests"] for x in rows) / least, 3) if least else None


def _with_304(run: dict | None):
    return None if not run else f"{run['requests']:,} ({run['not_modified_304']:,})"


def _largest_first(result: dict) -> tuple:
    """The most people; of those, the 12-month history the targets speak of."""
    return result["people"], result["months"] == 12, result["months"]


def targets(results: list[dict]) -> list[dict]:
    """Each target of issue 7 against the largest organization that has the figure."""

    def largest(key_path):
        found = [r for r in results if _get(r, *key_path) is not None]
        return max(found, key=_largest_first) if found else None

    out = []

    def add(name, result, value, limit, met, unit=""):
        where = f"{result['people']} people x {result['months']} months" if result else "not measured"
        out.append({"target": name, "measured_on": where, "value": value, "limit": limit, "met": met, "unit": unit})

    r = largest(("requests",))
    if r:
        over = [x["endpoint"] for x in r["requests"] if not x["within_target"]]
        add(
            "backfill requests <= 1.05 x minimum + 1 per stream",
            r,
            _ratio(r),
            "1.05 (+1 per stream)",
            not over,
            "x minimum" + (f"; over on {', '.join(over)}" if over else ""),
        )
    r = largest(("daily_no_change", "requests"))
    if r:
        d = r["daily_no_change"]
        add(
            "no-change day: one request per stream",
            r,
            d["requests"],
            r["list_streams"],
            d["requests"] <= r["list_streams"],
            f"requests ({d['not_modified_304']} answered 304)",
        )
        add("no-change daily run <= 15 s wall", r, d["wall_s"], 15, d["wall_s"] <= 15, "s")
    r = largest(("daily_one_day", "wall_s"))
    if r:
        add(
            "one-day-change daily run <= 60 s wall",
            r,
            r["daily_one_day"]["wall_s"],
            60,
            r["daily_one_day"]["wall_s"] <= 60,
            "s",
        )
    twelve = next((x for x in results if x["people"] == 200 and x["months"] == 12 and _get(x, "daily_one_day")), None)
    longer = next((x for x in results if x["people"] == 200 and x["months"] == 24 and _get(x, "daily_one_day")), None)
    if twelve and longer:
        ratio = round(longer["daily_one_day"]["wall_s"] / twelve["daily_one_day"]["wall_s"], 2)
        add("daily run, 24 months <= 1.3 x 12 months (200 people)", longer, ratio, 1.3, ratio <= 1.3, "x")
    r = largest(("floor", "activities_per_s_local"))
    if r:
        f = r["floor"]
        add(
            ">= 10,000 activities/s local processing",
            r,
            f["activities_per_s_local"],
            10_000,
            f["activities_per_s_local"] >= 10_000,
            "activities/s",
        )
        add("local processing <= 5 x DuckDB floor", r, f["ratio_to_floor"], 5, f["ratio_to_floor"] <= 5, "x floor")
    peak = [x for x in results if _get(x, "backfill", "peak_rss_mb")]
    if peak:
        r = max(peak, key=lambda x: x["people"] * x["months"])
        add("peak RSS <= 1 GB", r, r["backfill"]["peak_rss_mb"], 1024, r["backfill"]["peak_rss_mb"] <= 1024, "MB")
    return out


def write(document: dict, folder: Path = BENCH_DIR) -> None:
    document["targets"] = targets(document["results"])
    (folder / "results.json").write_text(json.dumps(document, indent=2) + "\n")
    (folder / "results.md").write_text(markdown(document))


def markdown(document: dict) -> str:
    results = document["results"]
    lines = [
        "# `make bench` results",
        "",
        f"Run {document['started']} – {document['finished']} UTC on {document['machine']['cores']} cores; "
        f"load average before / after: {document['machine']['load_before']} / {document['machine']['load_after']} "
        "(other jobs shared the machine: timings are noisy). Peak RSS polled from /proc every 0.1 s "
        "(psutil is not installed).",
        "",
    ]
    lines += [
        "| figure | " + " | ".join(f"{r['people']} ppl × {r['months']} mo" for r in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    for label, figure in ROWS:
        cells = []
        for r in results:
            try:
                cells.append(_fmt(figure(r)))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Targets (issue 7)",
        "",
        "| target | measured on | value | limit | met |",
        "|---|---|---:|---:|---|",
    ]
    for t in document["targets"]:
        lines.append(
            f"| {t['target']} | {t['measured_on']} | {_fmt(t['value'])} {t['unit']} | {_fmt(t['limit'])} | "
            f"{'yes' if t['met'] else '**no**'} |"
        )
    biggest = max((r for r in results if r.get("requests")), key=_largest_first, default=None)
    if biggest and _get(biggest, "backfill", "rss_at_peak_mb"):
        lines += [
            "",
            f"## Peak RSS by process ({biggest['people']} people × {biggest['months']} months, backfill)",
            "",
            "| process | MB at the peak |",
            "|---|---:|",
        ]
        for name, mb in sorted(biggest["backfill"]["rss_at_peak_mb"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| `{name.split(' ', 1)[1]}` | {mb:,} |")
    if biggest:
        lines += [
            "",
            f"## Backfill requests per endpoint ({biggest['people']} people × {biggest['months']} months)",
            "",
            "| source | endpoint | requests | minimum | streams | ratio | within 1.05 x min + streams |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for x in biggest["requests"]:
            lines.append(
                f"| {x['source']} | `{x['endpoint']}` | {x['requests']:,} | {x['minimum']:,} | "
                f"{_fmt(x.get('streams'))} | {_fmt(x['ratio'])} | {'yes' if x['within_target'] else '**no**'} |"
            )
    lines += ["", "## What the figures mean", ""] + [f"- {m}" for m in MEANINGS]
    if document.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in document["notes"]]
    failed = [r for r in results if r.get("error")]
    for r in failed:
        lines += ["", f"**{r['people']} people × {r['months']} months failed**:", "", "```", r["error"][-1500:], "```"]
    return "\n".join(lines) + "\n"
