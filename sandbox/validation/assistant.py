"""The assistant itself: every writable field of a create or update body, the read-only ones,
and the nested shapes no other group shares (LLM model, FAQ items, the flow editor's data)."""

from __future__ import annotations

from typing import Any

from sandbox.validation.calls import (
    CALL_RETRY_CONFIG,
    HUMAN_TRANSFER_MODES,
    OUTCOMES,
    TRANSFER_DESTINATION,
)
from sandbox.validation.engine import (
    MAX_SAFE_INTEGER,
    Errors,
    Field,
    anything,
    array,
    boolean,
    check_fields,
    join,
    number,
    obj,
    one_of,
    string,
)
from sandbox.validation.formats import (
    e164,
    email_list,
    url,
)
from sandbox.validation.tools import (
    CALENDLY,
    CUSTOM_TOOL,
    SCHEMA_FIELD,
    SLACK,
    ZOHO,
    check_unique_tool_names,
)
from sandbox.validation.voice import STT_CONTEXT, STT_MODELS, VOICE

FIRST_SENTENCE_MODES = ("generated", "static", "none")
BACKGROUND_SOUNDS = ("audio/office.ogg",)
THINKING_SOUNDS = (
    "city-ambience.ogg",
    "forest-ambience.ogg",
    "office-ambience.ogg",
    "crowded-room.ogg",
    "keyboard-typing.ogg",
    "keyboard-typing2.ogg",
    "hold_music.ogg",
)
DEDICATED_MODELS = ("gpt-4.1", "ministral-3-8b-instruct")
REALTIME_PROVIDERS = ("openai", "google")
ASSISTANT_TYPES = ("standalone", "multi-step", "sub-assistant")

FAQ_ITEM = obj(
    {
        "question": Field(string(non_blank=True), required=True),
        "answer": Field(string(), required=True),
    }
)


POSITION = obj({"x": Field(number(), required=True), "y": Field(number(), required=True)})

# The flow editor's data: the dashboard carries it through untouched; Revox checks its shape.
PROMPT_FLOW = obj(
    {
        "nodes": Field(
            array(
                obj(
                    {
                        "id": Field(string(), required=True),
                        "type": Field(one_of(("promptBlock",)), required=True),
                        "position": Field(POSITION, required=True),
                        "data": Field(
                            obj(
                                {
                                    "title": Field(string(), required=True),
                                    "body": Field(string(), required=True),
                                }
                            ),
                            required=True,
                        ),
                    }
                )
            ),
            required=True,
        ),
        "edges": Field(
            array(
                obj(
                    {
                        "id": Field(string(), required=True),
                        "source": Field(string(), required=True),
                        "target": Field(string(), required=True),
                    }
                )
            ),
            required=True,
        ),
    }
)

# The tagged union on `type`: each member names exactly its keys.
LLM_MEMBERS: dict[str, dict[str, Field]] = {
    "dedicated-instance": {"name": Field(one_of(DEDICATED_MODELS), required=True)},
    "openrouter": {
        "openrouter_model_id": Field(string(), required=True),
        "openrouter_provider": Field(string(), required=True),
    },
    "custom": {
        "api_url": Field(url(), required=True),
        "api_key": Field(string(min_len=1), required=True),
        "model_name": Field(string(min_len=1), required=True),
    },
    "realtime": {
        "provider": Field(one_of(REALTIME_PROVIDERS), required=True),
        "realtime_model_id": Field(string(), required=True),
        "realtime_voice_id": Field(string(min_len=1)),
    },
}


def check_llm_model(value: Any, path: str, errors: Errors) -> None:
    if not isinstance(value, dict):
        errors.add(path, "must be an object")
        return
    kind = value.get("type")
    if "type" not in value:
        errors.add(join(path, "type"), "required")
        return
    if not isinstance(kind, str) or kind not in LLM_MEMBERS:
        errors.add(join(path, "type"), "must be one of: " + ", ".join(LLM_MEMBERS))
        return
    fields = {"type": Field(anything(), required=True), **LLM_MEMBERS[kind]}
    check_fields(value, fields, path, errors)


READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "organization_id",
        "created_at",
        "updated_at",
        "created_by",
        "pending_faq_count",
        "is_inbound_receptionist",
        "is_realestate_assistant",
    }
)

NULLABLE_TEXT = Field(string(), nullable=True)
UNIT_INTERVAL = Field(number(minimum=0, maximum=1))
OUTCOME_LIST = Field(array(one_of(OUTCOMES)), nullable=True)

