"""Hand-written demo assistants (placeholder until the full set lands)."""

from __future__ import annotations


def assistants() -> list[dict]:
    return []
