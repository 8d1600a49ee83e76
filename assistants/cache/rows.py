"""How an assistant as Revox returns it becomes cache rows: the list columns, the search words, the
FAQ index, and the bulk inserts that a sync of thousands of assistants needs to be fast."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import chain
from typing import Any

from django.db import connection, transaction

from assistants import snapshot
from assistants.cache.search import document_words
from assistants.models import Assistant, FaqItem

logger = logging.getLogger(__name__)


def cache_data(data: dict[str, Any], *, nul_free: bool = False) -> dict[str, Any]:
    """The assistant's JSON as the cache keeps it: as Revox sent it, but a custom model's
    `llm_model.api_key` replaced by its masked digest (as history holds it), and NUL characters
    by U+2400 (snapshot.without_nul: PostgreSQL stores none). The dashboard needs neither: the
    LLM editor's key field is write-only, and every save reads the assistant fresh from Revox
    before it PATCHes. `nul_free`: the caller knows `data` holds no NUL (a sync reads it off the
    digest's JSON in C rather than walking the document in Python)."""
    return snapshot.mask_secrets(data if nul_free else snapshot.without_nul(data))


def assistant_columns(
    data: dict[str, Any],
    *,
    digest: str,
    voice_names: dict[tuple[str, str], str],
    now,
    nul_free: bool = False,
) -> dict[str, Any]:
    data = cache_data(data, nul_free=nul_free)
    voice = snapshot.voice_of(data)
    llm = snapshot.llm_of(data)
    items = snapshot.faq_items(data)
    name = snapshot.text(data.get("name")) or "(unnamed)"
    prompt = snapshot.text(data.get("prompt"))
    provider, voice_id = snapshot.text(voice.get("provider")), snapshot.text(voice.get("id"))
    search_parts = [name, prompt]
    pending = 0
    for item in items:  # a sync runs this for 60,000 items: one pass, no helper calls
        question, answer = item.get("question"), item.get("answer")
        search_parts.append(question if isinstance(question, str) else "")
        search_parts.append(answer if isinstance(answer, str) else "")
        pending += item.get("needs_human_answer") is True
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
        "pending_faq_count": pending,
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


def faq_values(data: dict[str, Any], *, nul_free: bool = False) -> list[tuple]:
    values = []
    # Written out rather than through snapshot.text: a sync indexes 60,000 items.
    # NULs as U+2400 (PostgreSQL stores none); most assistants hold none and cost one walk,
    # none when the caller knows (`nul_free`: the cache's own copy, cache_data).
    items = snapshot.faq_items(data)
    for position, item in enumerate(items if nul_free else snapshot.without_nul(items)):
        upstream_id, question, answer, source = (
            item.get("id"), item.get("question"), item.get("answer"), item.get("source")
        )  # fmt: skip
        values.append((
            position,
            upstream_id[:64] if isinstance(upstream_id, str) else "",
            question if isinstance(question, str) else "",
            answer if isinstance(answer, str) else "",
            source if source == "ai" else "human",
            item.get("needs_human_answer") is True,
        ))  # fmt: skip
    return values


def faq_rows(assistant: Assistant, data: dict[str, Any]) -> list[FaqItem]:
    return [FaqItem(assistant=assistant, **dict(zip(FAQ_COLUMNS, values, strict=True)))
            for values in faq_values(data)]  # fmt: skip


def faq_index_insert(
    assistants: list[Assistant], *, between: Callable[[], None] | None = None
) -> None:
    """Index the FAQ items of many stored assistants in bulk (insert_rows: COPY on PostgreSQL,
    multi-row INSERTs on SQLite).

    A full sync indexes ~60,000 items; building a model instance for each and letting
    bulk_create compile them took most of the sync's time (the benchmark, bench/: 2,000
    assistants went from ~14 s to ~2 s). Columns not filled here get their field's default.

    `between`: called after each assistant's rows are made (a sync reads its listing ahead
    there while the server stores them).
    """
    meta = FaqItem._meta
    fields = [meta.get_field("assistant"), *(meta.get_field(name) for name in FAQ_COLUMNS)]
    others = [f for f in meta.concrete_fields if not f.primary_key and f not in fields]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)

    # Made as they are sent: on PostgreSQL the server stores one assistant's items while the
    # next one's are made.
    def rows() -> Iterator[tuple]:
        for assistant in assistants:
            # assistant.data is the cache's copy (cache_data): it holds no NUL.
            for values in faq_values(assistant.data, nul_free=True):
                yield (assistant.pk, *values, *defaults)
            if between is not None:
                between()

    insert_rows(meta.db_table, [f.column for f in (*fields, *others)], rows())


