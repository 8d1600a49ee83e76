"""The general settings in plain words (the overview's card, history)."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows, duration, or_dash, yes_no
from assistants.snapshot import text

FIRST_SENTENCE_MODES = {
    "generated": "The AI writes its opening line from your instruction",
    "static": "The assistant says your sentence word for word",
    "none": "The assistant waits for the other person to speak first",
}


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    mode = text(data.get("first_sentence_mode")) or "generated"
    return [
        ("Name", or_dash(data.get("name"))),
        ("Prompt", f"{len(text(data.get('prompt'))):,} characters"),
        ("Opening", FIRST_SENTENCE_MODES.get(mode, mode)),
        ("First sentence", or_dash(data.get("first_sentence"))),
        ("Max call duration", duration(data.get("max_call_duration_secs"))),
        ("Voicemail", or_dash(data.get("voicemail_message"), "Hang up at once")),
        ("IVR navigation", yes_no(data.get("ivr_navigation_enabled"))),
        ("Webhook", or_dash(data.get("webhook_url"), "None")),
    ]
