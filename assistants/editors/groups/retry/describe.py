"""The calling plan in plain words (plans.py writes the sentence)."""

from __future__ import annotations

from typing import Any

from assistants.editors.groups.retry.plans import retry_summary
from assistants.editors.words import Rows


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    return [("Calling plan", retry_summary(data.get("call_retry_config")))]
