"""The integrations in plain words: which are connected."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    return [
        (label, "Connected" if isinstance(data.get(key), dict) else "Off")
        for key, label in (("calendly", "Calendly"), ("slack", "Slack"), ("zoho", "Zoho CRM"))
    ]
