"""Write use cases. Each calls Revox first, then refreshes the cache from Revox's answer and
records the change, in a short transaction that never waits on the network."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from assistants import history, selectors, snapshot, voice_services
from assistants.groups import FieldGroup
from assistants.leases import lease_held, lease_wait_released
from assistants.models import Assistant, Change, FaqItem, SyncState, Voice
from assistants.revox import (
    RevoxClient,
    RevoxConfig,
    RevoxConflict,
    RevoxError,
    RevoxNotFound,
    UnpatchedCalls,
    get_client,
)
from assistants.search_words import document_words

logger = logging.getLogger(__name__)

VOICES_MAX_AGE = timedelta(hours=1)


# -- the cache ------------------------------------------------------------------------------


def _assistant_columns(
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


# The FAQ index's columns, in the order _faq_values gives them.
FAQ_COLUMNS = ("position", "upstream_id", "question", "answer", "source", "needs_human_answer")


def _faq_values(data: dict[str, Any]) -> list[tuple]:
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


def _faq_rows(assistant: Assistant, data: dict[str, Any]) -> list[FaqItem]:
    return [FaqItem(assistant=assistant, **dict(zip(FAQ_COLUMNS, values, strict=True)))
            for values in _faq_values(data)]  # fmt: skip


def _faq_index_insert(assistants: list[Assistant]) -> None:
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
        for values in _faq_values(assistant.data)
    ]
    _insert_rows(meta.db_table, [f.column for f in (*fields, *others)], rows)


def _insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
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


def _assistants_insert(rows: list[Assistant]) -> None:
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
    _insert_rows(
        meta.db_table,
        [f.column for f in fields],
        [tuple(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)
         for row in rows],
    )  # fmt: skip


def cache_store(data: dict[str, Any], *, fresh_read: bool = False) -> Assistant:
    """Put one assistant, as Revox just returned it, into the cache.

    `fresh_read`: `data` is a plain read, not the answer to our own write, so any difference
    from the cached version was made outside the dashboard and goes into the history.
    """
    digest = snapshot.content_hash(data)
    cached = (
        Assistant.objects.filter(revox_id=data["id"]).only("pk", "content_hash", "data").first()
    )
    if cached is not None and cached.content_hash == digest:
        return cached
    columns = _assistant_columns(
        data, digest=digest, voice_names=selectors.voice_names(), now=timezone.now()
    )
    external = []
    if fresh_read and cached is not None:
        external = history.external_entries(cached.data or {}, data)
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
            FaqItem.objects.bulk_create(_faq_rows(assistant, data))
    return assistant


def cache_forget(revox_id: str, *, deleted_elsewhere: bool = False) -> None:
    """Drop an assistant from the cache. `deleted_elsewhere`: Revox no longer knows it and no
    dashboard delete explains it, so history keeps its last configuration."""
    if deleted_elsewhere:
        last_known = (
            Assistant.objects.filter(revox_id=revox_id).values_list("data", flat=True).first()
        )
        if last_known:
            history.deleted_elsewhere_entry(last_known).save()
    Assistant.objects.filter(revox_id=revox_id).delete()


def _note_revox_failure(err: RevoxError) -> None:
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
        _note_revox_failure(err)
        raise

    remote_by_id = {a["id"]: a for a in remote if a.get("type") != "sub-assistant"}
    # Voices the catalogue lacks get their names from Revox now, before the transaction.
    newly_named = voice_services.voice_names_resolve(remote_by_id.values(), client=client)
    now = timezone.now()
    digests = {revox_id: snapshot.content_hash(data) for revox_id, data in remote_by_id.items()}
    voice_names = selectors.voice_names()

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
            columns = _assistant_columns(
                data, digest=digests[revox_id], voice_names=voice_names, now=now
            )
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
        external = [
            e for r in changed_rows for e in history.external_entries(previous[r.pk], r.data)
        ]
        if gone:
            gone_data = Assistant.objects.filter(revox_id__in=gone).values_list("data", flat=True)
            external += [history.deleted_elsewhere_entry(data) for data in gone_data]

        Change.objects.bulk_create(external, batch_size=500)
        if gone:
            Assistant.objects.filter(revox_id__in=gone).delete()
        if changed_rows:
            Assistant.objects.bulk_update(changed_rows, CACHE_COLUMNS, batch_size=200)
            FaqItem.objects.filter(assistant_id__in=[r.pk for r in changed_rows]).delete()
        if new_rows:
            _assistants_insert(new_rows)
        _faq_index_insert([*changed_rows, *new_rows])
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


CACHE_COLUMNS = [
    "name", "voice_provider", "voice_id", "voice_name", "llm_kind", "llm_model",
    "faq_count", "pending_faq_count", "remote_created_at", "remote_updated_at",
    "search_text", "search_words", "data", "content_hash", "synced_at",
]  # fmt: skip


def cache_is_stale() -> bool:
    state = SyncState.get()
    if state.last_success_at is None:
        return True
    return timezone.now() - state.last_success_at > timedelta(seconds=settings.REVOX_CACHE_MAX_AGE)


def cache_never_filled() -> bool:
    return not SyncState.objects.filter(last_success_at__isnull=False).exists()


SYNC_LEASE = "assistants-sync"


def _revox_budget(*, calls: int) -> float:
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
    budget = _revox_budget(calls=2)  # the voice catalogue and the assistants
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


@dataclass(frozen=True)
class KeyStatus:
    reachable: bool
    key_valid: bool | None  # None: Revox could not be asked
    error: str
    latency_ms: int


def revox_key_check() -> KeyStatus:
    """Ask Revox whether it accepts our key (GET /auth-status): once, without retries, with a
    short read timeout, for /health/ and the rejected-key page."""
    config = dataclasses.replace(RevoxConfig.from_settings(), max_retries=0, read_timeout=5.0)
    started = time.monotonic()
    reachable, key_valid, error = True, None, ""
    try:
        key_valid = RevoxClient(config).auth_status()
    except RevoxError as err:
        reachable, error = False, str(err)
    return KeyStatus(reachable, key_valid, error, round((time.monotonic() - started) * 1000))


# -- history --------------------------------------------------------------------------------


def _actor_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


def change_record(
    *,
    user: AbstractBaseUser | None,
    kind: str,
    assistant: dict[str, Any],
    group: str = "",
    before: Any = None,
    after: Any = None,
    related_revox_id: str = "",
    summary: str = "",
) -> Change:
    return Change.objects.create(
        assistant_revox_id=assistant["id"],
        assistant_name=snapshot.text(assistant.get("name"))[:500],
        kind=kind,
        group=group,
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=_actor_name(user),
        before=before,
        after=after,
        related_revox_id=related_revox_id,
        summary=summary[:500],
    )


# -- lifecycle ------------------------------------------------------------------------------


def record_new_assistant(
    *, user: AbstractBaseUser, data: dict[str, Any], kind: str, related_revox_id: str = "",
    summary: str = "",
) -> Assistant:  # fmt: skip
    """Cache an assistant Revox has just made (create, clone, recreate, import) and record it
    in history with its whole configuration (secrets masked). Asks Revox the name of a voice
    the catalogue lacks first: call it outside any transaction."""
    voice_services.voice_names_resolve([data])
    with transaction.atomic():
        assistant = cache_store(data)
        change_record(
            user=user,
            kind=kind,
            assistant=data,
            after=snapshot.mask_secrets(snapshot.writable_fields(data)),
            related_revox_id=related_revox_id,
            summary=summary,
        )
    return assistant


def assistant_create(*, user: AbstractBaseUser, params: dict[str, Any]) -> Assistant:
    data = get_client().create_assistant(params)
    return record_new_assistant(user=user, data=data, kind=Change.Kind.CREATE)


def assistant_clone(*, user: AbstractBaseUser, revox_id: str) -> Assistant:
    data = get_client().clone_assistant(revox_id)
    return record_new_assistant(
        user=user, data=data, kind=Change.Kind.CLONE, related_revox_id=revox_id
    )


def assistant_delete(*, user: AbstractBaseUser, revox_id: str) -> None:
    """Delete in Revox, then forget it here. Its last full configuration stays in history."""
    client = get_client()
    last_known = Assistant.objects.filter(revox_id=revox_id).values_list("data", flat=True).first()
    try:
        client.delete_assistant(revox_id)
    except RevoxNotFound:
        # Already gone (a teammate, or our own retried DELETE that had landed): the outcome the
        # user asked for. Still forget it and keep its history.
        logger.info("delete: %s was already gone", revox_id)
    data = last_known or {"id": revox_id, "name": revox_id}
    with transaction.atomic():
        cache_forget(revox_id)
        change_record(
            user=user,
            kind=Change.Kind.DELETE,
            assistant=data,
            before=snapshot.mask_secrets(snapshot.writable_fields(data)),
        )


def assistant_fetch(*, revox_id: str) -> dict[str, Any]:
    """A fresh read for an editor; the cache is refreshed with it on the way."""
    try:
        data = get_client().get_assistant(revox_id)
    except RevoxNotFound:
        cache_forget(revox_id, deleted_elsewhere=True)
        raise
    except RevoxError as err:
        _note_revox_failure(err)
        raise
    voice_services.voice_names_resolve([data])
    cache_store(data, fresh_read=True)
    return data


# -- field groups ---------------------------------------------------------------------------


SAVE_IN_PROGRESS = (
    "A teammate is saving this assistant right now. Try again in a moment: what you entered "
    "is kept."
)
# How long a save waits for a teammate's save of the same assistant to finish.
SAVE_WAIT_SECONDS = 30


class SaveInProgress(RevoxConflict):
    """Another worker is saving the same assistant and did not finish in time; nothing was sent."""


@contextmanager
def assistant_save_claim(*, revox_id: str) -> Iterator[None]:
    """One read-compare-PATCH per assistant at a time, across every worker.

    Revox has no conditional update: two saves that both read the assistant before either
    PATCHed would both pass the conflict check, and the second would silently undo the first.
    Holding this claim from the read to the PATCH makes the second save read after the first
    landed, so it sees the conflict (or merges, for the FAQ). Raises SaveInProgress when the
    other save does not finish within SAVE_WAIT_SECONDS.
    """
    name = f"assistant-save:{revox_id}"[:200]
    budget = _revox_budget(calls=2)  # the fresh read and the PATCH
    with lease_held(name=name, ttl=budget, wait=min(budget, SAVE_WAIT_SECONDS)) as ours:
        if not ours:
            raise SaveInProgress(SAVE_IN_PROGRESS)
        yield


class GroupConflict(Exception):
    """The group changed in Revox since the form was loaded; nothing was written."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("conflict")
        self.current = current


