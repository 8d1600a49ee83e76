""" "Listen": the form behind the voice preview URL (voice, provider, speed, volume, model and the
text to speak, each checked against the provider's limits) and the text it speaks at first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.http import urlencode

from assistants.editors.forms.common import PLACEHOLDER_RE
from assistants.editors.groups.voice.limits import (
    ANY_SPEED,
    CARTESIA_MODELS,
    SPEED_RANGES,
    VOLUME_OUT_OF_RANGE,
    VOLUME_RANGE,
    speed_out_of_range,
)
from assistants.models import PROVIDER_LABELS

PREVIEW_TEXT_MAX = 300


DEFAULT_PREVIEW_TEXT = "Hello! Thanks for calling. How can I help you today?"


PREVIEW_TEXT_TOO_LONG = f"Keep the text to listen to under {PREVIEW_TEXT_MAX} characters."


def preview_text_from(data: dict[str, Any]) -> str:
    """What "Listen" says at first: the assistant's first sentence, its {{variables}} read as
    words ("{{first_name}}" → "first name"), or a greeting when it has none."""
    sentence = data.get("first_sentence")
    if not isinstance(sentence, str) or not sentence.strip():
        return DEFAULT_PREVIEW_TEXT
    spoken = PLACEHOLDER_RE.sub(lambda m: m.group(1).replace("_", " "), sentence).strip()
    return spoken[:PREVIEW_TEXT_MAX]


def saved_voice_preview_params(assistant: dict[str, Any], text: str) -> dict[str, Any] | None:
    """The preview URL's query for the assistant's voice as Revox holds it (provider, id, speed,
    and Cartesia's volume and model) saying `text`; None without a voice (Revox's default voice
    can't be previewed)."""
    voice = assistant.get("voice")
    if not isinstance(voice, dict) or not voice.get("id") or not voice.get("provider"):
        return None
    params: dict[str, Any] = {
        "provider": voice["provider"],
        "voice_id": voice["id"],
        "text": text.strip()[:PREVIEW_TEXT_MAX] or DEFAULT_PREVIEW_TEXT,
    }
    keys = ("speed", "volume", "model") if voice["provider"] == "cartesia" else ("speed",)
    for key in keys:
        if voice.get(key) is not None:
            params[key] = voice[key]
    return params


def preview_url(params: dict[str, Any]) -> str:
    """Where the player reads a preview: the dashboard's voices/preview/ (which asks Revox once
    and then answers from its cache)."""
    return f"{reverse('assistants:voice_preview')}?{urlencode(params)}"


class VoicePreviewForm(forms.Form):
    """The query of voices/preview/: one voice, how it sounds, and what it says."""

    provider = forms.ChoiceField(choices=list(PROVIDER_LABELS.items()))
    voice_id = forms.CharField(max_length=200)
    speed = forms.FloatField(required=False)
    volume = forms.FloatField(required=False)
    model = forms.ChoiceField(choices=CARTESIA_MODELS, required=False)
    text = forms.CharField(required=False, max_length=PREVIEW_TEXT_MAX,
                           error_messages={"max_length": PREVIEW_TEXT_TOO_LONG})  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        provider = data.get("provider")
        speed = data.get("speed")
        low, high = SPEED_RANGES.get(provider or "", ANY_SPEED)
        if provider and speed is not None and not low <= speed <= high:
            self.add_error("speed", speed_out_of_range(provider))
        volume = data.get("volume")
        if volume is not None and not VOLUME_RANGE[0] <= volume <= VOLUME_RANGE[1]:
            self.add_error("volume", VOLUME_OUT_OF_RANGE)
        data["text"] = (data.get("text") or "").strip() or DEFAULT_PREVIEW_TEXT
        return data

    def first_error(self) -> str:
        for name, errors in self.errors.items():
            label = self.fields[name].label or name.replace("_", " ").capitalize()
            return errors[0] if name in ("speed", "volume", "text") else f"{label}: {errors[0]}"
        return ""
