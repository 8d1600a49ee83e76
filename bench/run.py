"""python -m bench [--database sqlite|postgres] [--assistants N] [--repeats N] [--quick] [--keep]

One run, in this order:
1. a temporary directory with a fresh database (migrated) and a signed-in user: SQLite, or with
   `--database postgres` a throwaway PostgreSQL server started for the run (tests/localservers/,
   with PostgreSQL's own durability settings, as in production);
2. the sandbox as its own process (`--latency-ms 150`, `--ttl` as a safety net), seeded through
   `POST /__sandbox__/reset` with `--assistants` (2,000 unless told) assistants, 4 KB prompts,
   30 FAQ items each;
3. the sync, timed in a child process without the network (bench/sync_probe.py) against
   parsing the same bytes alone, with its peak memory; it also leaves the cache filled;
4. gunicorn with 2 workers (DEBUG off, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   WhiteNoise serving from the finders), watched by tests/localservers/watchdog.py;
5. the list page against the raw API, the Revox calls it makes, an editor save, throughput;
6. the sandbox re-seeded with 50,000 FAQ items over 2,000 assistants (10 % pending), synced,
   then the FAQ review queue and a bulk approve (run by the job worker, `manage.py jobs_worker`,
   started just before it; timed from the click to the card that shows the job finished).
Then the table, bench/results.json, and exit status 1 when a target is missed. Every process
started is stopped at the end, on failure and on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import scenarios
from bench.changes import measure_change_sets
from bench.clients import Dashboard, Sandbox
from bench.dashboard import LATENCY_MS, RUN_DEADLINE_S, dashboard_env, manage
from bench.machine import PAUSE_S, PYTHON_ROUNDS, WARN_RATIO, describe, python_speed, resume_cost
from bench.report import Report, ms
from bench.stats import summary
from tests.localservers.postgres import Postgres, start_postgres
from tests.localservers.processes import (
    PYTHON,
    REPO,
    Process,
    spawn,
    start_gunicorn,
    start_sandbox,
    start_watchdog,
)

RESULTS = {"sqlite": REPO / "bench" / "results.json",
           "postgres": REPO / "bench" / "results-postgres.json"}  # fmt: skip
WORKERS = 2
LIST_SEED = {
    "assistants": 2000,
    "faqs_per_assistant": 30,
    "pending_ratio": 0.1,
    "prompt_bytes": 4096,
}
QUEUE_SEED = {
    "assistants": 2000,
    "faqs_per_assistant": 25,
    "pending_ratio": 0.1,
    "prompt_bytes": 4096,
}
BULK_ITEMS, BULK_ASSISTANTS = 100, 20
# Into an empty cache: 2 s up to 2,000 assistants, then linear from 5 s at 10,000.
SYNC_MAX_MS_PER_ASSISTANT = 0.5
SYNC_MAX_MS = 2000
SYNC_UNCHANGED_VS_PARSE = 1.2
SYNC_MAX_RSS_MB = 250
USERNAME = "bench"


def results_path(args: argparse.Namespace) -> Path:
    """bench/results.json, or results-postgres.json; -N.json added beyond the default size."""
    path = RESULTS[args.database]
    if args.assistants != LIST_SEED["assistants"]:
        path = path.with_name(f"{path.stem}-{args.assistants}.json")
    return path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=sorted(RESULTS), default="sqlite",
                        help="the dashboard's database (default: sqlite)")  # fmt: skip
    parser.add_argument("--assistants", type=int, default=LIST_SEED["assistants"],
                        help="assistants for the sync and the list pages (default: 2,000)")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=30, help="timed repetitions per page")
    parser.add_argument("--throughput-seconds", type=float, default=10)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, for a try-out")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.throughput_seconds = 5, 3
    return args


def sync_limit_ms(assistants: int) -> float:
    return max(SYNC_MAX_MS, SYNC_MAX_MS_PER_ASSISTANT * assistants)


def measure_sync(env: dict[str, str], report: Report, repeats: int, assistants: int,
                 quick: bool) -> None:  # fmt: skip
    command = [PYTHON, "-m", "bench.sync_probe", "--repeats", str(repeats)]
    if quick:
        command.append("--skip-network-sync")
    completed = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True,
        timeout=600 + assistants * 0.05, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"the sync probe failed:\n{completed.stderr[-3000:]}")
    probe = json.loads(completed.stdout.strip().splitlines()[-1])
    initial, unchanged = summary(probe["initial_ms"]), summary(probe["unchanged_ms"])
    parse = summary(probe["parse_ms"])
    report.data["sync"] = {**probe, "initial": initial, "unchanged": unchanged, "parse": parse}
    count = probe["assistants"]
    limit = sync_limit_ms(count)
    report.check(
        f"sync of {count:,} assistants, without the network", initial["median"], limit,
        result=f"median {ms(initial['median'])} into an empty cache "
               f"({initial['median'] / count * 1000:.0f} µs each; max {ms(initial['max'])}); "
               f"the GET itself took {ms(probe['fetch_ms'])}",
        target=f"≤ {limit / 1000:.0f} s",
    )  # fmt: skip
    written = probe["unchanged_cache_rows_written"]
    report.check(
        "second sync, nothing changed: rows written", written, 0,
        result=f"{written} cache rows (only the sync time stamp)",
        target="0",
    )  # fmt: skip
    ratio = unchanged["median"] / parse["median"]
    report.check(
        "second sync, nothing changed, vs parsing the same bytes alone", ratio,
        SYNC_UNCHANGED_VS_PARSE,
        result=f"{ratio:.2f}x (median {ms(unchanged['median'])} vs {ms(parse['median'])})",
        target=f"≤ {SYNC_UNCHANGED_VS_PARSE}x",
    )  # fmt: skip
    report.check(
        "sync: peak RSS of the process", probe["peak_rss_mb"], SYNC_MAX_RSS_MB,
        result=f"{probe['peak_rss_mb']:.0f} MB ({probe['payload_mb']} MB of JSON)",
        target=f"≤ {SYNC_MAX_RSS_MB} MB",
    )  # fmt: skip


def run(args: argparse.Namespace, workdir: Path, started: list[Process | Postgres],
        report: Report) -> None:  # fmt: skip
    api_key = "bench-" + secrets.token_hex(8)
    sandbox_process, sandbox_url = start_sandbox(
        workdir=workdir, env=dict(os.environ), latency_ms=LATENCY_MS, ttl=RUN_DEADLINE_S,
        api_key=api_key,
    )  # fmt: skip
    started.append(sandbox_process)
    watched, removals = [sandbox_process], []
    database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
    if args.database == "postgres":
        print("Starting PostgreSQL …", flush=True)
        postgres = start_postgres(durable=True)
        started.append(postgres)
        watched.append(postgres.process)
        removals.append(postgres.root)
        database_url = postgres.url
    sandbox = Sandbox(sandbox_url, api_key)
    env = dashboard_env(workdir, sandbox_url, api_key, database_url)
    password = secrets.token_urlsafe(16)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(
        env,
        "ensure_admin",
        extra_env={"DJANGO_SUPERUSER_USERNAME": USERNAME, "DJANGO_SUPERUSER_PASSWORD": password},
    )

    list_seed = {**LIST_SEED, "assistants": args.assistants}
    print(f"Seeding the sandbox: {list_seed}", flush=True)
    sandbox.reset(list_seed)
    print("Timing the sync (child process) …", flush=True)
    # A sync of 50,000 takes half a minute: fewer repeats as the organisation grows.
    repeats = 1 if args.quick or args.assistants > 10_000 else 3 if args.assistants <= 2000 else 2
    measure_sync(env, report, repeats=repeats, assistants=args.assistants, quick=args.quick)

    gunicorn, url = start_gunicorn(workdir=workdir, env=env, workers=WORKERS)
    started.append(gunicorn)
    started.append(start_watchdog(
        workdir=workdir, env=env, deadline_s=RUN_DEADLINE_S, processes=[*watched, gunicorn],
        remove=tuple(removals),
    ))  # fmt: skip
    dash = Dashboard(url)
    dash.sign_in(USERNAME, password)
    print(f"Dashboard on {url} (gunicorn, {WORKERS} workers); measuring pages …", flush=True)

    warmup = 3 if args.quick else 5
    assistants = scenarios.list_page(dash, sandbox, report, repeats=args.repeats, warmup=warmup,
                                     api_repeats=3 if args.quick else 7)  # fmt: skip
    scenarios.editor_save(dash, sandbox, report, assistant=assistants[0],
                          repeats=max(5, args.repeats // 2), warmup=2)  # fmt: skip
    scenarios.throughput(dash, report, seconds=args.throughput_seconds, threads=4)

    items = QUEUE_SEED["assistants"] * QUEUE_SEED["faqs_per_assistant"]
    print(f"Re-seeding for the review queue: {QUEUE_SEED}", flush=True)
    sandbox.reset(QUEUE_SEED)
    queue_assistants, _ = sandbox.list_assistants()
    drafts = scenarios.bulk_drafts(sandbox, queue_assistants[:BULK_ASSISTANTS],
                                   per_assistant=BULK_ITEMS // BULK_ASSISTANTS)  # fmt: skip
    started_sync = time.perf_counter()
    manage(env, "sync_assistants")
    report.data["queue_seed_sync_ms"] = round((time.perf_counter() - started_sync) * 1000)
    scenarios.faq_queue(dash, sandbox, report, repeats=args.repeats, warmup=warmup,
                        items=items + drafts)  # fmt: skip
    # The job worker runs bulk actions: started only now, so that its polling of the queue
    # table costs the page measurements above nothing.
    worker = spawn("jobs-worker", [PYTHON, "manage.py", "jobs_worker", "--no-startup-delay"],
                   env=env, workdir=workdir)  # fmt: skip
    started.append(worker)
    started.append(start_watchdog(workdir=workdir, env=env, deadline_s=RUN_DEADLINE_S,
                                  processes=[worker]))  # fmt: skip
    worker.wait_for_line(re.compile(r"Jobs worker ready"), timeout=60, what="the job worker")
    scenarios.bulk_approve(dash, sandbox, report, items=drafts, assistants=BULK_ASSISTANTS)
    # Change sets last: the apply moves assistants to another model (bench/changes.py).
    measure_change_sets(env, report, preview=1000, apply=1000)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report()
    started: list[Process | Postgres] = []
    workdir = Path(tempfile.mkdtemp(prefix="revox-bench-"))

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    status = 0
    load_before = os.getloadavg()[0]
    # Before anything the run starts: how fast this machine runs Python today, and what it
    # charges a process for resuming.
    python_ms = python_speed()
    try:
        resume = resume_cost()
    except (OSError, RuntimeError, subprocess.SubprocessError) as err:
        print(f"The machine probe could not run ({err}); going on without it.", file=sys.stderr)
        resume = None
    try:
        run(args, workdir, started, report)
    except KeyboardInterrupt:
        print("\nInterrupted; stopping what was started.", file=sys.stderr)
        status = 130
    except Exception as err:
        print(f"\nThe benchmark could not finish: {err}", file=sys.stderr)
        status = 2
    finally:
        for process in reversed(started):
            process.stop()
        if args.keep or status == 2:
            print(f"Logs and database kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    report.data["settings"] = {
        "database": args.database, "latency_ms": LATENCY_MS, "workers": WORKERS, "repeats": args.repeats,
        "list_seed": {**LIST_SEED, "assistants": args.assistants}, "queue_seed": QUEUE_SEED,
    }  # fmt: skip
    # Timings are wall-clock: on a machine busy with other work they measure the queue for the
    # CPU as much as the dashboard. Say so next to the numbers.
    load = max(load_before, os.getloadavg()[0])
    cpus = os.cpu_count() or 1
    report.data["machine"] = {
        "cpus": cpus, "load_average_1min": round(load, 1), "python_ms": python_ms, "resume": resume,
    }  # fmt: skip
    if report.rows:
        report.info("machine: a fixed piece of pure-Python work",
                    f"{python_ms:.1f} ms (best of {PYTHON_ROUNDS}; compare runs by it)")  # fmt: skip
        if resume is not None:
            report.info("machine: a process's memory touched again after a pause", describe(resume))
        print("\n" + report.table())
        if load > cpus:
            print(f"\nWarning: the machine was busy (load {load:.1f} on {cpus} CPUs); the timings "
                  "above include waiting for a CPU. Run again on a quiet machine.")  # fmt: skip
        if resume is not None and resume["ratio"] >= WARN_RATIO:
            print(f"\nWarning: on this machine a process that slept {PAUSE_S * 1000:.0f} ms "
                  f"touched its memory {resume['ratio']:.0f} times slower than awake; what runs "
                  "right after a wait for Revox (a save) carries it. Run again when it is "
                  "lower.")  # fmt: skip
        results = results_path(args)
        report.write(results)
        print(f"\nFull report: {results.relative_to(REPO)}")
    if status:
        return status
    if report.failed:
        print(f"\n{len(report.failed)} target(s) missed.", file=sys.stderr)
        return 1
    return 0
