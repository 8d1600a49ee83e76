"""Writes of the cache: one assistant stored or forgotten, the whole cache synced with Revox, and
the sync that runs once across every worker when pages find the cache stale or never filled.

Revox is always read first; the cache is written after, in a short transaction that never waits
on the network."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from assistants import snapshot
from assistants.cache.drafts import faq_index_show_drafts
from assistants.cache.leases import (
    LeaseRenewer,
    lease_acquire,
    lease_release,
    lease_wait_released,
)
from assistants.cache.rows import (
    CACHE_COLUMNS,
    assistant_columns,
    assistants_store,
    faq_index_insert,
    faq_rows,
)
from assistants.cache.search import search_index_tidy
from assistants.cache.selectors import (
    cache_is_stale,
    cache_never_filled,
    voice_names,
    voice_names_of,
)
from assistants.cache.voice_names import voice_named, voice_pairs_resolve, voice_used
from assistants.history_entries import OwnChange, deleted_elsewhere_entry, external_entries
from assistants.models import Assistant, Change, FaqItem, SyncState, Voice
from assistants.revox import RevoxClient, RevoxError, get_client

logger = logging.getLogger(__name__)


VOICES_MAX_AGE = timedelta(hours=1)


def cache_store(
    data: dict[str, Any],
    *,
    fresh_read: bool = False,
    own_change: OwnChange | None = None,
    stored: Assistant | None = None,
) -> Assistant:
    """Put one assistant, as Revox just returned it, into the cache.

    `fresh_read`: `data` is a plain read, not the answer to our own write, so any difference
    from the cached version was made outside the dashboard and goes into the history — except
    in `own_change`'s group, known to be that person's earlier save (it landed although Revox
    answered it with an error).

    `stored`: its cached row as the caller last read or wrote it (with its content_hash and
    data), compared with instead of reading the row again. The row is written only if it still
    holds that version; if something else wrote it since (a sync), it is read again and
    compared as usual. A version equal to `stored` is taken as already in the cache.
    """
    digest = snapshot.content_hash(data)
    if stored is not None and stored.content_hash == digest:
        return stored
    cached = stored
    if cached is None:
        cached = (
            Assistant.objects.filter(revox_id=data["id"]).only("pk", "content_hash", "data").first()
        )
        if cached is not None and cached.content_hash == digest:
            return cached
    voice = voice_used(data)
    # The name the caller's row already gives this voice, else the catalogue's (or a lookup's).
    names = {voice: stored.voice_name} if voice_named(stored, data) else voice_names_of(voice)
    columns = assistant_columns(data, digest=digest, voice_names=names, now=timezone.now())
    # Computed before the first write, so that the writes follow one another (saved_record).
    faq_changed = cached is None or (
        snapshot.faq_items(cached.data or {}) != snapshot.faq_items(data)
    )
    external = []
    if fresh_read and cached is not None:
        external = external_entries(cached.data or {}, data)
        if own_change is not None:
            external = [own_change.claim(entry) for entry in external]
    # No savepoint when the caller's transaction holds this one (a save's record): an error
    # here fails that transaction anyway, and a savepoint is two more round trips per save.
    with transaction.atomic(savepoint=False):
        if cached is None:
            # update_or_create: a sync may insert the same new assistant at the same moment.
            assistant, _ = Assistant.objects.update_or_create(revox_id=data["id"], defaults=columns)
        else:
            rows = Assistant.objects.filter(pk=cached.pk)
            if stored is not None:
                rows = rows.filter(content_hash=stored.content_hash)
            if not rows.update(**columns):
                # Nothing written: the row moved on since it was read, or is gone (deleted
                # meanwhile: then it is stored anew, never its FAQ index rows alone).
                return cache_store(data, fresh_read=fresh_read, own_change=own_change)
            Change.objects.bulk_create(external)
            for name, value in columns.items():
                setattr(cached, name, value)
            assistant = cached
        # Most saves leave the FAQ alone; its index rows are only rewritten when it changed.
        if faq_changed:
            FaqItem.objects.filter(assistant=assistant).delete()
            FaqItem.objects.bulk_create(faq_rows(assistant, data))
            faq_index_show_drafts([(assistant.pk, assistant.revox_id, data)])
    return assistant


def cache_forget(revox_id: str, *, deleted_elsewhere: bool = False) -> None:
    """Drop an assistant from the cache. `deleted_elsewhere`: Revox no longer knows it and no
    dashboard delete explains it, so history keeps its last configuration."""
    with transaction.atomic():
        last_known = _assistants_locked(Assistant.objects.filter(revox_id=revox_id))
        if deleted_elsewhere:
            Change.objects.bulk_create(
                deleted_elsewhere_entry(data) for _, data in last_known if data
            )
        _assistants_delete(last_known)


def _assistants_locked(rows) -> list[tuple[int, Any]]:
    """(pk, data) of the cached assistants `rows` selects, their rows locked until the caller's
    transaction ends (PostgreSQL; SQLite's write transactions queue anyway).

    What keeps the FAQ index to its assistants (it has no foreign-key constraint, models.FaqItem):
    a save or a sync writes an assistant's index rows in the transaction that writes its row, so
    a delete that locks the row first waits for that transaction, and its cascade then sees, and
    deletes, the rows it wrote. Without the lock the cascade's DELETE, begun before they were
    committed, would leave them behind."""
    return list(rows.select_for_update().values_list("pk", "data"))


def _assistants_delete(locked: list[tuple[int, Any]]) -> None:
    """Delete the assistants _assistants_locked locked, their FAQ index rows with them."""
    if locked:
        Assistant.objects.filter(pk__in=[pk for pk, _ in locked]).delete()


def note_revox_failure(err: RevoxError) -> None:
    now = timezone.now()
    SyncState.objects.update_or_create(
        pk=1, defaults={"last_attempt_at": now, "last_error_at": now, "last_error": str(err)[:300]}
    )


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    voices: int | None = None
    changed_ids: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} new, {self.updated} changed, {self.unchanged} unchanged, "
            f"{self.deleted} removed"
        )


def voices_sync(*, client: RevoxClient | None = None) -> int:
    client = client or get_client()
    remote = client.list_voices()
    rows = {}
    for v in remote:
        provider, voice_id = snapshot.text(v.get("provider")), snapshot.text(v.get("id"))
        if not provider or not voice_id:
            continue
        rows[(provider, voice_id)] = Voice(
            provider=provider[:32],
            voice_id=voice_id[:200],
            name=(snapshot.text(v.get("name")) or voice_id)[:200],
            description=snapshot.text(v.get("description")),
            language=snapshot.text(v.get("language"))[:8],
            accent=snapshot.text(v.get("accent"))[:64],
            gender=snapshot.text(v.get("gender"))[:32],
            is_cloned=v.get("isCloned") is True,
            model_compat=snapshot.text(v.get("modelCompat"))[:32],
        )
    fields = ("provider", "voice_id", "name", "description", "language", "accent", "gender",
              "is_cloned", "model_compat")  # fmt: skip
    with transaction.atomic():
        SyncState.objects.select_for_update().get_or_create(pk=1)  # one catalogue writer at a time
        stored = set(Voice.objects.values_list(*fields))
        if stored != {tuple(getattr(v, f) for f in fields) for v in rows.values()}:
            Voice.objects.all().delete()
            Voice.objects.bulk_create(rows.values())
        SyncState.objects.filter(pk=1).update(voices_synced_at=timezone.now())
    return len(rows)


# Assistants compared and written per transaction: what a sync holds in memory at once.
SYNC_BATCH_SIZE = 500


def assistants_sync(
    *,
    client: RevoxClient | None = None,
    with_voices: bool = True,
    progress: Callable[[], None] | None = None,
) -> SyncResult:
    """Refresh the cache from one `GET /assistants`, read as it arrives; write only what changed.

    The cached `updated_at` of every assistant is read once, in one query, before the listing;
    each listed assistant is compared with it as it comes: the same `updated_at` means unchanged
    (Revox moves it on every write), and the assistant is dropped at once, nothing more
    computed. The others are written SYNC_BATCH_SIZE at a time, each batch in a short
    transaction of its own, where their digest decides, so memory holds two batches and the
    ids, not the organisation (_Listing: on PostgreSQL the next batch is read while one is
    written). Only once the whole list has arrived are the assistants it no longer names
    removed. `progress` is called between batches, about every SYNC_BATCH_SIZE assistants
    listed (the caller renews its claim on the sync there).

    Raises the RevoxError when Revox cannot be read; the failure is remembered for the banner.
    A listing cut off half-way leaves the batches already written (each assistant in it as
    Revox answered it) and removes nothing.
    """
    client = client or get_client()
    result = SyncResult()
    state = SyncState.get()
    # Rows the cache received after this moment (a dashboard save, another sync) are newer than
    # what this sync is about to read: it must neither overwrite nor remove them.
    fetch_started = timezone.now()
    try:
        if with_voices and (
            state.voices_synced_at is None
            or timezone.now() - state.voices_synced_at > VOICES_MAX_AGE
        ):
            result.voices = voices_sync(client=client)
        names = voice_names()
        # What the cache held when the listing began; what is left of it once the listing has
        # been read is what Revox no longer lists.
        cached = _cached_stamps()
        with (
            contextlib.closing(client.iter_assistants()) as items,
            _wal_checkpoints_spaced(result),
            cyclic_gc_paused(),
        ):
            listing = _Listing(items, cached=cached, result=result)
            while True:
                listing.fill(progress)
                _sync_batch(
                    listing.take(),
                    result=result,
                    fetch_started=fetch_started,
                    names=names,
                    ahead=listing.read_one if connection.vendor == "postgresql" else None,
                )
                listing.raise_failure()
                if listing.ended and not listing.batch:
                    break
    except RevoxError as err:
        note_revox_failure(err)
        logger.info("sync stopped: %s (so far %s)", type(err).__name__, result)
        raise
    voices = listing.voices
    del listing  # and the listed ids with it
    if progress is not None:
        progress()

    # Voices the catalogue lacks get their names from Revox now, outside any transaction.
    newly_named = voice_pairs_resolve(_voices_named(voices), client=client)
    now = timezone.now()
    with transaction.atomic():
        _commit_without_waiting()
        SyncState.objects.select_for_update().get_or_create(pk=1)
        result.deleted = _forget_unlisted(list(cached), fetch_started=fetch_started)
        _voice_names_refresh(newly_named)
        SyncState.objects.update_or_create(
            pk=1, defaults={"last_attempt_at": now, "last_success_at": now, "last_error": ""}
        )
    if result.created or result.updated:
        search_index_tidy(written=result.created + result.updated)
    logger.info("sync: %s", result)
    return result


class _Listing:
    """The listing as a sync reads it: each listed assistant compared with the cache's time
    stamp as it arrives, and the changed ones gathered into the next batch (`fill`, `take`).

    On PostgreSQL a batch of new assistants reads the next batch while its FAQ rows go to the
    server (`read_one`, called between two assistants' rows): the server stores one batch while
    the next is parsed. Read one after the other, each side waited for the other: the dashboard
    at the end of each batch's FAQ `COPY`, the server while the next batch was parsed (a fifth
    of a sync of 50,000 each, py-spy; bench/, issue 25). A batch that changes cached rows does
    not read ahead: it locks them, and a save of one of them must not wait on the network. On
    SQLite, whose write transaction is the database's one write lock, nothing is read inside it.

    A failure of the listing met while reading ahead is kept until the batch being written has
    committed (`raise_failure`): the batches written stay, as when it is met between two."""

    def __init__(self, items: Iterator[dict[str, Any]], *, cached: dict, result: SyncResult):
        self.items, self.cached, self.result = items, cached, result
        self.listed: set[str] = set()  # ids only: ~100 bytes an assistant
        self.voices: set[tuple[Any, Any]] = set()
        self.batch: list[dict[str, Any]] = []
        self.ended = False
        self.failure: Exception | None = None
        self.progress_due = False

    def read_one(self) -> None:
        """Read the next listed assistant, unless the next batch is full or the listing over."""
        if self.ended or len(self.batch) >= SYNC_BATCH_SIZE:
            return
        try:
            data = next(self.items)
        except StopIteration:
            self.ended = True
            return
        except Exception as err:  # raised by fill, or once the batch being written commits
            self.ended, self.failure = True, err
            return
        revox_id = data["id"]
        if data.get("type") == "sub-assistant" or revox_id in self.listed:
            return
        self.listed.add(revox_id)
        # Collected raw (the few distinct ones are checked once, at the end): this line runs
        # for every listed assistant.
        if isinstance(voice := data.get("voice"), dict):
            self.voices.add((voice.get("provider"), voice.get("id")))
        if len(self.listed) % SYNC_BATCH_SIZE == 0:
            # Called by fill, never from here: read ahead, this runs inside a batch's
            # transaction, and the claim's renewal must not wait for (or roll back with) it.
            self.progress_due = True
        stamp = self.cached.pop(revox_id, None)
        if stamp is not None and stamp == _listed_stamp(data.get("updated_at")):
            self.result.unchanged += 1
            return
        self.batch.append(data)

    def fill(self, progress: Callable[[], None] | None) -> None:
        """Read until the next batch is full or the listing over (raising its failure)."""
        while True:
            if self.progress_due:
                self.progress_due = False
                if progress is not None:
                    progress()
            if self.ended or len(self.batch) >= SYNC_BATCH_SIZE:
                break
            self.read_one()
        self.raise_failure()

    def take(self) -> list[dict[str, Any]]:
        batch, self.batch = self.batch, []
        return batch

    def raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure


_gc_pause = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a sync reads the listing, back on after.

    A sync parses every listed assistant into fresh dicts and lists (reference counting frees
    them: they hold no cycles) while it keeps the listed ids and the cache's time stamps, so
    the collector's full passes walked an ever larger heap, again and again: ~8 % of a sync of
    50,000 into an empty cache (28.4 / 29.4 s with it, 26.5 / 26.7 s without, alternating runs,
    peak RSS 146 -> 166 MB). The collector is process-wide: it is turned back on when the last
    sync running in this process ends, and only if it was on when the first began; cycles made
    meanwhile anywhere in the process are collected then."""
    global _gc_pausers, _gc_was_enabled
    with _gc_pause:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_pause:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


# SQLite: the pages of write-ahead log a sync lets gather before they are copied into the
# database file (a checkpoint). SQLite's default, which every other write keeps, is 1,000 (4 MB).
SYNC_WAL_CHECKPOINT_PAGES = 10_000


@contextlib.contextmanager
def _wal_checkpoints_spaced(result: SyncResult) -> Iterator[None]:
    """On SQLite, let the sync's batches gather 40 MB of write-ahead log between checkpoints
    rather than 4 MB, then copy what is left into the database file at the end (a passive
    checkpoint: it never waits for readers), and give this connection back SQLite's setting.

    Each batch of 500 new assistants writes ~13 MB of log, so by default its commit ended in a
    checkpoint: the same index and full-text pages copied again after every batch, and an
    fsync each time. Nothing changes for readers (they read the log as before) nor for
    durability (a checkpoint moves committed pages; it commits nothing)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (every,) = cursor.fetchone()
        cursor.execute(f"PRAGMA wal_autocheckpoint = {max(every, SYNC_WAL_CHECKPOINT_PAGES)}")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA wal_autocheckpoint = {int(every)}")
                if (result.created or result.updated) and not connection.in_atomic_block:
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except DatabaseError as err:  # never hide why the sync stopped, if it did
            logger.warning("sync: SQLite's checkpoint setting not restored: %s", err)


def _cached_stamps() -> dict[str, datetime | None]:
    """revox_id -> remote_updated_at of every cached assistant, in one query off the
    assistants_sync_versions index. Raw, the time stamps read as text and parsed in C: the
    ORM's (and the drivers' Python) per-row conversion of 50,000 time stamps cost a fifth of
    parsing the listing (bench/sync_probe)."""
    name = connection.ops.quote_name
    stamps: dict[str, datetime | None] = {}
    parse = datetime.fromisoformat
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {name('revox_id')}, CAST({name('remote_updated_at')} AS TEXT) "  # noqa: S608 (model names)
            f"FROM {name(Assistant._meta.db_table)}"
        )
        while rows := cursor.fetchmany(5000):
            for revox_id, text in rows:
                stamp = None if text is None else parse(text)
                if stamp is not None and stamp.tzinfo is None:
                    # SQLite's: the UTC time Django wrote, without its zone.
                    stamp = stamp.replace(tzinfo=UTC)
                stamps[revox_id] = stamp
    return stamps


def _listed_stamp(value: Any) -> datetime | None:
    """A listed assistant's `updated_at` as the cache stores it (snapshot.parse_timestamp, with
    its common case, an ISO string, read directly: this runs for every listed assistant)."""
    if isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            return snapshot.parse_timestamp(value)
        return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
    return snapshot.parse_timestamp(value)


def _voices_named(voices: set[tuple[Any, Any]]) -> set[tuple[str, str]]:
    """The (provider, voice id) pairs among those collected that name a voice (voice_used)."""
    return {
        (provider, voice_id)
        for provider, voice_id in voices
        if isinstance(provider, str) and provider
        and isinstance(voice_id, str) and voice_id and len(voice_id) <= 200
    }  # fmt: skip


def _sync_batch(
    batch: list[dict[str, Any]],
    *,
    result: SyncResult,
    fetch_started,
    names: dict[tuple[str, str], str],
    ahead: Callable[[], None] | None = None,
) -> None:
    """Write the new and changed assistants of a batch (those whose `updated_at` differs from
    the cache's, or that it lacks), each compared again with its row under the sync's lock.

    The new rows' digests and columns are made inside the transaction on PostgreSQL, each as
    COPY asks for it: the server stores one assistant while the next is serialised and made (a
    sync into an empty cache otherwise spends the sum of both sides' time, not the larger);
    the lock it holds meanwhile only keeps another sync waiting. On SQLite, which works in
    this process and whose write transaction holds the database's one write lock (a save
    waits for it), the digests are made before the transaction.

    `ahead`: called between two assistants' FAQ rows sent to the server, when the batch only
    adds assistants (_Listing.read_one)."""
    if not batch:
        return
    now = timezone.now()
    early = connection.vendor != "postgresql"
    digested = [(data, *_digested(data)) if early else (data, None, None) for data in batch]
    with transaction.atomic():
        _commit_without_waiting()
        # One sync at a time: two people opening a stale list must not both insert the same
        # new assistants. (A row lock on PostgreSQL; SQLite's write transactions queue anyway.)
        SyncState.objects.select_for_update().get_or_create(pk=1)
        # Read again under the lock: another sync may have written them meanwhile.
        known = _cached_versions([data["id"] for data in batch])
        new = []
        changed_rows: list[Assistant] = []
        for data, digest, canonical in digested:
            pk, known_digest, synced_at = known.get(data["id"], (None, None, None))
            if pk is None:
                new.append((data, digest, canonical))
                continue
            if digest is None:
                digest, canonical = _digested(data)
            if digest == known_digest or synced_at >= fetch_started:
                result.unchanged += 1
            else:
                changed_rows.append(_cache_row(data, digest, canonical, names=names, now=now)[0])
                changed_rows[-1].pk = pk

        # Every change found here was made outside the dashboard (its own writes refresh the
        # cache with Revox's answer). Only the rows that changed have their old version loaded,
        # and locked: one deleted since it was compared (its assistant deleted from the
        # dashboard) is left out, never its FAQ index rows written alone.
        if changed_rows:
            previous = dict(
                _assistants_locked(Assistant.objects.filter(pk__in=[r.pk for r in changed_rows]))
            )
            changed_rows = [r for r in changed_rows if r.pk in previous]
            external = [e for r in changed_rows for e in external_entries(previous[r.pk], r.data)]
            Change.objects.bulk_create(external, batch_size=500)
            Assistant.objects.bulk_update(changed_rows, CACHE_COLUMNS, batch_size=200)
            FaqItem.objects.filter(assistant_id__in=[r.pk for r in changed_rows]).delete()
        made = (_cache_row(*entry, names=names, now=now) for entry in new)
        new_rows = assistants_store(len(new), made)
        faq_index_insert([*changed_rows, *new_rows], between=None if changed_rows else ahead)
        faq_index_show_drafts(
            (r.pk, r.revox_id, r.data) for r in [*changed_rows, *new_rows] if r.pk is not None
        )

    result.created += len(new_rows)
    result.updated += len(changed_rows)
    result.changed_ids += [r.revox_id for r in changed_rows]


def _digested(data: dict[str, Any]) -> tuple[str, str]:
    """A listed assistant's digest and canonical JSON. One serialisation gives the digest,
    tells whether the document holds a NUL (so that nothing walks it in Python to find out),
    and is what a new row stores."""
    canonical = snapshot.canonical_json_parsed(data)
    return hashlib.sha256(canonical.encode()).hexdigest(), canonical


def _cache_row(
    data: dict[str, Any],
    digest: str | None,
    canonical: str | None,
    *,
    names: dict[tuple[str, str], str],
    now,
) -> tuple[Assistant, str | None]:
    """The cache row of a listed assistant, and its `data` as JSON text when the canonical
    serialisation is it (no NUL replaced, no secret masked), else None. Its digest and
    canonical JSON are made here when not given."""
    if digest is None or canonical is None:
        digest, canonical = _digested(data)
    nul_free = "\\u0000" not in canonical
    columns = assistant_columns(data, digest=digest, voice_names=names, now=now, nul_free=nul_free)
    as_listed = nul_free and columns["data"] == data
    return Assistant(revox_id=data["id"], **columns), canonical if as_listed else None


def _commit_without_waiting() -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL reaches the disk
    (asynchronous commit, for this transaction only): each batch's commit otherwise waits for
    the fsync of its WAL (2,000 assistants into an empty cache: ~0.2 s of waiting on the
    bench's disk, when the commits also ran the FAQ index's foreign-key checks, gone since
    migration 0021).

    What a sync writes can be read again from Revox: a server crash may lose the last
    transactions committed this way (PostgreSQL never applies part of one, nor one without
    those before it), which leaves the cache as an earlier batch left it, and the next sync
    finds and writes the same changes again, with their history entries (written in the same
    transactions as the rows they explain)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _cached_versions(revox_ids: list[str]) -> dict[str, tuple]:
    """revox_id -> (pk, content_hash, synced_at) of the cached rows."""
    return {
        revox_id: versions
        for revox_id, *versions in Assistant.objects.filter(revox_id__in=revox_ids).values_list(
            "revox_id", "pk", "content_hash", "synced_at"
        )
    }


def _forget_unlisted(unlisted: list[str], *, fetch_started) -> int:
    """Remove the cached assistants a complete listing did not name (`unlisted`: those the cache
    held when it began), but not those cached since it began (newer than it), keeping each
    one's last configuration in the history."""
    gone = 0
    for start in range(0, len(unlisted), SYNC_BATCH_SIZE):
        rows = Assistant.objects.filter(
            revox_id__in=unlisted[start : start + SYNC_BATCH_SIZE], synced_at__lt=fetch_started
        )
        # Locked, a row a save is writing is read again once it committed, and kept if that
        # made it newer than the listing.
        last_known = _assistants_locked(rows)
        if not last_known:
            continue
        Change.objects.bulk_create([deleted_elsewhere_entry(data) for _, data in last_known])
        _assistants_delete(last_known)
        gone += len(last_known)
    return gone


def _voice_names_refresh(names: dict[tuple[str, str], str]) -> None:
    """Name the voice on the rows that use one just found by id (rows unchanged since the last
    sync are not rewritten, so they would keep showing a bare id)."""
    for (provider, voice_id), name in names.items():
        Assistant.objects.filter(voice_provider=provider, voice_id=voice_id).exclude(
            voice_name=name[:200]
        ).update(voice_name=name[:200])


SYNC_LEASE = "assistants-sync"


def revox_budget(*, calls: int) -> float:
    """The longest `calls` Revox requests can take, every retry included, plus time to write
    the cache: how long a claim over them may be held."""
    per_try = settings.REVOX_CONNECT_TIMEOUT + settings.REVOX_READ_TIMEOUT
    return calls * per_try * (settings.REVOX_MAX_RETRIES + 1) + 30


def assistants_sync_once(*, needed: Callable[[], bool]) -> SyncResult | None:
    """Sync when `needed()` says so, once across every worker.

    Pages that find the cache stale (or never filled) ask for a refresh at the same moment, from
    every worker of the dashboard. The first takes the sync claim and syncs; the others wait
    for it to finish and return None: the cache is then as fresh as their own sync would have
    made it, and Revox was read once. Raises what assistants_sync raises.
    """
    if not needed():
        return None
    budget = revox_budget(calls=2)  # the voice catalogue and the assistants
    token = lease_acquire(name=SYNC_LEASE, ttl=budget)
    ours = token is not None
    if ours:
        try:
            # Asked again now that the claim is ours: a sync may have ended in between. A sync
            # of a large organisation can outlast the budget: it renews the claim as it goes,
            # so that no other worker starts a second one meanwhile.
            renew = LeaseRenewer(name=SYNC_LEASE, token=token, ttl=budget)
            result = assistants_sync(progress=renew) if needed() else None
        finally:
            lease_release(name=SYNC_LEASE, token=token)
        # After the claim is let go: the workers waiting on it need not wait for the calls.
        if result is not None:
            sync_followers_run()
        return result
    lease_wait_released(name=SYNC_LEASE, wait=budget)
    return None


# What follows each refresh of the assistants: the parts above the cache that keep something
# beside the assistants register here at start-up (the call record, from its AppConfig.ready),
# so that the cache names none of them. Each is called with `background` (a job's budget rather
# than a page's), must not raise for a Revox failure, and returns a one-line account or "".
SYNC_FOLLOWERS: list[Callable[..., str]] = []


def sync_followers_run(*, background: bool = False) -> str:
    """Run what follows a refresh of the assistants; their accounts, one after the other."""
    return " ".join(filter(None, (follow(background=background) for follow in SYNC_FOLLOWERS)))


def cache_refresh_if_stale() -> SyncResult | None:
    """The pages' background refresh: a sync if the cache is older than REVOX_CACHE_MAX_AGE."""
    return assistants_sync_once(needed=cache_is_stale)


REFRESH_LEASE = "assistants-refresh-asked"
REFRESH_TOO_SOON = (
    "The list was refreshed from Revox a moment ago; it is as fresh as a new refresh would make "
    "it. Try again in a few seconds."
)


class RefreshTooSoon(Exception):
    def __init__(self) -> None:
        super().__init__(REFRESH_TOO_SOON)


def cache_refresh_asked() -> SyncResult | None:
    """The Refresh buttons: a full sync, at most one per REVOX_REFRESH_MIN_INTERVAL seconds
    across every worker (each is a full read of every assistant from Revox, and anyone signed in
    may ask), and one at a time: a click while a sync runs waits for it and returns None.

    Raises RefreshTooSoon when a refresh was asked for less than the interval ago, and what
    assistants_sync raises. The claim is not given back: its expiry is the interval.
    """
    if lease_acquire(name=REFRESH_LEASE, ttl=settings.REVOX_REFRESH_MIN_INTERVAL) is None:
        raise RefreshTooSoon
    return assistants_sync_once(needed=lambda: True)


def cache_fill_if_never_filled() -> None:
    """Before a page shows the cache for the first time ever: fill it, so that an empty list or
    "nothing pending" is never shown for a cache that simply was never loaded. When Revox
    cannot be read, the failure is remembered and the page says so (its banner)."""
    try:
        assistants_sync_once(needed=cache_never_filled)
    except RevoxError as err:
        logger.warning("first fill of the cache failed: %s", err)
