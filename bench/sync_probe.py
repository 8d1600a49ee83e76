"""python -m bench.sync_probe --repeats N  (run by the benchmark, in the dashboard's environment)

Times `assistants_sync` in this process without the network: the assistants are fetched from
Revox once, then each sync gets a client whose transport hands back those same bytes, so what
is timed is everything the dashboard does (JSON parsing included) except the transfer. Prints
one JSON object on its last line:

- initial_ms: syncs into an empty cache (every assistant new), repeated;
- unchanged_ms and unchanged_writes: syncs with nothing changed, and the rows they wrote, by
  table (SyncState's "last success" time is bookkeeping, reported apart);
- network_sync_ms: one ordinary sync over HTTP, for comparison; fetch_ms: the GET alone;
- peak_rss_mb: this process's peak resident memory (ru_maxrss), the initial syncs included.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import time
from collections import Counter
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revox_admin.settings")
django.setup()

from django.db import connection  # noqa: E402

from assistants.cache.services import assistants_sync  # noqa: E402
from assistants.revox import RevoxClient, RevoxConfig  # noqa: E402

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
BOOKKEEPING = {"assistants_syncstate"}


class PrefetchedClient(RevoxClient):
    """A RevoxClient whose transport answers GETs from bytes fetched earlier."""

    def __init__(self, config: RevoxConfig, bodies: dict[str, bytes]) -> None:
        super().__init__(config)
        self.bodies = bodies

    def _send_once(self, method: str, path: str, *, json: Any = None) -> Any:
        assert method == "GET" and path in self.bodies, (method, path)
        return _loads(self.bodies[path])


def _loads(body: bytes) -> Any:
    return json.loads(body)


def _fetch(client: RevoxClient, path: str) -> tuple[bytes, float]:
    started = time.perf_counter()
    response = client.session.get(
        client.config.base_url + path,
        timeout=(client.config.connect_timeout, client.config.read_timeout),
    )
    response.raise_for_status()
    return response.content, (time.perf_counter() - started) * 1000


def _empty_cache() -> None:
    # Raw deletes: fast, and not part of anything measured.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM assistants_faqitem")
        cursor.execute("DELETE FROM assistants_assistant")
        cursor.execute("DELETE FROM assistants_change")


def _timed_sync(client: RevoxClient) -> tuple[float, Any]:
    started = time.perf_counter()
    result = assistants_sync(client=client)
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    config = RevoxConfig.from_settings()
    http = RevoxClient(config)
    rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assistants_body, fetch_ms = _fetch(http, "/assistants")
    voices_body, _ = _fetch(http, "/voices")
    client = PrefetchedClient(config, {"/assistants": assistants_body, "/voices": voices_body})

    initial, unchanged, writes_per_run, statements_per_run = [], [], [], []
    created = 0
    for _ in range(args.repeats):
        _empty_cache()
        elapsed, result = _timed_sync(client)
        initial.append(elapsed)
        created = result.created

    for _ in range(args.repeats):
        rows: Counter[str] = Counter()
        statements: Counter[str] = Counter()

        def count_writes(execute, sql, params, many, context, rows=rows, statements=statements):
            outcome = execute(sql, params, many, context)
            match = WRITE.match(sql)
            if match:
                table = match.group(2)
                statements[table] += 1
                rows[table] += max(context["cursor"].rowcount, 0)
            return outcome

        with connection.execute_wrapper(count_writes):
            elapsed, result = _timed_sync(client)
        unchanged.append(elapsed)
        writes_per_run.append(dict(rows))
        statements_per_run.append(dict(statements))

    # One ordinary sync, network included, into an empty cache: what `sync_assistants` costs.
    _empty_cache()
    network_ms, _ = _timed_sync(RevoxClient(config))

    cache_rows = [sum(n for t, n in run.items() if t not in BOOKKEEPING) for run in writes_per_run]
    print(json.dumps({
        "assistants": created,
        "payload_mb": round(len(assistants_body) / 1e6, 1),
        "fetch_ms": round(fetch_ms, 1),
        "initial_ms": initial,
        "unchanged_ms": unchanged,
        "unchanged_writes": writes_per_run,
        "unchanged_statements": statements_per_run,
        "unchanged_cache_rows_written": max(cache_rows),
        "network_sync_ms": round(network_ms, 1),
        "rss_after_setup_mb": round(rss_before_mb, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
