"""Plain-words descriptions of an assistant's settings, group by group, for cards, summaries and
history. Calling plans have a module of their own (plans.py); words.py holds the little helpers
both use."""

from __future__ import annotations

from typing import Any

from assistants.editors.plans import retry_summary
from assistants.editors.words import duration, join_and
from assistants.snapshot import LLM_KIND_LABELS, faq_items, llm_of, text, voice_of

FIRST_SENTENCE_MODES = {
    "generated": "The AI writes its opening line from your instruction",
    "static": "The assistant says your sentence word for word",
    "none": "The assistant waits for the other person to speak first",
}
THINKING_SOUNDS = {
    "city-ambience.ogg": "City ambience",
    "forest-ambience.ogg": "Forest ambience",
    "office-ambience.ogg": "Office ambience",
    "crowded-room.ogg": "Crowded room",
    "keyboard-typing.ogg": "Keyboard typing",
    "keyboard-typing2.ogg": "Keyboard typing (soft)",
    "hold_music.ogg": "Hold music",
}
OUTCOMES = {
    "interested": "Interested",
    "not_interested": "Not interested",
    "completed": "Completed",
    "requested_callback_later": "Asked to be called back",
    "none": "No outcome",
    "requested_callback_new_number": "Asked for a call on another number",
    "do_not_contact": "Do not contact",
}

Rows = list[tuple[str, str]]


def _yes_no(value: Any) -> str:
    return "On" if value else "Off"


def _or_dash(value: Any, empty: str = "—") -> str:
    return text(value) or empty


def general(data: dict[str, Any]) -> Rows:
    mode = text(data.get("first_sentence_mode")) or "generated"
    return [
        ("Name", _or_dash(data.get("name"))),
        ("Prompt", f"{len(text(data.get('prompt'))):,} characters"),
        ("Opening", FIRST_SENTENCE_MODES.get(mode, mode)),
        ("First sentence", _or_dash(data.get("first_sentence"))),
        ("Max call duration", duration(data.get("max_call_duration_secs"))),
        ("Voicemail", _or_dash(data.get("voicemail_message"), "Hang up at once")),
        ("IVR navigation", _yes_no(data.get("ivr_navigation_enabled"))),
        ("Webhook", _or_dash(data.get("webhook_url"), "None")),
    ]


def voice(data: dict[str, Any], voice_name: str = "") -> Rows:
    v = voice_of(data)
    if not v:
        return [("Voice", "Revox's default voice")]
    rows = [
        (
            "Provider",
            {"cartesia": "Cartesia", "elevenlabs": "ElevenLabs", "gradium": "Gradium"}.get(
                text(v.get("provider")), _or_dash(v.get("provider"))
            ),
        ),
        ("Voice", voice_name or _or_dash(v.get("id"))),
        (
            "Speed",
            f"{v['speed']}×" if isinstance(v.get("speed"), int | float) else "1.0× (default)",
        ),
    ]
    if v.get("provider") == "cartesia":
        rows.append(
            (
                "Volume",
                f"{v['volume']}×" if isinstance(v.get("volume"), int | float) else "1.0× (default)",
            )
        )
        rows.append(("Model", _or_dash(v.get("model"), "sonic-3 (default)")))
    return rows


def retry(data: dict[str, Any]) -> Rows:
    return [("Calling plan", retry_summary(data.get("call_retry_config")))]


def faq(data: dict[str, Any]) -> Rows:
    items = faq_items(data)
    pending = sum(1 for i in items if i.get("needs_human_answer") is True)
    return [("Questions", str(len(items))), ("Waiting for an answer", str(pending))]


def structured_output(data: dict[str, Any]) -> Rows:
    fields = [f for f in data.get("structured_output_config") or [] if isinstance(f, dict)]
    names = ", ".join(text(f.get("name")) for f in fields) or "Nothing extracted"
    return [("Fields", names)]


def llm(data: dict[str, Any]) -> Rows:
    model = llm_of(data)
    kind = text(model.get("type"))
    rows = [("Kind", LLM_KIND_LABELS.get(kind, kind or "—"))]
    if kind == "dedicated-instance":
        rows.append(("Model", _or_dash(model.get("name"))))
    elif kind == "openrouter":
        rows += [
            ("Model", _or_dash(model.get("openrouter_model_id"))),
            ("Provider", _or_dash(model.get("openrouter_provider"))),
        ]
    elif kind == "custom":
        rows += [
            ("Endpoint", _or_dash(model.get("api_url"))),
            ("Model", _or_dash(model.get("model_name"))),
            ("API key", "•••••• (hidden)"),
        ]
    elif kind == "realtime":
        rows += [
            ("Provider", _or_dash(model.get("provider"))),
            ("Model", _or_dash(model.get("realtime_model_id"))),
            ("Voice", _or_dash(model.get("realtime_voice_id"), "Provider default")),
        ]
    return rows


def transfer(data: dict[str, Any]) -> Rows:
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
    rows.append(
        ("Calls from", _or_dash(data.get("from_phone_number"), "The organization's number"))
    )
    return rows


def sounds(data: dict[str, Any]) -> Rows:
    thinking = text(data.get("thinking_sound"))
    return [
        ("Background", "Office" if data.get("background_sound") else "None"),
        ("While thinking", THINKING_SOUNDS.get(thinking, "Silence")),
    ]


def messages(data: dict[str, Any]) -> Rows:
    return [
        ("SMS during calls", _yes_no(data.get("sms_enabled"))),
        ("After-call SMS", "On" if data.get("after_call_sms_prompt") else "Off"),
        ("E-mail notifications", _or_dash(data.get("email_notification_address"), "None")),
    ]


def tools(data: dict[str, Any]) -> Rows:
    custom = [t for t in data.get("custom_tools") or [] if isinstance(t, dict)]
    return [("Custom tools", ", ".join(text(t.get("name")) for t in custom) or "None")]


def integrations(data: dict[str, Any]) -> Rows:
    return [
        (label, "Connected" if isinstance(data.get(key), dict) else "Off")
        for key, label in (("calendly", "Calendly"), ("slack", "Slack"), ("zoho", "Zoho CRM"))
    ]


def speech(data: dict[str, Any]) -> Rows:
    context = data.get("stt_context") if isinstance(data.get("stt_context"), dict) else {}
    terms = [t for t in context.get("terms") or [] if isinstance(t, str)]
    return [
        ("Transcriber", _or_dash(data.get("stt_model"), "Default")),
        ("Domain terms", ", ".join(terms[:8]) + (" …" if len(terms) > 8 else "") or "None"),
        (
            "Pronunciation dictionary",
            _or_dash(data.get("cartesia_dictionary_pronunciation_id"), "None"),
        ),
    ]


def unpatched_calls(notice: Any) -> str:
    """What Revox's unpatchedCallsNotice means, in a sentence: how many calls already scheduled
    keep their old settings, and the variables that kept them."""
    count = getattr(notice, "count", 0)
    if not count:
        return ""
    variables = [f"{{{{{name}}}}}" for name in getattr(notice, "variables", [])]
    calls = "1 call already scheduled keeps its" if count == 1 else (
        f"{count:,} calls already scheduled keep their"
    )  # fmt: skip
    why = ""
    if variables:
        noun = "variable" if len(variables) == 1 else "variables"
        why = f", because of the {noun} {join_and(variables)}"
    return f"{calls} old settings{why}. Calls scheduled from now on use the new ones."
