"""`make accuracy`: how well the classification rules find the truth on an organization
they were not developed on.

    python -m pipelines.accuracy [--seed 11] [--people 60] [--teams 8] [--months 6] [--keep DIR]

Runs the daily job, through Dagster, against a sandbox organization generated from
`--seed` into a temporary warehouse, then scores fct_work_events against the
organization's ground truth (sandbox/accuracy.py) and checks the planted patterns.
A report: exits 0 whatever the scores, non-zero only when the run itself fails.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb


# one activity of docs/CONTRACTS.md, as the marts hold it, with the category it was given
PREDICTED = """
    select e.source, e.activity_type, e.object_id, p.person_id, e.work_category
    from marts.fct_work_events e join marts.dim_people p on p.person_key = e.person_key
"""
# per team and month, who carries the most of a category
TOP_PEOPLE = """
    select c.month, p.person_id
    from marts.fct_team_concentration c join marts.dim_people p on p.person_key = c.top_person_key
    where c.team = ? and c.work_category = ?
"""
COVERING_EVENTS = """
    select count(*) from marts.fct_work_events e join marts.dim_people p on p.person_key = e.person_key
    where p.person_id = ? and e.work_category = 'covering'
"""
TRAP_FLAG = """
    select coalesce(bool_or(s.is_flagged), false), coalesce(max(s.longest_trap_streak_weeks), 0)
    from marts.fct_competence_trap_signals s join marts.dim_people p on p.person_key = s.person_key
    where p.person_id = ?
"""
SINK_CATEGORIES = ("incident_response", "code_review")


@dataclass(frozen=True)
class Check:
    passed: bool
    what: str


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="loadbearing-accuracy-"))
    try:
        org, published = run_on_sandbox(args, root)
        if published is None:
            return 1
        with duckdb.connect(str(published), read_only=True) as con:
            checks = planted_checks(org.ground_truth["planted"], con)
            scores = score_report(org.ground_truth["activities"], con)
        print("\nPlanted patterns:")
        for check in checks:
            print(f"  [{'ok' if check.passed else 'MISSED'}] {check.what}")
        print(f"planted patterns found: {sum(c.passed for c in checks)} of {len(checks)}")
        print(scores)  # ends with the line `macro-F1: 0.xxx`
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def run_on_sandbox(args: argparse.Namespace, root: Path):
    """The daily job on a fresh sandbox organization; returns (org, published warehouse or None)."""
    from pipelines.demo import isolated_env, run_daily_job, use_env
    from sandbox.generate import generate_org
    from sandbox.server import SandboxServer

    print(f"accuracy: generating the organization (seed {args.seed}, {args.people} people, "
          f"{args.teams} teams, {args.months} months) in {root}", flush=True)
    org = generate_org(seed=args.seed, people=args.people, teams=args.teams, months=args.months)
    with SandboxServer(org) as server:
        env = isolated_env(org, server, root)
        use_env(env)
        print(f"accuracy: sandbox at {server.base_url}; running the daily job through Dagster", flush=True)
        succeeded = run_daily_job()
    return org, (Path(env["LOADBEARING_PUBLISHED_WAREHOUSE"]) if succeeded else None)


def score_report(activities: list[dict], con) -> str:
    """Per-category precision, recall and F1 (sandbox/accuracy.py), ending with the macro-F1 line."""
    from sandbox.accuracy import report, score

    truth = {(a["source"], a["activity_type"], str(a["object_id"]), a["person_id"]): a["category"] for a in activities}
    predicted = {(s, t, str(o), p): c for s, t, o, p, c in con.execute(PREDICTED).fetchall()}
    return "\nClassification against the ground truth:\n" + report(score(truth, predicted), truth, predicted)


def planted_checks(planted: dict, con) -> list[Check]:
    checks = []
    for sink in planted.get("incident_review_sink", []):
        for category in SINK_CATEGORIES:
            months = con.execute(TOP_PEOPLE, [sink["team"], category]).fetchall()
            on_top = sum(1 for _, person in months if person == sink["person_id"])
            leaders = [person for _, person in months]
            most = max(set(leaders), key=leaders.count) if leaders else None
            checks.append(Check(
                most == sink["person_id"],
                f"incident/review sink {sink['person_id']} is the top person for {category} in team "
                f"{sink['team']} (top in {on_top} of {len(months)} months)",
            ))
    for finisher in planted.get("pr_finisher", []):
        (covering,) = con.execute(COVERING_EVENTS, [finisher["person_id"]]).fetchall()[0]
        checks.append(Check(covering > 0, f"PR finisher {finisher['person_id']} has covering events ({covering})"))
    for trapped in planted.get("competence_trap", []):
        flagged, weeks = con.execute(TRAP_FLAG, [trapped["person_id"]]).fetchall()[0]
        checks.append(Check(flagged, f"competence-trap person {trapped['person_id']} is flagged "
                                     f"(longest streak {weeks} weeks)"))
    for shipper in planted.get("launch_shippers", []):
        flagged, weeks = con.execute(TRAP_FLAG, [shipper["person_id"]]).fetchall()[0]
        checks.append(Check(not flagged, f"launch shipper {shipper['person_id']} is not flagged "
                                         f"(longest streak {weeks} weeks)"))
    return checks


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pipelines.accuracy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=11, help="a seed the rules were not developed on (default 11)")
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--teams", type=int, default=8)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--keep", metavar="DIR", help="keep the warehouse and logs in DIR instead of a temporary folder")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
