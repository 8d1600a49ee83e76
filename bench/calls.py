"""python -m bench.calls [--database sqlite|postgres] [--calls N] [--assistants N] [--repeats N]

The call record at scale (issue 22), in one process:
1. a fresh database (SQLite in a temporary directory, or a throwaway PostgreSQL server with its
   own durability settings), migrated; the sandbox on a thread with the demo seed, its 13
   assistants synced into the cache;
2. `--assistants` more assistants in the cache (copies of a demo one) and `--calls` recorded
   calls over them (default 500,000 over 2,000: 250 each over 30 days, four versions each, so
   outcomes per change has four versions to set against each other), written straight into the
   tables: reading 500,000 calls from the sandbox would take its own hour;
3. the pages, through Django's test client in this process (the server's own time, no HTTP):
   all calls, page 1 and page 50; one assistant's calls, unfiltered and filtered by outcome;
   one assistant's outcomes per change — each `--repeats` times, a different assistant each time;
4. the incremental refresh finding 1,000 new calls: the demo's calls read from the sandbox
   first, then the newest 1,000 forgotten and read again — timed twice: against the sandbox
   (Revox's answers included), and against the same pages replayed from memory (the dashboard's
   own time: what it does with 1,000 calls, whatever Revox takes to answer).
Prints a table (medians, p95) against the targets and writes bench/results-calls[-postgres].json;
exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIST_MEDIAN_MS = 30
OUTCOMES_MEDIAN_MS = 100
REFRESH_1000_MS = 2000
OUTCOMES = ["interested", "completed", "requested_callback_later", "not_interested", ""]
WEIGHTS = [[18, 15, 27, 25, 15], [30, 20, 15, 20, 15], [12, 10, 33, 30, 15], [20, 15, 25, 25, 15]]
SUMMARY = {
    "interested": "{who} was interested and agreed to go ahead.",
    "completed": "{who} answered every question and the call reached its goal.",
    "requested_callback_later": "{who} was busy and asked to be called back tomorrow afternoon.",
    "not_interested": "{who} said they were not interested and asked not to be called again.",
    "": "",
}
NAMES = ["Emma", "Lucas", "Tom", "Alex", "Priya", "Jordan", "Noah", "Maria", "Sam", "Lea"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.calls", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--calls", type=int, default=500_000)
    parser.add_argument("--assistants", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--profile-refresh",
        action="store_true",
        help="skip the pages; print where the replayed refresh spends its time",
    )
    return parser.parse_args(argv)


def setup_django(database_url: str, sandbox) -> None:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "revox_admin.settings", "DATABASE_URL": database_url,
        "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver,127.0.0.1", "REVOX_API_URL": sandbox.api_url,
        "REVOX_API_KEY": sandbox.api_key,
    })  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_assistants(count: int) -> list[str]:
    """`count` assistants in the cache, copies of the first demo assistant."""
    from django.utils import timezone

    from assistants import snapshot
    from assistants.cache.rows import assistant_columns, assistants_insert
    from assistants.cache.services import assistants_sync
    from assistants.models import Assistant

    assistants_sync()
    template = Assistant.objects.order_by("id").first().data
    now = timezone.now()
    rows, ids = [], []
    for n in range(count):
        data = {**template, "id": str(uuid.UUID(int=n + 1)), "name": f"Bench assistant {n + 1}"}
        columns = assistant_columns(
            data, digest=snapshot.content_hash(data), voice_names={}, now=now
        )
        rows.append(Assistant(revox_id=data["id"], **columns))
        ids.append(data["id"])
    for start in range(0, len(rows), 500):
        assistants_insert(rows[start : start + 500])
    return ids


def seed_calls(assistant_ids: list[str], total: int) -> None:
    """`total` calls spread over the assistants, written with executemany in batches."""
    from django.db import connection, transaction

    from assistants.calls.models import Call, CallConfiguration

    rng = random.Random(22)
    per = max(1, total // len(assistant_ids))
    # Older than the demo's history (about a month back), so that the newest 1,000 calls of the
    # record are the demo's, as the refresh scenario needs.
    end = datetime.now(UTC) - timedelta(days=60)
    span = timedelta(days=30).total_seconds()
    configurations = []
    fields = [f for f in Call._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Names from the model, values as parameters.
    sql = f"INSERT INTO {Call._meta.db_table} ({columns}) VALUES ({marks})"  # noqa: S608
    data = json.dumps({"status": "completed", "direction": "outbound", "bench": True})
    made = 0
    batch: list[tuple] = []

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        batch.clear()

    for a, assistant_id in enumerate(assistant_ids):
        count = per if a < len(assistant_ids) - 1 else total - made
        start = end - timedelta(seconds=span)
        versions = [start + timedelta(days=d) for d in (0, 8, 15, 22)]
        for k in range(len(versions)):
            configurations.append(CallConfiguration(
                digest=f"bench-{a}-{k}", assistant_revox_id=assistant_id,
                data={"id": assistant_id, "first_sentence": f"Hello, version {k + 1}.",
                      "voice": {"provider": "elevenlabs", "id": "v", "speed": 1 + k / 20}},
            ))  # fmt: skip
        for _ in range(count):
            created = start + timedelta(seconds=rng.random() * span)
            k = max(i for i, v in enumerate(versions) if v <= created)
            outcome = rng.choices(OUTCOMES, WEIGHTS[k])[0]
            answered = outcome != "" or rng.random() < 0.3
            duration = rng.randint(20, 240) if answered else rng.randint(3, 15)
            values = {
                "revox_id": str(uuid.UUID(int=(a + 1) << 32 | made)), "assistant_revox_id": assistant_id,
                "assistant_name": f"Bench assistant {a + 1}", "status": "completed", "outcome": outcome,
                "result": "human" if answered else rng.choice(["voicemail", ""]), "direction": "outbound",
                "to_phone_number": f"+1415555{rng.randint(0, 9999):04d}",
                "summary": SUMMARY[outcome].format(who=rng.choice(NAMES)), "created_at": created,
                "started_at": created, "ended_at": created + timedelta(seconds=duration),
                "duration_seconds": duration, "answered": answered, "required_fields": 3,
                "required_captured": rng.randint(1, 3) if answered else 0, "version_at": versions[k],
                "config_digest": f"bench-{a}-{k}", "final": True, "tried_changes": False,
                "data": data,
                "refreshed_at": end,
            }  # fmt: skip
            batch.append(tuple(f.get_db_prep_save(values[f.attname], connection)
                               for f in fields))  # fmt: skip
            made += 1
            if len(batch) >= 5000:
                flush()
    if batch:
        flush()
    CallConfiguration.objects.bulk_create(configurations, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(function, repeats: int) -> list[float]:
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        function(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure_pages(assistant_ids: list[str], repeats: int) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x" * 20)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    rng = random.Random(5)
    picks = [rng.choice(assistant_ids) for _ in range(repeats)]

    def get(url: str, **query) -> None:
        response = client.get(url, query)
        assert response.status_code == 200, (url, response.status_code)

    pages = {
        "calls page (all, page 1)": lambda i: get("/calls/"),
        "calls page (all, page 50)": lambda i: get("/calls/", page=50),
        "calls page (all, outcome=interested)": lambda i: get("/calls/", outcome="interested"),
        "an assistant's calls": lambda i: get(f"/assistants/{picks[i]}/calls/"),
        "an assistant's calls, outcome + dates": lambda i: get(
            f"/assistants/{picks[i]}/calls/",
            outcome="interested",
            date_from=(datetime.now(UTC) - timedelta(days=75)).date().isoformat(),
        ),
        "outcomes per change": lambda i: get(f"/assistants/{picks[i]}/outcomes/"),
    }
    for measure in pages.values():  # warm the caches once
        measure(0)
    return {name: timed(measure, repeats) for name, measure in pages.items()}


class ReplayClient:
    """Answers POST /call/search with pages read once from the sandbox: no waiting on Revox."""

    def __init__(self, pages: dict[int, object]) -> None:
        self.pages = pages

    def search_calls(self, params):
        return self.pages[params["page"]]


def measure_refresh(repeats: int) -> dict[str, list[float]]:
    from assistants.calls.models import Call, CallSyncState
    from assistants.calls.refresh import _search_params, calls_refresh
    from assistants.revox import get_client

    calls_refresh()  # the demo's calls, into the big record
    client = get_client()
    recorded = {p: client.search_calls(_search_params(page=p)) for p in range(1, 13)}

    def forget_newest_1000() -> None:
        newest = list(
            Call.objects.order_by("-created_at", "-id").values_list("pk", flat=True)[:1000]
        )
        Call.objects.filter(pk__in=newest).delete()
        top = Call.objects.order_by("-created_at", "-id").first().created_at
        CallSyncState.objects.filter(pk=1).update(
            synced_through=top, resume_page=0, resume_newest=None
        )

    results: dict[str, list[float]] = {"refresh, 1,000 new calls (sandbox)": [],
                                       "refresh, 1,000 new calls (dashboard's own)": []}  # fmt: skip
    for _ in range(repeats):
        for name, source in (("refresh, 1,000 new calls (sandbox)", None),
                             ("refresh, 1,000 new calls (dashboard's own)", ReplayClient(recorded))):  # fmt: skip
            forget_newest_1000()
            started = time.perf_counter()
            result = calls_refresh(client=source) if source else calls_refresh()
            results[name].append((time.perf_counter() - started) * 1000)
            assert result.new == 1000, result
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(REPO))
    from sandbox.server import start_in_thread

    workdir = Path(tempfile.mkdtemp(prefix="bench-calls-"))
    postgres = None
    sandbox = start_in_thread(seed="demo", api_key="bench-key")
    try:
        if args.database == "postgres":
            from tests.localservers.postgres import start_postgres

            postgres = start_postgres(durable=True)
            url = postgres.url
        else:
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        setup_django(url, sandbox)
        import logging

        logging.disable(logging.INFO)
        started = time.perf_counter()
        ids = seed_assistants(args.assistants)
        seed_calls(ids, args.calls)
        print(f"seeded {args.calls:,} calls over {args.assistants:,} assistants "
              f"in {time.perf_counter() - started:.0f} s ({args.database})")  # fmt: skip
        if args.profile_refresh:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            results = measure_refresh(1)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)
        else:
            results = measure_pages(ids, args.repeats)
            results.update(measure_refresh(max(3, args.repeats // 10)))
    finally:
        sandbox.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    targets = {
        name: LIST_MEDIAN_MS for name in results if "calls" in name and "refresh" not in name
    }
    targets["outcomes per change"] = OUTCOMES_MEDIAN_MS
    targets["refresh, 1,000 new calls (dashboard's own)"] = REFRESH_1000_MS
    missed = []
    print(f"\n{'scenario':44} {'median ms':>10} {'p95 ms':>8} {'target':>8}")
    table = {}
    for name, times in results.items():
        median = statistics.median(times)
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        target = targets.get(name)
        ok = target is None or median <= target
        if not ok:
            missed.append(name)
        table[name] = {"median_ms": round(median, 1), "p95_ms": round(p95, 1),
                       "min_ms": round(min(times), 1), "max_ms": round(max(times), 1),
                       "target_ms": target, "runs": len(times)}  # fmt: skip
        print(f"{name:44} {median:10.1f} {p95:8.1f} {('≤ ' + str(target)) if target else '—':>8}"
              f"{'' if ok else '  MISSED'}")  # fmt: skip
    suffix = "" if args.database == "sqlite" else "-postgres"
    out = REPO / "bench" / f"results-calls{suffix}.json"
    out.write_text(json.dumps({"calls": args.calls, "assistants": args.assistants,
                               "database": args.database, "results": table}, indent=2) + "\n")  # fmt: skip
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
