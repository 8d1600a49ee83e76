"""The language model in plain words."""

from __future__ import annotations

from typing import Any

from assistants.editors.words import Rows, or_dash
from assistants.snapshot import LLM_KIND_LABELS, llm_of, text


def describe(data: dict[str, Any], *, voice_name: str = "") -> Rows:
    model = llm_of(data)
    kind = text(model.get("type"))
    rows = [("Kind", LLM_KIND_LABELS.get(kind, kind or "—"))]
    if kind == "dedicated-instance":
        rows.append(("Model", or_dash(model.get("name"))))
    elif kind == "openrouter":
        rows += [
            ("Model", or_dash(model.get("openrouter_model_id"))),
            ("Provider", or_dash(model.get("openrouter_provider"))),
        ]
    elif kind == "custom":
        rows += [
            ("Endpoint", or_dash(model.get("api_url"))),
            ("Model", or_dash(model.get("model_name"))),
            ("API key", "•••••• (hidden)"),
        ]
    elif kind == "realtime":
        rows += [
            ("Provider", or_dash(model.get("provider"))),
            ("Model", or_dash(model.get("realtime_model_id"))),
            ("Voice", or_dash(model.get("realtime_voice_id"), "Provider default")),
        ]
    return rows
