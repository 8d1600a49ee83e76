"""A call, as Revox describes it (GET /call/{id}), turned into what its page shows: words for
every status, the attempts, the transcript, the data extracted set against what the assistant
was asked to extract. Read tolerantly: a field missing or a value the SDK does not list shows
as far as it can, never as an error."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from assistants import snapshot
from assistants.editors.forms.common import OUTCOMES

CALL_STATUSES = {
    "initializing": ("Starting", "info"),
    "queued_for_calling": ("Queued", "info"),
    "calling": ("Calling", "primary"),
    "post_processing": ("Analysing the call", "info"),
    "scheduled": ("Waiting for calling hours", "warning"),
    "paused": ("Paused", "warning"),
    "not_launched": ("Not launched", "secondary"),
    "completed": ("Completed", "success"),
    "cancelled": ("Cancelled", "secondary"),
    "errored": ("Failed", "danger"),
}
ATTEMPT_STATUSES = {
    "queued": "Queued",
    "ringing": "Ringing",
    "ongoing": "In conversation",
    "completed": "Ended",
    "error": "Could not connect",
}
RESULTS = {
    "human": "A person answered",
    "voicemail": "Voicemail",
    "IVR": "An automated menu answered",
    "unknown": "Unclear who answered",
    "ios-screening-filter": "iPhone call screening",
}
DIAL_ERRORS = {
    "number_non_attributed": "The number is not in service",
    "too_many_calls": "Too many calls at once",
    "busy": "Busy",
    "temporarily_unavailable": "Temporarily unavailable",
    "no_answer": "No answer",
    "no_international_permission": "International calls are not allowed",
    "precondition_failed": "The call could not be set up",
    "non_classified_error": "The call failed",
}
END_REASONS = {
    "client_initiated": "Ended from the dashboard or the API",
    "connection_timeout": "The connection timed out",
    "human_takeover": "A person took over",
    "ivr_no_navigate": "Stuck in an automated menu",
    "max_duration": "Reached the longest call allowed",
    "participant_removed": "The caller was removed",
    "tool_end_call": "The assistant ended the call",
    "transfer": "Transferred to a person",
    "user_inactive": "The person stopped answering",
    "user_rejected": "The person declined the call",
    "user_unavailable": "The person was unavailable",
    "voicemail": "Reached voicemail",
    "speed_dial_abandoned": "Speed dial abandoned",
    "speed_dial_operator_missed": "The operator missed the speed dial",
    "speed_dial_timeout": "Speed dial timed out",
    "speed_dial_hangup": "Hung up during speed dial",
}
ENDED_BY = {"agent": "the assistant", "user": "the person called", "system": "Revox"}
SPEAKERS = {"assistant": "Assistant", "user": "Caller", "human_agent": "Team member",
            "tool": "Tool"}  # fmt: skip
# The statuses after which a call no longer changes.
FINAL_STATUSES = frozenset({"completed", "cancelled", "errored", "not_launched"})
LIVE_ATTEMPT = frozenset({"queued", "ringing", "ongoing"})


def _label(table: dict[str, Any], value: Any) -> str:
    if value in (None, ""):
        return ""
    found = table.get(value) if isinstance(value, str) else None
    if isinstance(found, tuple):
        return found[0]
    return found or str(value).replace("_", " ").capitalize()


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _seconds(start: Any, end: Any) -> int | None:
    began, ended = snapshot.parse_timestamp(start), snapshot.parse_timestamp(end)
    if began is None or ended is None or ended < began:
        return None
    return int((ended - began).total_seconds())


def duration_text(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def attempt_view(attempt: dict[str, Any], number: int) -> dict[str, Any]:
    status = attempt.get("status")
    return {
        "number": number,
        "status": status if isinstance(status, str) else "",
        "status_label": _label(ATTEMPT_STATUSES, status) or "Unknown",
        "live": status in LIVE_ATTEMPT,
        "result": _label(RESULTS, attempt.get("result")),
        "dial_error": _label(DIAL_ERRORS, attempt.get("dial_error")),
        "started_at": snapshot.parse_timestamp(attempt.get("started_at")),
        "answered_at": snapshot.parse_timestamp(attempt.get("answered_at")),
        "ended_at": snapshot.parse_timestamp(attempt.get("ended_at")),
        "duration": duration_text(
            _seconds(
                attempt.get("answered_at") or attempt.get("started_at"), attempt.get("ended_at")
            )
        ),
        "end_reason": _label(END_REASONS, attempt.get("end_reason")),
        "ended_by": _label(ENDED_BY, attempt.get("ended_by")),
        "has_recording": isinstance(attempt.get("recording_url"), str)
        and bool(attempt.get("recording_url")),
    }


def transcript_view(attempt: dict[str, Any], *, final: bool) -> list[dict[str, str]]:
    """The conversation: the higher-quality one made after the call when there is one (and
    the call is over), else the live one."""
    lines = _list(attempt.get("post_call_transcript")) if final else []
    lines = lines or _list(attempt.get("transcript"))
    turns = []
    for line in lines:
        line = _dict(line)
        role = line.get("role") if isinstance(line.get("role"), str) else ""
        content = snapshot.text(line.get("content"))
        if role == "tool":
            name = snapshot.text(line.get("tool_name")) or "a tool"
            content = content or f"Used {name}"
        if not content:
            continue
        turns.append({"role": role or "unknown", "speaker": SPEAKERS.get(role, "Unknown"),
                      "content": content})  # fmt: skip
    return turns


def _value_text(value: Any, kind: str) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(snapshot.text(v) if isinstance(v, str) else str(v) for v in value)
    return value if isinstance(value, str) else str(value)


def extracted_view(values: Any, config: Any) -> list[dict[str, Any]]:
    """One row per field the assistant was asked to extract (its value, or that it was not
    captured; a required one missing stands out), then any value no field asked for."""
    values = _dict(values)
    rows, named = [], set()
    for field in _list(config):
        field = _dict(field)
        name = snapshot.text(field.get("name"))
        if not name:
            continue
        named.add(name)
        value = values.get(name)
        captured = value not in (None, "", [])
        kind = snapshot.text(field.get("type")) or "string"
        rows.append({
            "name": name, "type": kind, "required": field.get("required") is True,
            "description": snapshot.text(field.get("description")),
            "captured": captured, "value": _value_text(value, kind) if captured else "",
        })  # fmt: skip
    for name, value in values.items():
        if name not in named and value not in (None, "", []):
            rows.append({"name": name, "type": "", "required": False, "description": "",
                         "captured": True, "value": _value_text(value, ""), "extra": True})  # fmt: skip
    return rows


def call_view(call: dict[str, Any] | None, *, fallback_config: Any = None) -> dict[str, Any]:
    """Everything the call's panel and page show, from Revox's Call."""
    call = _dict(call)
    status = call.get("status") if isinstance(call.get("status"), str) else ""
    label, tone = CALL_STATUSES.get(status, (_label({}, status) or "Unknown", "secondary"))
    final = status in FINAL_STATUSES
    attempts = [_dict(a) for a in _list(call.get("call_attempts"))]
    # Most recent first in Revox's answer; shown in the order they happened.
    ordered = list(reversed(attempts))
    current = _dict(call.get("last_call_attempt")) or (attempts[0] if attempts else {})
    assistant = _dict(call.get("assistant"))
    config = assistant.get("structured_output_config")
    if not isinstance(config, list):
        config = fallback_config
    outcome = call.get("outcome")
    return {
        "status": status,
        "status_label": label,
        "status_tone": tone,
        "final": final,
        "live": bool(call) and not final,
        "attempts": [attempt_view(a, i + 1) for i, a in enumerate(ordered)],
        "current": attempt_view(current, len(attempts)) if current else None,
        "transcript": transcript_view(current, final=final),
        "extracted": extracted_view(current.get("structured_output"), config),
        "asked_to_extract": isinstance(config, list) and bool(config),
        "outcome": outcome if isinstance(outcome, str) else "",
        "outcome_label": _label(OUTCOMES, outcome),
        "outcome_summary": snapshot.text(call.get("outcome_summary")),
        "scheduled_at": snapshot.parse_timestamp(call.get("scheduled_at")),
    }


def _when(moment: Any) -> tuple[str, str]:
    """(ISO, "Fri 4 Dec, 22:03") in the current time zone: formatted here, not by the |date
    filter, because a page of 50 rows spent most of its time there (bench/calls.py)."""
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    return local.isoformat(), f"{local:%a} {local.day} {local:%b, %H:%M}"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_row(call: Any) -> dict[str, Any]:
    """One line of the calls pages, from a recorded call's columns."""
    label, tone = CALL_STATUSES.get(
        call.status, (_label({}, call.status) or "Unknown", "secondary")
    )
    iso, when = _when(call.created_at)
    call_prefix, assistant_prefix = _url_prefixes()
    return {
        "id": call.revox_id,
        "url": f"{call_prefix}{quote(call.revox_id, safe='')}/",
        "assistant_id": call.assistant_revox_id,
        "assistant_url": f"{assistant_prefix}{quote(call.assistant_revox_id, safe='')}/calls/"
        if call.assistant_revox_id
        else "",
        "assistant_name": call.assistant_name or call.assistant_revox_id or "Unknown assistant",
        "iso": iso,
        "when": when or "Unknown time",
        "status_label": label,
        "status_tone": tone,
        "outcome": call.outcome or "none",
        "outcome_label": _label(OUTCOMES, call.outcome),
        "result_label": _label(RESULTS, call.result) or "—",
        "direction": _label({"outbound": "Outbound", "inbound": "Inbound"}, call.direction),
        "duration": duration_text(call.duration_seconds) or "—",
        "summary": _shorten(call.summary, 140) or "—",
        "tried_changes": call.tried_changes,
    }


@cache
def _url_prefixes() -> tuple[str, str]:
    """The calls pages' links for 50 rows: reverse() once, not twice a row."""
    call = reverse("calls:detail", args=["-"]).removesuffix("-/")
    assistant = reverse("calls:assistant_calls", args=["-"]).removesuffix("-/calls/")
    return call, assistant