def insert_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """INSERT many rows at once: COPY on PostgreSQL, which runs each INSERT through its
    executor row by row (60,000 FAQ rows took over a second of the server's time, COPY a
    tenth; bench/, issue 13); on SQLite INSERTs of as many rows each as its limit on bound
    values allows; elsewhere executemany."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(table)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        rows = list(rows)
        if connection.vendor == "sqlite":
            # executemany runs the statement once per row, and each run of an INSERT into an
            # AUTOINCREMENT table (every Django table) also rewrites its sqlite_sequence row:
            # 300,000 FAQ rows (a sync of 10,000) took 0.74 s of CPU that way, 0.43 s in
            # INSERTs of 200 to 4,500 rows each (bench/, issue 25).
            # The statements of `per` rows go by one executemany: Django rewrites a statement's
            # %s as SQLite's ? with a regex on every call, over the 3,500 of each one. A sync
            # batch's 15,000 FAQ rows took 48-55 ms statement by statement, 34-39 ms this way.
            per = max(1, min(500, _sqlite_bound_values_limit() // len(columns)))
            full = len(rows) - len(rows) % per

            def insert(count: int) -> str:
                values = ", ".join([marks] * count)
                return f"INSERT INTO {table} ({quoted}) VALUES {values}"  # noqa: S608 (names from the model)

            if full:
                flat = [
                    list(chain.from_iterable(rows[at : at + per])) for at in range(0, full, per)
                ]
                cursor.executemany(insert(per), flat)
            if full < len(rows):
                cursor.execute(insert(len(rows) - full), list(chain.from_iterable(rows[full:])))
            return
        sql = f"INSERT INTO {table} ({quoted}) VALUES {marks}"  # noqa: S608 (names from the model)
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _sqlite_bound_values_limit() -> int:
    """How many values one SQLite statement may bind (as built: 32,766 by default since SQLite
    3.32, 999 before)."""
    connection.ensure_connection()
    getlimit = getattr(connection.connection, "getlimit", None)  # Python 3.11 and later
    return getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit else 999


# Columns whose value Django sends as it is when it has the column's own type (a str for a text
# column, an int for an integer one), and a time stamp's as the database adapter makes it.
_PLAIN_TYPES = {
    "CharField": str, "TextField": str, "BooleanField": bool, "IntegerField": int,
    "PositiveIntegerField": int, "BigIntegerField": int, "BigAutoField": int,
}  # fmt: skip


def row_values(fields: list, text_field=None) -> Callable[[Any, str | None], tuple]:
    """A function giving a model instance's values for `fields`, as the driver takes them
    (what `field.get_db_prep_save` gives, without its four calls per value where a value
    already has its column's type: a sync writing 10,000 assistants made 170,000 such
    conversions, a twentieth of its time), and `text_field`'s as the text given, when given.
    Any other value goes through Django's conversion."""
    plan = [
        (f.attname, _PLAIN_TYPES.get(f.get_internal_type()),
         f.get_internal_type() == "DateTimeField", f is text_field, f)
        for f in fields
    ]  # fmt: skip
    adapt_datetime = connection.ops.adapt_datetimefield_value

    def values(row, text: str | None = None) -> tuple:
        out = []
        for attname, plain, is_datetime, is_text, field in plan:
            value = getattr(row, attname)
            if is_text and text is not None:
                out.append(text)
            elif plain is not None and (value is None or type(value) is plain):
                out.append(value)
            elif is_datetime and (
                value is None or (type(value) is datetime and value.utcoffset() is not None)
            ):
                out.append(adapt_datetime(value))
            else:
                out.append(field.get_db_prep_save(value, connection))
        return tuple(out)

    return values


def assistants_insert(rows: list[Assistant], *, data_json: list[str | None] | None = None) -> None:
    """Store new assistants (see assistants_store). `data_json`: for each row, its `data`
    already serialised, or None."""
    assistants_store(len(rows), zip(rows, data_json or [None] * len(rows), strict=True))


