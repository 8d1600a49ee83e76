"""A call's life, decided when it is placed and read at any moment of the sandbox's clock.

Placing a call makes its *plan*: when each attempt dials (the assistant's retry plan and calling
hours, unless `skip_calling_window`), whether it is answered, busy, not answered, reaches
voicemail or fails, when each line of the conversation is said, and what the analysis finds
(outcome, summary, structured output). The plan is plain JSON, kept as it is (and in the data
file). `render(plan, now)` is the `Call` the SDK describes, as it stands at `now`: the status,
the attempts started so far, the transcript said so far, the recording once an attempt ended,
the analysis once post-processing is over. So nothing runs in the background, the same plan
reads the same at the same moment, and moving the clock moves the call. Cancelling stamps the
plan; `render` then cuts it there.

Pure: no lock, no clock, no disk.
"""

from __future__ import annotations

import hashlib
import json
import random
import zoneinfo
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox import conversation, model
from sandbox.validation.assistant import ASSISTANT_FIELDS
from sandbox.validation.engine import Errors

ANSWERS = ("answered", "busy", "no_answer", "voicemail", "error")

DEFAULT_RETRY_CONFIG = {
    "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
    "call_twice_in_a_row": False,
    "calling_windows": [
        {
            "calling_window_end_time": "18:00",
            "calling_window_start_time": "10:00",
            "retry_delay_seconds": 7200,
        }
    ],
    "max_retry_attempts": 3,
    "timezone": None,
}
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# The recipient's time zone when the retry config names none, by country calling code.
ZONES_BY_PREFIX = {
    "+1": "America/New_York",
    "+33": "Europe/Paris",
    "+32": "Europe/Brussels",
    "+34": "Europe/Madrid",
    "+39": "Europe/Rome",
    "+41": "Europe/Zurich",
    "+44": "Europe/London",
    "+49": "Europe/Berlin",
    "+31": "Europe/Amsterdam",
    "+61": "Australia/Sydney",
    "+81": "Asia/Tokyo",
    "+91": "Asia/Kolkata",
}
DEFAULT_FROM_NUMBER = "+14155550100"  # the organization's default trunk

# A call nobody scripted takes about 15 s: queued, 3 s ringing, 10 s of conversation, and the
# analysis. A scripted `duration_ms` is shared out in the same proportions.
DEFAULT_DURATION_MS = 15_000
SHARES = {"queue": 0.04, "ring": 0.2, "talk": 0.66, "post": 0.1}
MAX_QUEUE_MS = 1000
# Waiting longer than this before the first dial reads "scheduled", not "queued_for_calling".
QUEUE_LIMIT_MS = 60_000
OUTCOME_WEIGHTS = {
    "interested": 0.35,
    "completed": 0.3,
    "requested_callback_later": 0.2,
    "not_interested": 0.15,
}
DIAL_ERRORS = {"busy": "busy", "no_answer": "no_answer", "error": "non_classified_error"}
CANCELLABLE = ("initializing", "queued_for_calling", "calling", "scheduled", "paused")
CALL_LEVEL_FIELDS = ("first_sentence_delay_ms", "llm_model", "call_retry_config")
FINAL = ("completed", "cancelled", "errored", "not_launched")


# --- calling hours ---------------------------------------------------------------------------


def minutes_of_day(text: str) -> int:
    """'09:00', '17:30', '6pm', '9:30am', '12pm' -> minutes after midnight."""
    text = text.strip().lower()
    suffix = text[-2:] if text[-2:] in ("am", "pm") else ""
    hours_text, _, minutes_text = text.removesuffix(suffix).partition(":")
    hours, minutes = int(hours_text), int(minutes_text or 0)
    if suffix:
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    return hours * 60 + minutes


