"""assistants_sync: writes only what changed, removes what Revox deleted, survives outages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistants.cache.services import assistants_sync
from assistants.models import Assistant, FaqItem, SyncState, Voice
from assistants.revox import RevoxUnavailable

pytestmark = pytest.mark.django_db


def test_the_first_sync_fills_the_cache(demo_revox):
    result = assistants_sync()
    remote = demo_revox.list()
    assert result.created == len(remote) and result.updated == result.deleted == 0
    assert Assistant.objects.count() == len(remote)
    assert Voice.objects.count() >= 30
    sample = remote[0]
    row = Assistant.objects.get(revox_id=sample["id"])
    assert row.data == sample and row.name == sample["name"]
    assert row.faq_count == len(sample["faq_items"])
    assert row.pending_faq_count == sample["pending_faq_count"]
    assert FaqItem.objects.filter(assistant=row).count() == len(sample["faq_items"])
    assert row.voice_name  # resolved from the catalogue


def test_sub_assistants_are_not_cached_even_when_listed(demo_revox):
    # The sandbox never lists a flow's steps; a listing that did must not put one in the list.
    standalone = demo_revox.list()[0]
    step = {**standalone, "id": "step-1", "name": "A flow's step", "type": "sub-assistant"}
    demo_revox.faults(
        {"path": "/assistants", "json": {"assistants": [standalone, step]}, "times": 1}
    )
    result = assistants_sync(with_voices=False)

    assert list(Assistant.objects.values_list("revox_id", flat=True)) == [standalone["id"]]
    assert (result.created, result.unchanged) == (1, 0)


def test_a_second_sync_with_nothing_changed_writes_nothing(demo_revox):
    assistants_sync()
    with CaptureQueriesContext(connection) as queries:
        result = assistants_sync()
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
              and "assistants_syncstate" not in q["sql"]]  # fmt: skip
    assert writes == []
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)
    assert result.unchanged == Assistant.objects.count()


def test_only_changed_rows_are_written_and_deletions_removed(demo_revox):
    assistants_sync()
    first, second, *_ = demo_revox.list()
    demo_revox.patch(first["id"], name="Renamed upstream")
    demo_revox.suggest_faq(first["id"], "Do you open on Sundays?")
    demo_revox.delete(second["id"])

    result = assistants_sync()

    assert (result.created, result.updated, result.deleted) == (0, 1, 1)
    assert result.changed_ids == [first["id"]]
    row = Assistant.objects.get(revox_id=first["id"])
    assert row.name == "Renamed upstream"
    assert FaqItem.objects.filter(
        assistant=row, question="Do you open on Sundays?", needs_human_answer=True
    ).exists()
    assert not Assistant.objects.filter(revox_id=second["id"]).exists()
    assert not FaqItem.objects.filter(assistant__revox_id=second["id"]).exists()


def test_when_revox_is_down_the_cache_is_kept_and_the_failure_remembered(demo_revox):
    assistants_sync()
    count = Assistant.objects.count()
    demo_revox.faults({"path": "/assistants", "status": 503})
    with pytest.raises(RevoxUnavailable):
        assistants_sync()
    assert Assistant.objects.count() == count
    state = SyncState.get()
    assert state.last_error_at > state.last_success_at and "503" in state.last_error


def test_odd_timestamps_and_missing_fields_do_not_break_a_sync(revox):
    revox.faults({"path": "/assistants", "json": {"assistants": [
        {"id": "old-shape", "name": "Old", "prompt": "p", "created_at": 1700000000000, "updated_at": {"_seconds": 1700000000}},
        {"id": "weird", "name": None, "created_at": "yesterday", "voice": "nope", "llm_model": [], "faq_items": "x"},
    ]}})  # fmt: skip
    result = assistants_sync()
    assert result.created == 2
    old = Assistant.objects.get(revox_id="old-shape")
    assert old.remote_created_at.year == 2023 and old.remote_updated_at.year == 2023
    assert Assistant.objects.get(revox_id="weird").name == "(unnamed)"


def test_the_command_reports_the_counts(demo_revox, capsys):
    call_command("sync_assistants")
    assert "new, 0 changed, 0 unchanged, 0 removed" in capsys.readouterr().out


def _during_the_fetch(monkeypatch, action):
    """Run `action` after the sync has read Revox's list and before it writes the cache."""
    from assistants.revox import RevoxClient

    original = RevoxClient.iter_assistants

    def list_then_act(self):
        answer = list(original(self))
        action()
        yield from answer

    monkeypatch.setattr(RevoxClient, "iter_assistants", list_then_act)


