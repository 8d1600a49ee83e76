"""The sync's bulk inserts send each value as Django would have sent it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from assistants.cache.rows import insert_rows, row_values
from assistants.models import Assistant, FaqItem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("assistant_type", ["standalone", None])
@pytest.mark.parametrize("updated_at", [
    datetime(2026, 12, 5, 19, 30, 1, 250, tzinfo=UTC),
    datetime(2026, 12, 5, 21, 30, tzinfo=timezone(timedelta(hours=2))),
    None,
])  # fmt: skip
def test_it_sends_what_django_sends(assistant_type, updated_at):
    row = Assistant(
        pk=7, revox_id="a-1", name="Front desk", voice_provider="cartesia", voice_id="v1",
        voice_name="", llm_kind="openrouter", llm_model="gpt-4.1", assistant_type=assistant_type,
        faq_count=3, pending_faq_count=True, remote_created_at=None,
        remote_updated_at=updated_at, search_text="front desk", search_words=None,
        data={"id": "a-1", "name": "Front desk", "n": [1.5, None]}, content_hash="0" * 64,
        synced_at=datetime(2026, 12, 5, 19, 0, tzinfo=UTC),
    )  # fmt: skip
    fields = Assistant._meta.concrete_fields
    expected = tuple(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)
    got = row_values(fields)(row)
    # A JSON document is wrapped for the driver (a new wrapper each time): compare its text.
    assert [str(v) if f.attname == "data" else v for f, v in zip(fields, got, strict=True)] == [
        str(v) if f.attname == "data" else v for f, v in zip(fields, expected, strict=True)
    ]


def test_it_sends_the_text_given_for_the_json_column():
    row = Assistant(
        revox_id="a-1", name="x", data={"b": 1, "a": 2}, content_hash="", synced_at=None
    )
    fields = [Assistant._meta.get_field(name) for name in ("revox_id", "data")]
    assert row_values(fields, Assistant._meta.get_field("data"))(row, '{"a":2,"b":1}') == (
        "a-1",
        '{"a":2,"b":1}',
    )


@pytest.mark.parametrize("count", [1, 500, 1003])
def test_many_rows_inserted_at_once_are_stored_each_as_given(count):
    # 1003 FAQ rows are two full statements and three rows on SQLite (500 to a statement).
    owner = Assistant.objects.create(
        revox_id="a-1", name="Front desk", data={}, content_hash="0", synced_at=datetime.now(UTC)
    )
    columns = ["assistant_id", "position", "upstream_id", "question", "answer", "source",
               "needs_human_answer"]  # fmt: skip
    rows = [(owner.pk, n, f"faq-{n}", f"Question {n}?", "" if n % 7 else f"Answer {n}.",
             "ai" if n % 3 else "human", n % 7 != 0) for n in range(count)]  # fmt: skip
    insert_rows(FaqItem._meta.db_table, columns, rows)
    stored = FaqItem.objects.order_by("position").values_list(*columns)
    assert list(stored) == rows
