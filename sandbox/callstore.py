"""The calls: each one's plan (see `callplan`) under one lock, optionally written to the same
SQLite file as the assistants, and the search over them together with a seeded call history
(see `history`), which is kept compactly and made into plans only when asked for.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from typing import Any

from sandbox import callplan
from sandbox.store import encode


class CallStore:
    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.RLock()
        self._plans: dict[str, dict] = {}  # insertion order is creation order
        self.history: Any = None  # a history.History, or None
        self.history_spec: dict | None = None  # what made it, as kept in the data file
        self.is_new = True  # False when a data file already held calls
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # A data file from before calls (or a new one) has no calls table yet.
            self.is_new = (
                self._db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calls'"
                ).fetchone()
                is None
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS calls"
                " (id TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL)"
            )
            # The seeded history is kept as what made it (seed, anchor), drawn again on start.
            self._db.execute("CREATE TABLE IF NOT EXISTS call_history (spec TEXT NOT NULL)")
            for call_id, body in self._db.execute("SELECT id, body FROM calls ORDER BY position"):
                self._plans[call_id] = json.loads(body)
            row = self._db.execute("SELECT spec FROM call_history").fetchone()
            self.history_spec = json.loads(row[0]) if row else None

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _persist(self, plan: dict) -> None:
        if self._db is not None:
            self._db.execute(
                "INSERT INTO calls (id, position, body)"
                " VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM calls), ?)"
                " ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                (plan["id"], encode(plan).decode()),
            )

    # --- writes ------------------------------------------------------------------------------

    def add(self, plan: dict) -> None:
        with self._lock:
            self._plans[plan["id"]] = plan
            self._persist(plan)

    def cancel(self, call_id: str, now_ms: int) -> bool | None:
        """True when cancelled, False when too late, None for an unknown call."""
        with self._lock:
            plan = self.plan(call_id)
            if plan is None:
                return None
            cancelled = callplan.cancel(plan, now_ms)
            if cancelled is None:
                return False
            self._plans[call_id] = cancelled
            self._persist(cancelled)
            return True

    def replace_all(
        self, plans: Iterable[dict], history: Any = None, history_spec: dict | None = None
    ) -> None:
        with self._lock:
            self._plans = {plan["id"]: plan for plan in plans}
            self.history = history
            self.history_spec = history_spec
            if self._db is not None:
                self._db.execute("BEGIN")
                try:
                    self._db.execute("DELETE FROM call_history")
                    if history_spec is not None:
                        self._db.execute(
                            "INSERT INTO call_history (spec) VALUES (?)",
                            (json.dumps(history_spec),),
                        )
                    self._db.execute("DELETE FROM calls")
                    self._db.executemany(
                        "INSERT INTO calls (id, position, body) VALUES (?, ?, ?)",
                        (
                            (plan["id"], position, encode(plan).decode())
                            for position, plan in enumerate(self._plans.values())
                        ),
                    )
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise

    # --- reads -------------------------------------------------------------------------------

    def plan(self, call_id: str) -> dict | None:
        with self._lock:
            plan = self._plans.get(call_id)
            if plan is None and self.history is not None:
                plan = self.history.plan_by_id(call_id)
            return plan

    def count(self) -> int:
        with self._lock:
            return len(self._plans) + (len(self.history) if self.history is not None else 0)

    def search(self, params: dict, now_ms: int) -> tuple[list[dict], int]:
        """(the plans of the page asked for, how many calls match in all)."""
        wanted = Filters(params)
        sort_by = params.get("sort_by") or "created_at"
        descending = (params.get("sort_direction") or "desc") == "desc"
        page, size = int(params["page"]), int(params["page_size"])
        with self._lock:
            history = self.history
            found: list[tuple[tuple, Any]] = [
                (row, plan)
                for plan in self._plans.values()
                if wanted.match(row := live_row(plan, now_ms))
            ]
        if history is not None and not wanted.nothing and wanted.outbound:
            positions = history.matching(wanted)
            if sort_by == "created_at":
                # The history is kept oldest first: a page needs only the rows up to it (and a
                # few more, for calls made in the same millisecond); the rest are only counted.
                total = len(positions) + len(found)
                reach = page * size + TIE_MARGIN
                window = positions[-reach:] if descending else positions[:reach]
                found += [(history.row(p), p) for p in window]
            else:
                found += [(history.row(p), p) for p in positions]
                total = len(found)
        else:
            total = len(found)
        position = ROW_FIELDS.index(sort_by)
        blank = 0 if position in NUMERIC else ""

        def key(item: tuple[tuple, Any]) -> tuple:
            # Unset values sort as the smallest; ties fall back on creation time, then id,
            # so that pages never overlap.
            value = item[0][position]
            return (value is not None, blank if value is None else value, item[0][0], item[0][1])

        found.sort(key=key, reverse=descending)
        chosen = found[(page - 1) * size : page * size]
        plans = [item[1] if isinstance(item[1], dict) else history.plan(item[1]) for item in chosen]
        return plans, total


TIE_MARGIN = 16

# A row: what search filters and sorts on, in this order.
ROW_FIELDS = (
    "created_at",  # epoch ms
    "id",
    "assistant_id",
    "status",
    "outcome",
    "result",
    "from_phone_number",
    "to_phone_number",
    "text",  # lower-cased: summary, numbers, metadata, assistant name
    "updated_at",
    "scheduled_at",
)
NUMERIC = (0, 9, 10)


def live_row(plan: dict, now_ms: int) -> tuple:
    status = callplan.status_at(plan, now_ms)
    done = status == "completed"
    last = [a for a in plan["attempts"] if a["start"] <= now_ms]
    result = last[-1]["result"] if last and last[-1]["answered"] is not None else None
    if last and last[-1]["answered"] is not None and last[-1]["answered"] > now_ms:
        result = None
    text = " ".join(
        [
            plan["to"],
            plan["from"],
            plan["summary"] if done and plan["summary"] else "",
            plan["assistant"].get("name") or "",
            *(plan["metadata"] or {}).values(),
        ]
    ).lower()
    return (
        plan["created_ms"],
        plan["id"],
        plan.get("assistant_id") or plan["assistant"]["id"],
        status,
        plan["outcome"] if done else None,
        result,
        plan["from"],
        plan["to"],
        text,
        min(now_ms, callplan.ended_ms(plan)),
        plan["scheduled_ms"],
    )


class Filters:
    """The filters of a CallSearchParams body; an empty list means any."""

    def __init__(self, params: dict) -> None:
        self.assistant_ids = set(params.get("assistant_ids") or [])
        self.statuses = set(params.get("statuses") or [])
        self.outcomes = set(params.get("outcomes") or [])
        self.results = set(params.get("results") or [])
        self.directions = set(params.get("directions") or [])
        self.from_numbers = set(params.get("from_phone_numbers") or [])
        self.call_ids = set(params.get("call_ids") or [])
        # Calls have no campaign or assignee here: asking for any finds none.
        self.nothing = bool(params.get("campaign_ids")) or bool(params.get("assignee_ids"))
        self.to_number = params.get("to_phone_number") or None
        self.query = (params.get("query") or "").strip().lower() or None
        self.outbound = not self.directions or "outbound" in self.directions  # all calls are

    def match(self, row: tuple) -> bool:
        if self.nothing:
            return False
        if self.directions and "outbound" not in self.directions:
            return False
        if self.assistant_ids and row[2] not in self.assistant_ids:
            return False
        if self.call_ids and row[1] not in self.call_ids:
            return False
        if self.statuses and row[3] not in self.statuses:
            return False
        if self.outcomes and (row[4] or "none") not in self.outcomes:
            return False
        if self.results and (row[5] or "none") not in self.results:
            return False
        if self.from_numbers and row[6] not in self.from_numbers:
            return False
        if self.to_number is not None and row[7] != self.to_number:
            return False
        return self.query is None or self.query in row[8]
