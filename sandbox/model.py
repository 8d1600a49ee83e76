"""The assistant record: its full answer shape, defaults, and the pure edits on it.

A record is the exact JSON object the API answers with (newest shape, every key
present). These functions only build and transform records; locking, clocks
and persistence belong to `store`.
"""

from __future__ import annotations

import copy
import random
import uuid
from datetime import UTC, datetime
from typing import Any

from sandbox.voices import DEFAULT_VOICE

# One organization and one user per sandbox: every assistant is "ours".
ORGANIZATION_ID = "5f0c8a4e-2b1d-4e7a-9c3f-6d8e1a2b4c70"
CREATED_BY = {
    "id": "b7e2d1c4-8f3a-4b6e-a1d9-0c5f7e3a9b12",
    "email": "demo@sandbox.getrevox.test",
    "first_name": "Sandy",
    "last_name": "Box",
}

DEFAULT_LLM_MODEL = {"type": "dedicated-instance", "name": "gpt-4.1"}

# Writable fields with the value a new assistant gets when the create body
# leaves them out, in the order answers list them.
WRITABLE_DEFAULTS: dict[str, Any] = {
    "name": "",
    "prompt": "",
    "first_sentence": None,
    "first_sentence_mode": "generated",
    "first_sentence_delay_ms": 400,
    "end_of_call_sentence": None,
    "max_call_duration_secs": 600,
    "max_duration_end_message": None,
    "voicemail_message": None,
    "ivr_navigation_enabled": False,
    "webhook_url": None,
    "stt_model": "stt-rt-v5",
    "voice": DEFAULT_VOICE,
    "llm_model": DEFAULT_LLM_MODEL,
    # null: Revox then applies its documented defaults (10:00-18:00, 3 attempts, Mon-Fri).
    "call_retry_config": None,
    "structured_output_config": None,
    "structured_output_prompt": None,
    "transfer_destinations": None,
    "human_transfer_mode": None,
    "warm_transfer_summary_instructions": None,
    "from_phone_number": None,
    "precall_lookup_url": None,
    "background_sound": None,
    "background_sound_volume": 0.3,
    "thinking_sound": None,
    "thinking_sound_probability": 0.5,
    "thinking_sound_volume": 0.3,
    "sms_enabled": False,
    "sms_template": None,
    "after_call_sms_prompt": None,
    "after_call_sms_outcomes": None,
    "voicemail_sms_prompt": None,
    "email_notification_address": None,
    "email_notification_outcomes": None,
    "custom_tools": None,
    "calendly": None,
    "slack": None,
    "zoho": None,
    "stt_context": None,
    "cartesia_dictionary_pronunciation_id": None,
    "prompt_flow": None,
    "position": None,
    "logo_url": None,
    "type": "standalone",
}


def format_timestamp(epoch_ms: int) -> str:
    """ISO-8601 with milliseconds and Z, as Revox's JavaScript backend writes them."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


def parse_timestamp(text: str) -> int:
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def new_id() -> str:
    return str(uuid.uuid4())


_VERSION_MASK = ~(0xF000 << 64) & ~(0xC000 << 48)
_VERSION_BITS = (0x4000 << 64) | (0x8000 << 48)  # version 4, RFC 4122 variant


def seeded_uuid(rng: random.Random) -> str:
    """A uuid4-shaped id drawn from `rng`, so seeded data gets the same ids every time.

    Formatted by hand: the benchmark seed makes ~60,000 of them, and going
    through uuid.UUID costs several times more.
    """
    digits = f"{(rng.getrandbits(128) & _VERSION_MASK) | _VERSION_BITS:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def faq_item(question: str, answer: str, *, source: str, item_id: str | None = None) -> dict:
    return {
        "id": item_id or new_id(),
        "question": question,
        "answer": answer,
        "source": source,
        # An item needs a human when nobody has written an answer yet.
        "needs_human_answer": not answer.strip(),
    }


def human_faq_items(sent: list[dict]) -> list[dict]:
    """Items sent by a client: fresh ids, marked as written by a human."""
    return [faq_item(item["question"], item["answer"], source="human") for item in sent]


def pending_count(record: dict) -> int:
    return sum(1 for item in record["faq_items"] if item["needs_human_answer"])


def new_record(body: dict, *, assistant_id: str, timestamp: str) -> dict:
    """A complete record from a validated create body."""
    record: dict[str, Any] = {"id": assistant_id, "organization_id": ORGANIZATION_ID}
    for key, default in WRITABLE_DEFAULTS.items():
        value = body.get(key, default)
        # Copy containers so no two records share one; scalars are immutable.
        record[key] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    record["created_at"] = timestamp
    record["updated_at"] = timestamp
    record["created_by"] = dict(CREATED_BY)
    record["is_inbound_receptionist"] = False
    record["is_realestate_assistant"] = False
    record["faq_items"] = human_faq_items(body.get("faq_items", []))
    record["pending_faq_count"] = pending_count(record)
    return record


def apply_patch(record: dict, body: dict, *, timestamp: str) -> dict:
    """A new record with only the fields sent changed (nested objects are replaced whole)."""
    updated = dict(record)
    for key, value in body.items():
        if key == "faq_items":
            updated["faq_items"] = human_faq_items(value)
        else:
            updated[key] = copy.deepcopy(value)
    updated["updated_at"] = timestamp
    updated["pending_faq_count"] = pending_count(updated)
    return updated


def cloned(record: dict, *, assistant_id: str, timestamp: str) -> dict:
    """A deep copy under a new id; FAQ items keep their source and state but get new ids."""
    copied = copy.deepcopy(record)
    copied["id"] = assistant_id
    copied["name"] = f"{record['name']} (Copy)"
    copied["created_at"] = timestamp
    copied["updated_at"] = timestamp
    copied["faq_items"] = [{**item, "id": new_id()} for item in copied["faq_items"]]
    return copied


def with_legacy_fields(record: dict, fields: dict, *, timestamp: str) -> dict:
    """What an assistant saved by an older Revox looks like: `fields` stored as given, unchecked
    (a key the SDK no longer has, a value it no longer accepts, null where it wants a value)."""
    updated = {**record, **copy.deepcopy(fields)}
    updated["updated_at"] = timestamp
    return updated


def with_suggested_faq(record: dict, question: str, answer: str, *, timestamp: str) -> dict:
    """What a call does: append an AI-suggested item waiting for a human."""
    updated = dict(record)
    item = faq_item(question, answer, source="ai")
    item["needs_human_answer"] = True  # even with a draft answer, a human must confirm it
    updated["faq_items"] = [*record["faq_items"], item]
    updated["updated_at"] = timestamp
    updated["pending_faq_count"] = pending_count(updated)
    return updated