def test_a_save_made_during_a_sync_is_not_overwritten_by_its_older_copy(demo_revox, monkeypatch):
    from assistants.cache.services import cache_store
    from assistants.models import Change

    assistants_sync()
    target = demo_revox.list()[0]
    newer = demo_revox.patch(target["id"], name="Saved by the dashboard")

    def dashboard_save():  # lands in the cache after the sync fetched the list
        cache_store(newer)

    demo_revox.faults({"path": "/assistants", "json": {"assistants": [{**target}]}, "times": 1})
    _during_the_fetch(monkeypatch, dashboard_save)
    assistants_sync(with_voices=False)

    assert Assistant.objects.get(revox_id=target["id"]).name == "Saved by the dashboard"
    assert not Change.objects.filter(kind="external", assistant_revox_id=target["id"]).exists()


def test_an_assistant_created_during_a_sync_is_not_taken_for_deleted(demo_revox, monkeypatch):
    from assistants.cache.services import cache_store
    from assistants.models import Change

    assistants_sync()
    created = {}

    def dashboard_create():
        created.update(demo_revox.create(name="Created meanwhile"))
        cache_store(created)

    _during_the_fetch(monkeypatch, dashboard_create)
    result = assistants_sync(with_voices=False)

    assert result.deleted == 0
    assert Assistant.objects.filter(revox_id=created["id"]).exists()
    assert not Change.objects.filter(kind="external").exists()


def test_voices_unchanged_are_not_rewritten(demo_revox):
    from assistants.cache.services import voices_sync

    voices_sync()
    before = list(Voice.objects.values_list("pk", flat=True))
    voices_sync()
    assert list(Voice.objects.values_list("pk", flat=True)) == before


def test_a_listing_cut_half_way_advances_whole_assistants_and_removes_nothing(revox, monkeypatch):
    from assistants.cache import services
    from assistants.history_entries import DELETED_ELSEWHERE
    from assistants.models import Change
    from assistants.revox import RevoxUnavailable

    monkeypatch.setattr(services, "SYNC_BATCH_SIZE", 5)
    for n in range(40):
        revox.create(
            name=f"Desk {n}", prompt="p" * 4000, faq_items=[{"question": f"Q{n}?", "answer": ""}]
        )
    assistants_sync(with_voices=False)
    listed = revox.list()
    for assistant in listed[:30]:
        revox.patch(assistant["id"], name=assistant["name"] + " renamed")
    for assistant in listed[30:35]:
        revox.delete(assistant["id"])
    before = {a["id"]: a for a in listed}
    after = {a["id"]: a for a in revox.list()}

    # Past the first chunks the sync reads (64 KB each), short of the whole listing.
    revox.faults({"method": "GET", "path": "/assistants", "cut_after_bytes": 150_000, "times": 1})
    with pytest.raises(RevoxUnavailable):
        assistants_sync(with_voices=False)

    # Deleted upstream, but the listing never arrived whole: nothing is removed.
    assert Assistant.objects.count() == 40
    renamed = 0
    for row in Assistant.objects.all():
        # Each row is one version Revox gave, old or new, with its columns and FAQ index.
        assert row.data in (before[row.revox_id], after.get(row.revox_id))
        assert row.name == row.data["name"]
        faq = list(FaqItem.objects.filter(assistant=row).values_list("question", flat=True))
        assert faq == [item["question"] for item in row.data["faq_items"]]
        renamed += row.name.endswith(" renamed")
    assert 0 < renamed < 30  # it did advance, part of the way
    assert Change.objects.filter(kind="external", group="general").count() == renamed
    assert not Change.objects.filter(summary=DELETED_ELSEWHERE).exists()
    state = SyncState.get()
    assert state.last_error_at > state.last_success_at

    result = assistants_sync(with_voices=False)
    assert (result.updated, result.deleted) == (30 - renamed, 5)
    assert {row.data["id"]: row.data for row in Assistant.objects.all()} == after


