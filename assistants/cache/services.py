"""Writes of the cache: one assistant stored or forgotten, the whole cache synced with Revox, and
the sync that runs once across every worker when pages find the cache stale or never filled.

Revox is always read first; the cache is written after, in a short transaction that never waits
on the network."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from assistants import snapshot
from assistants.cache.drafts import faq_index_show_drafts
from assistants.cache.leases import lease_acquire, lease_held, lease_wait_released
from assistants.cache.rows import (
    CACHE_COLUMNS,
    assistant_columns,
    assistants_insert,
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
from assistants.cache.voice_names import voice_pairs_resolve, voice_used
from assistants.history_entries import OwnChange, deleted_elsewhere_entry, external_entries
from assistants.models import Assistant, Change, FaqItem, SyncState, Voice
from assistants.revox import RevoxClient, RevoxError, get_client

logger = logging.getLogger(__name__)


VOICES_MAX_AGE = timedelta(hours=1)


def cache_store(
    data: dict[str, Any], *, fresh_read: bool = False, own_change: OwnChange | None = None
) -> Assistant:
    """Put one assistant, as Revox just returned it, into the cache.

    `fresh_read`: `data` is a plain read, not the answer to our own write, so any difference
    from the cached version was made outside the dashboard and goes into the history — except
    in `own_change`'s group, known to be that person's earlier save (it landed although Revox
    answered it with an error).
    """
    digest = snapshot.content_hash(data)
    cached = (
        Assistant.objects.filter(revox_id=data["id"]).only("pk", "content_hash", "data").first()
    )
    if cached is not None and cached.content_hash == digest:
        return cached
    columns = assistant_columns(
        data, digest=digest, voice_names=voice_names_of(voice_used(data)), now=timezone.now()
    )
    external = []
    if fresh_read and cached is not None:
        external = external_entries(cached.data or {}, data)
        if own_change is not None:
            external = [own_change.claim(entry) for entry in external]
    # No savepoint when the caller's transaction holds this one (a save's record): an error
    # here fails that transaction anyway, and a savepoint is two more round trips per save.
    with transaction.atomic(savepoint=False):
        Change.objects.bulk_create(external)
        if cached is None:
            # update_or_create: a sync may insert the same new assistant at the same moment.
            assistant, _ = Assistant.objects.update_or_create(revox_id=data["id"], defaults=columns)
            faq_changed = True
        else:
            Assistant.objects.filter(pk=cached.pk).update(**columns)
            faq_changed = snapshot.faq_items(cached.data or {}) != snapshot.faq_items(data)
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
    if deleted_elsewhere:
        last_known = (
            Assistant.objects.filter(revox_id=revox_id).values_list("data", flat=True).first()
        )
        if last_known:
            deleted_elsewhere_entry(last_known).save()
    Assistant.objects.filter(revox_id=revox_id).delete()


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
SYNC_BATCH_SIZE = 200


def assistants_sync(*, client: RevoxClient | None = None, with_voices: bool = True) -> SyncResult:
    """Refresh the cache from one `GET /assistants`, read as it arrives; write only what changed.

    Each assistant is compared with its cached row as it comes: the same `updated_at` means
    unchanged (nothing more is computed), otherwise its digest decides. Changed and new ones are
    written SYNC_BATCH_SIZE at a time, each batch in a short transaction of its own (never
    waiting on the network), so memory holds one batch, not the organisation. Only once the
    whole list has arrived are the assistants it no longer names removed.

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
    listed: set[str] = set()  # ids only: ~100 bytes an assistant
    voices: set[tuple[str, str]] = set()
    try:
        if with_voices and (
            state.voices_synced_at is None
            or timezone.now() - state.voices_synced_at > VOICES_MAX_AGE
        ):
            result.voices = voices_sync(client=client)
        names = voice_names()
        batch: list[dict[str, Any]] = []
        for data in client.iter_assistants():
            if data.get("type") == "sub-assistant" or data["id"] in listed:
                continue
            listed.add(data["id"])
            if (voice := voice_used(data)) is not None:
                voices.add(voice)
            batch.append(data)
            if len(batch) >= SYNC_BATCH_SIZE:
                _sync_batch(batch, result=result, fetch_started=fetch_started, names=names)
                batch = []
        _sync_batch(batch, result=result, fetch_started=fetch_started, names=names)
    except RevoxError as err:
        note_revox_failure(err)
        logger.info("sync stopped: %s (so far %s)", type(err).__name__, result)
        raise

    # Voices the catalogue lacks get their names from Revox now, outside any transaction.
    newly_named = voice_pairs_resolve(voices, client=client)
    now = timezone.now()
    with transaction.atomic():
        SyncState.objects.select_for_update().get_or_create(pk=1)
        result.deleted = _forget_unlisted(listed, fetch_started=fetch_started)
        _voice_names_refresh(newly_named)
        SyncState.objects.update_or_create(
            pk=1, defaults={"last_attempt_at": now, "last_success_at": now, "last_error": ""}
        )
    if result.created or result.updated:
        search_index_tidy()
    logger.info("sync: %s", result)
    return result


