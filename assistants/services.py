"""Write use cases. Each calls Revox first, then refreshes the cache from Revox's answer and
records the change, in a short transaction that never waits on the network."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from assistants import snapshot
from assistants.cache.services import cache_forget, cache_store, note_revox_failure
from assistants.cache.voice_names import voice_named, voice_names_resolve
from assistants.history_entries import change_record
from assistants.models import Assistant, Change
from assistants.revox import RevoxError, RevoxNotFound, get_client

logger = logging.getLogger(__name__)


# -- the cache ------------------------------------------------------------------------------


# -- history --------------------------------------------------------------------------------


# -- lifecycle ------------------------------------------------------------------------------


def record_new_assistant(
    *, user: AbstractBaseUser, data: dict[str, Any], kind: str, related_revox_id: str = "",
    summary: str = "",
) -> Assistant:  # fmt: skip
    """Cache an assistant Revox has just made (create, clone, recreate, import) and record it
    in history with its whole configuration (secrets masked). Asks Revox the name of a voice
    the catalogue lacks first: call it outside any transaction."""
    voice_names_resolve([data])
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


def assistant_fetch(
    *, revox_id: str, store: bool = True, stored: Assistant | None = None
) -> dict[str, Any]:
    """A fresh read for an editor; the cache is refreshed with it on the way (`store`, or by
    the caller, which then knows who made what it finds changed). `stored`: the cached row,
    when the caller has it (its voice's name spares looking that voice up again)."""
    try:
        data = get_client().get_assistant(revox_id)
    except RevoxNotFound:
        cache_forget(revox_id, deleted_elsewhere=True)
        raise
    except RevoxError as err:
        note_revox_failure(err)
        raise
    if not voice_named(stored, data):
        voice_names_resolve([data])
    if store:
        cache_store(data, fresh_read=True, stored=stored)
    return data


# -- field groups ---------------------------------------------------------------------------
