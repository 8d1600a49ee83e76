"""Validation of assistant bodies, as documented in FIELDS.md and the official SDK.

Where FIELDS.md and the SDK (`revox` 0.5.0, generated from Revox's OpenAPI spec) disagree, the
SDK wins: tests/contract/ holds these rules to its request models (`AssistantUpdateParams`,
`AssistantCreateParams`, `VoicePreviewParams`).

The rules are tables of `Field` specs built from a few small check factories,
so one table line says what a field accepts. Every check appends to one
`Errors` collector instead of raising: a client gets *every* bad field of a
body at once, each named by its dotted path (list indices as numbers, e.g.
``faq_items.3.question``), which is what the dashboard maps onto form fields.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_SAFE_INTEGER = 9007199254740991  # JavaScript's Number.MAX_SAFE_INTEGER, the API's bound


class Errors:
    """Collects error messages keyed by the dotted path of the bad value."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields)


# A check looks at one (non-null) value found at `path` and reports what is wrong.
Check = Callable[[Any, str, Errors], None]


def join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def is_number(value: Any) -> bool:
    # JSON true/false arrive as Python bools, which are ints: they are not numbers here.
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    # JSON has one number type, so 400.0 is as good an integer as 400 (as in JavaScript).
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def fmt(number: float) -> str:
    # 0 -> "0", 0.6 -> "0.6", 9007199254740991 -> itself (not "9.0072e+15").
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


# --- check factories -------------------------------------------------------


def anything() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        return None

    return check


def string(*, min_len: int = 0, max_len: int | None = None, non_blank: bool = False) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif non_blank and not value.strip():
            errors.add(path, "must not be blank")
        elif len(value) < min_len:
            errors.add(path, f"must be at least {min_len} character{'s' if min_len > 1 else ''}")
        elif max_len is not None and len(value) > max_len:
            errors.add(path, f"must be at most {max_len} characters")

    return check


def boolean() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, bool):
            errors.add(path, "must be a boolean")

    return check


def number(
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: float | None = None,
    integer: bool = False,
) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if integer and not is_integer(value):
            errors.add(path, "must be an integer")
        elif not is_number(value):
            errors.add(path, "must be a number")
        elif minimum is not None and maximum is not None and not minimum <= value <= maximum:
            errors.add(path, f"must be between {fmt(minimum)} and {fmt(maximum)}")
        elif minimum is not None and value < minimum:
            errors.add(path, f"must be at least {fmt(minimum)}")
        elif exclusive_minimum is not None and value <= exclusive_minimum:
            errors.add(path, f"must be greater than {fmt(exclusive_minimum)}")
        elif maximum is not None and value > maximum:
            errors.add(path, f"must be at most {fmt(maximum)}")

    return check


def one_of(values: Iterable[str]) -> Check:
    allowed = tuple(values)
    message = "must be one of: " + ", ".join(allowed)

    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str) or value not in allowed:
            errors.add(path, message)

    return check


def array(item: Check, *, extra: Callable[[list, str, Errors], None] | None = None) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, list):
            errors.add(path, "must be an array")
            return
        for index, element in enumerate(value):
            element_path = join(path, index)
            if element is None:
                errors.add(element_path, "must not be null")
            else:
                item(element, element_path, errors)
        if extra is not None:
            extra(value, path, errors)

    return check


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False
    nullable: bool = False


def check_fields(
    value: dict, fields: dict[str, Field], path: str, errors: Errors, *, allow_unknown: bool = False
) -> None:
    """Check the keys of one object against its field table."""
    for key, item in value.items():
        spec = fields.get(key)
        item_path = join(path, key)
        if spec is None:
            if not allow_unknown:
                errors.add(item_path, "unknown field")
        elif item is None:
            if not spec.nullable:
                errors.add(item_path, "must not be null")
        else:
            spec.check(item, item_path, errors)
    for key, spec in fields.items():
        if spec.required and key not in value:
            errors.add(join(path, key), "required")


def obj(
    fields: dict[str, Field],
    *,
    extra: Callable[[dict, str, Errors], None] | None = None,
    allow_unknown: bool = False,
) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, dict):
            errors.add(path, "must be an object")
            return
        check_fields(value, fields, path, errors, allow_unknown=allow_unknown)
        if extra is not None:
            extra(value, path, errors)

    return check


# --- formats ---------------------------------------------------------------

E164 = re.compile(r"\+[1-9]\d{6,14}")
TIME_24H = re.compile(r"([01]\d|2[0-3]):[0-5]\d")  # 'HH:mm': '09:00', '17:30'
TIME_12H = re.compile(r"(1[0-2]|0?[1-9])(:[0-5]\d)?[aApP][mM]")  # 'H:mma': '6pm', '9:30am'
EMAIL = re.compile(r"[^@\s,]+@[^@\s,.]+(\.[^@\s,.]+)+")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9_]*")
PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")


def e164() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif not E164.fullmatch(value):
            errors.add(path, "must be an E.164 phone number (e.g. +14155550123)")

    return check