def zone(retry: dict, phone_number: str) -> zoneinfo.ZoneInfo:
    name = retry.get("timezone")
    if not name:
        prefix = next((p for p in sorted(ZONES_BY_PREFIX, key=len, reverse=True)
                       if phone_number.startswith(p)), None)  # fmt: skip
        name = ZONES_BY_PREFIX.get(prefix, "UTC")
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def next_open(at_ms: int, retry: dict, tz: zoneinfo.ZoneInfo) -> tuple[int, dict] | None:
    """The first moment at or after `at_ms` inside a calling window on an allowed day, with
    that window; None when the config allows no moment at all."""
    windows = retry.get("calling_windows") or []
    days = set(retry.get("allowed_days") or [])
    if not windows or not days:
        return None
    local = datetime.fromtimestamp(at_ms / 1000, tz=UTC).astimezone(tz)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    for day in range(8):
        date = (midnight + timedelta(days=day)).date()
        if DAYS[date.weekday()] not in days:
            continue
        spans = []
        for window in windows:
            start = minutes_of_day(window["calling_window_start_time"])
            end = minutes_of_day(window["calling_window_end_time"])
            spans.append((start, end if end > start else 24 * 60, window))
        for start, end, window in sorted(spans, key=lambda span: span[0]):
            opens = _local_ms(date, start, tz)
            closes = _local_ms(date, end, tz)
            if at_ms < closes:
                return max(at_ms, opens), window
    return None


def _local_ms(date: Any, minutes: int, tz: zoneinfo.ZoneInfo) -> int:
    moment = datetime(date.year, date.month, date.day, tzinfo=tz) + timedelta(minutes=minutes)
    return int(moment.timestamp() * 1000)


# --- the plan --------------------------------------------------------------------------------


def digest_seed(*parts: Any) -> int:
    """A seed from the call's input, so the same input plays out the same way."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def derived_id(parent: str, number: int) -> str:
    """A uuid-shaped id for the number-th part of `parent` (an attempt, a speech event): the
    same every time the plan is read. Formatted by hand: uuid.UUID costs far more, and the call
    history reads thousands."""
    digits = hashlib.sha1(f"{parent}/{number}".encode(), usedforsecurity=False).hexdigest()
    return f"{digits[:8]}-{digits[8:12]}-5{digits[13:16]}-a{digits[17:20]}-{digits[20:32]}"


def shares(duration_ms: int) -> dict[str, int]:
    """How long an attempt spends queued (at most a second), ringing, talking and in analysis."""
    share = {part: max(1, int(duration_ms * fraction)) for part, fraction in SHARES.items()}
    share["queue"] = min(share["queue"], MAX_QUEUE_MS)
    return share


def effective_retry(assistant: dict) -> dict:
    return assistant.get("call_retry_config") or DEFAULT_RETRY_CONFIG


# What a call reads of its assistant, beside its prompt, voice and FAQ.
PLANNED_FIELDS = (
    "name", "prompt", "first_sentence", "first_sentence_mode", "first_sentence_delay_ms",
    "end_of_call_sentence", "max_call_duration_secs", "max_duration_end_message",
    "voicemail_message", "voice", "llm_model", "call_retry_config", "structured_output_config",
    "from_phone_number",
)  # fmt: skip


def usable(assistant: dict, keys: tuple[str, ...] = PLANNED_FIELDS) -> dict:
    """The assistant as a call reads it: a field an older Revox stored that today's rules
    refuse (see the legacy-fields control) reads as a new assistant's default, so a call still
    runs. The call's `assistant` stays the record as stored."""
    view = dict(assistant)
    for key in keys:
        value = assistant.get(key)
        errors = Errors()
        if value is not None:
            ASSISTANT_FIELDS[key].check(value, key, errors)
        if errors or (value is None and not ASSISTANT_FIELDS[key].nullable and key != "voice"
                      and model.WRITABLE_DEFAULTS[key] is not None):  # fmt: skip
            view[key] = model.WRITABLE_DEFAULTS[key]
    if not isinstance(view.get("faq_items"), list):
        view["faq_items"] = []
    return view


