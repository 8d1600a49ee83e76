"""What one sandbox holds, shared by the API handlers, the controls and the request pipeline:
the assistants (`store`), the key, the injected faults and the request log, and the few
switches the controls set."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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

    def authorised(self, request: Request) -> bool:
        scheme, _, token = request.header("Authorization").partition(" ")
        return scheme.lower() == "bearer" and token.strip() == self.api_key

    def reset(self, records: list[dict]) -> None:
        """Replace every assistant and clear all the rest, except the command line's latency."""
        self.epoch += 1
        self.store.replace_all(records)
        self.faults.clear()
        self.requests.clear()
        self.retrieve_shape = "flat"
        self.scheduled_calls.clear()
