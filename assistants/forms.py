"""Forms for creating and deleting assistants."""

from __future__ import annotations

from typing import Any

from django import forms

from assistants.editors.forms.base import MultilineField
from assistants.models import Voice

DEDICATED_MODELS = [("gpt-4.1", "GPT-4.1"), ("ministral-3-8b-instruct", "Ministral 3 8B Instruct")]


def apply_revox_errors(form: forms.Form, field_errors: dict[str, list[str]], general: list[str],
                       *, field_map: dict[str, str] | None = None) -> None:  # fmt: skip
    """Put errors Revox returned on the fields they name; the rest above the form.

    `field_map` maps an API path prefix (`voice.speed`) to a form field (`speed`).
    """
    field_map = field_map or {}
    for path, messages in field_errors.items():
        target = None
        for prefix in sorted(field_map, key=len, reverse=True):
            if path == prefix or path.startswith(prefix + "."):
                target = field_map[prefix]
                break
        if target is None and path in form.fields:
            target = path
        for message in messages:
            if target:
                form.add_error(target, message)
            else:
                form.add_error(None, f"{path}: {message}")
    for message in general:
        form.add_error(None, message)


class AssistantCreateForm(forms.Form):
    name = forms.CharField(max_length=200, strip=True)
    prompt = MultilineField(
        rows=10,
        help_text="The instructions given to the language model for every call.",
    )
    first_sentence = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Optional. What the assistant opens the call with.",
    )
    voice = forms.ChoiceField(required=False, help_text="Optional; Revox picks a default.")
    llm_model = forms.ChoiceField(
        required=False,
        choices=[("", "Revox default (GPT-4.1)"), *DEDICATED_MODELS],
        label="Language model",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        voices = Voice.objects.order_by("provider", "language", "name")
        self.fields["voice"].choices = [("", "Revox default voice")] + [
            (f"{v.provider}:{v.voice_id}", f"{v.name} — {v.get_provider_display()}, "
             f"{v.language.upper()}{', ' + v.accent if v.accent else ''}")
            for v in voices
        ]  # fmt: skip

    def clean_prompt(self) -> str:
        prompt = self.cleaned_data["prompt"]
        if not prompt.strip():
            raise forms.ValidationError(
                "Write a prompt: it is what the assistant follows on calls."
            )
        return prompt

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if not name:
            raise forms.ValidationError("Give the assistant a name.")
        return name

    def to_params(self) -> dict[str, Any]:
        data = self.cleaned_data
        params: dict[str, Any] = {"name": data["name"], "prompt": data["prompt"]}
        if data.get("first_sentence"):
            params["first_sentence"] = data["first_sentence"]
        if data.get("voice"):
            provider, _, voice_id = data["voice"].partition(":")
            params["voice"] = {"provider": provider, "id": voice_id}
        if data.get("llm_model"):
            params["llm_model"] = {"type": "dedicated-instance", "name": data["llm_model"]}
        return params


REVOX_CREATE_FIELD_MAP = {"voice": "voice", "llm_model": "llm_model"}


class AssistantDeleteForm(forms.Form):
    confirm_name = forms.CharField(
        label="Type the assistant's name to confirm",
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, expected_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_name = expected_name

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"]
        if typed.strip() != self.expected_name.strip():
            raise forms.ValidationError("That is not the assistant's name; nothing was deleted.")
        return typed