def make_plan(
    *,
    call_id: str,
    created_ms: int,
    phone_number: str,
    assistant: dict,
    from_phone_number: str | None = None,
    prompt_variables: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
    scheduled_ms: int | None = None,
    skip_calling_window: bool = False,
    script: dict | None = None,
    seed: int | None = None,
    checked: bool = False,
) -> dict:
    """Everything the call will do, decided now; `assistant` is the full configuration record
    the call runs with. Unless given a `seed`, what is said follows from the input; `checked`
    says the assistant is known to be valid (the call history's versions are)."""
    variables = dict(prompt_variables or {})
    script = script or {}
    stored, assistant = assistant, (assistant if checked else usable(assistant))
    if seed is None:
        config = {k: v for k, v in stored.items() if k not in ("id", "created_at", "updated_at")}
        seed = digest_seed(phone_number, config, variables, script)
    rng = random.Random(seed)
    share = shares(script.get("duration_ms", DEFAULT_DURATION_MS))
    answers = script.get("attempts") or ["answered"]
    retry = effective_retry(assistant)
    tz = zone(retry, phone_number)
    first, last = conversation.person(variables, rng)
    max_talk_ms = int(float(assistant.get("max_call_duration_secs") or 600) * 1000)

    attempts: list[dict] = []
    at = (scheduled_ms if scheduled_ms is not None else created_ms) + share["queue"]
    outcome = summary = None
    post_end = None
    for number in range(int(retry.get("max_retry_attempts") or 1)):
        window = retry["calling_windows"][0] if retry.get("calling_windows") else None
        if not skip_calling_window:
            opening = next_open(at, retry, tz)
            if opening is None:
                break
            at, window = opening
        answer = answers[min(number, len(answers) - 1)]
        attempt = _attempt(
            call_id, number, at, answer, share, max_talk_ms, phone_number,
            assistant, variables, rng, first, last, script,
        )  # fmt: skip
        attempts.append(attempt)
        if answer == "answered":
            outcome = attempt.pop("outcome")
            summary = conversation.summary(outcome, first)
            post_end = attempt["end"] + share["post"]
            break
        if answer == "error":
            break
        twice = number == 0 and retry.get("call_twice_in_a_row")
        delay_s = 0 if twice or window is None else window["retry_delay_seconds"]
        at = attempt["end"] + delay_s * 1000
    return {
        "id": call_id,
        "created_ms": created_ms,
        "scheduled_ms": scheduled_ms if scheduled_ms is not None else created_ms,
        "to": phone_number,
        "from": from_phone_number or assistant.get("from_phone_number") or DEFAULT_FROM_NUMBER,
        "assistant": stored,
        "prompt_variables": variables or None,
        "metadata": dict(metadata) if metadata else None,
        "attempts": attempts,
        "outcome": outcome,
        "summary": summary,
        "post_end": post_end,
        "contact": conversation.contact(variables),
        "cancelled_ms": None,
    }


def _attempt(
    call_id: str,
    number: int,
    start: int,
    answer: str,
    share: dict[str, int],
    max_talk_ms: int,
    phone_number: str,
    assistant: dict,
    variables: dict[str, str],
    rng: random.Random,
    first: str,
    last: str,
    script: dict,
) -> dict:
    ring = share["ring"] // (2 if answer == "busy" else 1)
    attempt: dict[str, Any] = {
        "id": derived_id(call_id, number),
        "answer": answer,
        "start": start,
        "answered": None,
        "end": start + ring,
        "lines": [],
        "result": None,
        "dial_error": DIAL_ERRORS.get(answer),
        "end_reason": None,
        "ended_by": None,
        "structured_output": None,
    }
    if answer not in ("answered", "voicemail"):
        return attempt
    answered = start + ring
    attempt["answered"] = answered
    if answer == "voicemail":
        lines = conversation.voicemail_lines(assistant, variables)
        talk = share["talk"] // 3
        attempt.update(result="voicemail", end_reason="voicemail", ended_by="agent")
    else:
        outcome = script.get("outcome") or _weighted(rng, OUTCOME_WEIGHTS)
        missing = script.get("missing_fields")
        extracted = conversation.structured_output(
            assistant, outcome, first, last, rng, start,
            drop_one=missing is None and rng.random() < 0.25,
        )  # fmt: skip
        for name in missing or []:
            if extracted is not None:
                extracted.pop(name, None)
        lines = conversation.transcript(assistant, variables, outcome, extracted, rng)
        talk = share["talk"]
        attempt.update(
            result="human",
            end_reason="tool_end_call" if outcome != "not_interested" else "user_rejected",
            ended_by="agent" if outcome != "not_interested" else "user",
            structured_output=extracted,
            outcome=outcome,
        )
    step = talk // (len(lines) + 1) if lines else 0
    timed = [[answered + step * index, role, text] for index, (role, text) in enumerate(lines)]
    end = answered + talk
    if talk > max_talk_ms:
        end = answered + max_talk_ms
        timed = [line for line in timed if line[0] < end]
        message = (assistant.get("max_duration_end_message") or "").strip()
        if message:
            timed.append([end - 1, "assistant", message])
        attempt.update(end_reason="max_duration", ended_by="system")
    attempt["lines"] = timed
    attempt["end"] = end
    return attempt


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- reading the plan at a moment ------------------------------------------------------------


