"""Write use cases. Each calls Revox first, then refreshes the cache from Revox's answer and
records the change, in a short transaction that never waits on the network."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from assistants import snapshot
from assistants.cache.leases import lease_held
from assistants.cache.services import _revox_budget, cache_forget, cache_store, note_revox_failure
from assistants.cache.voice_names import voice_names_resolve
from assistants.groups import FieldGroup
from assistants.models import Assistant, Change
from assistants.revox import RevoxConflict, RevoxError, RevoxNotFound, UnpatchedCalls, get_client

logger = logging.getLogger(__name__)


# -- the cache ------------------------------------------------------------------------------


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


def assistant_fetch(*, revox_id: str) -> dict[str, Any]:
    """A fresh read for an editor; the cache is refreshed with it on the way."""
    try:
        data = get_client().get_assistant(revox_id)
    except RevoxNotFound:
        cache_forget(revox_id, deleted_elsewhere=True)
        raise
    except RevoxError as err:
        note_revox_failure(err)
        raise
    voice_names_resolve([data])
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
        voice_names_resolve([updated])
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
