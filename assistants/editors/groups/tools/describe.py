"""The custom tools in plain words: their names."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows
from assistants.snapshot import text


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    custom = [t for t in data.get("custom_tools") or [] if isinstance(t, dict)]
    return [("Custom tools", ", ".join(text(t.get("name")) for t in custom) or "None")]
