"""Speech recognition in plain words."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows, or_dash


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    context = data.get("stt_context") if isinstance(data.get("stt_context"), dict) else {}
    terms = [t for t in context.get("terms") or [] if isinstance(t, str)]
    return [
        ("Transcriber", or_dash(data.get("stt_model"), "Default")),
        ("Domain terms", ", ".join(terms[:8]) + (" …" if len(terms) > 8 else "") or "None"),
        (
            "Pronunciation dictionary",
            or_dash(data.get("cartesia_dictionary_pronunciation_id"), "None"),
        ),
    ]
