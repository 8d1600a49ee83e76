"""Reading an assistant's JSON as Revox returns it, in every shape it has had.

Revox documents `created_at` / `updated_at` as untyped, older answers lack whole groups of
fields, and a newer API may add more: everything here reads with `.get` and tolerates odd types,
so one strange assistant never breaks a page or a sync.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

import orjson
from django.utils.dateparse import parse_datetime

# Fields Revox computes or owns; never sent back.
READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "organization_id",
        "created_at",
        "updated_at",
        "created_by",
        "pending_faq_count",
        "is_inbound_receptionist",
        "is_realestate_assistant",
    }
)

LLM_KIND_LABELS = {
    "dedicated-instance": "Dedicated",
    "openrouter": "OpenRouter",
    "custom": "Custom",
    "realtime": "Realtime",
}
# One plain line each, wherever a kind is named (the list's badges and legend, the editor).
LLM_KIND_DESCRIPTIONS = {
    "dedicated-instance": "A model Revox hosts for you: the fastest replies.",
    "openrouter": "Any model on OpenRouter, served by the provider you name.",
    "custom": "Your own OpenAI-compatible endpoint, called with your API key.",
    "realtime": "Speech-to-speech: the model listens and speaks itself, so the voice settings don't apply.",
}


def canonical_json(data: Any) -> str:
    """The JSON text content_hash digests: keys sorted, no spaces. Any NUL in a string of
    `data` shows in it as the escape \\u0000 (json escapes every control character)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# A number's exponent as orjson writes it ("e+16", "e-7"): one to three digits, then what ends a
# value in compact JSON (or the text itself: a bare number). The ids in a document ("…4e-9a1…")
# do not match; a string that does ("rule-12,") only sends that document to json.
_EXPONENT = re.compile(rb"e[-+][0-9]{1,3}(?:[,\]}]|\Z)")


def _orjson_may_write_otherwise(text: bytes) -> bool:
    """Whether orjson's text may hold a number json writes otherwise (json writes a float as
    repr does): one with an exponent (orjson's "2.5e-7", json's "2.5e-07"), or below 1e-4
    written out (orjson's "0.00001", json's "1e-05"). Two scans in C, no loop in Python: this
    runs for every assistant a sync writes."""
    return b"0.0000" in text or _EXPONENT.search(text) is not None


def canonical_json_parsed(data: Any) -> str:
    """canonical_json's text, made by orjson (about five times as fast) for a document parsed
    from JSON text by ijson, which admits no NaN nor infinity (orjson writes those as null,
    json as NaN and Infinity): a sync serialises every assistant it writes. Whatever orjson
    cannot write as json would (a float it writes otherwise, an integer beyond 64 bits, a lone
    surrogate, nesting deeper than 254) is written by json."""
    try:
        text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return canonical_json(data)
    if _orjson_may_write_otherwise(text):
        return canonical_json(data)
    return text.decode()


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO string, epoch seconds or milliseconds, or an object wrapping one of those."""
    if isinstance(value, dict):
        for key in ("iso", "$date", "value", "_seconds", "seconds"):
            if key in value:
                return parse_timestamp(value[key])
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed is not None and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed
    return None


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def faq_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    items = data.get("faq_items")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def is_pending(item: dict[str, Any]) -> bool:
    return item.get("needs_human_answer") is True


def voice_of(data: dict[str, Any]) -> dict[str, Any]:
    voice = data.get("voice")
    return voice if isinstance(voice, dict) else {}


def voice_name_of(data: dict[str, Any], names: dict[tuple[str, str], str]) -> str:
    """The name of the assistant's voice in `names` ((provider, voice id) → name), or ""."""
    voice = voice_of(data)
    return names.get((text(voice.get("provider")), text(voice.get("id"))), "")


def llm_of(data: dict[str, Any]) -> dict[str, Any]:
    llm = data.get("llm_model")
    return llm if isinstance(llm, dict) else {}


def llm_model_label(llm: dict[str, Any]) -> str:
    kind = llm.get("type")
    if kind == "dedicated-instance":
        return text(llm.get("name"))
    if kind == "openrouter":
        return text(llm.get("openrouter_model_id"))
    if kind == "custom":
        return text(llm.get("model_name"))
    if kind == "realtime":
        return text(llm.get("realtime_model_id"))
    return ""


ASSISTANT_TYPE_LABELS = {"standalone": "Standalone", "multi-step": "Multi-step"}


def assistant_type(data: dict[str, Any]) -> str:
    """ "standalone" or "multi-step" (an answer without a `type` predates flows: standalone)."""
    kind = data.get("type")
    return kind[:16] if isinstance(kind, str) and kind else "standalone"


