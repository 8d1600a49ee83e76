"""Saving one field group: at most one fresh read and one PATCH, checked against what the form
was opened with, one save per assistant at a time across every worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from assistants import snapshot
from assistants.cache.leases import lease_held
from assistants.cache.services import _revox_budget, cache_store
from assistants.cache.voice_names import voice_names_resolve, voice_used
from assistants.editors.groups import FieldGroup
from assistants.history.record import change_record
from assistants.models import Change
from assistants.revox import RevoxConflict, UnpatchedCalls, get_client
from assistants.services import assistant_fetch

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
        if voice_used(updated) != voice_used(current):  # the fresh read named the one it had
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