# Every writable field. `nullable` follows the SDK's Optional[...] in AssistantUpdateParams:
# sending null clears such a field; null on any other field is an error. (FIELDS.md marks a
# few more "|null" — first_sentence, end_of_call_sentence, webhook_url, voice,
# call_retry_config, structured_output_config — which the SDK does not let a client send:
# an empty string, an empty list or the documented defaults say the same.)
ASSISTANT_FIELDS: dict[str, Field] = {
    # General
    "name": Field(string(non_blank=True)),
    "prompt": Field(string(non_blank=True)),
    "first_sentence": Field(string()),
    "first_sentence_mode": Field(one_of(FIRST_SENTENCE_MODES)),
    "first_sentence_delay_ms": Field(number(integer=True, minimum=0, maximum=MAX_SAFE_INTEGER)),
    "end_of_call_sentence": Field(string()),
    "max_call_duration_secs": Field(number(exclusive_minimum=0)),
    "max_duration_end_message": Field(string(max_len=150), nullable=True),
    "voicemail_message": NULLABLE_TEXT,
    "ivr_navigation_enabled": Field(boolean()),
    "webhook_url": Field(url(allow_empty=True)),
    "stt_model": Field(one_of(STT_MODELS)),
    "type": Field(one_of(ASSISTANT_TYPES)),
    # Voice and model
    "voice": Field(VOICE),
    "llm_model": Field(check_llm_model),
    # Retry windows
    "call_retry_config": Field(CALL_RETRY_CONFIG),
    # FAQ
    "faq_items": Field(array(FAQ_ITEM)),
    # Structured output
    "structured_output_config": Field(array(SCHEMA_FIELD)),
    "structured_output_prompt": NULLABLE_TEXT,
    # Transfer (the older API's single `transfer_phone_number` is gone from the SDK)
    "transfer_destinations": Field(array(TRANSFER_DESTINATION), nullable=True),
    "human_transfer_mode": Field(one_of(HUMAN_TRANSFER_MODES), nullable=True),
    "warm_transfer_summary_instructions": NULLABLE_TEXT,
    # Calls
    "from_phone_number": Field(e164(), nullable=True),
    "precall_lookup_url": Field(url(must_contain="{{phone}}"), nullable=True),
    # Sounds
    "background_sound": Field(one_of(BACKGROUND_SOUNDS), nullable=True),
    "background_sound_volume": UNIT_INTERVAL,
    "thinking_sound": Field(one_of(THINKING_SOUNDS), nullable=True),
    "thinking_sound_probability": UNIT_INTERVAL,
    "thinking_sound_volume": UNIT_INTERVAL,
    # Messages
    "sms_enabled": Field(boolean()),
    "sms_template": NULLABLE_TEXT,
    "after_call_sms_prompt": NULLABLE_TEXT,
    "after_call_sms_outcomes": OUTCOME_LIST,
    "voicemail_sms_prompt": NULLABLE_TEXT,
    "email_notification_address": Field(email_list(), nullable=True),
    "email_notification_outcomes": OUTCOME_LIST,
    # Custom tools and integrations
    "custom_tools": Field(array(CUSTOM_TOOL, extra=check_unique_tool_names), nullable=True),
    "calendly": Field(CALENDLY, nullable=True),
    "slack": Field(SLACK, nullable=True),
    "zoho": Field(ZOHO, nullable=True),
    # Speech
    "stt_context": Field(STT_CONTEXT, nullable=True),
    "cartesia_dictionary_pronunciation_id": NULLABLE_TEXT,
    # Flow editor data
    "prompt_flow": Field(PROMPT_FLOW, nullable=True),
    "position": Field(POSITION, nullable=True),
    "logo_url": NULLABLE_TEXT,
}

REQUIRED_ON_CREATE = ("name", "prompt")


def validate_assistant(body: dict, *, creating: bool) -> Errors:
    """Check a create (POST) or update (PATCH) body; return every problem found."""
    errors = Errors()
    writable = {}
    for key, value in body.items():
        if key in READ_ONLY_FIELDS:
            errors.add(key, "read-only field")
        else:
            writable[key] = value
    check_fields(writable, ASSISTANT_FIELDS, "", errors)
    if creating:
        for key in REQUIRED_ON_CREATE:
            if key not in body:
                errors.add(key, "required")
    return errors


SUGGESTED_FAQ = obj(
    {
        "question": Field(string(non_blank=True), required=True),
        "answer": Field(string()),
    }
)


def validate_suggested_faq(body: dict) -> Errors:
    errors = Errors()
    SUGGESTED_FAQ(body, "", errors)
    return errors
