"""The data to extract, in plain words: the fields' names."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows
from assistants.snapshot import text


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    fields = [f for f in data.get("structured_output_config") or [] if isinstance(f, dict)]
    names = ", ".join(text(f.get("name")) for f in fields) or "Nothing extracted"
    return [("Fields", names)]