def status_at(plan: dict, now_ms: int) -> str:
    cancelled = plan["cancelled_ms"]
    if cancelled is not None and now_ms >= cancelled:
        return "cancelled"
    attempts = plan["attempts"]
    if not attempts:
        return "not_launched"
    if now_ms < attempts[0]["start"]:
        waited = attempts[0]["start"] - plan["created_ms"]
        return "scheduled" if waited > QUEUE_LIMIT_MS else "queued_for_calling"
    for attempt in attempts:
        if attempt["start"] <= now_ms < attempt["end"]:
            return "calling"
    last = attempts[-1]
    if now_ms < last["end"]:
        return "scheduled"  # between two attempts: the retry is booked
    if last["answer"] == "error":
        return "errored"
    if plan["post_end"] is not None and now_ms < plan["post_end"]:
        return "post_processing"
    return "completed"


def cancel(plan: dict, now_ms: int) -> dict | None:
    """The plan cancelled at `now_ms`, or None when it is too late to cancel."""
    if status_at(plan, now_ms) not in CANCELLABLE:
        return None
    return {**plan, "cancelled_ms": now_ms}


def ended_ms(plan: dict) -> int:
    """When the call's last state change happens (or happened)."""
    if plan["cancelled_ms"] is not None:
        return plan["cancelled_ms"]
    ends = [plan["created_ms"]] + [attempt["end"] for attempt in plan["attempts"]]
    return max([*ends, plan["post_end"] or 0])


def render(plan: dict, now_ms: int, recording_base: str) -> dict:
    """The `Call` of the SDK (`revox.types.call_retrieve_response.Call`) at `now_ms`."""
    status = status_at(plan, now_ms)
    cancelled = plan["cancelled_ms"]
    seen = now_ms if cancelled is None else min(now_ms, cancelled)
    attempts = [
        _render_attempt(plan, attempt, seen, cancelled, recording_base)
        for attempt in plan["attempts"]
        if attempt["start"] <= seen
    ]
    attempts.reverse()  # most recent first
    done = status == "completed"
    assistant = usable(plan["assistant"], CALL_LEVEL_FIELDS)
    times = [plan["created_ms"], *(t for a in plan["attempts"] for t in _moments(a) if t <= seen)]
    if plan["post_end"] is not None and plan["post_end"] <= seen:
        times.append(plan["post_end"])
    if cancelled is not None and cancelled <= now_ms:
        times.append(cancelled)
    return {
        "id": plan["id"],
        "assignee": None,
        "assistant": plan["assistant"],
        "call_attempts": attempts,
        "call_retry_config": effective_retry(assistant),
        "calls_count": len(attempts),
        "campaign": None,
        "contact": plan["contact"],
        "created_at": model.format_timestamp(plan["created_ms"]),
        "direction": "outbound",
        "first_sentence_delay_ms": assistant["first_sentence_delay_ms"],
        "from_phone_number": plan["from"],
        "is_cancelled": status == "cancelled",
        "is_completed": status == "completed",
        "last_call_attempt": attempts[0] if attempts else None,
        "llm_model": assistant["llm_model"],
        "metadata": plan["metadata"],
        "organization_id": model.ORGANIZATION_ID,
        "prompt_variables": plan["prompt_variables"],
        "scheduled_at": model.format_timestamp(plan["scheduled_ms"]),
        "status": status,
        "to_phone_number": plan["to"],
        "updated_at": model.format_timestamp(max(times)),
        "follow_up_emails": None,
        "outcome": plan["outcome"] if done else None,
        "outcome_summary": plan["summary"] if done else None,
        "slack_channel_ids": None,
    }


def _moments(attempt: dict) -> list[int]:
    return [attempt["start"], attempt["answered"] or attempt["start"], attempt["end"]] + [
        line[0] for line in attempt["lines"]
    ]