def test_assistants_a_sync_brings_are_found_by_search_and_so_are_later_ones(revox, monkeypatch):
    from assistants import selectors
    from assistants.cache import services
    from assistants.cache.services import cache_store

    # Batches of 4, so that several batches are written (SQLite indexes each batch at once).
    monkeypatch.setattr(services, "SYNC_BATCH_SIZE", 4)
    for n in range(10):
        revox.create(name=f"Desk {n}", prompt=f"Opening hours of desk{n}prompt.",
                     faq_items=[{"question": f"Where is desk{n}faq?", "answer": "Upstairs."}])  # fmt: skip
    assistants_sync(with_voices=False)

    def found(query: str) -> set[str]:
        return set(selectors.assistant_list(query=query).values_list("name", flat=True))

    for n in range(10):
        assert found(f"desk{n}prompt") == {f"Desk {n}"}
        assert found(f"desk{n}faq") == {f"Desk {n}"}
        assert found(f"esk {n}") == {f"Desk {n}"}  # the middle of a name (SQLite: migration 0016)
    # Stored one at a time afterwards (a save): indexed as it is written, as before.
    cache_store({"id": "later", "name": "Later desk", "prompt": "Only laterprompt here.",
                 "faq_items": []})  # fmt: skip
    assert found("laterprompt") == {"Later desk"}
    assert found("ater des") == {"Later desk"}
    if connection.vendor == "sqlite":
        # The FTS5 indexes hold each assistant once, exactly as its row says (raises otherwise).
        with connection.cursor() as cursor:
            for index in ("assistants_search", "assistants_names"):
                cursor.execute(
                    f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"  # noqa: S608
                )
            cursor.execute("SELECT paused FROM assistants_search_paused")
            assert cursor.fetchone() == (0,)


def _sync_cut_half_way(revox) -> None:
    """Every assistant renamed upstream, then a sync whose listing is cut off half-way."""
    for assistant in revox.list():
        revox.patch(assistant["id"], name=assistant["name"] + " renamed")
    revox.faults({"method": "GET", "path": "/assistants", "cut_after_bytes": 150_000, "times": 1})
    with pytest.raises(RevoxUnavailable):
        assistants_sync(with_voices=False)


