"""Test calls' fixtures. The Revox client's call endpoints are faked here, and only here, for
what the sandbox cannot make on demand (a call's every state, answers Revox might send);
everything else talks to the real sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from assistants.revox import Recording, RevoxClient, RevoxNotFound


def call_json(call_id: str, params: dict[str, Any], *, status: str = "queued_for_calling",
              attempts: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    """A Call as the SDK's CallRetrieveResponse shapes it (the fields the dashboard reads)."""
    attempts = attempts or []
    return {
        "id": call_id,
        "status": status,
        "call_attempts": list(reversed(attempts)),
        "last_call_attempt": attempts[-1] if attempts else None,
        "calls_count": len(attempts),
        "to_phone_number": params["phone_number"],
        "from_phone_number": "+15550000000",
        "direction": "outbound",
        "prompt_variables": params.get("prompt_variables"),
        "metadata": params.get("metadata"),
        "assistant": params.get("assistant") or {"id": params.get("assistant_id")},
        "created_at": "2026-12-05T10:00:00Z",
        "scheduled_at": "2026-12-05T10:00:00Z",
        "outcome": None,
        "outcome_summary": None,
        **extra,
    }


def attempt_json(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"att_{status}",
        "status": status,
        "phone_number": "+14155550123",
        "started_at": "2026-12-05T10:00:01Z",
        "answered_at": "2026-12-05T10:00:05Z" if status in ("ongoing", "completed") else None,
        "ended_at": "2026-12-05T10:01:10Z" if status == "completed" else None,
        "handled_by_ai": True,
        "handled_by_human": False,
        "transcript": [],
        **extra,
    }


class FakeCalls:
    """Revox's call endpoints: every POST /call body is kept; a test sets what comes next."""

    def __init__(self) -> None:
        self.created: list[dict[str, Any]] = []
        self.calls: dict[str, dict[str, Any]] = {}
        self.cancelled: list[str] = []
        self.fail_create: Exception | None = None
        self.fail_get: Exception | None = None
        self.recording = Recording(audio=b"RIFF....WAVEfmt ", content_type="audio/wav")
        self.recording_urls: list[str] = []

    def create_call(self, params: dict[str, Any]) -> dict[str, Any]:
        self.created.append(params)
        if self.fail_create is not None:
            raise self.fail_create
        call = call_json(f"call_{len(self.created)}", params)
        self.calls[call["id"]] = call
        return call

    def get_call(self, call_id: str) -> dict[str, Any]:
        if self.fail_get is not None:
            raise self.fail_get
        if call_id not in self.calls:
            raise RevoxNotFound("no such call", status=404)
        return self.calls[call_id]

    def cancel_call(self, call_id: str) -> bool:
        self.cancelled.append(call_id)
        call = self.calls[call_id]
        if call["status"] in ("completed", "cancelled", "errored", "not_launched"):
            return False
        call["status"] = "cancelled"
        return True

    def get_recording(self, url: str) -> Recording:
        self.recording_urls.append(url)
        return self.recording

    def set(self, call_id: str, **changes: Any) -> None:
        self.calls[call_id].update(changes)


@pytest.fixture
def fake_calls(monkeypatch) -> FakeCalls:
    fake = FakeCalls()
    for name in ("create_call", "get_call", "cancel_call", "get_recording"):
        method = getattr(fake, name)
        monkeypatch.setattr(RevoxClient, name, lambda self, *a, _m=method, **k: _m(*a, **k))
    return fake


@pytest.fixture
def search_fails_after(monkeypatch):
    """POST /call/search answers the first `n` requests from the sandbox, then Revox is
    unavailable: a refresh cut short in the middle (the sandbox's faults can't count)."""
    from assistants.revox import RevoxUnavailable

    real = RevoxClient.search_calls
    state = {"left": None}

    def search(self, params):
        if state["left"] is not None:
            if state["left"] <= 0:
                raise RevoxUnavailable("Revox is unavailable (503).", status=503)
            state["left"] -= 1
        return real(self, params)

    monkeypatch.setattr(RevoxClient, "search_calls", search)

    def arm(n: int) -> None:
        state["left"] = n

    return arm
