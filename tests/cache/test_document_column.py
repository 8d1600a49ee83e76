"""The cached configuration (Assistant.data) reads back exactly as written; on PostgreSQL it is
stored as `json`, its text, not as a parsed `jsonb` tree (issue 25)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from assistants.models import Assistant

pytestmark = pytest.mark.django_db

DOCUMENTS = [
    {
        "id": "a-1",
        "name": "Café « 24/7 » 📞",
        "prompt": 'Line one\nline "two" \\ three\ttab',
        "llm_model": {"type": "openrouter", "model": "gpt-4.1", "temperature": 0.25},
        "faq_items": [{"question": "Open on Sundays?", "answer": "", "needs_human_answer": True}],
        "numbers": [0, -1, 1.5, 1e-07, 12345678901234567890, None, True, False],
        "empty": {},
    },
    {"id": "a-2", "name": "A name that is itself JSON", "note": '{"looks": ["like", "json"]}'},
]


@pytest.mark.parametrize("data", DOCUMENTS, ids=["nested", "json-looking-string"])
def test_a_document_reads_back_as_it_was_written(data):
    Assistant.objects.create(
        revox_id=data["id"], name=data["name"], data=data, content_hash="0" * 64,
        synced_at=datetime(2026, 12, 5, 22, 0, tzinfo=UTC),
    )  # fmt: skip

    assert Assistant.objects.get(revox_id=data["id"]).data == data
    assert Assistant.objects.values_list("data", flat=True).get(revox_id=data["id"]) == data
    # Changed through an UPDATE, as a save does.
    Assistant.objects.filter(revox_id=data["id"]).update(data={**data, "name": "Renamed"})
    assert Assistant.objects.get(revox_id=data["id"]).data == {**data, "name": "Renamed"}


def test_on_postgresql_the_document_is_json_and_keeps_its_compression():
    if connection.vendor != "postgresql":
        pytest.skip("the column's type and compression are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod), attcompression FROM pg_attribute"
            " WHERE attrelid = 'assistants_assistant'::regclass"
            " AND attname IN ('data', 'search_text')"
        )
        columns = {name: (kind, compression) for name, kind, compression in cursor.fetchall()}
    # Migration 0004 gave data and search_text the same compression (lz4 where the server has
    # it); retyping data to json (0020) must not have reset it to the server's default.
    assert columns["data"] == ("json", columns["search_text"][1])
