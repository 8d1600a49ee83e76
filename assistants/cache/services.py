"""Writes of the cache: one assistant stored or forgotten, the whole cache synced with Revox, and
the sync that runs once across every worker when pages find the cache stale or never filled.

Revox is always read first; the cache is written after, in a short transaction that never waits
on the network."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assistants import snapshot
from assistants.cache.drafts import faq_index_show_drafts
from assistants.cache.leases import lease_held, lease_wait_released
from assistants.cache.rows import (
    CACHE_COLUMNS,
    assistant_columns,
    assistants_insert,
    faq_index_insert,
    faq_rows,
)
from assistants.cache.selectors import cache_is_stale, cache_never_filled, voice_names
from assistants.cache.voice_names import voice_names_resolve
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
    columns = assistant_columns(data, digest=digest, voice_names=voice_names(), now=timezone.now())
    external = []
    if fresh_read and cached is not None:
        external = external_entries(cached.data or {}, data)
        if own_change is not None:
            external = [own_change.claim(entry) for entry in external]
    with transaction.atomic():
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


def assistants_sync(*, client: RevoxClient | None = None, with_voices: bool = True) -> SyncResult:
    """Refresh the cache from one `GET /assistants`; write only what changed.

    Raises the RevoxError when Revox cannot be read; the cache is then left as it was and the
    failure is remembered for the banner.
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
        remote = client.list_assistants()
    except RevoxError as err:
        note_revox_failure(err)
        raise

    remote_by_id = {a["id"]: a for a in remote if a.get("type") != "sub-assistant"}
    # Voices the catalogue lacks get their names from Revox now, before the transaction.
    newly_named = voice_names_resolve(remote_by_id.values(), client=client)
    now = timezone.now()
    digests = {revox_id: snapshot.content_hash(data) for revox_id, data in remote_by_id.items()}
    names = voice_names()

    with transaction.atomic():
        # One sync at a time: two people opening a stale list must not both insert the same
        # new assistants. (A row lock on PostgreSQL; SQLite's write transactions queue anyway.)
        SyncState.objects.select_for_update().get_or_create(pk=1)
        known = {
            revox_id: (pk, digest, synced_at)
            for pk, revox_id, digest, synced_at in Assistant.objects.values_list(
                "pk", "revox_id", "content_hash", "synced_at"
            )
        }
        new_rows: list[Assistant] = []
        changed_rows: list[Assistant] = []
        for revox_id, data in remote_by_id.items():
            pk, known_digest, synced_at = known.get(revox_id, (None, None, None))
            if known_digest == digests[revox_id] or (synced_at and synced_at >= fetch_started):
                result.unchanged += 1
                continue
            columns = assistant_columns(data, digest=digests[revox_id], voice_names=names, now=now)
            row = Assistant(pk=pk, revox_id=revox_id, **columns)
            (changed_rows if pk else new_rows).append(row)
        gone = [
            revox_id for revox_id, (_, _, synced_at) in known.items()
            if revox_id not in remote_by_id and synced_at < fetch_started
        ]  # fmt: skip
        # Every change found here was made outside the dashboard (its own writes refresh the
        # cache with Revox's answer). Only the rows that changed have their old version loaded.
        previous = dict(
            Assistant.objects.filter(pk__in=[r.pk for r in changed_rows]).values_list("pk", "data")
        ) if changed_rows else {}  # fmt: skip
        external = [e for r in changed_rows for e in external_entries(previous[r.pk], r.data)]
        if gone:
            gone_data = Assistant.objects.filter(revox_id__in=gone).values_list("data", flat=True)
            external += [deleted_elsewhere_entry(data) for data in gone_data]

        Change.objects.bulk_create(external, batch_size=500)
        if gone:
            Assistant.objects.filter(revox_id__in=gone).delete()
        if changed_rows:
            Assistant.objects.bulk_update(changed_rows, CACHE_COLUMNS, batch_size=200)
            FaqItem.objects.filter(assistant_id__in=[r.pk for r in changed_rows]).delete()
        if new_rows:
            assistants_insert(new_rows)
        faq_index_insert([*changed_rows, *new_rows])
        faq_index_show_drafts(
            (r.pk, r.revox_id, r.data) for r in [*changed_rows, *new_rows] if r.pk is not None
        )
        _voice_names_refresh(newly_named)
        SyncState.objects.update_or_create(
            pk=1, defaults={"last_attempt_at": now, "last_success_at": now, "last_error": ""}
        )

    result.created, result.updated, result.deleted = len(new_rows), len(changed_rows), len(gone)
    result.changed_ids = [r.revox_id for r in changed_rows]
    logger.info("sync: %s", result)
    return result


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
            return assistants_sync() if needed() else None
    lease_wait_released(name=SYNC_LEASE, wait=budget)
    return None


def cache_refresh_if_stale() -> SyncResult | None:
    """The pages' background refresh: a sync if the cache is older than REVOX_CACHE_MAX_AGE."""
    return assistants_sync_once(needed=cache_is_stale)


def cache_fill_if_never_filled() -> None:
    """Before a page shows the cache for the first time ever: fill it, so that an empty list or
    "nothing pending" is never shown for a cache that simply was never loaded. When Revox
    cannot be read, the failure is remembered and the page says so (its banner)."""
    try:
        assistants_sync_once(needed=cache_never_filled)
    except RevoxError as err:
        logger.warning("first fill of the cache failed: %s", err)
