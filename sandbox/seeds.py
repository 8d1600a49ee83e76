"""Initial states: "empty", "demo" (hand-written, see `demo`), or generated; and how many past
calls each assistant of a seed made (`calls_per_assistant`; the history itself is `history`).

A generated seed, `{"assistants": N, "faqs_per_assistant": M, "pending_ratio": R,
"prompt_bytes": B}`, is drawn from a random generator seeded by those numbers:
the same input gives the same ids, names, prompts and FAQ, byte for byte, so
benchmark runs compare like with like. It must build 2,000 assistants with
30 FAQ items and 4 KB prompts in well under a second or two, hence plain
loops over small word pools and no per-item validation.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from sandbox import demo, model
from sandbox.validation.engine import Errors, Field, check_fields, is_integer, is_number
from sandbox.voices import VOICES

GENERATED_EPOCH = (
    "2026-09-01T08:00:00.000Z"  # generated assistants are created a minute apart from here
)

TRADES = [
    ("Dental receptionist", "Brightsmile Dental"),
    ("Payment reminder", "Northwind Utilities"),
    ("Lead qualification", "Harbor Realty"),
    ("Table bookings", "Trattoria Lucca"),
    ("Policy renewals", "Evergreen Insurance"),
    ("Service booking", "Metro Motors"),
    ("Concierge", "The Linden Hotel"),
    ("Candidate screening", "Talentbridge"),
    ("Outage line", "Cityline Power"),
    ("Win-back", "Stackly"),
    ("Refill reminders", "Corner Pharmacy"),
    ("Appointment reminders", "Lakeside Physio"),
]

PROMPT_SENTENCES = [
    "You are a friendly, efficient phone agent calling on behalf of {company}.",
    "Keep every answer short: one or two sentences, then let the caller speak.",
    "Confirm the caller's full name and the best number to reach them before ending the call.",
    "If the caller asks for a human, offer a transfer and explain what happens next.",
    "Never invent prices, dates or policies: when unsure, say you will check and follow up.",
    "Speak naturally, avoid jargon, and mirror the caller's level of formality.",
    "If you reach voicemail, leave a brief message with a callback number and hang up.",
    "Summarise what was agreed at the end of the call and ask if anything else is needed.",
    "Collect the reference number before discussing any account details.",
    "Respect opening hours: outside them, offer to schedule a callback instead.",
    "If the caller is upset, acknowledge it first, then move to a concrete next step.",
    "Spell out e-mail addresses letter by letter when you read them back.",
    "Do not discuss competitors, and never promise discounts you were not given.",
    "Ask one question at a time and wait for the answer before asking the next.",
]

FAQ_PAIRS = [
    (
        "What are your opening hours?",
        "We are open Monday to Friday from 9am to 6pm, and Saturday mornings.",
    ),
    ("Where are you located?", "Our main office is downtown, next to the central station."),
    ("Can I reschedule my appointment?", "Yes, up to 24 hours before it, at no charge."),
    ("Do you accept card payments?", "We accept all major cards and bank transfers."),
    ("Is there parking nearby?", "There is a public car park two minutes away on foot."),
    (
        "How do I cancel?",
        "Reply to the confirmation e-mail or call us; there is no cancellation fee.",
    ),
    ("Do you offer a refund?", "Refunds are available within 30 days on unused services."),
    ("Can I speak to a manager?", "I can transfer you to the team lead on duty."),
    ("How long does it take?", "Most visits take about 45 minutes."),
    ("Do you work on weekends?", "Only on Saturday mornings, by appointment."),
    ("Is my data kept private?", "Yes, we never share your details with third parties."),
    ("What should I bring?", "Please bring a photo ID and your reference number."),
]


def _int_between(low: int, high: int) -> Any:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not is_integer(value) or not low <= value <= high:
            errors.add(path, f"must be an integer between {low} and {high}")

    return check


def _ratio(value: Any, path: str, errors: Errors) -> None:
    if not is_number(value) or not 0 <= value <= 1:
        errors.add(path, "must be a number between 0 and 1")


# The seeds asked for by name. The demo module reads its data only when called.
NAMED: dict[str, Callable[[], list[dict]]] = {"empty": list, "demo": demo.assistants}

SEED_FIELDS: dict[str, Field] = {
    "assistants": Field(_int_between(0, 100_000), required=True),  # the bench goes to 50,000
    "calls_per_assistant": Field(_int_between(0, 100_000)),
    "faqs_per_assistant": Field(_int_between(0, 500)),
    "pending_ratio": Field(_ratio),
    "prompt_bytes": Field(_int_between(1, 1_000_000)),
}


def calls_per_assistant(seed: Any) -> int | None:
    """How many past calls each assistant of the seed made (see `history`): the demo's own
    numbers (None), none for the empty seed, `calls_per_assistant` of a generated one (0 unless
    given, so the assistants' benchmark stays as it was)."""
    if seed == "demo":
        return None
    if isinstance(seed, dict):
        return int(seed.get("calls_per_assistant", 0))
    return 0


def build(seed: Any, errors: Errors, path: str) -> list[dict] | None:
    """The records for a seed value, or None with the problems added to `errors`."""
    if isinstance(seed, str) and seed in NAMED:
        return NAMED[seed]()
    if isinstance(seed, dict):
        check_fields(seed, SEED_FIELDS, path, errors)
        if errors:
            return None
        return generated(
            assistants=int(seed["assistants"]),
            faqs_per_assistant=int(seed.get("faqs_per_assistant", 5)),
            pending_ratio=float(seed.get("pending_ratio", 0.2)),
            prompt_bytes=int(seed.get("prompt_bytes", 2000)),
        )
    errors.add(path, 'must be "demo", "empty" or {"assistants": N, "faqs_per_assistant": M, ...}')
    return None


def _prompt(rng: random.Random, company: str, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(PROMPT_SENTENCES).format(company=company)
        # A paragraph break now and then, as real prompts have.
        sentence += "\n\n" if rng.random() < 0.2 else " "
        parts.append(sentence)
        length += len(sentence)
    # Exactly `size` bytes (the pools are ASCII), without trailing whitespace.
    text = "".join(parts)[:size].rstrip()
    return text + "." * (size - len(text))


PROMPT_VARIANTS = 8  # per trade; assistants share them, as composing each one is the slow part


def generated(
    *, assistants: int, faqs_per_assistant: int, pending_ratio: float, prompt_bytes: int
) -> list[dict]:
    rng = random.Random(
        f"revox-sandbox:{assistants}:{faqs_per_assistant}:{pending_ratio}:{prompt_bytes}"
    )
    epoch_ms = model.parse_timestamp(GENERATED_EPOCH)
    prompts = {
        company: [_prompt(rng, company, prompt_bytes) for _ in range(PROMPT_VARIANTS)]
        for _, company in TRADES[: max(assistants, 1)]
    }
    records: list[dict] = []
    for index in range(assistants):
        role, company = TRADES[index % len(TRADES)]
        voice = rng.choice(VOICES)
        timestamp = model.format_timestamp(epoch_ms + index * 60_000)
        body = {
            "name": f"{company} - {role} #{index + 1}",
            "prompt": rng.choice(prompts[company]),
            "first_sentence": f"Hello, this is {voice['name']} from {company}. How can I help you today?",
            "voice": {"id": voice["id"], "provider": voice["provider"], "speed": 1.0},
        }
        record = model.new_record(body, assistant_id=model.seeded_uuid(rng), timestamp=timestamp)
        items = []
        for number in range(faqs_per_assistant):
            question, answer = FAQ_PAIRS[(index + number) % len(FAQ_PAIRS)]
            pending = rng.random() < pending_ratio
            if pending:  # suggested by a call, waiting for a human
                item = model.faq_item(question, "", source="ai", item_id=model.seeded_uuid(rng))
            else:
                item = model.faq_item(
                    question, answer, source="human", item_id=model.seeded_uuid(rng)
                )
            items.append(item)
        record["faq_items"] = items
        record["pending_faq_count"] = model.pending_count(record)
        records.append(record)
    return records