def is_http_url(value: str) -> bool:
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. a malformed IPv6 host or port
        return False


def url(*, must_contain: str | None = None, allow_empty: bool = False) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
            return
        if allow_empty and value == "":
            return  # "no URL", where the SDK types the field as a plain string
        # Placeholders such as {{phone}} are filled in later: judge the URL around them.
        if not is_http_url(PLACEHOLDER.sub("x", value)):
            errors.add(path, "must be an http(s) URL")
        if must_contain is not None and must_contain not in value:
            errors.add(path, f"must contain {must_contain}")

    return check


def tool_url() -> Check:
    # A tool URL may be templated anywhere ({{base}}/orders), so only its scheme is checked.
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif not value:
            errors.add(path, "must be at least 1 character")
        elif not re.match(r"https?://\S", value) or any(ch in value for ch in "\n\r\t "):
            errors.add(path, "must be an http(s) URL")

    return check


def email_list() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
            return
        addresses = [part.strip() for part in value.split(",")]
        bad = [address for address in addresses if not EMAIL.fullmatch(address)]
        if bad:
            errors.add(path, "must be an e-mail address or a comma-separated list of them")

    return check


def time_of_day() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif not (TIME_24H.fullmatch(value) or TIME_12H.fullmatch(value)):
            errors.add(
                path,
                "must be a time as 'HH:mm' (24-hour, e.g. '17:00') or 'H:mma' (12-hour, e.g. '6pm')",
            )

    return check


@functools.cache
def iana_zones() -> frozenset[str]:
    # Scanning tzdata is slow: do it once per process.
    return frozenset(zoneinfo.available_timezones())


def timezone() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif value not in iana_zones():
            errors.add(path, "must be an IANA time zone (e.g. 'Europe/Paris')")

    return check


def snake_case_name() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif not value:
            errors.add(path, "must be at least 1 character")
        elif not SNAKE_CASE.fullmatch(value):
            errors.add(path, "must be lowercase_snake_case (e.g. check_inventory)")

    return check


# --- enums -----------------------------------------------------------------

FIRST_SENTENCE_MODES = ("generated", "static", "none")
STT_MODELS = ("stt-rt-v4", "stt-rt-v5")
VOICE_PROVIDERS = ("cartesia", "elevenlabs", "gradium")
CARTESIA_MODELS = ("sonic-3", "sonic-3.5")
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
HUMAN_TRANSFER_MODES = ("warm", "cold")
# The SDK's five. The older API also had "requested_callback_new_number" and "do_not_contact";
# Revox no longer accepts them (assistants saved back then may still carry them, see the
# legacy-fields control in server.py).
OUTCOMES = ("not_interested", "interested", "completed", "requested_callback_later", "none")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OUTPUT_TYPES = ("string", "number", "boolean", "enum", "date", "datetime")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
DEDICATED_MODELS = ("gpt-4.1", "ministral-3-8b-instruct")
REALTIME_PROVIDERS = ("openai", "google")
ASSISTANT_TYPES = ("standalone", "multi-step", "sub-assistant")

# --- nested shapes ---------------------------------------------------------

VOICE_SPEED_RANGES = {"cartesia": (0.6, 1.5), "elevenlabs": (0.7, 1.2), "gradium": (0.6, 1.5)}


def check_voice_rules(voice: dict, path: str, errors: Errors) -> None:
    # Volume and model are Cartesia's; the SDK documents them as ignored for other providers,
    # so they are accepted (and checked) whatever the provider.
    provider = voice.get("provider")
    if provider not in VOICE_SPEED_RANGES:
        return  # the provider itself is already reported
    speed = voice.get("speed")
    low, high = VOICE_SPEED_RANGES[provider]
    if is_number(speed) and not low <= speed <= high:
        errors.add(
            join(path, "speed"), f"must be between {fmt(low)} and {fmt(high)} for {provider}"
        )


VOICE = obj(
    {
        "id": Field(string(min_len=1), required=True),
        "provider": Field(one_of(VOICE_PROVIDERS), required=True),
        # The per-provider speed range is checked in check_voice_rules.
        "speed": Field(number()),
        "volume": Field(number(minimum=0.5, maximum=2.0)),
        "model": Field(one_of(CARTESIA_MODELS)),
    },
    extra=check_voice_rules,
)

MAX_PREVIEW_TEXT = 500

VOICE_PREVIEW = obj(
    {
        "provider": Field(one_of(VOICE_PROVIDERS), required=True),
        # The SDK's `voice_id`, as its transform puts it on the wire.
        "voiceId": Field(string(min_len=1), required=True),
        "speed": Field(number()),
        "text": Field(string(non_blank=True, max_len=MAX_PREVIEW_TEXT)),
        "model": Field(one_of(CARTESIA_MODELS)),
        "volume": Field(number(minimum=0.5, maximum=2.0)),
    },
    extra=check_voice_rules,
)

