"""The sandbox's state: assistants in memory, optionally written through to SQLite.

One lock serialises every write, so concurrent PATCHes of one assistant
each see the previous one's result and none is lost. Each assistant's JSON
answer is serialised once per write and kept as bytes: a full listing, which
the benchmark times with thousands of large assistants, is then a join of
ready-made strings (and itself cached until the next write).

With a data file, each write replaces that assistant's single row (its JSON),
and the whole state is loaded back on start.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable

from sandbox import model

# Records are trees fresh from json.loads or our own builders: no cycles to look for.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def encode(value: object) -> bytes:
    return _ENCODER.encode(value).encode()


class Store:
    def __init__(self, data: str | os.PathLike[str] | None = None) -> None:
        self._lock = threading.RLock()
        self._records: dict[str, dict] = {}  # insertion order is the listing order
        self._blobs: dict[str, bytes] = {}  # serialised records
        self._list_blob: bytes | None = None
        self._last_ms = 0
        self._db: sqlite3.Connection | None = None
        self.is_new = True  # False when a data file already held state
        if data is not None:
            self._open(os.fspath(data))

    # --- persistence -------------------------------------------------------

    def _open(self, path: str) -> None:
        # Shared by the server's threads; every use happens under self._lock.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS assistants"
            " (id TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL)"
        )
        initialised = self._db.execute(
            "SELECT value FROM meta WHERE key = 'initialised'"
        ).fetchone()
        self.is_new = initialised is None
        rows = self._db.execute("SELECT id, body FROM assistants ORDER BY position").fetchall()
        for assistant_id, body in rows:
            record = json.loads(body)
            self._records[assistant_id] = record
            self._blobs[assistant_id] = body.encode()
            self._last_ms = max(self._last_ms, model.parse_timestamp(record["updated_at"]))

    def _persist(self, record: dict, blob: bytes) -> None:
        if self._db is None:
            return
        # Keep an assistant's place in the listing when it is rewritten.
        self._db.execute(
            "INSERT INTO assistants (id, position, body)"
            " VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM assistants), ?)"
            " ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            (record["id"], blob.decode()),
        )

    def _forget(self, assistant_id: str) -> None:
        if self._db is not None:
            self._db.execute("DELETE FROM assistants WHERE id = ?", (assistant_id,))

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # --- internals ---------------------------------------------------------

    def _timestamp(self) -> str:
        # Strictly increasing, even for two writes in the same millisecond, so
        # clients can rely on updated_at to detect any change.
        now_ms = max(int(time.time() * 1000), self._last_ms + 1)
        self._last_ms = now_ms
        return model.format_timestamp(now_ms)

    def _put(self, record: dict) -> bytes:
        blob = encode(record)
        self._records[record["id"]] = record
        self._blobs[record["id"]] = blob
        self._list_blob = None
        self._persist(record, blob)
        return blob

    def _write(self, assistant_id: str, change: Callable[[dict, str], dict]) -> bytes | None:
        with self._lock:
            record = self._records.get(assistant_id)
            if record is None:
                return None
            return self._put(change(record, self._timestamp()))

    # --- reads -------------------------------------------------------------

    def list_json(self) -> bytes:
        """The body of GET /assistants; sub-assistants are steps of a flow, not listed."""
        with self._lock:
            if self._list_blob is None:
                listed = [
                    self._blobs[assistant_id]
                    for assistant_id, record in self._records.items()
                    if record["type"] != "sub-assistant"
                ]
                self._list_blob = b'{"assistants":[' + b",".join(listed) + b"]}"
            return self._list_blob

    def get_json(self, assistant_id: str) -> bytes | None:
        with self._lock:
            return self._blobs.get(assistant_id)

    def get(self, assistant_id: str) -> dict | None:
        with self._lock:
            record = self._records.get(assistant_id)
            return json.loads(self._blobs[assistant_id]) if record is not None else None

    def count(self) -> int:
        with self._lock:
            return len(self._records)

    def listed_count(self) -> int:
        """How many assistants GET /assistants lists (sub-assistants excluded)."""
        with self._lock:
            return sum(1 for r in self._records.values() if r["type"] != "sub-assistant")

    # --- writes ------------------------------------------------------------

    def create(self, body: dict) -> bytes:
        with self._lock:
            record = model.new_record(
                body, assistant_id=model.new_id(), timestamp=self._timestamp()
            )
            return self._put(record)

    def update(self, assistant_id: str, body: dict) -> bytes | None:
        return self._write(
            assistant_id, lambda record, now: model.apply_patch(record, body, timestamp=now)
        )

    def legacy(self, assistant_id: str, fields: dict) -> bytes | None:
        return self._write(
            assistant_id,
            lambda record, now: model.with_legacy_fields(record, fields, timestamp=now),
        )

    def suggest_faq(self, assistant_id: str, question: str, answer: str) -> bytes | None:
        return self._write(
            assistant_id,
            lambda record, now: model.with_suggested_faq(record, question, answer, timestamp=now),
        )

    def clone(self, assistant_id: str) -> bytes | None:
        with self._lock:
            record = self._records.get(assistant_id)
            if record is None:
                return None
            copy = model.cloned(record, assistant_id=model.new_id(), timestamp=self._timestamp())
            return self._put(copy)

    def delete(self, assistant_id: str) -> bool:
        with self._lock:
            if self._records.pop(assistant_id, None) is None:
                return False
            del self._blobs[assistant_id]
            self._list_blob = None
            self._forget(assistant_id)
            return True

    def replace_all(self, records: Iterable[dict]) -> int:
        """Swap the whole state for `records` (a reset), in one transaction."""
        with self._lock:
            self._records = {}
            self._blobs = {}
            self._list_blob = None
            for record in records:
                self._records[record["id"]] = record
                self._blobs[record["id"]] = encode(record)
                self._last_ms = max(self._last_ms, model.parse_timestamp(record["updated_at"]))
            if self._db is not None:
                self._db.execute("BEGIN")
                try:
                    self._db.execute("DELETE FROM assistants")
                    self._db.executemany(
                        "INSERT INTO assistants (id, position, body) VALUES (?, ?, ?)",
                        (
                            (assistant_id, position, blob.decode())
                            for position, (assistant_id, blob) in enumerate(self._blobs.items())
                        ),
                    )
                    self._db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('initialised', '1')"
                    )
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            self.is_new = False
            return len(self._records)