def _sync_batch(
    batch: list[dict[str, Any]],
    *,
    result: SyncResult,
    fetch_started,
    names: dict[tuple[str, str], str],
) -> None:
    """Compare a batch of listed assistants with their cached rows; write the new and changed.

    A batch where nothing changed costs one read of its rows' time stamps, and no transaction.
    """
    if not batch:
        return
    candidates = _not_unchanged(batch, result=result, fetch_started=fetch_started)
    if not candidates:
        return
    now = timezone.now()
    with transaction.atomic():
        # One sync at a time: two people opening a stale list must not both insert the same
        # new assistants. (A row lock on PostgreSQL; SQLite's write transactions queue anyway.)
        SyncState.objects.select_for_update().get_or_create(pk=1)
        # Read again under the lock: another sync may have written them meanwhile.
        known = _cached_versions(candidates)
        new_rows: list[Assistant] = []
        changed_rows: list[Assistant] = []
        for data in candidates:
            pk, known_digest, synced_at, _ = known.get(data["id"], (None, None, None, None))
            digest = snapshot.content_hash(data)
            if pk is not None and (digest == known_digest or synced_at >= fetch_started):
                result.unchanged += 1
                continue
            columns = assistant_columns(data, digest=digest, voice_names=names, now=now)
            row = Assistant(pk=pk, revox_id=data["id"], **columns)
            (changed_rows if pk else new_rows).append(row)

        # Every change found here was made outside the dashboard (its own writes refresh the
        # cache with Revox's answer). Only the rows that changed have their old version loaded.
        if changed_rows:
            previous = dict(
                Assistant.objects.filter(pk__in=[r.pk for r in changed_rows]).values_list(
                    "pk", "data"
                )
            )
            external = [e for r in changed_rows for e in external_entries(previous[r.pk], r.data)]
            Change.objects.bulk_create(external, batch_size=500)
            Assistant.objects.bulk_update(changed_rows, CACHE_COLUMNS, batch_size=200)
            FaqItem.objects.filter(assistant_id__in=[r.pk for r in changed_rows]).delete()
        if new_rows:
            assistants_insert(new_rows)
        faq_index_insert([*changed_rows, *new_rows])
        faq_index_show_drafts(
            (r.pk, r.revox_id, r.data) for r in [*changed_rows, *new_rows] if r.pk is not None
        )

    result.created += len(new_rows)
    result.updated += len(changed_rows)
    result.changed_ids += [r.revox_id for r in changed_rows]


def _cached_versions(batch: list[dict[str, Any]]) -> dict[str, tuple]:
    """revox_id -> (pk, content_hash, synced_at, remote_updated_at) of the cached rows."""
    return {
        revox_id: versions
        for revox_id, *versions in Assistant.objects.filter(
            revox_id__in=[data["id"] for data in batch]
        ).values_list("revox_id", "pk", "content_hash", "synced_at", "remote_updated_at")
    }