def _render_attempt(
    plan: dict, attempt: dict, seen: int, cancelled: int | None, recording_base: str
) -> dict:
    cut = cancelled is not None and cancelled < attempt["end"]
    over = seen >= attempt["end"] or cut
    end = min(attempt["end"], cancelled) if cut else attempt["end"]
    answered = attempt["answered"]
    if answered is not None and answered > seen:
        answered = None  # still ringing
    if not over:
        status = "ringing" if answered is None else "ongoing"
    else:
        status = "error" if attempt["answer"] == "error" else "completed"
    lines = [line for line in attempt["lines"] if line[0] <= seen]
    transcript = [_line(role, text) for _, role, text in lines]
    analysed = plan["post_end"] is not None and seen >= plan["post_end"] and not cut
    human = attempt["result"] == "human"
    if cut:
        end_reason, ended_by, dial_error = "client_initiated", "system", None
    elif over:
        end_reason, ended_by = attempt["end_reason"], attempt["ended_by"]
        dial_error = attempt["dial_error"]
    else:
        end_reason = ended_by = dial_error = None
    recorded = over and answered is not None and bool(lines)
    return {
        "id": attempt["id"],
        "answered_at": model.format_timestamp(answered) if answered is not None else None,
        "dial_error": dial_error,
        "ended_at": model.format_timestamp(end) if over else None,
        "handled_by_ai": answered is not None,
        "handled_by_human": False,
        "handled_by_user": None,
        "phone_number": plan["to"],
        "recording_url": f"{recording_base}/{plan['id']}/{attempt['id']}.wav" if recorded else None,
        "result": attempt["result"] if answered is not None else None,
        "started_at": model.format_timestamp(attempt["start"]),
        "status": status,
        "assistants_used": None,
        "email_log": None,
        "end_reason": end_reason,
        "ended_by": ended_by,
        "post_call_transcript": transcript if analysed and human else None,
        "sms_log": None,
        "speech_events": _speech_events(plan, attempt, lines) if answered is not None else None,
        "structured_output": attempt["structured_output"] if analysed and human else None,
        "transcript": transcript,
    }


def _line(role: str, text: str) -> dict:
    return {
        "content": text,
        "role": role,
        "tool_arguments": None,
        "tool_is_error": None,
        "tool_name": None,
        "tool_output": None,
    }


def _speech_events(plan: dict, attempt: dict, lines: list[list]) -> list[dict]:
    """One segment per line said, timed from the answer; the first agent turn carries the
    prompt it was given (filled in with the call's variables)."""
    events = []
    answered = attempt["answered"]
    prompt_given = False
    timed = attempt["lines"]
    for index, (at, role, text) in enumerate(lines):
        following = timed[index + 1][0] if index + 1 < len(timed) else attempt["end"]
        agent = role == "assistant"
        prompt = None
        if agent and not prompt_given:
            variables = plan["prompt_variables"] or {}
            prompt = json.dumps(
                [
                    {
                        "role": "system",
                        "content": conversation.fill(
                            str(plan["assistant"].get("prompt")), variables
                        ),
                    }
                ],
                ensure_ascii=False,
            )
            prompt_given = True
        events.append(
            {
                "id": derived_id(attempt["id"], index),
                "is_real_turn": True,
                "llm_system_prompt": prompt,
                "llm_ttft_ms": 420 + (index * 37) % 180 if agent else None,
                "llm_winner_model": _model_name(plan["assistant"].get("llm_model"))
                if agent
                else None,
                "speaker": "agent" if agent else "user",
                "started_speaking_at_ms": at - answered,
                "stopped_speaking_at_ms": max(at - answered, following - answered - 1),
                "stt_transcription_delay_ms": None if agent else 180 + (index * 23) % 90,
                "transcript": text,
                "tts_ttfb_ms": 150 + (index * 17) % 60 if agent else None,
                "was_cut": False if agent else None,
            }
        )
    return events


def _model_name(llm_model: Any) -> str:
    if not isinstance(llm_model, dict):
        return "unknown"
    return (
        llm_model.get("name")
        or llm_model.get("openrouter_model_id")
        or llm_model.get("model_name")
        or llm_model.get("realtime_model_id")
        or "unknown"
    )
