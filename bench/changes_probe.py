"""python -m bench.changes_probe --preview N --apply M  (in the dashboard's environment, its
cache filled)

Times a change set in this process: the preview of a language-model change over N assistants
(from the local copy; repeated), then applying one over M assistants against the sandbox with
its latency, REVOX_BULK_CONCURRENCY at a time, each assistant read again and PATCHed (2 calls).
Prints one JSON object on its last line: preview_ms (list), preview_items, apply_ms,
apply_items, apply_outcomes, concurrency, latency_ms, ideal_ms (2 × M × latency ÷ concurrency)
and ratio (apply_ms ÷ ideal_ms).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revox_admin.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from assistants.changes.models import ChangeSet, ChangeSetItem  # noqa: E402
from assistants.changes.services import (  # noqa: E402
    changeset_apply,
    changeset_preview,
    selection_from_ids,
)
from assistants.models import Assistant  # noqa: E402

# A model no seeded assistant is on: every assistant of the apply really changes (2 calls each).
MODEL_ID = "bench/change-set-model"
FORM = {
    "kind": ["openrouter"],
    "openrouter_model_id": [MODEL_ID],
    "openrouter_provider": ["openai"],
}


def change_set(user, ids: list[str]) -> ChangeSet:
    return ChangeSet.objects.create(
        created_by=user, created_by_name="bench", group="llm", form_data=FORM,
        touched=["llm_model"], description="bench", selection=selection_from_ids(ids),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--preview", type=int, default=1000)
    parser.add_argument("--apply", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--latency-ms", type=float, default=150)
    args = parser.parse_args()
    user, _ = get_user_model().objects.get_or_create(username="bench-changes")
    ids = list(Assistant.objects.order_by("name").values_list("revox_id", flat=True))
    preview_ids = ids[: args.preview]
    movable = ids[: args.apply]

    timings = []
    for _ in range(args.repeats):
        draft = change_set(user, preview_ids)
        started = time.perf_counter()
        changeset_preview(draft)
        timings.append((time.perf_counter() - started) * 1000)
    items = draft.items.count()

    applied = change_set(user, movable)
    changeset_preview(applied)
    changing = applied.items.filter(preview=ChangeSetItem.Preview.CHANGE).count()
    assert changing == len(movable), f"only {changing} of {len(movable)} would change"
    started = time.perf_counter()
    outcomes = Counter(item.outcome for item in changeset_apply(applied, user=user))
    apply_ms = (time.perf_counter() - started) * 1000
    concurrency = int(settings.REVOX_BULK_CONCURRENCY)
    ideal = 2 * len(movable) * args.latency_ms / concurrency
    print(json.dumps({
        "preview_ms": [round(t, 1) for t in timings], "preview_items": items,
        "apply_ms": round(apply_ms, 1), "apply_items": len(movable),
        "apply_outcomes": dict(outcomes), "concurrency": concurrency,
        "latency_ms": args.latency_ms, "ideal_ms": round(ideal, 1),
        "ratio": round(apply_ms / ideal, 2) if ideal else None,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
