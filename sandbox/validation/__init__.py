"""Validation of what clients send, as documented in FIELDS.md and the official SDK.

Where FIELDS.md and the SDK (`revox` 0.5.0, generated from Revox's OpenAPI spec) disagree, the
SDK wins: tests/contract/ holds these rules to its request models (`AssistantUpdateParams`,
`AssistantCreateParams`, `VoicePreviewParams`).

`engine` is how rules are written: tables of `Field` specs built from a few small check
factories, so one table line says what a field accepts, and one `Errors` collector that
names every bad field of a body by its dotted path. `formats` holds the string formats. The
tables follow the assistant's groups: `voice`, `calls`, `tools`, and `assistant`, which puts
them together into the whole body. This package's own names are what the server and the
tests use.
"""

from sandbox.validation.assistant import (
    ASSISTANT_FIELDS,
    READ_ONLY_FIELDS,
    validate_assistant,
    validate_suggested_faq,
)
from sandbox.validation.voice import validate_voice_preview, validate_voice_provider

__all__ = [
    "ASSISTANT_FIELDS",
    "READ_ONLY_FIELDS",
    "validate_assistant",
    "validate_suggested_faq",
    "validate_voice_preview",
    "validate_voice_provider",
]
