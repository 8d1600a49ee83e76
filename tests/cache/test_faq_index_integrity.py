"""The FAQ index never keeps rows of an assistant the cache no longer holds.

Its rows carry their assistant's id without a foreign-key constraint (migration 0021), so the
code holds them to it: written only in the transaction that writes or locks the assistant's
row, deleted with the assistant once its row is locked. Each test makes one of the races that
would otherwise leave rows behind (counted by `orphans`, as the review queue's totals would
count them), or a write that would fail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from assistants.cache import services
from assistants.cache.services import assistants_sync, cache_forget, cache_store
from assistants.models import Assistant, FaqItem


def orphans() -> int:
    return FaqItem.objects.exclude(assistant_id__in=Assistant.objects.values("pk")).count()


def with_a_new_question(data: dict[str, Any]) -> dict[str, Any]:
    extra = {"id": "faq-parking", "question": "Where can I park?", "answer": "Behind the building.",
             "source": "human", "needs_human_answer": False}  # fmt: skip
    return {**data, "updated_at": "2031-01-01T00:00:00Z", "faq_items": [*data["faq_items"], extra]}


@pytest.mark.django_db
def test_a_row_deleted_while_a_save_stores_it_is_stored_again_with_its_faq(demo_revox, monkeypatch):
    assistants_sync(with_voices=False)
    target = demo_revox.list()[0]
    columns = services.assistant_columns

    def deleted_meanwhile(*args, **kwargs):
        # Between the save reading the cached row and writing it, the row is deleted.
        monkeypatch.setattr(services, "assistant_columns", columns)
        Assistant.objects.filter(revox_id=target["id"]).delete()
        return columns(*args, **kwargs)

    monkeypatch.setattr(services, "assistant_columns", deleted_meanwhile)
    cache_store(with_a_new_question(target))

    row = Assistant.objects.get(revox_id=target["id"])
    questions = list(FaqItem.objects.filter(assistant=row).values_list("question", flat=True))
    assert questions[-1] == "Where can I park?"
    assert len(questions) == len(target["faq_items"]) + 1 == row.faq_count
    assert orphans() == 0


@pytest.mark.django_db
def test_a_sync_leaves_out_an_assistant_deleted_after_it_compared_it(demo_revox, monkeypatch):
    assistants_sync(with_voices=False)
    first, second, *_ = demo_revox.list()
    demo_revox.patch(first["id"], name="Renamed upstream")
    demo_revox.patch(second["id"], name="Also renamed upstream")
    versions = services._cached_versions

    def then_deleted_from_the_dashboard(revox_ids):
        known = versions(revox_ids)
        Assistant.objects.filter(revox_id=first["id"]).delete()
        return known

    monkeypatch.setattr(services, "_cached_versions", then_deleted_from_the_dashboard)
    result = assistants_sync(with_voices=False)

    assert result.changed_ids == [second["id"]]
    assert not Assistant.objects.filter(revox_id=first["id"]).exists()
    renamed = Assistant.objects.get(revox_id=second["id"])
    assert renamed.name == "Also renamed upstream"
    assert FaqItem.objects.filter(assistant=renamed).count() == len(second["faq_items"])
    assert orphans() == 0


@pytest.mark.django_db(transaction=True)
def test_an_assistant_deleted_while_a_save_rewrites_its_faq_takes_the_new_rows_with_it(
    demo_revox,
):
    # SQLite runs one write transaction at a time: the race needs PostgreSQL.
    if connection.vendor != "postgresql":
        pytest.skip("a race between two write transactions: PostgreSQL only")
    assistants_sync(with_voices=False)
    target = demo_revox.list()[0]
    written, go_on = threading.Event(), threading.Event()

    def save() -> None:
        with transaction.atomic():
            cache_store(with_a_new_question(target))  # the row and its FAQ rows rewritten
            written.set()
            go_on.wait(timeout=20)  # commits only once the delete below waits for it

    def delete() -> None:
        cache_forget(target["id"])

    saving = _in_thread(save)
    assert written.wait(timeout=20)
    deleting = _in_thread(delete)
    _until_a_session_waits_for_a_lock()
    go_on.set()
    saving.join()
    deleting.join()

    assert not Assistant.objects.filter(revox_id=target["id"]).exists()
    assert orphans() == 0


class _Thread(threading.Thread):
    """Runs `call` on a connection of its own; join() raises what it raised."""

    def __init__(self, call: Callable[[], None]) -> None:
        super().__init__(daemon=True)
        self.call, self.error = call, None

    def run(self) -> None:
        try:
            self.call()
        except BaseException as err:  # handed to the test
            self.error = err
        finally:
            connections.close_all()

    def join(self, timeout: float | None = 30) -> None:
        super().join(timeout)
        assert not self.is_alive(), "still running"
        if self.error is not None:
            raise self.error


def _in_thread(call: Callable[[], None]) -> _Thread:
    thread = _Thread(call)
    thread.start()
    return thread


def _until_a_session_waits_for_a_lock(timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the delete never waited for the save")
