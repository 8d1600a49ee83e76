"""REVOX_BULK_CONCURRENCY assistants at a time, each in a thread with its own connection: all
saved, each outcome and history entry written once. On PostgreSQL (an in-memory SQLite test
database takes one connection only, so there the set runs one at a time; a file SQLite runs the
threads: bench/)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection

from assistants.cache.services import assistants_sync
from assistants.changes.models import ChangeSet, ChangeSetItem
from assistants.models import Change
from tests.changes.conftest import GPT41, TO_OPENROUTER
from tests.jobs.inline import run_queued_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def most_at_once(requests: list[dict]) -> int:
    spans = []
    for r in requests:
        start = datetime.fromisoformat(r["at"].replace("Z", "+00:00"))  # when it arrived
        spans.append((start, start + timedelta(milliseconds=r["duration_ms"] or 0)))
    return max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)


@pytest.mark.skipif(
    "connection.vendor == 'sqlite'", reason="an in-memory SQLite test database: one connection"
)
def test_twelve_assistants_four_at_a_time(editor_client, revox, settings):
    assert connection.vendor == "postgresql"
    settings.REVOX_BULK_CONCURRENCY = 4
    made = [revox.create(name=f"Fleet {n:02}", llm_model=GPT41) for n in range(12)]
    assistants_sync()
    revox.faults(latency_ms=150)
    data = {"cs-group": "llm", "cs-step": "preview", "cs-ids": [a["id"] for a in made],
            **TO_OPENROUTER}  # fmt: skip
    url = editor_client.post("/changes/new/", data).url
    revox.clear_requests()
    editor_client.post(f"{url}apply/")
    [job] = run_queued_jobs()
    assert job.done_count == 12 and job.failed_count == 0
    assert 2 <= most_at_once(revox.requests("PATCH")) <= 4
    change_set = ChangeSet.objects.get()
    assert set(change_set.items.values_list("outcome", flat=True)) == {"changed"}
    assert all(revox.get(a["id"])["llm_model"]["type"] == "openrouter" for a in made)
    assert Change.objects.filter(group="llm", summary__startswith="Change set #").count() == 12
    linked = ChangeSetItem.objects.exclude(history=None).values_list("history", flat=True)
    assert len(set(linked)) == 12  # each item links to its own entry