CALLING_WINDOW = obj(
    {
        "calling_window_start_time": Field(time_of_day(), required=True),
        "calling_window_end_time": Field(time_of_day(), required=True),
        "retry_delay_seconds": Field(
            number(integer=True, minimum=0, maximum=MAX_SAFE_INTEGER), required=True
        ),
    }
)

CALL_RETRY_CONFIG = obj(
    {
        "calling_windows": Field(array(CALLING_WINDOW), required=True),
        "max_retry_attempts": Field(
            number(integer=True, exclusive_minimum=0, maximum=MAX_SAFE_INTEGER), required=True
        ),
        "allowed_days": Field(array(one_of(DAYS)), required=True),
        "call_twice_in_a_row": Field(boolean(), required=True),
        "timezone": Field(timezone(), nullable=True),
    }
)

FAQ_ITEM = obj(
    {
        "question": Field(string(non_blank=True), required=True),
        "answer": Field(string(), required=True),
    }
)


def check_enum_options(field: dict, path: str, errors: Errors) -> None:
    options = field.get("enum_options")
    options_path = join(path, "enum_options")
    if field.get("type") == "enum":
        if options is None:
            errors.add(options_path, 'required when type is "enum"')
        elif isinstance(options, list):
            if not options:
                errors.add(options_path, "must have at least 1 option")
            seen: set[str] = set()
            for index, option in enumerate(options):
                if isinstance(option, str) and option.strip():
                    if option.strip() in seen:
                        errors.add(join(options_path, index), "duplicate option")
                    seen.add(option.strip())
    elif options:
        # An empty list (or null) says "no options" and is harmless on other types.
        errors.add(options_path, 'only allowed when type is "enum"')


# One field extracted from a call, or one parameter of a custom tool.
SCHEMA_FIELD = obj(
    {
        "name": Field(string(min_len=1), required=True),
        "required": Field(boolean(), required=True),
        "type": Field(one_of(OUTPUT_TYPES), required=True),
        "description": Field(string()),
        "enum_options": Field(array(string(non_blank=True))),
    },
    extra=check_enum_options,
)

KEY_VALUE = obj(
    {"key": Field(string(min_len=1), required=True), "value": Field(string(), required=True)}
)


def check_unique_tool_names(tools: list, path: str, errors: Errors) -> None:
    seen: set[str] = set()
    for index, tool in enumerate(tools):
        name = tool.get("name") if isinstance(tool, dict) else None
        if isinstance(name, str) and name:
            if name in seen:
                errors.add(join(join(path, index), "name"), "duplicate tool name")
            seen.add(name)


CUSTOM_TOOL = obj(
    {
        "name": Field(snake_case_name(), required=True),
        "description": Field(string(min_len=1), required=True),
        "url": Field(tool_url(), required=True),
        "method": Field(one_of(HTTP_METHODS), required=True),
        "headers": Field(array(KEY_VALUE), required=True),
        "query_params": Field(array(KEY_VALUE), required=True),
        "body_template": Field(string(), required=True, nullable=True),
        "input_schema": Field(array(SCHEMA_FIELD), required=True),
    }
)

TRANSFER_DESTINATION = obj(
    {
        "label": Field(string(non_blank=True), required=True),
        "phone_number": Field(e164(), required=True),
    }
)

CALENDLY = obj(
    {
        "connection_id": Field(string(), required=True),
        "event_type_id": Field(string(), required=True),
    }
)

SLACK = obj(
    {
        "connection_id": Field(string(), required=True),
        "channels": Field(
            array(
                obj(
                    {
                        "id": Field(string(min_len=1), required=True),
                        "name": Field(string(), nullable=True),
                    }
                )
            ),
            required=True,
        ),
        "outcomes": Field(array(one_of(OUTCOMES)), required=True),
        "template": Field(string(), nullable=True),
    }
)

ZOHO = obj(
    {
        "connection_id": Field(string(), required=True),
        "module": Field(string(), required=True),
        "field_mapping": Field(
            array(
                obj(
                    {
                        "source": Field(string(), required=True),
                        "zoho_field": Field(string(), required=True),
                    }
                )
            ),
            required=True,
        ),
        "outcomes": Field(array(one_of(OUTCOMES)), required=True),
        "template": Field(string(), nullable=True),
        "log_call_activity": Field(boolean(), required=True),
    }
)

STT_CONTEXT = obj(
    {
        "general": Field(
            array(
                obj(
                    {"key": Field(string(), required=True), "value": Field(string(), required=True)}
                )
            ),
            required=True,
        ),
        "terms": Field(array(string()), required=True),
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


# --- the assistant ---------------------------------------------------------

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


def validate_voice_preview(body: dict) -> Errors:
    """Check a POST /voices/preview body, as the SDK's VoicePreviewParams puts it on the wire."""
    errors = Errors()
    VOICE_PREVIEW(body, "", errors)
    return errors


def validate_voice_provider(provider: str | None) -> Errors:
    """The `provider` query parameter of GET /voices/{id}: required, one of the providers."""
    errors = Errors()
    if provider is None:
        errors.add("provider", "required")
    else:
        one_of(VOICE_PROVIDERS)(provider, "provider", errors)
    return errors
