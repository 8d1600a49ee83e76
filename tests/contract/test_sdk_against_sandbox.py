"""The official SDK drives the sandbox through every call it has for assistants, voices and the
key check; every raw JSON answer must be exactly what the SDK's response model describes
(strict types, no key it does not know). And the documented bad inputs, sent through the SDK,
are refused with a 4xx that names the field."""

from __future__ import annotations

import io
import wave

import pytest
import revox as revox_sdk
from revox.types import (
    AssistantCloneResponse,
    AssistantCreateResponse,
    AssistantDeleteResponse,
    AssistantListResponse,
    AssistantRetrieveResponse,
    AssistantUpdateResponse,
    AuthStatusRetrieveResponse,
    VoiceListResponse,
    VoiceRetrieveResponse,
)

from sandbox import demo
from sandbox.validation import READ_ONLY_FIELDS
from tests.contract.sdk_contract import validate_answer

KATIE = "6513270e-269e-4d37-b2a7-4de452e6b438"
ACCOUNT_VOICE = "Jq8RkW2vYz5nTbL4cXm7"  # cloned in ElevenLabs, not in Revox's list


def answer(raw) -> object:
    assert raw.http_response.headers["content-type"].startswith("application/json")
    return raw.http_response.json()


def test_every_assistant_answer_is_what_the_sdk_describes(sdk, demo_revox):
    listed = answer(sdk.assistants.with_raw_response.list())
    validate_answer(AssistantListResponse, listed)
    ids = [a["id"] for a in listed["assistants"]]
    # Sub-assistants are not listed but can be read: each one too.
    for assistant_id in [*ids, demo.PHYSIO_TRIAGE, demo.PHYSIO_BOOKING]:
        retrieved = answer(sdk.assistants.with_raw_response.retrieve(assistant_id))
        validate_answer(AssistantRetrieveResponse, retrieved)
        assert retrieved["id"] == assistant_id  # flat: the assistant itself

    source = next(a for a in listed["assistants"] if a["id"] == demo.RESTAURANT)
    params = {k: v for k, v in source.items() if k not in READ_ONLY_FIELDS and v is not None}
    params["faq_items"] = [
        {"question": i["question"], "answer": i["answer"]} for i in source["faq_items"]
    ]
    created = answer(sdk.assistants.with_raw_response.create(**params))
    validate_answer(AssistantCreateResponse, created)
    new_id = created["assistant"]["id"]

    updated = answer(
        sdk.assistants.with_raw_response.update(new_id, name="Renamed", sms_enabled=False)
    )
    validate_answer(AssistantUpdateResponse, updated)
    assert "unpatchedCallsNotice" not in updated

    demo_revox.schedule_calls(new_id, 2, ["first_name", "table_time"])
    noticed = answer(sdk.assistants.with_raw_response.update(new_id, first_sentence="Ciao!"))
    parsed = validate_answer(AssistantUpdateResponse, noticed)
    assert parsed.unpatched_calls_notice.count == 2
    assert parsed.unpatched_calls_notice.variables == ["first_name", "table_time"]

    cloned = answer(sdk.assistants.with_raw_response.clone(new_id))
    validate_answer(AssistantCloneResponse, cloned)
    assert cloned["assistant"]["name"] == "Renamed (Copy)"

    deleted = answer(sdk.assistants.with_raw_response.delete(cloned["assistant"]["id"]))
    validate_answer(AssistantDeleteResponse, deleted)
    with pytest.raises(revox_sdk.NotFoundError):
        sdk.assistants.retrieve(cloned["assistant"]["id"])


def test_the_sdks_parsed_answers_read_the_sandbox(sdk, demo_revox):
    """Not only the raw JSON: the SDK's own parsing (what its users get) reads every field."""
    dental = sdk.assistants.retrieve(demo.DENTAL)
    assert dental.id == demo.DENTAL and dental.voice.provider == "cartesia"
    assert dental.faq_items and dental.faq_items[0].id
    assert sdk.assistants.create(name="Desk", prompt="Hi.").assistant.llm_model.type == (
        "dedicated-instance"
    )