def assistants_store(count: int, rows: Iterable[tuple[Assistant, str | None]]) -> list[Assistant]:
    """Store `count` new assistants, each with its `data` already serialised or None, the fastest
    way the database allows; returns them, ids set."""
    if connection.vendor == "postgresql":
        return assistants_copy(count, rows)
    if connection.vendor == "sqlite":
        return assistants_sqlite_insert(rows)
    stored = [row for row, _ in rows]
    Assistant.objects.bulk_create(stored, batch_size=500)
    return stored


def assistants_sqlite_insert(rows: Iterable[tuple[Assistant, str | None]]) -> list[Assistant]:
    """SQLite: store new assistants by multi-row INSERTs (insert_rows), their `data` sent as the
    text given (the sync has it from the digest: bulk_create serialised every document again
    and compiled each value, a fifth of a sync into an empty cache), and index their search
    text and names with one statement each rather than the insert triggers' one per row
    (migrations 0013, 0016). Returns them, ids set (read back by revox_id, which is unique)."""
    meta = Assistant._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values_of = row_values(fields, meta.get_field("data"))
    stored: list[Assistant] = []
    values = []
    for row, text in rows:
        stored.append(row)
        values.append(values_of(row, text))
    if not stored:
        return stored
    table, pk = meta.db_table, meta.pk.column
    ids: dict[str, int] = {}
    # One transaction: the trigger stands aside only inside it, never where another connection
    # could see it, and a failure undoes the flag with the rows.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE assistants_search_paused SET paused = 1")
        insert_rows(table, [f.column for f in fields], values)
        for start in range(0, len(stored), 500):
            chunk = [row.revox_id for row in stored[start : start + 500]]
            marks = ", ".join(["%s"] * len(chunk))
            read_ids = f'SELECT "revox_id", "{pk}" FROM "{table}" WHERE "revox_id" IN ({marks})'  # noqa: S608 (model names)
            cursor.execute(read_ids, chunk)
            found = dict(cursor.fetchall())
            ids.update(found)
            index = (
                "INSERT INTO assistants_search(rowid, search_text)"  # noqa: S608 (model names)
                f' SELECT "{pk}", "search_text" FROM "{table}" WHERE "{pk}" IN ({marks})'
            )
            cursor.execute(index, list(found.values()))
            # And the names' trigram index (migration 0016), whose trigger stands aside too.
            names = (
                "INSERT INTO assistants_names(rowid, name, llm_model, voice_name)"  # noqa: S608
                f' SELECT "{pk}", "name", "llm_model", "voice_name" FROM "{table}"'
                f' WHERE "{pk}" IN ({marks})'
            )
            cursor.execute(names, list(found.values()))
        cursor.execute("UPDATE assistants_search_paused SET paused = 0")
    for row in stored:
        row.pk = ids[row.revox_id]
    return stored


def assistants_copy(count: int, rows: Iterable[tuple[Assistant, str | None]]) -> list[Assistant]:
    """PostgreSQL: store `count` new assistants by COPY, their ids drawn from the sequence
    first (bulk_create's INSERT … UNNEST spent seconds of Python quoting 2,000 prompts and JSON
    documents into array literals; bench/, issue 13). Returns them, ids set.

    `rows`: each new row with its `data` already serialised (the sync has it from the digest,
    and it is sent instead of serialising the document again), or None. Taken one at a time
    as COPY sends them: when the caller makes each row as it is asked for, the server parses and
    indexes one assistant while the next is made, instead of waiting for the whole batch."""
    meta = Assistant._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, count],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
    fields = meta.concrete_fields
    values_of = row_values(fields, meta.get_field("data"))
    stored: list[Assistant] = []

    def values() -> Iterator[tuple]:
        for (row, text), pk in zip(rows, pks, strict=True):
            row.pk = pk
            stored.append(row)
            yield values_of(row, text)

    insert_rows(meta.db_table, [f.column for f in fields], values())
    return stored


CACHE_COLUMNS = [
    "name", "voice_provider", "voice_id", "voice_name", "llm_kind", "llm_model",
    "assistant_type", "faq_count", "pending_faq_count", "remote_created_at", "remote_updated_at",
    "search_text", "search_words", "data", "content_hash", "synced_at",
]  # fmt: skip
