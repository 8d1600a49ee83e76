"""What one sandbox holds, shared by the API handlers, the controls and the request pipeline:
the assistants (`store`), the calls (`calls`) and the clock they live on, the key, the injected
faults and the request log, and the few switches the controls set (among them the scripts of
the next calls to a number)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sandbox.callstore import CallStore
from sandbox.clock import Clock
from sandbox.faults import Faults, RequestLog
from sandbox.store import Store
from sandbox.wire import Request


@dataclass
class State:
    store: Store
    api_key: str
    latency_ms: float = 0  # from the command line: survives resets
    faults: Faults = field(default_factory=Faults)
    requests: RequestLog = field(default_factory=RequestLog)
    # Bumped by every reset. A request still waiting out a delay or latency when a reset
    # happens is answered 503 and never applied: a reset is a clean slate, and a test's
    # abandoned slow write must not land in the next test's data.
    epoch: int = 0
    # GET /assistants/{id} answers the assistant itself, as Revox does; "wrapped" answers
    # {"assistant": …}, as some of Revox's own documentation pages say.
    retrieve_shape: str = "flat"
    # Calls already scheduled per assistant that a PATCH does not reach:
    # {"count", "variables"}, returned as unpatchedCallsNotice.
    scheduled_calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: CallStore = field(default_factory=CallStore)
    clock: Clock = field(default_factory=Clock)
    # What the next calls to a number do, by number ("*": any number), each used once, in order.
    call_scripts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _scripts_lock: threading.Lock = field(default_factory=threading.Lock)

    def authorised(self, request: Request) -> bool:
        scheme, _, token = request.header("Authorization").partition(" ")
        return scheme.lower() == "bearer" and token.strip() == self.api_key

    def add_call_script(self, phone_number: str, script: dict[str, Any], times: int) -> None:
        with self._scripts_lock:
            self.call_scripts.setdefault(phone_number, []).extend([script] * times)

    def take_call_script(self, phone_number: str) -> dict[str, Any] | None:
        """The script of the next call to `phone_number` (its own before the catch-all)."""
        with self._scripts_lock:
            for key in (phone_number, "*"):
                queue = self.call_scripts.get(key)
                if queue:
                    script = queue.pop(0)
                    if not queue:
                        del self.call_scripts[key]
                    return script
        return None

    def reset(
        self, records: list[dict], history: Any = None, history_spec: dict | None = None
    ) -> None:
        """Replace every assistant and call and clear all the rest, except the command line's
        latency; the clock goes back to the wall clock."""
        self.epoch += 1
        self.clock.reset()
        self.store.replace_all(records)
        self.calls.replace_all([], history, history_spec)
        with self._scripts_lock:
            self.call_scripts.clear()
        self.faults.clear()
        self.requests.clear()
        self.retrieve_shape = "flat"
        self.scheduled_calls.clear()