def test_voice_answers_are_what_the_sdk_describes(sdk, revox):
    listed = answer(sdk.voices.with_raw_response.list())
    validate_answer(VoiceListResponse, listed)
    assert ACCOUNT_VOICE not in {v["id"] for v in listed["voices"]}
    for voice_id, provider in ((KATIE, "cartesia"), (ACCOUNT_VOICE, "elevenlabs")):
        found = answer(sdk.voices.with_raw_response.retrieve(voice_id, provider=provider))
        validate_answer(VoiceRetrieveResponse, found)
        assert found["voice"]["id"] == voice_id and found["voice"]["name"]
    with pytest.raises(revox_sdk.NotFoundError):
        sdk.voices.retrieve("emma-en", provider="cartesia")


def test_a_voice_preview_is_a_real_short_wav(sdk, revox):
    raw = sdk.voices.with_raw_response.preview(
        provider="cartesia", voice_id=KATIE, text="Hello, this is Katie.", speed=1.2,
        volume=1.5, model="sonic-3.5",
    )  # fmt: skip
    assert raw.http_response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(raw.http_response.content)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 0.5 < seconds < 5


def test_auth_status_says_whether_the_key_is_valid(sdk, revox):
    validate_answer(
        AuthStatusRetrieveResponse, answer(sdk.auth_status.with_raw_response.retrieve())
    )
    assert sdk.auth_status.retrieve().authenticated is True
    # A bad key gets an answer, not a 401: the one call that exists to say so.
    with revox_sdk.Revox(api_key="not-the-key", base_url=revox.api_url, max_retries=0) as stranger:
        raw = stranger.auth_status.with_raw_response.retrieve()
        validate_answer(AuthStatusRetrieveResponse, answer(raw))
        assert raw.parse().authenticated is False
        with pytest.raises(revox_sdk.AuthenticationError):
            stranger.assistants.list()


WINDOW = {"calling_window_start_time": "09:00", "calling_window_end_time": "17:00",
          "retry_delay_seconds": 60}  # fmt: skip
RETRY = {"calling_windows": [WINDOW], "max_retry_attempts": 3, "allowed_days": ["monday"],
         "call_twice_in_a_row": False}  # fmt: skip
TOOL = {"name": "look_up", "description": "Look up.", "url": "https://x.example/{{id}}",
        "method": "GET", "headers": [], "query_params": [], "body_template": None,
        "input_schema": []}  # fmt: skip

