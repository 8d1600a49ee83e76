"""python -m bench.sync_probe --repeats N  (run by the benchmark, in the dashboard's environment)

Times `assistants_sync` in this process without the network: the listing is downloaded once to
a file (streamed, never held in memory), then each sync gets a client whose transport reads
those same bytes from the file as a response stream, so what is timed is everything the
dashboard does (JSON parsing included) except the transfer. Prints one JSON object on its
last line:

- initial_ms: syncs into an empty cache (every assistant new), repeated;
- unchanged_ms and unchanged_writes: syncs with nothing changed, and the rows they wrote, by
  table (SyncState's "last success" time is bookkeeping, reported apart);
- parse_ms: parsing the same bytes alone (ijson, as the sync does, every assistant built and
  dropped): the floor an unchanged sync is held to;
- network_sync_ms: one ordinary sync over HTTP, for comparison; fetch_ms: the GET alone;
- peak_rss_mb: this process's peak resident memory (ru_maxrss), the initial syncs included.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revox_admin.settings")
django.setup()

import ijson  # noqa: E402
from django.db import connection  # noqa: E402

from assistants.cache.services import assistants_sync  # noqa: E402
from assistants.revox import RevoxClient, RevoxConfig  # noqa: E402
from assistants.revox.client import STREAM_CHUNK_BYTES  # noqa: E402

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
BOOKKEEPING = {"assistants_syncstate"}


class _FileStream:
    """Stands for urllib3's raw response stream: read(n) from a file."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("rb")
        self.decode_content = False

    def read(self, size: int = -1) -> bytes:
        return self.file.read(size)


class _FileAnswer:
    """Stands for a streamed 200 response over bytes fetched earlier."""

    status_code = 200

    def __init__(self, path: Path) -> None:
        self.raw = _FileStream(path)

    def close(self) -> None:
        self.raw.file.close()


class PrefetchedClient(RevoxClient):
    """A RevoxClient whose transport answers GETs from files fetched earlier."""

    def __init__(self, config: RevoxConfig, bodies: dict[str, Path]) -> None:
        super().__init__(config)
        self.bodies = bodies

    def _send_once(self, method: str, path: str, *, stream: bool = False, **options: Any) -> Any:
        assert method == "GET" and path in self.bodies, (method, path)
        if stream:
            return _FileAnswer(self.bodies[path])
        return json.loads(self.bodies[path].read_bytes())


def _fetch(client: RevoxClient, path: str, into: Path) -> tuple[int, float]:
    """Download to a file, in chunks; returns (bytes, milliseconds)."""
    started = time.perf_counter()
    response = client.session.get(
        client.config.base_url + path,
        timeout=(client.config.connect_timeout, client.config.read_timeout),
        stream=True,
    )
    response.raise_for_status()
    size = 0
    with into.open("wb") as file:
        for chunk in response.iter_content(STREAM_CHUNK_BYTES):
            file.write(chunk)
            size += len(chunk)
    return size, (time.perf_counter() - started) * 1000


def _parse_alone(path: Path) -> float:
    """Parse the listing as the sync does, keeping nothing."""
    parser = ijson.get_backend("yajl2_c")
    started = time.perf_counter()
    with path.open("rb") as file:
        for _ in parser.items(file, "assistants.item", use_float=True, buf_size=STREAM_CHUNK_BYTES):
            pass
    return (time.perf_counter() - started) * 1000


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
    parser.add_argument("--skip-network-sync", action="store_true")
    args = parser.parse_args()

    config = RevoxConfig.from_settings()
    http = RevoxClient(config)
    rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory(prefix="revox-sync-probe-") as folder:
        bodies = {"/assistants": Path(folder) / "assistants.json",
                  "/voices": Path(folder) / "voices.json"}  # fmt: skip
        payload_bytes, fetch_ms = _fetch(http, "/assistants", bodies["/assistants"])
        _fetch(http, "/voices", bodies["/voices"])
        client = PrefetchedClient(config, bodies)
        outcome = _measure(client, bodies["/assistants"], args.repeats)

    # One ordinary sync, network included, into an empty cache: what `sync_assistants` costs.
    network_ms = None
    if not args.skip_network_sync:
        _empty_cache()
        network_ms, _ = _timed_sync(RevoxClient(config))
        network_ms = round(network_ms, 1)

    print(json.dumps({
        **outcome,
        "payload_mb": round(payload_bytes / 1e6, 1),
        "fetch_ms": round(fetch_ms, 1),
        "network_sync_ms": network_ms,
        "rss_after_setup_mb": round(rss_before_mb, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))  # fmt: skip


def _measure(client: RevoxClient, listing: Path, repeats: int) -> dict[str, Any]:
    initial, unchanged, parse, writes_per_run, statements_per_run = [], [], [], [], []
    created = 0
    for _ in range(repeats):
        _empty_cache()
        elapsed, result = _timed_sync(client)
        initial.append(elapsed)
        created = result.created

    for _ in range(repeats):
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

        # The floor and the sync, one after the other, in the same conditions.
        parse.append(_parse_alone(listing))
        with connection.execute_wrapper(count_writes):
            elapsed, result = _timed_sync(client)
        unchanged.append(elapsed)
        writes_per_run.append(dict(rows))
        statements_per_run.append(dict(statements))

    cache_rows = [sum(n for t, n in run.items() if t not in BOOKKEEPING) for run in writes_per_run]
    return {
        "assistants": created,
        "initial_ms": initial,
        "unchanged_ms": unchanged,
        "parse_ms": parse,
        "unchanged_writes": writes_per_run,
        "unchanged_statements": statements_per_run,
        "unchanged_cache_rows_written": max(cache_rows),
    }


if __name__ == "__main__":
    main()
