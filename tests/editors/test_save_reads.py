"""A save reads the cache once (the editor's own read of the row), and still never writes the
cache from a stale version of it: a sync that wrote the row meanwhile is seen and honoured."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistants.cache.services import assistants_sync, cache_store
from assistants.models import Assistant, Change, FaqItem
from tests.editors.conftest import open_editor, save

pytestmark = pytest.mark.django_db

FIRST = [{"question": "Do you open on Sundays?", "answer": "No."}]
SECOND = [{"question": "Where do I park?", "answer": "Behind the shop."}]


def _reads_of_the_assistant(queries) -> list[str]:
    return [
        q["sql"] for q in queries
        if q["sql"].startswith("SELECT") and 'FROM "assistants_assistant"' in q["sql"]
    ]  # fmt: skip


def test_a_save_reads_the_cached_assistant_once(cached, editor_client):
    created = cached(name="Front desk", faq_items=FIRST)
    assert Assistant.objects.get(revox_id=created["id"]).voice_name  # the catalogue's
    _, form = open_editor(editor_client, created["id"], "general")

    with CaptureQueriesContext(connection) as captured:
        response = save(editor_client, created["id"], "general", form, name="Front desk (weekend)")
    assert response.status_code == 302

    assert len(_reads_of_the_assistant(captured.captured_queries)) == 1
    # The row names its voice already: neither the catalogue nor the lookups are read.
    assert not [q for q in captured.captured_queries if '"assistants_voice' in q["sql"]]
    row = Assistant.objects.get(revox_id=created["id"])
    assert row.name == "Front desk (weekend)" and row.data["name"] == "Front desk (weekend)"
    assert list(FaqItem.objects.filter(assistant=row).values_list("question", flat=True)) == [
        FIRST[0]["question"]
    ]


def test_a_row_written_by_a_sync_meanwhile_is_read_again_not_overwritten_blindly(cached, revox):
    """The editor read the row (FAQ: FIRST); a sync then stored a teammate's change (FAQ:
    SECOND); the save's answer holds FIRST again, item for item. Compared with the editor's
    stale row the FAQ looks unchanged and its index would keep SECOND: the write must see that
    the row moved on."""
    created = cached(name="Front desk", faq_items=FIRST)
    editors_row = Assistant.objects.get(revox_id=created["id"])
    teammates = revox.patch(created["id"], faq_items=SECOND)
    assistants_sync()
    answer = {**created, "name": "Front desk (weekend)", "updated_at": teammates["updated_at"]}

    stored = cache_store(answer, stored=editors_row)

    row = Assistant.objects.get(revox_id=created["id"])
    assert row.pk == stored.pk and row.content_hash == stored.content_hash
    assert row.data["name"] == "Front desk (weekend)"
    assert list(FaqItem.objects.filter(assistant=row).values_list("question", flat=True)) == [
        FIRST[0]["question"]
    ]


def test_a_fresh_read_over_a_stale_row_records_what_changed_since_the_row_now_held(cached, revox):
    created = cached(name="Front desk")
    editors_row = Assistant.objects.get(revox_id=created["id"])
    revox.patch(created["id"], name="Front desk (by a sync)")
    assistants_sync()
    Change.objects.all().delete()
    fresh = revox.patch(created["id"], name="Front desk (outside)")

    cache_store(fresh, fresh_read=True, stored=editors_row)

    (change,) = Change.objects.all()
    assert change.before["name"] == "Front desk (by a sync)"  # not the editor's stale row
    assert change.after["name"] == "Front desk (outside)"
    assert Assistant.objects.get(revox_id=created["id"]).name == "Front desk (outside)"