# The constraints FIELDS.md documents, each broken once: (params, the dotted path named).
DOCUMENTED_BAD_INPUTS = [
    ({"voice": {"id": KATIE, "provider": "cartesia", "speed": 1.6}}, "voice.speed"),
    ({"voice": {"id": "pfKtHF4vUCsMehGAkWvj", "provider": "elevenlabs", "speed": 1.3}}, "voice.speed"),
    ({"voice": {"id": "emma-en", "provider": "gradium", "speed": 0.5}}, "voice.speed"),
    ({"voice": {"id": KATIE, "provider": "cartesia", "volume": 2.5}}, "voice.volume"),
    ({"voice": {"id": KATIE, "provider": "cartesia", "model": "sonic-2"}}, "voice.model"),
    ({"voice": {"id": "", "provider": "cartesia"}}, "voice.id"),
    ({"voice": {"id": KATIE, "provider": "azure"}}, "voice.provider"),
    ({"first_sentence_mode": "loud"}, "first_sentence_mode"),
    ({"first_sentence_delay_ms": -1}, "first_sentence_delay_ms"),
    ({"max_duration_end_message": "x" * 151}, "max_duration_end_message"),
    ({"webhook_url": "not a url"}, "webhook_url"),
    ({"stt_model": "stt-rt-v3"}, "stt_model"),
    ({"call_retry_config": {**RETRY, "calling_windows": [{**WINDOW, "calling_window_start_time": "25:00"}]}},
     "call_retry_config.calling_windows.0.calling_window_start_time"),
    ({"call_retry_config": {**RETRY, "calling_windows": [{**WINDOW, "retry_delay_seconds": -5}]}},
     "call_retry_config.calling_windows.0.retry_delay_seconds"),
    ({"call_retry_config": {**RETRY, "max_retry_attempts": 0}}, "call_retry_config.max_retry_attempts"),
    ({"call_retry_config": {**RETRY, "allowed_days": ["funday"]}}, "call_retry_config.allowed_days.0"),
    ({"call_retry_config": {**RETRY, "timezone": "Mars/Base"}}, "call_retry_config.timezone"),
    ({"faq_items": [{"question": " ", "answer": "a"}]}, "faq_items.0.question"),
    ({"structured_output_config": [{"name": "x", "required": True, "type": "text"}]},
     "structured_output_config.0.type"),
    ({"structured_output_config": [{"name": "x", "required": True, "type": "enum"}]},
     "structured_output_config.0.enum_options"),
    ({"llm_model": {"type": "custom", "api_url": "https://x.io", "api_key": "", "model_name": "m"}},
     "llm_model.api_key"),
    ({"llm_model": {"type": "dedicated-instance", "name": "gpt-5"}}, "llm_model.name"),
    ({"transfer_destinations": [{"label": "Sales", "phone_number": "555-0123"}]},
     "transfer_destinations.0.phone_number"),
    ({"human_transfer_mode": "lukewarm"}, "human_transfer_mode"),
    ({"from_phone_number": "12345"}, "from_phone_number"),
    ({"precall_lookup_url": "https://crm.example.com/lookup"}, "precall_lookup_url"),
    ({"background_sound": "audio/street.ogg"}, "background_sound"),
    ({"background_sound_volume": 1.5}, "background_sound_volume"),
    ({"thinking_sound": "beep.ogg"}, "thinking_sound"),
    ({"thinking_sound_probability": 2}, "thinking_sound_probability"),
    ({"after_call_sms_outcomes": ["maybe"]}, "after_call_sms_outcomes.0"),
    ({"email_notification_outcomes": ["do_not_contact"]}, "email_notification_outcomes.0"),
    ({"email_notification_address": "not-an-email"}, "email_notification_address"),
    ({"custom_tools": [{**TOOL, "name": "LookUp"}]}, "custom_tools.0.name"),
    ({"custom_tools": [TOOL, TOOL]}, "custom_tools.1.name"),
    ({"custom_tools": [{**TOOL, "method": "FETCH"}]}, "custom_tools.0.method"),
    ({"stt_context": {"general": [], "terms": [1]}}, "stt_context.terms.0"),
    ({"voice": None}, "voice"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "path"), DOCUMENTED_BAD_INPUTS, ids=[p for _, p in DOCUMENTED_BAD_INPUTS]
)
def test_a_documented_bad_input_is_refused_naming_the_field(sdk, revox, params, path):
    created = sdk.assistants.create(name="Desk", prompt="Hi.").assistant
    with pytest.raises(revox_sdk.BadRequestError) as refused:
        sdk.assistants.update(created.id, **params)
    assert refused.value.status_code == 400
    assert path in refused.value.body["error"]["fields"], refused.value.body
    with pytest.raises(revox_sdk.BadRequestError) as refused_on_create:
        sdk.assistants.create(name="Desk", prompt="Hi.", **params)
    assert path in refused_on_create.value.body["error"]["fields"]


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"provider": "cartesia", "voice_id": KATIE, "speed": 1.6}, "speed"),
        ({"provider": "elevenlabs", "voice_id": "pfKtHF4vUCsMehGAkWvj", "speed": 0.6}, "speed"),
        ({"provider": "cartesia", "voice_id": KATIE, "volume": 0.4}, "volume"),
        ({"provider": "cartesia", "voice_id": KATIE, "text": "x" * 501}, "text"),
        ({"provider": "cartesia", "voice_id": "nobody"}, "voiceId"),
    ],
)
def test_a_bad_preview_is_refused_naming_the_field(sdk, revox, params, path):
    with pytest.raises(revox_sdk.BadRequestError) as refused:
        sdk.voices.preview(**params)
    assert path in refused.value.body["error"]["fields"]
