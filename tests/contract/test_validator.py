"""The validators themselves: a contract check that cannot fail would prove nothing. Each trap
of validating against the SDK's TypedDicts (sdk_contract.py) is shown to be closed."""

from __future__ import annotations

import copy

import pytest
from pydantic import TypeAdapter, ValidationError
from revox.types import (
    AssistantCreateParams,
    AssistantRetrieveResponse,
    AssistantUpdateParams,
    AssistantUpdateResponse,
    VoicePreviewParams,
)

from sandbox import demo
from tests.contract.sdk_contract import UnknownKeys, validate_answer, validate_body

GOOD_UPDATE = {
    "name": "Front desk",
    "voice": {"id": "6513270e-269e-4d37-b2a7-4de452e6b438", "provider": "cartesia", "speed": 1},
    "call_retry_config": {
        "calling_windows": [
            {
                "calling_window_start_time": "09:00",
                "calling_window_end_time": "17:00",
                "retry_delay_seconds": 3600,
            }
        ],
        "max_retry_attempts": 3,
        "allowed_days": ["monday"],
        "call_twice_in_a_row": False,
        "timezone": None,
    },
    "faq_items": [{"question": "Hours?", "answer": "9 to 5."}, {"question": "Q?", "answer": ""}],
    "custom_tools": [
        {
            "name": "lookup",
            "description": "Look up an order.",
            "url": "https://api.example.com/{{id}}",
            "method": "GET",
            "headers": [{"key": "X-Key", "value": "v"}],
            "query_params": [],
            "body_template": None,
            "input_schema": [{"name": "id", "required": True, "type": "string"}],
        }
    ],
    "llm_model": {"type": "realtime", "provider": "openai", "realtime_model_id": "gpt-realtime"},
}


def test_a_good_body_passes():
    validate_body(AssistantUpdateParams, GOOD_UPDATE)
    validate_body(AssistantCreateParams, {**GOOD_UPDATE, "prompt": "Be kind."})


def test_a_plain_type_adapter_lets_bad_bodies_through():
    """Why sdk_contract rebuilds the types: the naive check passes all of these."""
    naive = TypeAdapter(AssistantUpdateParams)
    naive.validate_python({**GOOD_UPDATE, "colour": "blue"})  # (a) unknown key ignored
    naive.validate_python({"faq_items": [{"question": 5}]})  # (b) the list is never looked into
    TypeAdapter(VoicePreviewParams).validate_python(
        {"provider": "cartesia", "voice_id": "x"}  # (c) the TypedDict key, not the wire's
    )


def bad(path: str, value: object, *, remove: bool = False) -> dict:
    body = copy.deepcopy(GOOD_UPDATE)
    *parents, last = path.split(".")
    target = body
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    key = int(last) if isinstance(target, list) else last
    if remove:
        del target[key]
    else:
        target[key] = value
    return body


@pytest.mark.parametrize(
    "body",
    [
        # (a) an unknown key, at every level
        bad("colour", "blue"),
        bad("voice.pitch", 2),
        bad("call_retry_config.calling_windows.0.extra", 1),
        bad("custom_tools.0.headers.0.secret", "x"),
        bad("custom_tools.0.input_schema.0.format", "email"),
        bad("faq_items.1.id", "item-1"),
        bad("llm_model.temperature", 0.2),
        {"transfer_phone_number": "+14155550123"},
        # (b) errors inside lists (Iterable in the SDK) are found
        bad("faq_items.1.question", 5),
        bad("faq_items.0.answer", None, remove=True),
        bad("call_retry_config.calling_windows.0.retry_delay_seconds", "1h"),
        bad("custom_tools.0.input_schema.0.type", "int"),
        bad("custom_tools.0.query_params", [{"key": "k"}]),
        # wrong types, wrong enum values, null where the SDK takes none
        bad("name", 5),
        bad("voice.provider", "azure"),
        bad("voice.speed", "fast"),
        bad("voice.speed", None),
        bad("call_retry_config.allowed_days", ["funday"]),
        bad("llm_model.provider", "azure"),
        {"voice": None},
        {"first_sentence": None},
        {"call_retry_config": None},
        {"structured_output_config": None},
        {"webhook_url": None},
        {"after_call_sms_outcomes": ["do_not_contact"]},
        {"ivr_navigation_enabled": "true"},
        {"first_sentence_delay_ms": 400.5},
    ],
)
def test_a_bad_update_body_fails(body):
    with pytest.raises(ValidationError):
        validate_body(AssistantUpdateParams, body)


def test_a_create_needs_name_and_prompt():
    with pytest.raises(ValidationError):
        validate_body(AssistantCreateParams, {"name": "Only a name"})


def test_the_preview_body_is_checked_with_the_wire_key():
    # (c) the SDK's transform sends voice_id as voiceId: the wire key is what is checked.
    validate_body(VoicePreviewParams, {"provider": "cartesia", "voiceId": "x", "speed": 1.2})
    for wrong in (
        {"provider": "cartesia", "voice_id": "x"},  # the TypedDict's key is not the wire's
        {"provider": "cartesia"},
        {"provider": "cartesia", "voiceId": "x", "model": "sonic-2"},
        {"provider": "cartesia", "voiceId": "x", "speed": "1.2"},
    ):
        with pytest.raises(ValidationError):
            validate_body(VoicePreviewParams, wrong)


def test_an_answer_is_checked_strictly_and_for_unknown_keys():
    record = copy.deepcopy(demo.assistants()[0])
    validate_answer(AssistantRetrieveResponse, record)
    with pytest.raises(ValidationError):  # a missing field
        validate_answer(AssistantRetrieveResponse, {k: v for k, v in record.items() if k != "name"})
    with pytest.raises(ValidationError):  # a mistyped one (strict: no "600" for a number)
        validate_answer(AssistantRetrieveResponse, {**record, "max_call_duration_secs": "600"})
    with pytest.raises(ValidationError):  # an enum value the SDK does not list
        validate_answer(AssistantRetrieveResponse, {**record, "email_notification_outcomes": ["x"]})
    with pytest.raises(UnknownKeys, match="transfer_phone_number"):
        validate_answer(AssistantRetrieveResponse, {**record, "transfer_phone_number": None})
    with pytest.raises(UnknownKeys, match=r"voice\.pitch"):
        validate_answer(
            AssistantRetrieveResponse, {**record, "voice": {**record["voice"], "pitch": 1}}
        )
    with pytest.raises(UnknownKeys, match=r"faq_items\.0\.extra"):
        items = [{**record["faq_items"][0], "extra": 1}, *record["faq_items"][1:]]
        validate_answer(AssistantRetrieveResponse, {**record, "faq_items": items})
    notice = {"count": 2, "variables": ["first_name"]}
    validate_answer(AssistantUpdateResponse, {"assistant": record, "unpatchedCallsNotice": notice})
    with pytest.raises(ValidationError):
        validate_answer(AssistantUpdateResponse, {"assistant": record, "unpatchedCallsNotice": {}})