def test_on_sqlite_a_sync_spaces_its_checkpoints_and_restores_the_setting(revox, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("a setting of SQLite's write-ahead log")
    from assistants.cache import services

    def setting() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return cursor.fetchone()[0]

    during = []
    write_batch = services._sync_batch

    def noting_batch(batch, **kwargs):
        during.append(setting())
        return write_batch(batch, **kwargs)

    monkeypatch.setattr(services, "_sync_batch", noting_batch)
    monkeypatch.setattr(services, "SYNC_BATCH_SIZE", 5)
    for n in range(40):
        revox.create(name=f"Desk {n}", prompt="p" * 4000)
    assert setting() == 1000
    assistants_sync(with_voices=False)
    assert set(during) == {services.SYNC_WAL_CHECKPOINT_PAGES} and setting() == 1000

    # A listing cut half-way gives the setting back too.
    during.clear()
    _sync_cut_half_way(revox)
    assert set(during) == {services.SYNC_WAL_CHECKPOINT_PAGES} and setting() == 1000


def test_on_sqlite_the_search_indexes_merge_sixteen_segments_at_a_time():
    # FTS5's own default is 4 (migration 0022 says why 16).
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 indexes")
    with connection.cursor() as cursor:
        for index in ("assistants_search", "assistants_names"):
            cursor.execute(f"SELECT v FROM {index}_config WHERE k = 'automerge'")  # noqa: S608
            assert cursor.fetchone() == (16,), index
        # The word index, made again without positions by migration 0023, kept the setting.
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'assistants_search'")
        assert "detail=none" in cursor.fetchone()[0]


def test_the_collector_is_off_while_a_sync_reads_and_on_again_after_even_a_cut(revox, monkeypatch):
    import gc

    from assistants.cache import services

    during = []
    write_batch = services._sync_batch

    def noting_batch(batch, **kwargs):
        during.append(gc.isenabled())
        return write_batch(batch, **kwargs)

    monkeypatch.setattr(services, "_sync_batch", noting_batch)
    monkeypatch.setattr(services, "SYNC_BATCH_SIZE", 5)
    for n in range(40):
        revox.create(name=f"Desk {n}", prompt="p" * 4000)
    assert gc.isenabled()
    assistants_sync(with_voices=False)
    assert during and not any(during) and gc.isenabled()

    # A listing cut half-way turns it back on too.
    during.clear()
    _sync_cut_half_way(revox)
    assert during and not any(during) and gc.isenabled()

    # Turned off by someone else before the sync, it is left off.
    gc.disable()
    try:
        assistants_sync(with_voices=False)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _listing_noted(monkeypatch, *, fail_after: int | None = None) -> list[tuple[str, bool]]:
    """Each listed assistant as the sync reads it: (its name, whether a write transaction was
    open then). With `fail_after`, the listing fails past that many assistants."""
    from assistants.revox import RevoxClient, RevoxUnavailable

    original = RevoxClient.iter_assistants
    read: list[tuple[str, bool]] = []

    def noted(self):
        for data in original(self):
            if fail_after is not None and len(read) == fail_after:
                raise RevoxUnavailable("the connection was cut")
            read.append((data["name"], connection.in_atomic_block))
            yield data

    monkeypatch.setattr(RevoxClient, "iter_assistants", noted)
    return read


@pytest.mark.django_db(transaction=True)
def test_only_postgresql_reads_the_listing_while_it_stores_new_assistants(revox, monkeypatch):
    from assistants.cache import services

    monkeypatch.setattr(services, "SYNC_BATCH_SIZE", 5)
    for n in range(10):
        revox.create(name=f"Old {n}", faq_items=[{"question": f"Q{n}?", "answer": ""}])
    assistants_sync(with_voices=False)
    for assistant in revox.list():
        revox.patch(assistant["id"], name=assistant["name"].replace("Old", "Changed"))
    for n in range(10):
        revox.create(name=f"New {n}", faq_items=[{"question": f"N{n}?", "answer": ""}])

    read = _listing_noted(monkeypatch)
    result = assistants_sync(with_voices=False)

    assert (result.created, result.updated) == (10, 10)
    assert len(read) == 20
    read_while_writing = [name for name, in_transaction in read if in_transaction]
    if connection.vendor == "postgresql":
        # The first five new ones are stored while the last five are read; the batches of
        # changes lock cached rows, and read nothing meanwhile.
        new = [name for name, _ in read if name.startswith("New")]
        assert read_while_writing == new[5:]
    else:
        assert read_while_writing == []  # SQLite's write lock is never held while reading
    assert sorted(Assistant.objects.values_list("name", flat=True)) == sorted(
        a["name"] for a in revox.list()
    )
    assert FaqItem.objects.count() == 20


@pytest.mark.django_db(transaction=True)
def test_a_listing_failing_while_a_batch_is_stored_keeps_that_batch_whole(revox, monkeypatch):
    from assistants.cache import services
    from assistants.revox import RevoxUnavailable

    monkeypatch.setattr(services, "SYNC_BATCH_SIZE", 5)
    for n in range(30):
        revox.create(name=f"Desk {n}", faq_items=[{"question": f"Q{n}?", "answer": ""}])

    read = _listing_noted(monkeypatch, fail_after=23)
    with pytest.raises(RevoxUnavailable):
        assistants_sync(with_voices=False)

    # On PostgreSQL the failure is met while the fourth batch is stored (it reads the fifth
    # meanwhile); on SQLite while the fifth is gathered. Either way the four batches stay,
    # each assistant with its FAQ index, and the three read of the fifth are not written.
    assert len(read) == 23
    assert any(in_transaction for _, in_transaction in read) == (connection.vendor == "postgresql")
    stored = Assistant.objects.order_by("remote_created_at", "name")
    assert sorted(stored.values_list("name", flat=True)) == sorted(name for name, _ in read[:20])
    for row in stored:
        assert list(row.faq_index.values_list("question", flat=True)) == [
            row.data["faq_items"][0]["question"]
        ]
    state = SyncState.get()
    assert state.last_error_at is not None and state.last_success_at is None

    # The next sync finishes the work.
    monkeypatch.undo()
    result = assistants_sync(with_voices=False)
    assert (result.created, result.unchanged) == (10, 20)
