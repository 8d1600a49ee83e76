"""Every validation rule with a good and a bad value, and no input ever answering 500.

Each case is PATCHed onto a fresh assistant: good values must be accepted
(200) and bad ones refused (400) with the bad field named by its dotted path.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import demo
from sandbox.validation import ASSISTANT_FIELDS, READ_ONLY_FIELDS, validate_assistant

MAX_SAFE = 9007199254740991

RETRY = {
    "calling_windows": [
        {
            "calling_window_start_time": "09:00",
            "calling_window_end_time": "17:30",
            "retry_delay_seconds": 7200,
        }
    ],
    "max_retry_attempts": 3,
    "allowed_days": ["monday", "friday"],
    "call_twice_in_a_row": False,
}
TOOL = {
    "name": "check_inventory",
    "description": "Check whether an item is in stock.",
    "url": "https://api.example.com/stock/{{sku}}",
    "method": "GET",
    "headers": [{"key": "X-Api-Key", "value": "{{key}}"}],
    "query_params": [{"key": "sku", "value": "{{sku}}"}],
    "body_template": None,
    "input_schema": [{"name": "sku", "required": True, "type": "string"}],
}
OUTPUT = {"name": "email", "required": True, "type": "string", "description": "Caller's e-mail"}
SLACK = {
    "connection_id": "c1",
    "channels": [{"id": "C123", "name": "sales"}],
    "outcomes": ["interested"],
}
ZOHO = {
    "connection_id": "z1",
    "module": "Leads",
    "field_mapping": [{"source": "email", "zoho_field": "Email"}],
    "outcomes": ["completed", "none"],
    "log_call_activity": True,
}
VOICE = {"id": "6513270e-269e-4d37-b2a7-4de452e6b438", "provider": "cartesia"}
FLOW_NODE = {
    "id": "n1",
    "type": "promptBlock",
    "position": {"x": 0, "y": 40.5},
    "data": {"title": "Welcome", "body": "Greet the caller."},
}


def changed(base: dict, path: str, value: Any) -> dict:
    """A deep copy of `base` with the value at a dotted path replaced (or removed if value is DELETE)."""
    result = copy.deepcopy(base)
    *parents, last = path.split(".")
    target: Any = result
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    key: Any = int(last) if isinstance(target, list) else last
    if value is DELETE:
        del target[key]
    else:
        target[key] = value
    return result


DELETE = object()


def retry(path: str, value: Any) -> dict:
    return {"call_retry_config": changed(RETRY, path, value)}


def tool(path: str, value: Any) -> dict:
    return {"custom_tools": [changed(TOOL, path, value)]}


def output(path: str, value: Any) -> dict:
    return {"structured_output_config": [changed(OUTPUT, path, value)]}


GOOD: list[dict] = [
    {"name": "A new name"},
    {"prompt": "x"},
    # The SDK types first_sentence, end_of_call_sentence and webhook_url as plain strings:
    # "" is how a client says "none".
    {"first_sentence": ""},
    {"first_sentence": "Hello there"},
    {"first_sentence_mode": "generated"},
    {"first_sentence_mode": "static"},
    {"first_sentence_mode": "none"},
    {"first_sentence_delay_ms": 0},
    {"first_sentence_delay_ms": MAX_SAFE},
    {"first_sentence_delay_ms": 400.0},
    {"end_of_call_sentence": ""},
    {"end_of_call_sentence": "Bye!"},
    {"max_call_duration_secs": 0.5},
    {"max_call_duration_secs": 3600},
    {"max_duration_end_message": "x" * 150},
    {"max_duration_end_message": None},
    {"voicemail_message": None},
    {"ivr_navigation_enabled": True},
    {"webhook_url": "https://example.com/hooks/call?x=1"},
    {"webhook_url": "http://localhost:8000/hook"},
    {"webhook_url": ""},
    {"stt_model": "stt-rt-v4"},
    {"stt_model": "stt-rt-v5"},
    {"type": "multi-step"},
    {"type": "standalone"},
    # voice
    {"voice": VOICE},
    {"voice": {**VOICE, "speed": 0.6, "volume": 0.5, "model": "sonic-3.5"}},
    {"voice": {**VOICE, "speed": 1.5, "volume": 2.0, "model": "sonic-3"}},
    {"voice": {"id": "pfKtHF4vUCsMehGAkWvj", "provider": "elevenlabs", "speed": 0.7}},
    # Volume and model are Cartesia's; the SDK says other providers ignore them.
    {"voice": {"id": "pfKtHF4vUCsMehGAkWvj", "provider": "elevenlabs", "volume": 1.0}},
    {"voice": {"id": "emma-en", "provider": "gradium", "model": "sonic-3"}},
    {"voice": {"id": "pfKtHF4vUCsMehGAkWvj", "provider": "elevenlabs", "speed": 1.2}},
    {"voice": {"id": "emma-en", "provider": "gradium", "speed": 0.6}},
    {"voice": {"id": "emma-en", "provider": "gradium", "speed": 1.5}},
    # llm_model, each member
    {"llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"}},
    {"llm_model": {"type": "dedicated-instance", "name": "ministral-3-8b-instruct"}},
    {
        "llm_model": {
            "type": "openrouter",
            "openrouter_model_id": "openai/gpt-4.1",
            "openrouter_provider": "nebius",
        }
    },
    {
        "llm_model": {
            "type": "custom",
            "api_url": "https://api.together.xyz/v1",
            "api_key": "sk-1",
            "model_name": "m",
        }
    },
    {"llm_model": {"type": "realtime", "provider": "openai", "realtime_model_id": "gpt-realtime"}},
    {
        "llm_model": {
            "type": "realtime",
            "provider": "google",
            "realtime_model_id": "g",
            "realtime_voice_id": "Puck",
        }
    },
    # call_retry_config
    {"call_retry_config": RETRY},
    retry("timezone", "Europe/Paris"),
    retry("timezone", "America/New_York"),
    retry("timezone", None),
    retry("calling_windows", []),
    retry("calling_windows.0.calling_window_start_time", "6pm"),
    retry("calling_windows.0.calling_window_start_time", "9:30am"),
    retry("calling_windows.0.calling_window_start_time", "12AM"),
    retry("calling_windows.0.calling_window_end_time", "23:59"),
    retry("calling_windows.0.calling_window_end_time", "00:00"),
    retry("calling_windows.0.retry_delay_seconds", 0),
    retry("max_retry_attempts", 1),
    retry("allowed_days", ["saturday", "sunday"]),
    retry("call_twice_in_a_row", True),
    # FAQ
    {"faq_items": []},
    {"faq_items": [{"question": "Q?", "answer": ""}, {"question": "R?", "answer": "Yes."}]},
    # structured output
    {"structured_output_config": []},
    {"structured_output_config": [OUTPUT]},
    output("type", "date"),
    output("type", "datetime"),
    {"structured_output_config": [{**OUTPUT, "type": "enum", "enum_options": ["a", "b"]}]},
    {"structured_output_config": [{**OUTPUT, "type": "number", "enum_options": []}]},
    {"structured_output_prompt": "Use {{transcript}}"},
    # transfer and calls
    {"transfer_destinations": [{"label": "Sales", "phone_number": "+442075550100"}]},
    {"transfer_destinations": []},
    {"transfer_destinations": None},
    {"human_transfer_mode": "warm"},
    {"human_transfer_mode": "cold"},
    {"human_transfer_mode": None},
    {"warm_transfer_summary_instructions": "Be brief."},
    {"from_phone_number": "+33478550100"},
    {"from_phone_number": None},
    {"precall_lookup_url": "https://crm.example.com/lookup?phone={{phone}}"},
    {"precall_lookup_url": "https://crm.example.com/{{phone}}/details"},
    {"precall_lookup_url": None},
    # sounds
    {"background_sound": "audio/office.ogg"},
    {"background_sound": None},
    {"background_sound_volume": 0},
    {"background_sound_volume": 1},
    {"thinking_sound": "hold_music.ogg"},
    {"thinking_sound": "keyboard-typing2.ogg"},
    {"thinking_sound": None},
    {"thinking_sound_probability": 0.25},
    {"thinking_sound_volume": 1.0},
    # messages
    {"sms_enabled": True},
    {"sms_template": "Hi {{name}}"},
    {"sms_template": None},
    {"after_call_sms_prompt": None},
    {"after_call_sms_outcomes": ["interested", "none"]},
    {"after_call_sms_outcomes": None},
    {"email_notification_outcomes": ["completed", "requested_callback_later"]},
    {"voicemail_sms_prompt": "Call back"},
    {"email_notification_address": "alice@example.com"},
    {"email_notification_address": "alice@x.com,bob@y.co.uk"},
    {"email_notification_address": "alice@x.com, bob@y.org"},
    {"email_notification_address": None},
    # custom tools
    {"custom_tools": None},
    {"custom_tools": []},
    {"custom_tools": [TOOL]},
    {"custom_tools": [TOOL, {**TOOL, "name": "check_inventory_2"}]},
    tool("body_template", '{"sku": "{{sku}}"}'),
    tool("url", "https://{{host}}/orders"),
    tool("method", "DELETE"),
    tool("headers", []),
    tool(
        "input_schema",
        [{"name": "size", "required": False, "type": "enum", "enum_options": ["S", "M"]}],
    ),
    # integrations, speech, flow editor
    {"calendly": {"connection_id": "c", "event_type_id": "e"}},
    {"calendly": None},
    {"slack": SLACK},
    {"slack": {**SLACK, "template": None, "channels": [{"id": "C1"}]}},
    {"slack": None},
    {"zoho": ZOHO},
    {"zoho": {**ZOHO, "template": "Note: {{summary}}"}},
    {"zoho": None},
    {"stt_context": {"general": [{"key": "k", "value": "v"}], "terms": ["Revox"]}},
    {"stt_context": None},
    {"cartesia_dictionary_pronunciation_id": "pdict_1"},
    {"cartesia_dictionary_pronunciation_id": None},
    {"prompt_flow": {"nodes": [FLOW_NODE], "edges": []}},
    {
        "prompt_flow": {
            "nodes": [FLOW_NODE, {**FLOW_NODE, "id": "n2"}],
            "edges": [{"id": "e1", "source": "n1", "target": "n2"}],
        }
    },
    {"prompt_flow": None},
    {"position": {"x": 10, "y": -2.5}},
    {"position": None},
    {"logo_url": "https://cdn.example.com/logo.png"},
    {"logo_url": None},
]

BAD: list[tuple[dict, str]] = [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": None}, "name"),
    ({"name": 5}, "name"),
    ({"prompt": ""}, "prompt"),
    ({"prompt": None}, "prompt"),
    ({"prompt": ["x"]}, "prompt"),
    ({"first_sentence": 5}, "first_sentence"),
    ({"first_sentence": None}, "first_sentence"),
    ({"first_sentence_mode": "loud"}, "first_sentence_mode"),
    ({"first_sentence_mode": None}, "first_sentence_mode"),
    ({"first_sentence_delay_ms": -1}, "first_sentence_delay_ms"),
    ({"first_sentence_delay_ms": 1.5}, "first_sentence_delay_ms"),
    ({"first_sentence_delay_ms": "400"}, "first_sentence_delay_ms"),
    ({"first_sentence_delay_ms": True}, "first_sentence_delay_ms"),
    ({"first_sentence_delay_ms": MAX_SAFE + 1}, "first_sentence_delay_ms"),
    ({"end_of_call_sentence": False}, "end_of_call_sentence"),
    ({"end_of_call_sentence": None}, "end_of_call_sentence"),
    ({"max_call_duration_secs": 0}, "max_call_duration_secs"),
    ({"max_call_duration_secs": -5}, "max_call_duration_secs"),
    ({"max_call_duration_secs": True}, "max_call_duration_secs"),
    ({"max_call_duration_secs": "600"}, "max_call_duration_secs"),
    ({"max_call_duration_secs": None}, "max_call_duration_secs"),
    ({"max_duration_end_message": "x" * 151}, "max_duration_end_message"),
    ({"voicemail_message": {}}, "voicemail_message"),
    ({"ivr_navigation_enabled": "true"}, "ivr_navigation_enabled"),
    ({"ivr_navigation_enabled": 1}, "ivr_navigation_enabled"),
    ({"ivr_navigation_enabled": None}, "ivr_navigation_enabled"),
    ({"webhook_url": "not a url"}, "webhook_url"),
    ({"webhook_url": "ftp://example.com/x"}, "webhook_url"),
    ({"webhook_url": "https://"}, "webhook_url"),
    ({"webhook_url": "example.com/hook"}, "webhook_url"),
    ({"webhook_url": None}, "webhook_url"),
    ({"webhook_url": " "}, "webhook_url"),
    ({"stt_model": "stt-rt-v3"}, "stt_model"),
    ({"type": "robot"}, "type"),
    ({"type": None}, "type"),
    # voice
    ({"voice": "Katie"}, "voice"),
    ({"voice": None}, "voice"),
    ({"voice": {**VOICE, "speed": None}}, "voice.speed"),
    ({"voice": {**VOICE, "volume": None}}, "voice.volume"),
    ({"voice": {**VOICE, "model": None}}, "voice.model"),
    ({"voice": {"provider": "cartesia"}}, "voice.id"),
    ({"voice": {**VOICE, "id": ""}}, "voice.id"),
    ({"voice": {"id": "x"}}, "voice.provider"),
    ({"voice": {**VOICE, "provider": "azure"}}, "voice.provider"),
    # Not a string at all: refused like any unknown provider (it used to answer 500).
    ({"voice": {**VOICE, "provider": ["cartesia"]}}, "voice.provider"),
    ({"voice": {**VOICE, "provider": {"name": "cartesia"}, "speed": 1.0}}, "voice.provider"),
    ({"voice": {**VOICE, "speed": 0.59}}, "voice.speed"),
    ({"voice": {**VOICE, "speed": 1.51}}, "voice.speed"),
    ({"voice": {**VOICE, "speed": "fast"}}, "voice.speed"),
    ({"voice": {**VOICE, "speed": True}}, "voice.speed"),
    ({"voice": {"id": "a", "provider": "elevenlabs", "speed": 0.69}}, "voice.speed"),
    ({"voice": {"id": "a", "provider": "elevenlabs", "speed": 1.21}}, "voice.speed"),
    ({"voice": {"id": "a", "provider": "gradium", "speed": 1.6}}, "voice.speed"),
    ({"voice": {"id": "a", "provider": "gradium", "speed": 0.5}}, "voice.speed"),
    ({"voice": {**VOICE, "volume": 0.49}}, "voice.volume"),
    ({"voice": {**VOICE, "volume": 2.01}}, "voice.volume"),
    ({"voice": {"id": "a", "provider": "elevenlabs", "volume": 2.5}}, "voice.volume"),
    ({"voice": {"id": "a", "provider": "gradium", "model": "sonic-2"}}, "voice.model"),
    ({"voice": {**VOICE, "model": "sonic-2"}}, "voice.model"),
    ({"voice": {**VOICE, "pitch": 3}}, "voice.pitch"),
    # llm_model
    ({"llm_model": None}, "llm_model"),
    ({"llm_model": "gpt-4.1"}, "llm_model"),
    ({"llm_model": {}}, "llm_model.type"),
    ({"llm_model": {"type": "gpt"}}, "llm_model.type"),
    ({"llm_model": {"type": None}}, "llm_model.type"),
    ({"llm_model": {"type": "dedicated-instance", "name": "gpt-5"}}, "llm_model.name"),
    ({"llm_model": {"type": "dedicated-instance"}}, "llm_model.name"),
    (
        {"llm_model": {"type": "dedicated-instance", "name": "gpt-4.1", "temperature": 0.2}},
        "llm_model.temperature",
    ),
    (
        {
            "llm_model": {
                "type": "dedicated-instance",
                "name": "gpt-4.1",
                "openrouter_model_id": "x",
            }
        },
        "llm_model.openrouter_model_id",
    ),
    (
        {"llm_model": {"type": "openrouter", "openrouter_model_id": "x"}},
        "llm_model.openrouter_provider",
    ),
    (
        {"llm_model": {"type": "openrouter", "openrouter_model_id": 4, "openrouter_provider": "x"}},
        "llm_model.openrouter_model_id",
    ),
    (
        {"llm_model": {"type": "custom", "api_url": "nope", "api_key": "k", "model_name": "m"}},
        "llm_model.api_url",
    ),
    (
        {
            "llm_model": {
                "type": "custom",
                "api_url": "https://x.io",
                "api_key": "",
                "model_name": "m",
            }
        },
        "llm_model.api_key",
    ),
    (
        {
            "llm_model": {
                "type": "custom",
                "api_url": "https://x.io",
                "api_key": "k",
                "model_name": "",
            }
        },
        "llm_model.model_name",
    ),
    (
        {"llm_model": {"type": "custom", "api_url": "https://x.io", "api_key": "k"}},
        "llm_model.model_name",
    ),
    (
        {"llm_model": {"type": "realtime", "provider": "azure", "realtime_model_id": "m"}},
        "llm_model.provider",
    ),
    ({"llm_model": {"type": "realtime", "provider": "openai"}}, "llm_model.realtime_model_id"),
    (
        {
            "llm_model": {
                "type": "realtime",
                "provider": "openai",
                "realtime_model_id": "m",
                "realtime_voice_id": "",
            }
        },
        "llm_model.realtime_voice_id",
    ),
    (
        {
            "llm_model": {
                "type": "realtime",
                "provider": "openai",
                "realtime_model_id": "m",
                "realtime_voice_id": None,
            }
        },
        "llm_model.realtime_voice_id",
    ),
    # call_retry_config
    ({"call_retry_config": []}, "call_retry_config"),
    ({"call_retry_config": None}, "call_retry_config"),
    (retry("calling_windows", DELETE), "call_retry_config.calling_windows"),
    (retry("max_retry_attempts", DELETE), "call_retry_config.max_retry_attempts"),
    (retry("allowed_days", DELETE), "call_retry_config.allowed_days"),
    (retry("call_twice_in_a_row", DELETE), "call_retry_config.call_twice_in_a_row"),
    (retry("calling_windows", "9-5"), "call_retry_config.calling_windows"),
    (retry("max_retry_attempts", 0), "call_retry_config.max_retry_attempts"),
    (retry("max_retry_attempts", 2.5), "call_retry_config.max_retry_attempts"),
    (retry("allowed_days", ["funday"]), "call_retry_config.allowed_days.0"),
    (retry("allowed_days", "monday"), "call_retry_config.allowed_days"),
    (retry("call_twice_in_a_row", "yes"), "call_retry_config.call_twice_in_a_row"),
    (retry("timezone", "Mars/Olympus_Mons"), "call_retry_config.timezone"),
    (retry("timezone", "CET+1"), "call_retry_config.timezone"),
    (retry("timezone", 1), "call_retry_config.timezone"),
    (
        retry("calling_windows.0.calling_window_start_time", "25:00"),
        "call_retry_config.calling_windows.0.calling_window_start_time",
    ),
    (
        retry("calling_windows.0.calling_window_start_time", "9:60"),
        "call_retry_config.calling_windows.0.calling_window_start_time",
    ),
    (
        retry("calling_windows.0.calling_window_start_time", "13pm"),
        "call_retry_config.calling_windows.0.calling_window_start_time",
    ),
    (
        retry("calling_windows.0.calling_window_end_time", "6 pm"),
        "call_retry_config.calling_windows.0.calling_window_end_time",
    ),
    (
        retry("calling_windows.0.calling_window_end_time", "noon"),
        "call_retry_config.calling_windows.0.calling_window_end_time",
    ),
    (
        retry("calling_windows.0.calling_window_end_time", DELETE),
        "call_retry_config.calling_windows.0.calling_window_end_time",
    ),
    (
        retry("calling_windows.0.retry_delay_seconds", -1),
        "call_retry_config.calling_windows.0.retry_delay_seconds",
    ),
    (
        retry("calling_windows.0.retry_delay_seconds", 1.5),
        "call_retry_config.calling_windows.0.retry_delay_seconds",
    ),
    (
        retry("calling_windows.0.retry_delay_seconds", DELETE),
        "call_retry_config.calling_windows.0.retry_delay_seconds",
    ),
    (retry("calling_windows.0.extra", 1), "call_retry_config.calling_windows.0.extra"),
    # FAQ
    ({"faq_items": None}, "faq_items"),
    ({"faq_items": "Q?"}, "faq_items"),
    ({"faq_items": [None]}, "faq_items.0"),
    ({"faq_items": ["Q?"]}, "faq_items.0"),
    ({"faq_items": [{"question": "  ", "answer": "a"}]}, "faq_items.0.question"),
    ({"faq_items": [{"answer": "a"}]}, "faq_items.0.question"),
    ({"faq_items": [{"question": "Q?"}]}, "faq_items.0.answer"),
    ({"faq_items": [{"question": "Q?", "answer": 5}]}, "faq_items.0.answer"),
    ({"faq_items": [{"question": "Q?", "answer": "a", "id": "x"}]}, "faq_items.0.id"),
    ({"faq_items": [{"question": "Q?", "answer": "a", "source": "ai"}]}, "faq_items.0.source"),
    (
        {"faq_items": [{"question": "Q?", "answer": "a", "needs_human_answer": True}]},
        "faq_items.0.needs_human_answer",
    ),
    (
        {
            "faq_items": [{"question": f"Q{i}?", "answer": ""} for i in range(3)]
            + [{"question": "", "answer": ""}]
        },
        "faq_items.3.question",
    ),
    # structured output
    ({"structured_output_config": {}}, "structured_output_config"),
    ({"structured_output_config": None}, "structured_output_config"),
    (output("description", None), "structured_output_config.0.description"),
    (output("enum_options", None), "structured_output_config.0.enum_options"),
    (output("name", ""), "structured_output_config.0.name"),
    (output("name", DELETE), "structured_output_config.0.name"),
    (output("required", DELETE), "structured_output_config.0.required"),
    (output("required", "yes"), "structured_output_config.0.required"),
    (output("type", "text"), "structured_output_config.0.type"),
    (output("description", 5), "structured_output_config.0.description"),
    (output("type", "enum"), "structured_output_config.0.enum_options"),
    (
        {"structured_output_config": [{**OUTPUT, "type": "enum", "enum_options": []}]},
        "structured_output_config.0.enum_options",
    ),
    (
        {"structured_output_config": [{**OUTPUT, "type": "enum", "enum_options": ["a", " "]}]},
        "structured_output_config.0.enum_options.1",
    ),
    (
        {"structured_output_config": [{**OUTPUT, "type": "enum", "enum_options": ["a", "b", "a"]}]},
        "structured_output_config.0.enum_options.2",
    ),
    (
        {"structured_output_config": [{**OUTPUT, "type": "enum", "enum_options": "a,b"}]},
        "structured_output_config.0.enum_options",
    ),
    (
        {"structured_output_config": [{**OUTPUT, "type": "string", "enum_options": ["a"]}]},
        "structured_output_config.0.enum_options",
    ),
    (output("format", "email"), "structured_output_config.0.format"),
    ({"structured_output_prompt": 3}, "structured_output_prompt"),
    # transfer and calls (the older API's single number is no field of the SDK's)
    ({"transfer_phone_number": "+14155550123"}, "transfer_phone_number"),
    ({"transfer_phone_number": None}, "transfer_phone_number"),
    (
        {"transfer_destinations": [{"label": "", "phone_number": "+14155550123"}]},
        "transfer_destinations.0.label",
    ),
    (
        {"transfer_destinations": [{"label": "  ", "phone_number": "+14155550123"}]},
        "transfer_destinations.0.label",
    ),
    (
        {"transfer_destinations": [{"phone_number": "+14155550123"}]},
        "transfer_destinations.0.label",
    ),
    (
        {"transfer_destinations": [{"label": "Sales", "phone_number": "555-0123"}]},
        "transfer_destinations.0.phone_number",
    ),
    ({"transfer_destinations": [{"label": "Sales"}]}, "transfer_destinations.0.phone_number"),
    ({"human_transfer_mode": "lukewarm"}, "human_transfer_mode"),
    ({"warm_transfer_summary_instructions": 1}, "warm_transfer_summary_instructions"),
    ({"from_phone_number": "12345"}, "from_phone_number"),
    ({"precall_lookup_url": "https://crm.example.com/lookup"}, "precall_lookup_url"),
    ({"precall_lookup_url": "crm.example.com/{{phone}}"}, "precall_lookup_url"),
    ({"precall_lookup_url": "ftp://crm.example.com/{{phone}}"}, "precall_lookup_url"),
    # sounds
    ({"background_sound": "audio/street.ogg"}, "background_sound"),
    ({"background_sound_volume": 1.01}, "background_sound_volume"),
    ({"background_sound_volume": -0.1}, "background_sound_volume"),
    ({"background_sound_volume": True}, "background_sound_volume"),
    ({"background_sound_volume": None}, "background_sound_volume"),
    ({"thinking_sound": "beep.ogg"}, "thinking_sound"),
    ({"thinking_sound_probability": 2}, "thinking_sound_probability"),
    ({"thinking_sound_probability": "0.5"}, "thinking_sound_probability"),
    ({"thinking_sound_volume": -1}, "thinking_sound_volume"),
    # messages
    ({"sms_enabled": "no"}, "sms_enabled"),
    ({"sms_template": 5}, "sms_template"),
    ({"after_call_sms_prompt": []}, "after_call_sms_prompt"),
    ({"after_call_sms_outcomes": ["maybe"]}, "after_call_sms_outcomes.0"),
    ({"after_call_sms_outcomes": "interested"}, "after_call_sms_outcomes"),
    ({"email_notification_outcomes": ["interested", "angry"]}, "email_notification_outcomes.1"),
    # The older API's two outcomes, which the SDK no longer lists.
    ({"email_notification_outcomes": ["do_not_contact"]}, "email_notification_outcomes.0"),
    (
        {"after_call_sms_outcomes": ["interested", "requested_callback_new_number"]},
        "after_call_sms_outcomes.1",
    ),
    ({"voicemail_sms_prompt": 1}, "voicemail_sms_prompt"),
    ({"email_notification_address": "not-an-email"}, "email_notification_address"),
    ({"email_notification_address": "a@x.com,,b@y.com"}, "email_notification_address"),
    ({"email_notification_address": "a@x.com, bad"}, "email_notification_address"),
    ({"email_notification_address": "a@x"}, "email_notification_address"),
    ({"email_notification_address": ["a@x.com"]}, "email_notification_address"),
    # custom tools
    ({"custom_tools": {}}, "custom_tools"),
    (tool("name", "CheckStock"), "custom_tools.0.name"),
    (tool("name", "1tool"), "custom_tools.0.name"),
    (tool("name", "check-stock"), "custom_tools.0.name"),
    (tool("name", ""), "custom_tools.0.name"),
    ({"custom_tools": [TOOL, TOOL]}, "custom_tools.1.name"),
    (tool("description", ""), "custom_tools.0.description"),
    (tool("description", DELETE), "custom_tools.0.description"),
    (tool("url", ""), "custom_tools.0.url"),
    (tool("url", "api.example.com/x"), "custom_tools.0.url"),
    (tool("url", "https://a b.com"), "custom_tools.0.url"),
    (tool("method", "FETCH"), "custom_tools.0.method"),
    (tool("method", "get"), "custom_tools.0.method"),
    (tool("headers", [{"key": "", "value": "v"}]), "custom_tools.0.headers.0.key"),
    (tool("headers", [{"key": "k"}]), "custom_tools.0.headers.0.value"),
    (tool("headers", DELETE), "custom_tools.0.headers"),
    (tool("query_params", [{"value": "v"}]), "custom_tools.0.query_params.0.key"),
    (tool("query_params", "a=b"), "custom_tools.0.query_params"),
    (tool("body_template", 5), "custom_tools.0.body_template"),
    (tool("body_template", DELETE), "custom_tools.0.body_template"),
    (tool("input_schema", DELETE), "custom_tools.0.input_schema"),
    (tool("input_schema.0.type", "int"), "custom_tools.0.input_schema.0.type"),
    (tool("input_schema.0.enum_options", ["a"]), "custom_tools.0.input_schema.0.enum_options"),
    (tool("input_schema.0.name", ""), "custom_tools.0.input_schema.0.name"),
    (tool("timeout", 5), "custom_tools.0.timeout"),
    # integrations
    ({"calendly": {"connection_id": "c"}}, "calendly.event_type_id"),
    ({"calendly": {"connection_id": "c", "event_type_id": "e", "x": 1}}, "calendly.x"),
    ({"calendly": "c"}, "calendly"),
    ({"slack": {k: v for k, v in SLACK.items() if k != "channels"}}, "slack.channels"),
    ({"slack": {**SLACK, "channels": [{"id": ""}]}}, "slack.channels.0.id"),
    ({"slack": {**SLACK, "channels": [{"name": "sales"}]}}, "slack.channels.0.id"),
    ({"slack": {**SLACK, "outcomes": ["bad"]}}, "slack.outcomes.0"),
    ({"slack": {**SLACK, "template": 5}}, "slack.template"),
    ({"slack": {k: v for k, v in SLACK.items() if k != "connection_id"}}, "slack.connection_id"),
    (
        {"zoho": {k: v for k, v in ZOHO.items() if k != "log_call_activity"}},
        "zoho.log_call_activity",
    ),
    ({"zoho": {k: v for k, v in ZOHO.items() if k != "module"}}, "zoho.module"),
    ({"zoho": {**ZOHO, "field_mapping": [{"source": "email"}]}}, "zoho.field_mapping.0.zoho_field"),
    ({"zoho": {**ZOHO, "outcomes": ["x"]}}, "zoho.outcomes.0"),
    ({"zoho": {**ZOHO, "log_call_activity": "yes"}}, "zoho.log_call_activity"),
    # speech and flow editor
    ({"stt_context": {"general": [], "terms": [1]}}, "stt_context.terms.0"),
    ({"stt_context": {"terms": []}}, "stt_context.general"),
    ({"stt_context": {"general": [{"key": "k"}], "terms": []}}, "stt_context.general.0.value"),
    ({"cartesia_dictionary_pronunciation_id": 5}, "cartesia_dictionary_pronunciation_id"),
    ({"prompt_flow": {"nodes": []}}, "prompt_flow.edges"),
    ({"prompt_flow": {"nodes": "x", "edges": []}}, "prompt_flow.nodes"),
    ({"prompt_flow": {"nodes": [1], "edges": []}}, "prompt_flow.nodes.0"),
    (
        {"prompt_flow": {"nodes": [{"id": "n1", "anything": [1, 2]}], "edges": []}},
        "prompt_flow.nodes.0.anything",
    ),
    (
        {"prompt_flow": {"nodes": [{**FLOW_NODE, "type": "note"}], "edges": []}},
        "prompt_flow.nodes.0.type",
    ),
    (
        {"prompt_flow": {"nodes": [{**FLOW_NODE, "data": {"title": "t"}}], "edges": []}},
        "prompt_flow.nodes.0.data.body",
    ),
    ({"prompt_flow": {"nodes": [], "edges": [{"id": "e"}]}}, "prompt_flow.edges.0.source"),
    ({"prompt_flow": {"nodes": [], "edges": [], "viewport": {}}}, "prompt_flow.viewport"),
    ({"prompt_flow": []}, "prompt_flow"),
    ({"position": {"x": 1}}, "position.y"),
    ({"position": {"x": "1", "y": 2}}, "position.x"),
    ({"position": {"x": 1, "y": 2, "z": 3}}, "position.z"),
    ({"logo_url": 5}, "logo_url"),
    # unknown and read-only fields
    ({"colour": "blue"}, "colour"),
    ({"transfer_phone": "+14155550123"}, "transfer_phone"),
]


@pytest.fixture
def assistant(api) -> dict:
    return api.create()


@pytest.mark.parametrize("body", GOOD, ids=lambda body: ",".join(body))
def test_good_values_are_accepted(api, assistant, body):
    response = api.patch(f"/assistants/{assistant['id']}", json=body)
    assert response.status_code == 200, response.text
    updated = response.json()["assistant"]
    for key, value in body.items():
        if key != "faq_items":
            assert updated[key] == value


@pytest.mark.parametrize(("body", "path"), BAD, ids=[path for _, path in BAD])
def test_bad_values_are_refused_with_their_path(api, assistant, body, path):
    response = api.patch(f"/assistants/{assistant['id']}", json=body)
    fields = api.fields(response)
    assert path in fields, fields
    assert all(isinstance(m, str) and m for m in fields[path])
    # A refused PATCH changes nothing.
    assert api.get(f"/assistants/{assistant['id']}").json() == assistant


@pytest.mark.parametrize(("body", "path"), BAD[:40], ids=[path for _, path in BAD[:40]])
def test_bad_values_are_refused_on_create_too(api, body, path):
    response = api.post("/assistants", json={"name": "n", "prompt": "p", **body})
    assert path in api.fields(response)


@pytest.mark.parametrize("field", sorted(READ_ONLY_FIELDS))
def test_read_only_fields_are_refused(api, assistant, field):
    response = api.patch(f"/assistants/{assistant['id']}", json={field: assistant[field]})
    assert api.fields(response) == {field: ["read-only field"]}


def test_messages_say_what_is_wrong(api, assistant):
    response = api.patch(
        f"/assistants/{assistant['id']}",
        json={
            "voice": {**VOICE, "speed": 2},
            "colour": "blue",
            "id": "x",
            "name": None,
            "llm_model": {"type": "custom", "api_url": "https://x.io", "api_key": "k"},
            "voicemail_message": 1,
            "background_sound_volume": 3,
            "faq_items": [{"question": "Q?", "answer": "A"}] * 3 + [{"answer": "A"}],
        },
    )
    assert api.fields(response) == {
        "voice.speed": ["must be between 0.6 and 1.5 for cartesia"],
        "colour": ["unknown field"],
        "id": ["read-only field"],
        "name": ["must not be null"],
        "llm_model.model_name": ["required"],
        "voicemail_message": ["must be a string"],
        "background_sound_volume": ["must be between 0 and 1"],
        "faq_items.3.question": ["required"],
    }


def test_create_requires_name_and_prompt(api):
    assert api.fields(api.post("/assistants", json={})) == {
        "name": ["required"],
        "prompt": ["required"],
    }
    fields = api.fields(api.post("/assistants", json={"name": " ", "prompt": ""}))
    assert set(fields) == {"name", "prompt"}
    assert api.get("/assistants").json() == {"assistants": []}


def test_patch_does_not_require_name_or_prompt(api, assistant):
    assert api.patch(f"/assistants/{assistant['id']}", json={}).status_code == 200


def test_every_bad_field_is_named_at_once(api, assistant):
    body: dict = {}
    expected = set()
    for bad, path in BAD:
        top = next(iter(bad))
        if top not in body and top not in READ_ONLY_FIELDS:
            body[top] = bad[top]
            expected.add(path)
    fields = api.fields(api.patch(f"/assistants/{assistant['id']}", json=body))
    assert expected <= set(fields)


def sendable(record: dict) -> dict:
    """A record's writable fields as a client may send them: FAQ items and the nulls the SDK
    does not let a client send ("not set") left out."""
    return {
        k: v
        for k, v in record.items()
        if k not in READ_ONLY_FIELDS
        and k != "faq_items"
        and (v is not None or ASSISTANT_FIELDS[k].nullable)
    }


@pytest.mark.parametrize("name", demo.FILES.values())
def test_every_demo_file_holds_a_valid_create_body(name):
    data, prompt = demo.load(name)
    body = {**data["body"], "prompt": prompt}
    assert not validate_assistant(body, creating=True).fields


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[]", "must hold a JSON object"),
        ('{"created_at": "x", "body": {}}', "'updated_at' is missing"),
        ('{"created_at": "x", "updated_at": "x", "body": {}, "fac": []}', "'fac' is unknown"),
        (
            '{"created_at": "x", "updated_at": "x", "body": {"prompt": "Hi"}}',
            "the prompt belongs in the .prompt.txt file",
        ),
    ],
)
def test_a_malformed_demo_file_says_which_and_what(monkeypatch, content, problem):
    monkeypatch.setattr(demo, "_read", lambda filename: content)
    with pytest.raises(ValueError, match=r"^sandbox/demo/broken\.json: .*") as raised:
        demo.load.__wrapped__("broken")
    assert problem in str(raised.value)


def test_the_demo_seed_passes_its_own_validation():
    for record in demo.assistants():
        body = sendable(record)
        assert not validate_assistant(body, creating=True), (
            record["name"],
            validate_assistant(body, creating=True).fields,
        )


def test_a_retrieved_assistant_can_be_sent_back(api):
    """The dashboard edits what it read: every writable field must round-trip (a null the SDK
    does not let a client send is left out: it means "not set", which sending nothing keeps)."""
    api.reset("demo")
    for listed in api.get("/assistants").json()["assistants"]:
        body = sendable(listed)
        body["faq_items"] = [
            {"question": i["question"], "answer": i["answer"]} for i in listed["faq_items"]
        ]
        response = api.patch(f"/assistants/{listed['id']}", json=body)
        assert response.status_code == 200, response.text


# --- no input ever answers 500 -----------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
# Known keys make the fuzz reach the nested checks, not only "unknown field".
known_keys = st.sampled_from(sorted(set(ASSISTANT_FIELDS) | READ_ONLY_FIELDS))
bodies = st.dictionaries(known_keys | st.text(max_size=8), json_values, max_size=6)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_random_bodies_never_answer_500(api, assistant, body):
    # The fixtures run once for all examples: `assistant` stays there to be patched.
    response = api.post("/assistants", json=body)
    assert response.status_code in (200, 400), response.text
    response = api.patch(f"/assistants/{assistant['id']}", json=body)
    assert response.status_code in (200, 400), response.text


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    voice=st.fixed_dictionaries(
        {
            "id": json_values,
            "provider": st.sampled_from(["cartesia", "elevenlabs", "gradium", "x"]) | json_values,
        },
        optional={"speed": json_values, "volume": json_values, "model": json_values},
    ),
    llm=st.fixed_dictionaries(
        {"type": st.sampled_from(["dedicated-instance", "openrouter", "custom", "realtime", "x"])},
        optional={
            k: json_values
            for k in ("name", "api_url", "api_key", "model_name", "provider", "realtime_model_id")
        },
    ),
)
def test_random_nested_values_never_answer_500(api, voice, llm):
    response = api.post(
        "/assistants", json={"name": "n", "prompt": "p", "voice": voice, "llm_model": llm}
    )
    assert response.status_code in (200, 400), response.text
