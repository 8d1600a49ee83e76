"""The notifications in plain words."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows, or_dash, yes_no


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    return [
        ("SMS during calls", yes_no(data.get("sms_enabled"))),
        ("After-call SMS", "On" if data.get("after_call_sms_prompt") else "Off"),
        ("E-mail notifications", or_dash(data.get("email_notification_address"), "None")),
    ]
