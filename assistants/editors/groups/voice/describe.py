"""The voice in plain words. `voice_name`: the name Revox gives the voice id, when known."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows, or_dash
from assistants.snapshot import text, voice_of


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    v = voice_of(data)
    if not v:
        return [("Voice", "Revox's default voice")]
    rows = [
        (
            "Provider",
            {"cartesia": "Cartesia", "elevenlabs": "ElevenLabs", "gradium": "Gradium"}.get(
                text(v.get("provider")), or_dash(v.get("provider"))
            ),
        ),
        ("Voice", voice_name or or_dash(v.get("id"))),
        (
            "Speed",
            f"{v['speed']}×" if isinstance(v.get("speed"), int | float) else "1.0× (default)",
        ),
    ]
    if v.get("provider") == "cartesia":
        rows.append(
            (
                "Volume",
                f"{v['volume']}×" if isinstance(v.get("volume"), int | float) else "1.0× (default)",
            )
        )
        rows.append(("Model", or_dash(v.get("model"), "sonic-3 (default)")))
    return rows
