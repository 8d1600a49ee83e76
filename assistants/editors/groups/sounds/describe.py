"""The sounds in plain words."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows
from assistants.snapshot import text

THINKING_SOUNDS = {
    "city-ambience.ogg": "City ambience",
    "forest-ambience.ogg": "Forest ambience",
    "office-ambience.ogg": "Office ambience",
    "crowded-room.ogg": "Crowded room",
    "keyboard-typing.ogg": "Keyboard typing",
    "keyboard-typing2.ogg": "Keyboard typing (soft)",
    "hold_music.ogg": "Hold music",
}


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    thinking = text(data.get("thinking_sound"))
    return [
        ("Background", "Office" if data.get("background_sound") else "None"),
        ("While thinking", THINKING_SOUNDS.get(thinking, "Silence")),
    ]
