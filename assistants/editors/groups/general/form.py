"""General: name, prompt, how the call opens and ends."""

from __future__ import annotations

from typing import Any

from django import forms

from assistants.editors.forms.base import (
    GroupForm,
    MultilineField,
    TextField,
    blank_text,
    optional_text,
)
from assistants.editors.groups.general.describe import FIRST_SENTENCE_MODES
from assistants.editors.groups.voice.preview import (
    preview_text_from,
    preview_url,
    saved_voice_preview_params,
)

MAX_SAFE_INTEGER = 9007199254740991
MAX_CALL_SECONDS = 24 * 3600
END_MESSAGE_MAX = 150
STT_MODELS = [("stt-rt-v5", "Soniox real-time v5 (newest)"), ("stt-rt-v4", "Soniox real-time v4")]


class GeneralForm(GroupForm):
    field_map = {
        "name": "name",
        "prompt": "prompt",
        "first_sentence_mode": "first_sentence_mode",
        "first_sentence_delay_ms": "first_sentence_delay_ms",
        "first_sentence": "first_sentence",
        "end_of_call_sentence": "end_of_call_sentence",
        "max_call_duration_secs": "max_minutes",
        "max_duration_end_message": "max_duration_end_message",
        "voicemail_message": "voicemail_message",
        "ivr_navigation_enabled": "ivr_navigation_enabled",
        "webhook_url": "webhook_url",
        "stt_model": "stt_model",
    }

    name = TextField(max_length=500)
    prompt = MultilineField(
        rows=18, help_text="The instructions the language model follows on every call."
    )
    first_sentence_mode = forms.ChoiceField(
        label="How the call opens",
        choices=list(FIRST_SENTENCE_MODES.items()),
        widget=forms.RadioSelect,
    )
    first_sentence = MultilineField(
        rows=2,
        required=False,
        label="First sentence",
        help_text="With “AI writes it”, an instruction (e.g. “Greet them and ask for Ms Smith”); "
        "with “word for word”, the exact sentence.",
    )
    first_sentence_delay_ms = forms.IntegerField(
        label="Pause before speaking",
        min_value=0,
        max_value=MAX_SAFE_INTEGER,
        help_text="Milliseconds, after the call connects. 400 is Revox's default.",
    )
    end_of_call_sentence = MultilineField(
        rows=2, required=False, label="Closing sentence",
        help_text="Said when the assistant decides to end the call. Empty: none.",
    )  # fmt: skip
    max_minutes = forms.IntegerField(
        label="Minutes", min_value=0, max_value=MAX_CALL_SECONDS // 60,
        widget=forms.NumberInput(attrs={"class": "form-control", "aria-label": "Minutes"}),
    )  # fmt: skip
    max_seconds = forms.IntegerField(
        label="Seconds", min_value=0, max_value=59,
        widget=forms.NumberInput(attrs={"class": "form-control", "aria-label": "Seconds"}),
    )  # fmt: skip
    max_duration_end_message = MultilineField(
        rows=2, required=False, max_length=END_MESSAGE_MAX, label="Message when time is up",
        help_text="Said, without interruption, when the maximum duration is reached. Empty: the "
        "call ends silently.",
    )  # fmt: skip
    voicemail_message = MultilineField(
        rows=2, required=False, label="Voicemail message",
        help_text="Left when a voicemail answers. Empty: hang up at once.",
    )  # fmt: skip
    ivr_navigation_enabled = forms.BooleanField(
        required=False, label="Navigate phone menus (IVR)",
        help_text="Lets the assistant press keys and wait through automated menus.",
    )  # fmt: skip
    webhook_url = TextField(
        required=False, label="Webhook URL",
        help_text="Called when a call completes. Empty: none.",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/revox/calls"}),
    )  # fmt: skip
    stt_model = forms.ChoiceField(label="Transcriber", choices=STT_MODELS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preview: dict[str, Any] | None = None  # what "Listen" plays, once asked
        self.preview_error = ""

    # -- "Listen" to the first sentence, in the assistant's voice (the voice editor's preview) --

    @property
    def preview_requested(self) -> bool:
        return self.is_bound and bool(self.data.get("preview"))

    @property
    def can_listen(self) -> bool:
        return saved_voice_preview_params(self.assistant, "") is not None

    def preview_params(self) -> dict[str, Any] | None:
        """The first sentence as typed, its {{variables}} read as words, in the saved voice."""
        sentence = preview_text_from({"first_sentence": self.cleaned_data.get("first_sentence")})
        return saved_voice_preview_params(self.assistant, sentence)

    @property
    def player_url(self) -> str:
        return preview_url(self.preview) if self.preview else ""

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        duration = data.get("max_call_duration_secs")
        total = (
            round(duration)
            if isinstance(duration, int | float) and not isinstance(duration, bool)
            else 600
        )
        return {
            "name": data.get("name") or "",
            "prompt": data.get("prompt") or "",
            "first_sentence_mode": data.get("first_sentence_mode") or "generated",
            "first_sentence": data.get("first_sentence") or "",
            "first_sentence_delay_ms": data.get("first_sentence_delay_ms", 400),
            "end_of_call_sentence": data.get("end_of_call_sentence") or "",
            "max_minutes": total // 60,
            "max_seconds": total % 60,
            "max_duration_end_message": data.get("max_duration_end_message") or "",
            "voicemail_message": data.get("voicemail_message") or "",
            "ivr_navigation_enabled": bool(data.get("ivr_navigation_enabled")),
            "webhook_url": data.get("webhook_url") or "",
            "stt_model": data.get("stt_model") or "",
        }

    def clean_webhook_url(self) -> str:
        url = self.cleaned_data["webhook_url"].strip()
        if url:
            forms.URLField(assume_scheme="https").clean(url)
            if not url.lower().startswith(("http://", "https://")):
                raise forms.ValidationError(
                    "Enter a web address starting with https:// (or http://)."
                )
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        minutes, seconds = data.get("max_minutes"), data.get("max_seconds")
        if minutes is not None and seconds is not None:
            total = minutes * 60 + seconds
            if total <= 0:
                self.add_error("max_minutes", "A call must be allowed to last at least one second.")
            elif total > MAX_CALL_SECONDS:
                self.add_error("max_minutes", "A call can last at most 24 hours.")
        if data.get("first_sentence_mode") == "static" and self.left_blank("first_sentence"):
            self.add_error("first_sentence", "With “word for word”, write the sentence to say.")
        if self.left_blank("prompt"):
            self.add_error("prompt", "The prompt can't be empty: it is what the assistant follows.")
        return data

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        total = data["max_minutes"] * 60 + data["max_seconds"]
        stored_duration = current.get("max_call_duration_secs")
        if isinstance(stored_duration, int | float) and round(stored_duration) == total:
            total = stored_duration  # shown rounded to the second; unchanged means unchanged
        mode = data["first_sentence_mode"]
        # With "none" the sentence box is disabled and not sent: keep what Revox holds.
        first_sentence = (
            current.get("first_sentence") if mode == "none" else blank_text(data["first_sentence"])
        )
        patch = {
            "name": data["name"],
            "prompt": data["prompt"],
            "first_sentence_mode": mode,
            "first_sentence": first_sentence,
            "first_sentence_delay_ms": data["first_sentence_delay_ms"],
            "end_of_call_sentence": blank_text(data["end_of_call_sentence"]),
            "max_call_duration_secs": total,
            "max_duration_end_message": optional_text(data["max_duration_end_message"]),
            "voicemail_message": optional_text(data["voicemail_message"]),
            "ivr_navigation_enabled": data["ivr_navigation_enabled"],
            "webhook_url": blank_text(data["webhook_url"]),
        }
        if data.get("stt_model"):
            patch["stt_model"] = data["stt_model"]
        # Text Revox holds but we would send as the same text modulo None/"" stays as stored.
        for key in ("first_sentence", "end_of_call_sentence", "max_duration_end_message",
                    "voicemail_message", "webhook_url"):  # fmt: skip
            if not patch[key] and not current.get(key):
                patch[key] = current.get(key)
        return patch
