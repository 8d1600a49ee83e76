"""How an assistant as Revox returns it becomes cache rows: the list columns, the search words, the
FAQ index, and the bulk inserts that a sync of thousands of assistants needs to be fast."""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection

from assistants import snapshot
from assistants.cache.search import document_words
from assistants.models import Assistant, FaqItem

logger = logging.getLogger(__name__)


def assistant_columns(
    data: dict[str, Any], *, digest: str, voice_names: dict[tuple[str, str], str], now
) -> dict[str, Any]:
    voice = snapshot.voice_of(data)
    llm = snapshot.llm_of(data)
    items = snapshot.faq_items(data)
    name = snapshot.text(data.get("name")) or "(unnamed)"
    prompt = snapshot.text(data.get("prompt"))
    provider, voice_id = snapshot.text(voice.get("provider")), snapshot.text(voice.get("id"))
    search_parts = [name, prompt]
    for item in items:
        search_parts += [snapshot.text(item.get("question")), snapshot.text(item.get("answer"))]
    search_text = "\n".join(search_parts).lower()
    return {
        "name": name[:500],
        "voice_provider": provider[:32],
        "voice_id": voice_id[:200],
        "voice_name": voice_names.get((provider, voice_id), "")[:200],
        "llm_kind": snapshot.text(llm.get("type"))[:32],
        "llm_model": snapshot.llm_model_label(llm)[:300],
        "assistant_type": snapshot.assistant_type(data),
        "faq_count": len(items),
        "pending_faq_count": sum(1 for i in items if snapshot.is_pending(i)),
        "remote_created_at": snapshot.parse_timestamp(data.get("created_at")),
        "remote_updated_at": snapshot.parse_timestamp(data.get("updated_at")),
        "search_text": search_text,
        # Only PostgreSQL's index reads it (SQLite's FTS5 tokenizes search_text itself).
        "search_words": document_words(search_text) if connection.vendor == "postgresql" else None,
        "data": data,
        "content_hash": digest,
        "synced_at": now,
    }


# The FAQ index's columns, in the order faq_values gives them.
FAQ_COLUMNS = ("position", "upstream_id", "question", "answer", "source", "needs_human_answer")


def faq_values(data: dict[str, Any]) -> list[tuple]:
    return [
        (
            position,
            snapshot.text(item.get("id"))[:64],
            snapshot.text(item.get("question")),
            snapshot.text(item.get("answer")),
            item.get("source") if item.get("source") in ("human", "ai") else "human",
            snapshot.is_pending(item),
        )
        for position, item in enumerate(snapshot.faq_items(data))
    ]


def faq_rows(assistant: Assistant, data: dict[str, Any]) -> list[FaqItem]:
    return [FaqItem(assistant=assistant, **dict(zip(FAQ_COLUMNS, values, strict=True)))
            for values in faq_values(data)]  # fmt: skip


def faq_index_insert(assistants: list[Assistant]) -> None:
    """Index the FAQ items of many stored assistants with plain executemany (COPY on PostgreSQL).

    A full sync indexes ~60,000 items; building a model instance for each and letting
    bulk_create compile them took most of the sync's time (the benchmark, bench/: 2,000
    assistants went from ~14 s to ~2 s). Columns not filled here get their field's default.
    """
    meta = FaqItem._meta
    fields = [meta.get_field("assistant"), *(meta.get_field(name) for name in FAQ_COLUMNS)]
    others = [f for f in meta.concrete_fields if not f.primary_key and f not in fields]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
    rows = [
        (assistant.pk, *values, *defaults)
        for assistant in assistants
        for values in faq_values(assistant.data)
    ]
    insert_rows(meta.db_table, [f.column for f in (*fields, *others)], rows)


def insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """INSERT many rows at once: executemany, or COPY on PostgreSQL, which runs each INSERT
    through its executor row by row (60,000 FAQ rows took over a second of the server's time,
    COPY a tenth; bench/, issue 13)."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608 (names from the model)
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def assistants_insert(rows: list[Assistant]) -> None:
    """Store new assistants. On PostgreSQL by COPY, their ids drawn from the sequence first:
    bulk_create's INSERT … UNNEST spent seconds of Python quoting 2,000 prompts and JSON
    documents into array literals (bench/, issue 13)."""
    if connection.vendor != "postgresql" or not rows:
        Assistant.objects.bulk_create(rows, batch_size=500)
        return
    meta = Assistant._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
    fields = meta.concrete_fields
    insert_rows(
        meta.db_table,
        [f.column for f in fields],
        [tuple(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)
         for row in rows],
    )  # fmt: skip


CACHE_COLUMNS = [
    "name", "voice_provider", "voice_id", "voice_name", "llm_kind", "llm_model",
    "assistant_type", "faq_count", "pending_faq_count", "remote_created_at", "remote_updated_at",
    "search_text", "search_words", "data", "content_hash", "synced_at",
]  # fmt: skip
