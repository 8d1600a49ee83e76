"""A call from Revox turned into the columns of the local call record. Pure: JSON in, values
out. Read tolerantly: a field missing, of the wrong type or with a value the SDK does not list
gives an empty column, never an error, so an odd call is still kept and shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assistants import snapshot
from assistants.calls.present import FINAL_STATUSES

# Settings that say nothing about how the assistant behaves: two calls whose assistants differ
# only in these ran with the same version.
VOLATILE_FIELDS = frozenset({"updated_at", "created_at", "pending_faq_count", "calls_count"})
ANSWERED_RESULTS = frozenset({"human"})
# The metadata a test call from the dashboard carries. A test call of unsaved changes runs its
# configuration inline, as an assistant of its own id: the metadata says which assistant it tried.
TEST_CALL_SOURCE = "revox-admin test call"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _word(value: Any, limit: int = 32) -> str:
    return value[:limit] if isinstance(value, str) else ""


def config_digest(assistant: dict[str, Any]) -> str:
    if not assistant:
        return ""
    return snapshot.content_hash({k: v for k, v in assistant.items() if k not in VOLATILE_FIELDS})


def _digest(assistant: dict[str, Any], digests: dict[tuple, str] | None) -> str:
    key = (assistant.get("id"), assistant.get("updated_at"))
    if digests is None or not all(isinstance(k, str) and k for k in key):
        return config_digest(assistant)
    if key not in digests:
        digests[key] = config_digest(assistant)
    return digests[key]


@dataclass(frozen=True)
class CallColumns:
    revox_id: str
    assistant_revox_id: str
    assistant_name: str
    status: str
    outcome: str
    result: str
    direction: str
    to_phone_number: str
    summary: str
    created_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    duration_seconds: int | None
    answered: bool
    required_fields: int
    required_captured: int
    version_at: datetime | None
    config_digest: str
    final: bool
    tried_changes: bool = False  # a test call of one assistant's unsaved changes


def _attempts(call: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in _list(call.get("call_attempts")) if isinstance(a, dict)]


def _last_attempt(call: dict[str, Any]) -> dict[str, Any]:
    attempts = _attempts(call)
    return _dict(call.get("last_call_attempt")) or (attempts[0] if attempts else {})


def required_capture(call: dict[str, Any], assistant: dict[str, Any]) -> tuple[int, int]:
    """(required fields the assistant asked to extract, how many of them the call captured)."""
    values = _dict(_last_attempt(call).get("structured_output"))
    required = [
        snapshot.text(_dict(f).get("name"))
        for f in _list(assistant.get("structured_output_config"))
        if _dict(f).get("required") is True and snapshot.text(_dict(f).get("name"))
    ]
    captured = sum(1 for name in required if values.get(name) not in (None, "", []))
    return len(required), captured


def call_columns(call: dict[str, Any], *, digests: dict[tuple, str] | None = None) -> CallColumns:
    """The columns of one call (`call["id"]` must be a string: the client keeps only those).

    `digests`: digests already made in this refresh, by (assistant id, updated_at). Revox stamps
    a new updated_at on every write, and an inline configuration runs as an assistant of its
    own id, so one pair is one configuration: hashing 17 kB once per version instead of once
    per call was a third of a refresh's time (bench/calls.py)."""
    assistant = _dict(call.get("assistant"))
    attempts = _attempts(call)
    last = _last_attempt(call)
    started = [t for a in attempts if (t := snapshot.parse_timestamp(a.get("started_at")))]
    ended = snapshot.parse_timestamp(last.get("ended_at"))
    began = snapshot.parse_timestamp(last.get("answered_at") or last.get("started_at"))
    duration = int((ended - began).total_seconds()) if ended and began and ended >= began else None
    status = _word(call.get("status"))
    required, captured = required_capture(call, assistant)
    assistant_id = _word(assistant.get("id") or call.get("assistant_id"), 64)
    name = snapshot.text(assistant.get("name"))
    tried_on = _tried_on(call)
    if tried_on:
        assistant_id, name = tried_on
    return CallColumns(
        revox_id=call["id"][:64],
        assistant_revox_id=assistant_id,
        assistant_name=name[:500],
        status=status,
        outcome=_word(call.get("outcome")),
        result=_word(last.get("result")),
        direction=_word(call.get("direction"), 16),
        to_phone_number=_word(call.get("to_phone_number")),
        summary=snapshot.text(call.get("outcome_summary")),
        created_at=snapshot.parse_timestamp(call.get("created_at")),
        started_at=min(started) if started else None,
        ended_at=ended,
        duration_seconds=duration,
        answered=last.get("result") in ANSWERED_RESULTS,
        required_fields=min(required, 32767),
        required_captured=min(captured, 32767),
        version_at=snapshot.parse_timestamp(assistant.get("updated_at")),
        config_digest=_digest(assistant, digests),
        final=status in FINAL_STATUSES,
        tried_changes=bool(tried_on),
    )


def _tried_on(call: dict[str, Any]) -> tuple[str, str] | None:
    """(id, name) of the assistant whose unsaved changes this inline test call tried, or None:
    filed under that assistant, not under the throwaway id Revox ran it as."""
    metadata = _dict(call.get("metadata"))
    tried = _word(metadata.get("assistant_id"), 64)
    if call.get("assistant_id") or metadata.get("source") != TEST_CALL_SOURCE or not tried:
        return None
    return tried, snapshot.text(metadata.get("assistant_name"))


def call_without_assistant(call: dict[str, Any]) -> dict[str, Any]:
    """The call as kept: its assistant lives once in CallConfiguration, and `last_call_attempt`
    is left out when it is one of `call_attempts` (Revox sends it twice: half a call's JSON;
    whatever reads a kept call takes the newest attempt when it is missing)."""
    kept = {k: v for k, v in call.items() if k != "assistant"}
    last = call.get("last_call_attempt")
    attempts = call.get("call_attempts")
    if isinstance(last, dict) and isinstance(attempts, list) and attempts and attempts[0] == last:
        del kept["last_call_attempt"]
    return kept
