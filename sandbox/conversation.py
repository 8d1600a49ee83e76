"""What is said on a call, and what is taken from it: the transcript, the structured output, the
outcome's summary and the contact, all built from the configuration the call ran with.

The agent opens with the assistant's first sentence (its `{{variables}}` filled in), asks for
each field of the structured output config in turn (the person answers with the value that is
then extracted), is asked one or two of the FAQ's questions and answers with the FAQ's answer (or
says it will check, for a question still waiting for a human), and closes as the outcome goes,
with the end-of-call sentence when one is set. The prompt, filled in, is what each agent turn was
given (`llm_system_prompt` of the speech events).

Pure functions of their input and a `random.Random`; no clock, no state.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")

OUTCOMES = ("interested", "not_interested", "completed", "requested_callback_later")

FIRST_NAMES = ("Alex", "Sam", "Jordan", "Maria", "Tom", "Priya", "Lucas", "Emma", "Noah", "Lea")
LAST_NAMES = ("Martin", "Nguyen", "Smith", "Garcia", "Dubois", "Khan", "Rossi", "Müller", "Lee")

OPENING_REPLIES = {
    "interested": "Hi, yes, now is fine. Go ahead.",
    "not_interested": "Hello... who is this? I don't have long.",
    "completed": "Hello, yes, that's me.",
    "requested_callback_later": "Hi, I'm in the middle of something actually.",
}

CLOSING = {
    "interested": (
        "That sounds good, I'd like to go ahead.",
        "Wonderful, I've noted everything down and you'll get a confirmation shortly.",
    ),
    "not_interested": (
        "I'm not interested, thanks. Please don't call again.",
        "Understood, I'm sorry to have bothered you. Have a good day.",
    ),
    "completed": (
        "Great, that's everything I needed.",
        "Perfect, it's all sorted then. Thank you for your time.",
    ),
    "requested_callback_later": (
        "Could you call me back tomorrow afternoon instead?",
        "Of course, I'll make sure someone calls you back tomorrow afternoon.",
    ),
}

# What the agent says to someone who is not listening (yet).
HOLDING_LINES = {
    "not_interested": "I'll be very quick, it's about your account with us.",
    "requested_callback_later": "No problem at all. When would suit you better?",
}

SUMMARIES = {
    "interested": "{who} was interested and agreed to go ahead.",
    "not_interested": "{who} said they were not interested and asked not to be called again.",
    "completed": "{who} answered every question and the call reached its goal.",
    "requested_callback_later": "{who} was busy and asked to be called back tomorrow afternoon.",
}

NOT_SURE = "I'm not sure about that one. I'll check and someone will get back to you."


def fill(text: str, variables: dict[str, str]) -> str:
    """`text` with each `{{name}}` replaced by its variable, or left as it is without one."""
    return PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), text)


def contact(variables: dict[str, str]) -> dict[str, Any]:
    """The "magic" contact variables Revox picks out of a call's input."""
    return {
        key: variables.get(key) or None
        for key in ("company", "email", "first_name", "job_title", "last_name")
    }


def person(variables: dict[str, str], rng: random.Random) -> tuple[str, str]:
    first = variables.get("first_name") or rng.choice(FIRST_NAMES)
    last = variables.get("last_name") or rng.choice(LAST_NAMES)
    return first, last


def opening(assistant: dict, variables: dict[str, str]) -> str | None:
    """The agent's first line, or None when the person speaks first (mode "none")."""
    mode = assistant.get("first_sentence_mode") or "generated"
    sentence = assistant.get("first_sentence") or ""
    if mode == "none":
        return None
    if mode == "static" and sentence.strip():
        return fill(sentence, variables)
    # Generated: the first sentence is an instruction; the model says something like this.
    name = variables.get("first_name")
    # "Northwind Utilities – Payment reminders": the company is the part before the dash.
    company = (assistant.get("name") or "").split(" – ")[0].split(" - ")[0].strip()
    greeting = f"Hello {name}" if name else "Hello"
    calling = f"calling from {company}" if company else "calling"
    return f"{greeting}, this is your assistant {calling}. Is now a good time?"


