"""Sounds: the office noise behind the call, and the clip played while the assistant thinks."""

from __future__ import annotations

from typing import Any

from django import forms

from assistants.editors.forms.base import GroupForm
from assistants.editors.forms.common import text_or_stored, without_absent_nulls
from assistants.editors.groups.sounds.describe import THINKING_SOUNDS

OFFICE_SOUND = "audio/office.ogg"
# What the page shows for a level Revox does not hold at all (an older API's assistant); saving
# it untouched then sends nothing.
LEVEL_DEFAULTS = {
    "background_sound_volume": 0.3,
    "thinking_sound_probability": 0.5,
    "thinking_sound_volume": 0.3,
}
# Sliders move in steps of 1%: a stored 0.333 shows as 33% and must not count as a change.
LEVEL_TOLERANCE = 0.005

LEVEL_RANGE_MESSAGE = "Choose a level between 0% and 100%."


class RangeInput(forms.NumberInput):
    input_type = "range"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"min": "0", "max": "1", "step": "0.01", "class": "form-range",
                          "data-level": "", **(attrs or {})})  # fmt: skip


class LevelField(forms.FloatField):
    """A level from 0 to 1 (volume, probability), shown as a slider in percent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django fills "%(limit_value)s" into range messages, so their percent signs are doubled.
        interpolated = LEVEL_RANGE_MESSAGE.replace("%", "%%")
        messages = {"min_value": interpolated, "max_value": interpolated,
                    "required": LEVEL_RANGE_MESSAGE}  # fmt: skip
        kwargs.setdefault("error_messages", messages)
        kwargs.setdefault("widget", RangeInput)
        super().__init__(*args, min_value=0, max_value=1, **kwargs)


def _is_level(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same_level(new: float, key: str, current: dict[str, Any]) -> bool:
    """Whether the slider still shows what Revox holds (or, holding nothing usable, what the
    page showed in its place)."""
    stored = current.get(key)
    shown = stored if _is_level(stored) else LEVEL_DEFAULTS[key]
    return abs(shown - new) < LEVEL_TOLERANCE


class SoundsForm(GroupForm):
    field_map = {
        "background_sound": "background_on",
        "background_sound_volume": "background_sound_volume",
        "thinking_sound": "thinking_sound",
        "thinking_sound_probability": "thinking_sound_probability",
        "thinking_sound_volume": "thinking_sound_volume",
    }

    background_on = forms.BooleanField(
        required=False, label="Play office background noise",
        help_text="A quiet office murmur under the call, so silences sound natural.",
    )  # fmt: skip
    background_sound_volume = LevelField(label="Background volume")
    thinking_sound = forms.ChoiceField(
        required=False, label="Sound while thinking",
        help_text="Played while the assistant works out its answer, so the caller knows it is still there.",
    )  # fmt: skip
    thinking_sound_probability = LevelField(
        label="How often",
        help_text="The share of turns on which the sound plays; otherwise the assistant is silent while it thinks.",
    )  # fmt: skip
    thinking_sound_volume = LevelField(label="Thinking sound volume")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "None (silence)"), *THINKING_SOUNDS.items()]
        stored = self.assistant.get("thinking_sound")
        if isinstance(stored, str) and stored and stored not in THINKING_SOUNDS:
            choices.append((stored, stored))  # a clip a newer API added: keep it selectable
        self.fields["thinking_sound"].choices = choices

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "background_on": bool(data.get("background_sound")),
            "thinking_sound": data.get("thinking_sound") or "",
        }
        for key, default in LEVEL_DEFAULTS.items():
            value = data.get(key)
            initial[key] = value if _is_level(value) else default
        return initial

    @property
    def percents(self) -> dict[str, str]:
        """Each level as the page first shows it, e.g. "25%" (the script keeps it current)."""
        shown = {}
        for key in LEVEL_DEFAULTS:
            try:
                shown[key] = f"{round(float(self[key].value()) * 100)}%"
            except (TypeError, ValueError):
                shown[key] = ""
        return shown

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        stored_background = current.get("background_sound")
        if data["background_on"]:
            background = stored_background if stored_background else OFFICE_SOUND
        else:
            background = None
        patch = {
            "background_sound": background,
            "thinking_sound": text_or_stored(
                data["thinking_sound"] or None, current.get("thinking_sound")
            ),
        }
        for key in LEVEL_DEFAULTS:
            if not _same_level(data[key], key, current):
                patch[key] = data[key]
            elif _is_level(current.get(key)):
                patch[key] = current[key]  # unchanged: the stored value, as stored
        return without_absent_nulls(patch, current)