def prompt_flow_steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The blocks of a multi-step assistant's `prompt_flow`, in the order its edges give them:
    [{"id", "title", "body", "next": [titles of the blocks it leads to]}].

    From the blocks nothing leads to, along the edges; blocks side by side (a branch, or no
    edges at all) left to right as Revox's editor places them. A cycle or an edge to a block
    that is not there does not stop the reading: every block is listed once.
    """
    flow = data.get("prompt_flow")
    if not isinstance(flow, dict):
        return []
    nodes = (
        [n for n in flow.get("nodes") or [] if isinstance(n, dict)]
        if isinstance(flow.get("nodes"), list)
        else []
    )
    blocks: dict[str, dict[str, Any]] = {}
    for index, node in enumerate(nodes):
        node_id = text(node.get("id")) or f"#{index}"
        content = node.get("data") if isinstance(node.get("data"), dict) else {}
        position = node.get("position") if isinstance(node.get("position"), dict) else {}
        x, y = position.get("x"), position.get("y")
        blocks.setdefault(node_id, {
            "id": node_id,
            "title": text(content.get("title")).strip() or f"Step {index + 1}",
            "body": text(content.get("body")),
            "place": (x if isinstance(x, int | float) else 0, y if isinstance(y, int | float) else 0, index),
            "next": [],
        })  # fmt: skip
    edges = flow.get("edges") if isinstance(flow.get("edges"), list) else []
    incoming = {node_id: 0 for node_id in blocks}
    for edge in edges:
        if not isinstance(edge, dict):
            continue
        source, target = text(edge.get("source")), text(edge.get("target"))
        if source in blocks and target in blocks and target not in blocks[source]["next"]:
            blocks[source]["next"].append(target)
            incoming[target] += 1
    for block in blocks.values():
        block["next"].sort(key=lambda node_id: blocks[node_id]["place"])
    # Kahn's order, the leftmost ready block first; what a cycle holds back comes last.
    ordered: list[str] = []
    ready = sorted((i for i, n in incoming.items() if n == 0), key=lambda i: blocks[i]["place"])
    while ready:
        node_id = ready.pop(0)
        ordered.append(node_id)
        for target in blocks[node_id]["next"]:
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
        ready.sort(key=lambda i: blocks[i]["place"])
    ordered += sorted((i for i in blocks if i not in ordered), key=lambda i: blocks[i]["place"])
    return [
        {**{k: blocks[i][k] for k in ("id", "title", "body")},
         "next": [blocks[t]["title"] for t in blocks[i]["next"]]}
        for i in ordered
    ]  # fmt: skip


def writable_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Everything a create could send back: the configuration without Revox's own fields.

    FAQ items are reduced to question and answer, the only keys Revox accepts.
    """
    params = {k: v for k, v in data.items() if k not in READ_ONLY_FIELDS}
    if "faq_items" in params:
        params["faq_items"] = [
            {"question": text(i.get("question")), "answer": text(i.get("answer"))}
            for i in faq_items(data)
        ]
    return params


NUL = "\x00"
NUL_STAND_IN = "\u2400"  # SYMBOL FOR NULL


def without_nul(value: Any) -> Any:
    """`value` with every NUL character (U+0000) in its strings replaced by U+2400 (the symbol
    for null), for what the database keeps. Revox takes NULs in text; PostgreSQL takes them in
    neither a text column nor a jsonb document (one NUL made every sync fail there), and a page
    cannot show one. Most assistants hold none, and are returned as they are."""
    if isinstance(value, str):
        return value.replace(NUL, NUL_STAND_IN)
    if not strings_hold(value, NUL):
        return value
    return _replace_in_strings(value, NUL, NUL_STAND_IN)


def with_nul(value: Any) -> Any:
    """What `without_nul` stored, with the NULs back: for a value sent to Revox again (a
    restore from history)."""
    if isinstance(value, str):
        return value.replace(NUL_STAND_IN, NUL)
    if not strings_hold(value, NUL_STAND_IN):
        return value
    return _replace_in_strings(value, NUL_STAND_IN, NUL)


def strings_hold(value: Any, char: str) -> bool:
    """Whether a string anywhere in `value` holds `char`. A loop, not json.dumps: the sync asks
    this of every assistant, and on the demo assistants the walk costs a third as much."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if char in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _replace_in_strings(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {k: _replace_in_strings(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_in_strings(v, old, new) for v in value]
    return value


def isolated(value: Any) -> str:
    """Text from Revox (a name) between Unicode's FIRST STRONG ISOLATE and POP DIRECTIONAL
    ISOLATE, for plain-text places (messages, summaries, the window title): a name holding a
    right-to-left override ("Refund\u202egnp.exe") then cannot reverse the words after it.
    Pages use `<bdi>` (the `bdi` template filter)."""
    return f"\u2068{'' if value is None else value}\u2069"


SECRET_PATHS = (("llm_model", "api_key"),)
SECRET_MASK_PREFIX = "secret:"


def group_fingerprint(values: dict[str, Any]) -> str:
    """A keyed digest of a group's values as loaded: equal values, equal fingerprint.

    Keyed with SECRET_KEY so that the page never carries a plain hash of a secret it holds
    (the custom LLM api_key). Secrets count by their masked digest and NULs as U+2400, so
    that the values read from the cache (which keeps them so) and fresh from Revox give the
    same fingerprint.
    """
    from django.utils.crypto import salted_hmac

    canonical = json.dumps(
        without_nul(mask_secrets(values)), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return salted_hmac("revox.group-fingerprint", canonical).hexdigest()[:32]


def mask_secrets(values: Any) -> Any:
    """A copy fit for history and pages: each secret replaced by a keyed digest, so a diff can
    still say "changed" without ever showing it."""
    from django.utils.crypto import salted_hmac

    if not isinstance(values, dict):
        return values
    masked = dict(values)
    for parent, key in SECRET_PATHS:
        inner = masked.get(parent)
        if (
            isinstance(inner, dict)
            and isinstance(inner.get(key), str)
            # Already masked (the cache keeps it so): masking again would read as a change.
            and not inner[key].startswith(SECRET_MASK_PREFIX)
        ):
            digest = salted_hmac("revox.secret", inner[key]).hexdigest()[:12]
            masked[parent] = {**inner, key: SECRET_MASK_PREFIX + digest}
    return masked
