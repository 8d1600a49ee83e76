"""The voice group's form: the voice picked (or typed), its speed, volume and model, and how they
map to and from the assistant's `voice` object (see the package's notes)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.http import urlencode

from assistants import selectors
from assistants.cache.selectors import voice_lookup
from assistants.editors.forms.base import GroupForm, TextField, stored_if_same
from assistants.editors.groups.voice.limits import (
    ANY_SPEED,
    CARTESIA_MODELS,
    SLIDER_STEP,
    SPEED_RANGES,
    VOLUME_OUT_OF_RANGE,
    VOLUME_RANGE,
    is_number,
    slider_value,
    speed_out_of_range,
)
from assistants.editors.groups.voice.preview import (
    DEFAULT_PREVIEW_TEXT,
    PREVIEW_TEXT_MAX,
    PREVIEW_TEXT_TOO_LONG,
    preview_text_from,
    saved_voice_preview_params,
)
from assistants.editors.listen import PREVIEW_NEEDS_VOICE
from assistants.models import PROVIDER_LABELS

LANGUAGES = {
    "en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian",
    "pt": "Portuguese", "ru": "Russian", "zh": "Chinese",
}  # fmt: skip
KNOWN_KEYS = {"id", "provider", "speed", "volume", "model"}

DEFAULT_CHOICE = "default"
CUSTOM_CHOICE = "custom"

PICK_A_VOICE = "Pick a voice from the list, or type a voice id."
NO_WAY_BACK_TO_DEFAULT = (
    "Revox can't switch back to its default voice once a voice is chosen: pick a voice from the "
    "list, or type a voice id."
)
CUSTOM_ID_REQUIRED = "Type the voice id (you find it in the provider's voice library)."
CUSTOM_PROVIDER_REQUIRED = "Choose which provider this voice id belongs to."


def _choice_value(provider: str, voice_id: str) -> str:
    return f"{provider}:{voice_id}"


class SliderInput(forms.NumberInput):
    input_type = "range"


class VoiceForm(GroupForm):
    field_map = {
        "voice": "voice",
        "voice.id": "voice",
        "voice.provider": "provider",
        "voice.speed": "speed",
        "voice.volume": "volume",
        "voice.model": "model",
    }

    provider = forms.ChoiceField(
        label="Provider",
        required=False,
        choices=list(PROVIDER_LABELS.items()),
        widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
    )
    # Not `required`: a missing pick gets a message that says what to do (see clean()).
    voice = forms.ChoiceField(label="Voice", choices=(), required=False)
    custom_voice_id = TextField(
        label="Voice id",
        required=False,
        max_length=200,
        help_text="For a voice cloned in your provider account that is not in the list.",
        widget=forms.TextInput(attrs={"placeholder": "e.g. a1b2c3d4-…", "autocomplete": "off",
                                      "spellcheck": "false"}),
    )  # fmt: skip
    speed = forms.FloatField(
        label="Speed",
        required=False,
        widget=SliderInput(attrs={"class": "form-range", "step": SLIDER_STEP}),
    )
    volume = forms.FloatField(
        label="Volume",
        required=False,
        widget=SliderInput(attrs={"class": "form-range", "step": SLIDER_STEP,
                                  "min": VOLUME_RANGE[0], "max": VOLUME_RANGE[1]}),
    )  # fmt: skip
    model = forms.ChoiceField(
        label="Cartesia model",
        required=False,
        choices=CARTESIA_MODELS,
        help_text="Sonic 3.5 is Cartesia's newest model; some voices are made for one model.",
    )
    # Not a setting: what "Listen" has the voice say. Never sent with the voice.
    preview_text = forms.CharField(
        label="Text to listen to",
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": PREVIEW_TEXT_MAX, "autocomplete": "off",
                                      "data-preview-text": ""}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = list(selectors.voice_catalogue())
        self._catalogue_by_choice = {
            _choice_value(v.provider, v.voice_id): v for v in self.catalogue
        }
        self.fields["voice"].choices = [
            (DEFAULT_CHOICE, "Revox default voice"),
            *((value, v.name) for value, v in self._catalogue_by_choice.items()),
            (CUSTOM_CHOICE, "Use a voice id not in the list"),
        ]
        # A provider a newer Revox added stays selectable, so an untouched save keeps it.
        stored = (
            self.assistant.get("voice") if isinstance(self.assistant.get("voice"), dict) else {}
        )
        stored_provider = stored.get("provider")
        if (
            isinstance(stored_provider, str)
            and stored_provider
            and stored_provider not in PROVIDER_LABELS
        ):
            self.fields["provider"].choices = [
                *PROVIDER_LABELS.items(),
                (stored_provider, stored_provider),
            ]
        low, high = SPEED_RANGES.get(self.shown_provider, ANY_SPEED)
        self.fields["speed"].widget.attrs.update({"min": low, "max": high})
        self.preview: dict[str, Any] | None = None  # what "Listen" plays, once asked
        self.preview_error = ""

    @property
    def default_allowed(self) -> bool:
        """Revox's default voice is a choice only while the assistant has it (no voice set)."""
        return not isinstance(self.assistant.get("voice"), dict)

    @property
    def preview_requested(self) -> bool:
        return self.is_bound and bool(self.data.get("preview"))

    @property
    def looked_up_name(self) -> str:
        """The name Revox gave a typed voice id outside the catalogue (GET /voices/{id})."""
        if self["voice"].value() != CUSTOM_CHOICE:
            return ""
        voice_id = (self["custom_voice_id"].value() or "").strip()
        found = voice_lookup(provider=self["provider"].value() or "", voice_id=voice_id)
        return found.name if found else ""

    # -- reading Revox's JSON -----------------------------------------------------------------

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        voice = data.get("voice")
        if not isinstance(voice, dict):
            return {"voice": DEFAULT_CHOICE, "provider": "cartesia", "speed": 1.0, "volume": 1.0,
                    "model": "", "custom_voice_id": "",
                    "preview_text": preview_text_from(data)}  # fmt: skip
        provider = voice.get("provider") if isinstance(voice.get("provider"), str) else ""
        voice_id = voice.get("id") if isinstance(voice.get("id"), str) else ""
        in_catalogue = (
            selectors.voice_catalogue().filter(provider=provider, voice_id=voice_id).exists()
        )
        speed, volume = voice.get("speed"), voice.get("volume")
        return {
            "preview_text": preview_text_from(data),
            "provider": provider or "cartesia",
            "voice": _choice_value(provider, voice_id) if in_catalogue else CUSTOM_CHOICE,
            "custom_voice_id": "" if in_catalogue else voice_id,
            "speed": slider_value(speed, *SPEED_RANGES.get(provider, ANY_SPEED))
            if is_number(speed)
            else 1.0,
            "volume": slider_value(volume, *VOLUME_RANGE) if is_number(volume) else 1.0,
            "model": voice.get("model") if voice.get("model") in ("sonic-3", "sonic-3.5") else "",
        }

    # -- what the template shows ----------------------------------------------------------------

    @property
    def shown_provider(self) -> str:
        """The provider the page is set to: the chosen catalogue voice's, else the switch's."""
        chosen = self["voice"].value()
        if chosen in self._catalogue_by_choice:
            return self._catalogue_by_choice[chosen].provider
        return self["provider"].value() or "cartesia"

    def voice_groups(self) -> list[dict[str, Any]]:
        """The catalogue by provider, as radio cards: each with what the search looks at."""
        chosen = self["voice"].value()
        groups: dict[str, dict[str, Any]] = {}
        for value, v in self._catalogue_by_choice.items():
            group = groups.setdefault(v.provider, {"provider": v.provider, "label": v.get_provider_display(),
                                                   "voices": []})  # fmt: skip
            language = LANGUAGES.get(v.language, v.language.upper())
            group["voices"].append({
                "value": value,
                "voice": v,
                "language": language,
                "checked": value == chosen,
                "search": " ".join([v.name, v.description, language, v.language, v.accent, v.gender,
                                    "cloned" if v.is_cloned else ""]).lower(),
            })  # fmt: skip
        return list(groups.values())

    @property
    def languages(self) -> list[tuple[str, str]]:
        codes = sorted({v.language for v in self.catalogue if v.language})
        return [(code, LANGUAGES.get(code, code.upper())) for code in codes]

    @property
    def genders(self) -> list[str]:
        return sorted({v.gender for v in self.catalogue if v.gender})

    @property
    def speed_ranges_json(self) -> str:
        """Each provider's speed range, for the script that moves the slider's bounds."""
        return json.dumps(SPEED_RANGES)

    @property
    def chosen_label(self) -> str:
        chosen = self["voice"].value()
        if chosen in self._catalogue_by_choice:
            return str(self._catalogue_by_choice[chosen])
        if chosen == CUSTOM_CHOICE:
            voice_id = self["custom_voice_id"].value() or ""
            if voice_id and self.looked_up_name:
                return f"{self.looked_up_name} (voice id {voice_id})"
            return f"Voice id {voice_id}" if voice_id else "A voice id you type"
        return "Revox default voice"

    # -- validation -----------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        choice = data.get("voice")
        if not choice:
            if "voice" not in self.errors:
                self.add_error("voice", PICK_A_VOICE)
            return data
        if choice == DEFAULT_CHOICE:
            if not self.default_allowed:
                self.add_error("voice", NO_WAY_BACK_TO_DEFAULT)
            elif self.preview_requested:
                self.add_error("voice", PREVIEW_NEEDS_VOICE)
            return data
        if choice == CUSTOM_CHOICE:
            provider = data.get("provider") or ""
            data["voice_id"] = (data.get("custom_voice_id") or "").strip()
            if not data["voice_id"]:
                self.add_error("custom_voice_id", CUSTOM_ID_REQUIRED)
            if not provider:
                self.add_error("provider", CUSTOM_PROVIDER_REQUIRED)
                return data
        else:
            # The voice picked decides the provider: without JavaScript the whole catalogue
            # shows, and picking an ElevenLabs voice means ElevenLabs.
            entry = self._catalogue_by_choice[choice]
            provider, data["voice_id"] = entry.provider, entry.voice_id
        data["voice_provider"] = provider
        speed = data.get("speed")
        low, high = SPEED_RANGES.get(provider, ANY_SPEED)
        if speed is not None and not low <= speed <= high:
            self.add_error("speed", speed_out_of_range(provider))
        volume = data.get("volume")
        if (
            provider == "cartesia"
            and volume is not None
            and not VOLUME_RANGE[0] <= volume <= VOLUME_RANGE[1]
        ):
            self.add_error("volume", VOLUME_OUT_OF_RANGE)
        if self.preview_requested and len(data.get("preview_text") or "") > PREVIEW_TEXT_MAX:
            self.add_error("preview_text", PREVIEW_TEXT_TOO_LONG)
        return data

    # -- "Listen" -------------------------------------------------------------------------------

    def preview_params(self) -> dict[str, Any]:
        """What the preview URL (voices/preview/) takes, for the voice as the form sets it."""
        data = self.cleaned_data
        provider = data.get("voice_provider") or ""
        params: dict[str, Any] = {
            "provider": provider,
            "voice_id": data.get("voice_id") or "",
            "text": (data.get("preview_text") or "").strip() or DEFAULT_PREVIEW_TEXT,
        }
        if data.get("speed") is not None:
            params["speed"] = round(data["speed"], 2)
        if provider == "cartesia":
            if data.get("volume") is not None:
                params["volume"] = round(data["volume"], 2)
            if data.get("model"):
                params["model"] = data["model"]
        return params

    @property
    def preview_base_url(self) -> str:
        return reverse("assistants:voice_preview")

    @property
    def player_url(self) -> str:
        """The player's source: what "Listen" asked for, else the voice as loaded."""
        params = self.preview or self.initial_preview_params()
        return f"{self.preview_base_url}?{urlencode(params)}" if params else ""

    def initial_preview_params(self) -> dict[str, Any] | None:
        """The same, for the voice as loaded (the player's source before anything is asked)."""
        return saved_voice_preview_params(self.assistant, self.initial.get("preview_text") or "")

    def apply_revox_errors(self, field_errors: dict[str, list[str]], general: list[str]) -> None:
        if self.cleaned_data.get("voice") == CUSTOM_CHOICE:
            # Revox's complaint about the id is about the id the user typed.
            self.field_map = {**self.field_map, "voice.id": "custom_voice_id"}
        super().apply_revox_errors(field_errors, general)

    # -- the PATCH ------------------------------------------------------------------------------

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        if data.get("voice") == DEFAULT_CHOICE:
            # Only offered while Revox holds no voice: nothing to change. (Were a voice set
            # meanwhile, it stays: Revox takes no null back.)
            return {}
        stored = current.get("voice") if isinstance(current.get("voice"), dict) else {}
        # `.get`: the conflict page builds "yours" from a form re-checked against the newer
        # version, which may have turned invalid.
        provider = data.get("voice_provider") or data.get("provider") or ""
        # Keys a newer API added to the voice stay with it while the provider is the same.
        voice = (
            {k: v for k, v in stored.items() if k not in KNOWN_KEYS}
            if stored.get("provider") == provider
            else {}
        )
        voice["id"] = data.get("voice_id") or ""
        voice["provider"] = provider
        _put_slider(
            voice, stored, "speed", data.get("speed"), SPEED_RANGES.get(provider, ANY_SPEED)
        )
        if provider == "cartesia":
            _put_slider(voice, stored, "volume", data.get("volume"), VOLUME_RANGE)
            if data.get("model"):
                voice["model"] = data["model"]
        return {"voice": stored_if_same(voice, current.get("voice"))}


def _put_slider(voice: dict[str, Any], stored: dict[str, Any], key: str, value: float | None,
                bounds: tuple[float, float]) -> None:  # fmt: skip
    """Put a slider's value into `voice`, unless the slider was left as it was loaded.

    An untouched slider shows the stored value (snapped to the slider's steps) or the default
    1.0 when Revox has none: then the stored spelling is kept, and an absent key stays absent
    (as does a null one: Revox may answer null, but takes no null back).
    """
    stored_value = stored.get(key)
    if value is None:  # the slider was not sent: no opinion
        if is_number(stored_value):
            voice[key] = stored_value
        return
    if is_number(stored_value) and value == slider_value(stored_value, *bounds):
        voice[key] = stored_value
    elif stored_value is None and value == 1.0:
        return
    else:
        voice[key] = round(value, 2)
