"""How an assistant sounds and hears: the voice (per-provider speed ranges), the voice
preview body and its `provider` query parameter, and the speech-to-text settings."""

from __future__ import annotations

from sandbox.validation.engine import (
    Errors,
    Field,
    array,
    fmt,
    is_number,
    join,
    number,
    obj,
    one_of,
    string,
)

STT_MODELS = ("stt-rt-v4", "stt-rt-v5")
VOICE_PROVIDERS = ("cartesia", "elevenlabs", "gradium")
CARTESIA_MODELS = ("sonic-3", "sonic-3.5")

VOICE_SPEED_RANGES = {"cartesia": (0.6, 1.5), "elevenlabs": (0.7, 1.2), "gradium": (0.6, 1.5)}


def check_voice_rules(voice: dict, path: str, errors: Errors) -> None:
    # Volume and model are Cartesia's; the SDK documents them as ignored for other providers,
    # so they are accepted (and checked) whatever the provider.
    provider = voice.get("provider")
    # A list or an object cannot be looked up (unhashable); like any unknown provider, it is
    # already reported by the provider's own check.
    if not isinstance(provider, str) or provider not in VOICE_SPEED_RANGES:
        return
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