def value_for(field: dict, first: str, last: str, rng: random.Random, now_ms: int) -> Any:
    """A value of the field's type, as the call's analysis would extract it."""
    kind = field.get("type")
    name = str(field.get("name", "")).lower()
    if kind == "boolean":
        return rng.random() < 0.6
    if kind == "number":
        if "budget" in name or "amount" in name or "usd" in name:
            return rng.randrange(150, 900) * 1000
        return rng.randrange(1, 12)
    if kind == "enum":
        options = field.get("enum_options") or ["unknown"]
        return rng.choice(options)
    moment = datetime.fromtimestamp(now_ms / 1000, tz=UTC) + timedelta(days=rng.randrange(1, 15))
    if kind == "date":
        return moment.date().isoformat()
    if kind == "datetime":
        return moment.replace(hour=rng.choice((9, 10, 11, 14, 15, 16)), minute=0).strftime(
            "%Y-%m-%dT%H:%M:00Z"
        )
    if "email" in name:
        return f"{first}.{last}@example.com".lower()
    if "name" in name:
        return f"{first} {last}"
    if "phone" in name or "number" in name:
        return "+1415555" + f"{rng.randrange(10_000):04d}"
    return rng.choice(("as discussed on the call", "see the summary", "to be confirmed"))


def spoken(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes." if value else "No."
    return f"{str(value).replace('_', ' ')}."


def structured_output(
    assistant: dict,
    outcome: str,
    first: str,
    last: str,
    rng: random.Random,
    now_ms: int,
    *,
    drop_one: bool,
) -> dict[str, Any] | None:
    """The data extracted from a call, by field name; with `drop_one`, one field (required or
    not) was not captured, as happens on real calls. Nothing is captured from someone who
    would not talk (not interested, call back later). None without a config."""
    config = assistant.get("structured_output_config") or []
    if not config:
        return None
    if outcome in HOLDING_LINES:
        return {}
    values = {field["name"]: value_for(field, first, last, rng, now_ms) for field in config}
    if drop_one:
        values.pop(rng.choice(config)["name"], None)
    return values


def transcript(
    assistant: dict,
    variables: dict[str, str],
    outcome: str,
    extracted: dict[str, Any] | None,
    rng: random.Random,
) -> list[tuple[str, str]]:
    """The conversation as (role, text) lines, "assistant" being the agent and "user" the
    person called."""
    lines: list[tuple[str, str]] = []
    first_line = opening(assistant, variables)
    if first_line is None:
        lines.append(("user", "Hello?"))
        lines.append(("assistant", "Hello! Thanks for picking up."))
    else:
        lines.append(("assistant", first_line))
    lines.append(("user", OPENING_REPLIES[outcome]))
    if outcome in HOLDING_LINES:
        lines.append(("assistant", HOLDING_LINES[outcome]))
    else:
        for field in assistant.get("structured_output_config") or []:
            about = (field.get("description") or field["name"].replace("_", " ")).rstrip(".")
            lines.append(("assistant", f"Could you tell me: {about[0].lower()}{about[1:]}?"))
            if extracted is not None and field["name"] in extracted:
                lines.append(("user", spoken(extracted[field["name"]])))
            else:
                lines.append(("user", "Hmm, I'd rather not say right now."))
        faq = [item for item in assistant.get("faq_items") or [] if item.get("question")]
        for item in rng.sample(faq, min(len(faq), 2)):
            lines.append(("user", item["question"]))
            answer = (item.get("answer") or "").strip()
            lines.append(("assistant", answer if answer else NOT_SURE))
    said, reply = CLOSING[outcome]
    lines.append(("user", said))
    lines.append(("assistant", reply))
    closing = (assistant.get("end_of_call_sentence") or "").strip()
    if closing:
        lines.append(("assistant", fill(closing, variables)))
    return lines


def voicemail_lines(assistant: dict, variables: dict[str, str]) -> list[tuple[str, str]]:
    message = (assistant.get("voicemail_message") or "").strip()
    return [("assistant", fill(message, variables))] if message else []


def summary(outcome: str, first: str) -> str:
    """The analysis's explanation of the outcome (a template: the call history searches the
    summaries of many calls without building each one)."""
    return SUMMARIES[outcome].format(who=first)
