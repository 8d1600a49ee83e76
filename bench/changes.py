"""python -m bench.changes [--database sqlite|postgres] [--preview N] [--apply M]

The change sets' measurements on their own (the full benchmark runs them too, at its end): a
sandbox with 150 ms of latency and N assistants, the dashboard's database migrated and its
cache synced, then bench/changes_probe.py in the dashboard's environment. Prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.clients import Sandbox
from bench.dashboard import LATENCY_MS, RUN_DEADLINE_S, dashboard_env, manage
from bench.report import Report, ms
from bench.stats import summary
from tests.localservers.postgres import start_postgres
from tests.localservers.processes import PYTHON, REPO, start_sandbox

PREVIEW_MAX_MS = 2000
APPLY_MAX_RATIO = 1.5  # "close to" the ideal: within half again


def measure_change_sets(env: dict[str, str], report: Report, *, preview: int, apply: int) -> None:
    completed = subprocess.run(
        [PYTHON, "-m", "bench.changes_probe", "--preview", str(preview), "--apply", str(apply),
         "--latency-ms", str(LATENCY_MS)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"the change set probe failed:\n{completed.stderr[-3000:]}")
    probe = json.loads(completed.stdout.strip().splitlines()[-1])
    timing = summary(probe["preview_ms"])
    report.data["change_sets"] = {**probe, "preview": timing}
    report.check(
        f"change set preview over {probe['preview_items']:,} assistants", timing["median"],
        PREVIEW_MAX_MS,
        result=f"median {ms(timing['median'])} (max {ms(timing['max'])}), from the local copy",
        target=f"≤ {PREVIEW_MAX_MS / 1000:.0f} s",
    )  # fmt: skip
    report.check(
        f"change set apply over {probe['apply_items']} assistants at {LATENCY_MS:.0f} ms",
        probe["ratio"], APPLY_MAX_RATIO,
        result=f"{ms(probe['apply_ms'])} vs 2 × {probe['apply_items']} × {LATENCY_MS:.0f} ms ÷ "
               f"{probe['concurrency']} = {ms(probe['ideal_ms'])}: ratio {probe['ratio']} "
               f"({probe['apply_outcomes']})",
        target=f"ratio ≤ {APPLY_MAX_RATIO}",
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.changes")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--preview", type=int, default=1000)
    parser.add_argument("--apply", type=int, default=1000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="revox-bench-changes-"))
    started = []
    api_key = "bench-" + secrets.token_hex(8)
    report = Report()
    try:
        process, url = start_sandbox(workdir=workdir, env=dict(os.environ), latency_ms=LATENCY_MS,
                                     ttl=RUN_DEADLINE_S, api_key=api_key)  # fmt: skip
        started.append(process)
        database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
        if args.database == "postgres":
            postgres = start_postgres(durable=True)
            started.append(postgres)
            database_url = postgres.url
        env = dashboard_env(workdir, url, api_key, database_url)
        manage(env, "migrate", "--no-input", "-v", "0")
        Sandbox(url, api_key).reset(
            {"assistants": args.preview, "faqs_per_assistant": 5, "prompt_bytes": 2048}
        )
        manage(env, "sync_assistants")
        measure_change_sets(env, report, preview=args.preview, apply=args.apply)
    finally:
        for process in reversed(started):
            process.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"database: {args.database}; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(report.table())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
