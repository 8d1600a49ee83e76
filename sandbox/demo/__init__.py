"""The demo seed: a dozen assistants from different trades, written by hand.

They exercise every part of the dashboard: all four kinds of LLM model, voices
from the three providers (one cloned outside Revox's voice list), retry windows,
structured outputs (with an enum), custom tools, notifications and integrations,
transfer destinations, and FAQ lists where calls have suggested questions still
waiting for a human answer. One multi-step flow has two sub-assistants, which
the list hides.

Ids and timestamps are fixed, so demos, docs and tests can link to them.

The data lives next to this file, two files per assistant, named after its
constant below: `<name>.json` holds what is not prose (`created_at`,
`updated_at`, the create `body` without its prompt, the `faq` as
`{"question", "answer", "source"}` objects, and `is_inbound_receptionist` /
`is_realestate_assistant` when true), and `<name>.prompt.txt` holds the prompt
as plain text, so it reads and edits like the prose it is. The names and texts
are typeset as people write them (en dashes, curly quotes).
"""

from __future__ import annotations

import functools
import json
import random
from importlib import resources
from typing import Any

from sandbox import model

# Fixed ids, by the name the tests and docs use for them.
DENTAL = "3a12917c-1a26-4889-b870-3800149e259b"
PAYMENTS = "3451d013-5675-46ad-b25b-55dd78572976"
REAL_ESTATE = "e67a9b75-fc39-4724-9fc2-d0a17b8f2ab5"
RESTAURANT = "7abec539-007d-4034-9726-c86b9c3a23cd"
INSURANCE = "ccb573d9-5810-460e-a729-91b9e8c14743"
CAR_SERVICE = "a91c2439-d5ab-4b4d-95b4-0aeba4a45eff"
HOTEL = "c8450070-6377-4407-a8e7-27891eb20109"
RECRUITING = "7a605a91-3306-48a1-8009-3492b6246771"
OUTAGE = "ca04c79f-6f15-46ad-adb3-997fe39639be"
WIN_BACK = "cd02c5e1-1635-4d03-951f-d8f9a2c68e45"
PHARMACY = "6555abfe-b8c9-417a-b8be-8831f237e45a"
FRENCH_VET = "f26149ed-be4c-4ce6-a6c1-494e7691b06f"
PHYSIO_FLOW = "2b855c1f-28aa-4a51-b98c-67c215bd448f"
PHYSIO_TRIAGE = "26b1cffc-070d-4109-a085-9634fe3c9c8f"
PHYSIO_BOOKING = "ce76e9f4-7721-4e9e-a7a4-6309973f7986"

# Each assistant's files, oldest first: the order GET /assistants lists them in.
FILES = {
    DENTAL: "dental",
    PAYMENTS: "payments",
    REAL_ESTATE: "real_estate",
    RESTAURANT: "restaurant",
    INSURANCE: "insurance",
    CAR_SERVICE: "car_service",
    HOTEL: "hotel",
    RECRUITING: "recruiting",
    OUTAGE: "outage",
    WIN_BACK: "win_back",
    PHARMACY: "pharmacy",
    FRENCH_VET: "french_vet",
    PHYSIO_FLOW: "physio_flow",
    PHYSIO_TRIAGE: "physio_triage",
    PHYSIO_BOOKING: "physio_booking",
}

REQUIRED_KEYS = frozenset({"created_at", "updated_at", "body"})
OPTIONAL_KEYS = frozenset({"faq", "is_inbound_receptionist", "is_realestate_assistant"})


def assistants() -> list[dict]:
    """The demo state, oldest first (the order GET /assistants lists them in)."""
    return [_record(assistant_id, name) for assistant_id, name in FILES.items()]


@functools.cache
def load(name: str) -> tuple[dict[str, Any], str]:
    """The data of `<name>.json` and the prompt of `<name>.prompt.txt`, read once per process.

    A malformed file is a ValueError naming it and what is wrong: the demo is ours, so it is
    caught by the tests, never reported to a client.
    """
    data = json.loads(_read(f"{name}.json"))
    if not isinstance(data, dict):
        raise ValueError(f"sandbox/demo/{name}.json: must hold a JSON object")
    problems = [f"{key!r} is missing" for key in sorted(REQUIRED_KEYS - data.keys())]
    problems += [
        f"{key!r} is unknown" for key in sorted(data.keys() - REQUIRED_KEYS - OPTIONAL_KEYS)
    ]
    if "prompt" in data.get("body", {}):
        problems.append("the prompt belongs in the .prompt.txt file")
    if problems:
        raise ValueError(f"sandbox/demo/{name}.json: {'; '.join(problems)}")
    # A text file ends with a newline; the prompt does not.
    return data, _read(f"{name}.prompt.txt").removesuffix("\n")


def _read(filename: str) -> str:
    # Through importlib.resources, the files are found however the package was imported.
    return resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")


def _record(assistant_id: str, name: str) -> dict:
    # A fresh record every time: new_record copies the body's containers, so no reset shares
    # anything with the cached file data or with another reset.
    data, prompt = load(name)
    body = {**data["body"], "prompt": prompt}
    record = model.new_record(body, assistant_id=assistant_id, timestamp=data["created_at"])
    rng = random.Random(assistant_id)  # FAQ ids are fixed too
    items = []
    for faq in data.get("faq", []):
        item = model.faq_item(
            faq["question"], faq["answer"], source=faq["source"], item_id=model.seeded_uuid(rng)
        )
        if faq["source"] == "ai":
            item["needs_human_answer"] = True  # a suggestion waits for a human, draft or not
        items.append(item)
    record["faq_items"] = items
    record["pending_faq_count"] = model.pending_count(record)
    record["updated_at"] = data["updated_at"]
    record["is_inbound_receptionist"] = data.get("is_inbound_receptionist", False)
    record["is_realestate_assistant"] = data.get("is_realestate_assistant", False)
    return record