def _not_unchanged(
    batch: list[dict[str, Any]], *, result: SyncResult, fetch_started
) -> list[dict[str, Any]]:
    """The assistants of the batch that may need writing. Unchanged: cached with the same
    `updated_at` (Revox moves it on every write), or cached since this sync began.

    The database compares the time stamps and answers only the ids of unchanged rows: an
    unchanged assistant should cost little more than parsing it (bench/), and loading and
    converting each row's values in Python cost as much again as the parse."""
    ops = connection.ops
    stamps = []
    for data in batch:
        updated_at = snapshot.parse_timestamp(data.get("updated_at"))
        if updated_at is not None:
            stamps += [data["id"], _as_stored(updated_at)]
    if not stamps:
        return batch
    table, name = ops.quote_name(Assistant._meta.db_table), ops.quote_name
    values = ", ".join(["(%s, %s)"] * (len(stamps) // 2))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cached.{name('revox_id')} FROM {table} AS cached "  # noqa: S608 (model names)
            f"JOIN (VALUES {values}) AS listed ON cached.{name('revox_id')} = listed.column1 "
            f"WHERE cached.{name('remote_updated_at')} = listed.column2 "
            f"OR cached.{name('synced_at')} >= %s",
            [*stamps, _as_stored(fetch_started)],
        )
        unchanged = {revox_id for (revox_id,) in cursor.fetchall()}
    result.unchanged += len(unchanged)
    return [data for data in batch if data["id"] not in unchanged]


def _as_stored(moment: datetime) -> Any:
    """A time as the database compares it: on SQLite the text Django stores (what
    adapt_datetimefield_value gives, at a fraction of its cost over a whole listing)."""
    if connection.vendor == "sqlite":
        return str(moment.astimezone(UTC).replace(tzinfo=None))
    return moment


def _forget_unlisted(listed: set[str], *, fetch_started) -> int:
    """Remove the cached assistants a complete listing did not name (those cached since it
    began are newer than it), keeping each one's last configuration in the history."""
    name = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Raw: at 50,000 rows the ORM's per-row work would cost more than the rest of an
        # unchanged sync; read off the assistants_sync_versions index, not the rows.
        cursor.execute(
            f"SELECT {name('revox_id')} FROM {name(Assistant._meta.db_table)} "  # noqa: S608
            f"WHERE {name('synced_at')} < %s ORDER BY {name('revox_id')}",
            [_as_stored(fetch_started)],
        )
        gone = []
        while rows := cursor.fetchmany(5000):
            gone += [revox_id for (revox_id,) in rows if revox_id not in listed]
    for start in range(0, len(gone), SYNC_BATCH_SIZE):
        ids = gone[start : start + SYNC_BATCH_SIZE]
        last_known = Assistant.objects.filter(revox_id__in=ids).values_list("data", flat=True)
        Change.objects.bulk_create([deleted_elsewhere_entry(data) for data in last_known])
        Assistant.objects.filter(revox_id__in=ids).delete()
    return len(gone)


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
    with lease_held(name=SYNC_LEASE, ttl=budget, wait=0) as ours:
        if ours:
            # Asked again now that the claim is ours: a sync may have ended in between.
            result = assistants_sync() if needed() else None
    if ours:
        # After the claim is let go: the workers waiting on it need not wait for the calls.
        if result is not None:
            calls_follow()
        return result
    lease_wait_released(name=SYNC_LEASE, wait=budget)
    return None


def calls_follow() -> None:
    """The call record follows every refresh of the assistants (new calls since the last one;
    a page or two). Its failure is remembered for the calls pages, never fails the refresh."""
    # Imported here: the calls part builds on the cache, not the other way round.
    from assistants.calls.refresh import calls_refresh_quietly

    calls_refresh_quietly()


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
