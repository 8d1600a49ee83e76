"""Transfer in plain words: the destinations, the mode, the calling number."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows, or_dash
from assistants.snapshot import text


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    destinations = [d for d in data.get("transfer_destinations") or [] if isinstance(d, dict)]
    listed = ", ".join(
        f"{text(d.get('label'))} ({text(d.get('phone_number'))})" for d in destinations
    )
    rows = [("Destinations", listed or "No transfer")]
    if destinations:
        rows.append(
            (
                "Mode",
                {"warm": "Warm (AI briefs a person first)", "cold": "Cold (direct)"}.get(
                    text(data.get("human_transfer_mode")), "—"
                ),
            )
        )
    if data.get("transfer_phone_number"):
        rows.append(("Legacy transfer number", text(data.get("transfer_phone_number"))))
    rows.append(("Calls from", or_dash(data.get("from_phone_number"), "The organization's number")))
    return rows
