"""What each voice provider allows: the speed range (Revox's own for a provider it does not
name), Cartesia's volume and models, and the sliders' step. Shared by the form and "Listen"."""

from __future__ import annotations

from typing import Any

from assistants.models import PROVIDER_LABELS

SPEED_RANGES = {"cartesia": (0.6, 1.5), "elevenlabs": (0.7, 1.2), "gradium": (0.6, 1.5)}


# A provider this dashboard does not know yet: no range is enforced beyond a sane one.
ANY_SPEED = (0.5, 2.0)


VOLUME_RANGE = (0.5, 2.0)


SLIDER_STEP = 0.05


CARTESIA_MODELS = [("", "Default (Sonic 3)"), ("sonic-3", "Sonic 3"), ("sonic-3.5", "Sonic 3.5")]


VOLUME_OUT_OF_RANGE = "Volume goes from 0.5 (quieter) to 2.0 (louder)."


def speed_out_of_range(provider: str) -> str:
    low, high = SPEED_RANGES.get(provider, ANY_SPEED)
    label = PROVIDER_LABELS.get(provider, provider)
    return (
        f"{label} voices take a speed between {low} and {high}. Move the slider within that range."
    )


def slider_value(value: float, low: float, high: float) -> float:
    """The value a browser's range input shows for `value`: clamped, then on the step grid.
    Used both to render the slider and to recognise an untouched one."""
    clamped = min(max(value, low), high)
    return round(low + round((clamped - low) / SLIDER_STEP) * SLIDER_STEP, 2)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