@dataclass
class GroupSaveResult:
    assistant: dict[str, Any]
    changed: bool
    # Calls already scheduled that keep the old settings (Revox's unpatchedCallsNotice).
    unpatched_calls: UnpatchedCalls | None = None


def assistant_update_group(
    *,
    user: AbstractBaseUser,
    revox_id: str,
    group: FieldGroup,
    build_patch: Callable[[dict[str, Any]], dict[str, Any]],
    fingerprint: str,
    merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None,
    kind: str = Change.Kind.UPDATE,
    summary: str = "",
) -> GroupSaveResult:
    """Save one field group: at most one read and one PATCH.

    Reads the assistant again first. If the group no longer matches `fingerprint` (a teammate
    saved it meanwhile) nothing is written and GroupConflict carries Revox's current version —
    unless the group merges (FAQ), in which case `merge(current, patch)` folds in what appeared
    upstream. Only the fields that change are sent; a save that changes nothing sends nothing.
    One save per assistant at a time, across workers (assistant_save_claim).
    """
    with assistant_save_claim(revox_id=revox_id):
        # A fresh read: what changed outside the dashboard since the cache last saw it is
        # recorded now, apart from this save (Revox's answer to the PATCH below carries both).
        current = assistant_fetch(revox_id=revox_id)
        before = group.values(current)
        patch = build_patch(current)
        unknown = set(patch) - set(group.fields)
        assert not unknown, f"{group.slug} tried to send fields it does not own: {unknown}"
        if snapshot.group_fingerprint(before) != fingerprint:
            if merge is None:
                cache_store(current)
                raise GroupConflict(current)
            patch = merge(current, patch)
        # Only what differs from Revox's version is sent: a value left as it was stays spelled
        # as Revox holds it (even one Revox would no longer accept back, like an older API's
        # outcome).
        patch = {key: value for key, value in patch.items() if current.get(key) != value}
        if not patch:
            cache_store(current)
            return GroupSaveResult(assistant=current, changed=False)

        answer = get_client().update_assistant(revox_id, patch)
        updated = answer.assistant
        voice_services.voice_names_resolve([updated])
        with transaction.atomic():
            cache_store(updated)
            change_record(
                user=user,
                kind=kind,
                assistant=updated,
                group=group.slug,
                before=snapshot.mask_secrets(before),
                after=snapshot.mask_secrets(group.values(updated)),
                summary=summary,
            )
        return GroupSaveResult(
            assistant=updated, changed=True, unpatched_calls=answer.unpatched_calls
        )
