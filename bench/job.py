"""The daily job in this process (as `make demo` runs it), then its step durations written as
JSON to the file named by $BENCH_STEPS_FILE: what the benchmark runs as a child process."""

import json
import os
import sys

from harness.demo import run_daily_job


def step_seconds() -> dict[str, float]:
    from dagster import DagsterInstance

    with DagsterInstance.get() as instance:
        run = instance.get_runs(limit=1)[0]
        return {
            s.step_key: round(s.end_time - s.start_time, 2)
            for s in instance.get_run_step_stats(run.run_id)
            if s.end_time and s.start_time
        }


if __name__ == "__main__":
    ok = run_daily_job()
    with open(os.environ["BENCH_STEPS_FILE"], "w") as f:
        json.dump(step_seconds(), f)
    sys.exit(0 if ok else 1)
