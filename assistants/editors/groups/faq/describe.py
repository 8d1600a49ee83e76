"""The FAQ in plain words: how many questions, how many wait for an answer."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows
from assistants.snapshot import faq_items


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    items = faq_items(data)
    pending = sum(1 for i in items if i.get("needs_human_answer") is True)
    return [("Questions", str(len(items))), ("Waiting for an answer", str(pending))]
