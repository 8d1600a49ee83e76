"""Saving one field group: at most one fresh read and one PATCH, checked against what the form
was opened with, one save per assistant at a time across every worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from assistants import faq, snapshot
from assistants.cache.drafts import faq_drafts_keep, faq_drafts_of, with_kept_drafts
from assistants.cache.leases import lease_acquire, lease_release
from assistants.cache.services import cache_store, revox_budget
from assistants.cache.voice_names import voice_names_resolve, voice_used
from assistants.editors.group import Group
from assistants.history_entries import OwnChange, change_entry, faq_change_summary
from assistants.models import Assistant, Change
from assistants.revox import (
    RevoxError,
    RevoxUnavailable,
    UnpatchedCalls,
    get_client,
)
from assistants.services import assistant_fetch
from assistants.snapshot import text

SAVED_DESPITE_ERROR = (
    "Revox answered with an error, but reading the assistant back shows your change was applied."
)
ALREADY_HELD = "Revox already holds exactly these values: your earlier save went through."
SAVE_IN_PROGRESS = (
    "A teammate is saving this assistant right now. Try again in a moment: what you entered "
    "is kept."
)


# How long a save waits for a teammate's save of the same assistant to finish.
SAVE_WAIT_SECONDS = 30


class SaveLockTimeout(Exception):
    """A teammate's save of the same assistant held the local save lock past SAVE_WAIT_SECONDS;
    nothing was sent. Not an answer from Revox: Revox was never asked."""


class SaveClaim:
    """One assistant's save claim, held (see assistant_save_claim)."""

    def __init__(self, name: str, token: str) -> None:
        self.name, self.token = name, token
        self.released = False

    def release(self) -> None:
        """Let go now, or inside the caller's transaction: then in the same commit as what the
        save wrote (one commit less per save on PostgreSQL), and only if that commit happens
        (rolled back, the claim is still let go when the save ends)."""
        if self.released:
            return
        lease_release(name=self.name, token=self.token)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self._mark_released)
        else:
            self._mark_released()

    def _mark_released(self) -> None:
        self.released = True


@contextmanager
def assistant_save_claim(*, revox_id: str, holder: str | None = None) -> Iterator[SaveClaim]:
    """One read-compare-PATCH per assistant at a time, across every worker.

    Revox has no conditional update: two saves that both read the assistant before either
    PATCHed would both pass the conflict check, and the second would silently undo the first.
    Holding this claim from the read to the PATCH makes the second save read after the first
    landed, so it sees the conflict (or merges, for the FAQ). Raises SaveLockTimeout when the
    other save does not finish within SAVE_WAIT_SECONDS. `holder`: see lease_acquire (a
    background job's own token). The claim is let go when the block ends, or earlier by
    `release()` (in the transaction that records the save).
    """
    name = f"assistant-save:{revox_id}"[:200]
    budget = revox_budget(calls=2)  # the fresh read and the PATCH
    token = lease_acquire(name=name, ttl=budget, wait=min(budget, SAVE_WAIT_SECONDS), holder=holder)
    if token is None:
        raise SaveLockTimeout(SAVE_IN_PROGRESS)
    claim = SaveClaim(name, token)
    try:
        yield claim
    finally:
        if not claim.released:
            lease_release(name=name, token=token)


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
    note: str = ""  # how the save was confirmed, when Revox's answer did not say so


def assistant_update_group(
    *,
    user: AbstractBaseUser,
    revox_id: str,
    group: Group,
    build_patch: Callable[[dict[str, Any]], dict[str, Any]],
    fingerprint: str,
    merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None,
    kind: str = Change.Kind.UPDATE,
    summary: str = "",
    stored: Assistant | None = None,
) -> GroupSaveResult:
    """Save one field group: at most one read and one PATCH.

    Reads the assistant again first. If the group no longer matches `fingerprint` (a teammate
    saved it meanwhile) nothing is written and GroupConflict carries Revox's current version —
    unless the group merges (FAQ), in which case `merge(current, patch)` folds in what appeared
    upstream. Only the fields that change are sent; a save that changes nothing sends nothing.
    One save per assistant at a time, across workers (assistant_save_claim).

    `stored`: the assistant's cached row as the caller read it (an editor has it), so that
    between Revox's two answers the cache is not read again (see cache_store).
    """
    with assistant_save_claim(revox_id=revox_id) as claim:
        # A fresh read: what changed outside the dashboard since the cache last saw it is
        # recorded now, apart from this save (Revox's answer to the PATCH below carries both).
        current = assistant_fetch(revox_id=revox_id, store=False, stored=stored)
        before = group.values(current)
        try:
            patch = build_patch(current)
        except Exception:
            # The fresh read still refreshes the cache.
            cache_store(current, fresh_read=True, stored=stored)
            raise
        unknown = set(patch) - set(group.fields)
        assert not unknown, f"{group.slug} tried to send fields it does not own: {unknown}"
        conflict = snapshot.group_fingerprint(before) != fingerprint
        # A "conflict" whose other side is exactly what the user sends is their own earlier
        # save, which landed although Revox answered it with an error: no conflict, and
        # history records it as theirs.
        landed_earlier = conflict and merge is None and not _changes(patch, current)
        own = OwnChange(user, group.slug, kind) if landed_earlier else None
        stored = cache_store(current, fresh_read=True, own_change=own, stored=stored)
        if landed_earlier:
            return GroupSaveResult(assistant=current, changed=True, note=ALREADY_HELD)
        if conflict:
            if merge is None:
                raise GroupConflict(current)
            patch = merge(current, patch)
        # Only what differs from Revox's version is sent: a value left as it was stays spelled
        # as Revox holds it (even one Revox would no longer accept back, like an older API's
        # outcome).
        patch = _changes(patch, current)
        if not patch:
            return GroupSaveResult(assistant=current, changed=False)

        note = ""
        try:
            answer = get_client().update_assistant(revox_id, patch)
        except RevoxUnavailable:
            # A 5xx, a timeout or a dropped connection: the PATCH may have landed all the same.
            updated = assistant_read_back(revox_id=revox_id, sent=patch)
            if updated is None:
                raise
            unpatched_calls, note = None, SAVED_DESPITE_ERROR
        else:
            updated, unpatched_calls = answer.assistant, answer.unpatched_calls
        if voice_used(updated) != voice_used(current):  # the fresh read named the one it had
            voice_names_resolve([updated])
        with transaction.atomic():
            saved_record(
                user=user, kind=kind, group=group, before=current, after=updated,
                summary=summary, stored=stored,
            )  # fmt: skip
            claim.release()
        return GroupSaveResult(
            assistant=updated, changed=True, unpatched_calls=unpatched_calls, note=note
        )


def _changes(patch: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in patch.items() if current.get(key) != value}


def holds(held: Any, sent: Any, *, key: str = "") -> bool:
    """Whether Revox's value `held` is what was `sent`: every key sent has its value (Revox
    adds ids, sources and defaults of its own), lists item by item. FAQ items by Revox's rule:
    an item sent with an answer is answered, one sent blank waits (assistants/faq.py)."""
    if key == "faq_items":
        return isinstance(held, list) and _faq_as_held(held) == _faq_as_sent(sent)
    if isinstance(sent, dict):
        return isinstance(held, dict) and all(
            name in held and holds(held[name], value, key=name) for name, value in sent.items()
        )
    if isinstance(sent, list):
        return (
            isinstance(held, list)
            and len(held) == len(sent)
            and all(holds(h, s) for h, s in zip(held, sent, strict=True))
        )
    return held == sent


def _faq_as_sent(items: Any) -> list[tuple[str, str, bool]]:
    return [
        (text(i.get("question")), faq.lf(text(i.get("answer"))), not text(i.get("answer")).strip())
        for i in items or []
        if isinstance(i, dict)
    ]


def _faq_as_held(items: list[Any]) -> list[tuple[str, str, bool]]:
    return [
        (
            text(i.get("question")),
            faq.lf(text(i.get("answer"))),
            i.get("needs_human_answer") is True,
        )
        for i in items
        if isinstance(i, dict)
    ]


def assistant_read_back(*, revox_id: str, sent: dict[str, Any]) -> dict[str, Any] | None:
    """After a write whose outcome is unknown: Revox's version when it holds everything that
    was `sent` (the write landed), else None (it did not, or Revox cannot be read either)."""
    try:
        held = get_client().get_assistant(revox_id)
    except RevoxError:
        return None
    return held if holds(held, sent) else None


def saved_record(
    *,
    user: AbstractBaseUser,
    kind: str,
    group: Group,
    before: dict[str, Any],
    after: dict[str, Any],
    summary: str = "",
    stored: Assistant | None = None,
) -> None:
    """A save that landed: the drafts it blanked kept, the cache refreshed, history written,
    in the caller's transaction. `before` is the version the save was built on, `after`
    Revox's answer (or its version read back); `stored`, the cache's row as the save last
    read or wrote it (see cache_store)."""
    values_before, values_after = group.values(before), group.values(after)
    if "faq_items" in group.fields:
        revox_id = after["id"]
        drafts_before = faq_drafts_of(revox_id)
        drafts_after = faq_drafts_keep(revox_id=revox_id, before=before, after=after, user=user)
        values_before["faq_items"] = with_kept_drafts(values_before.get("faq_items"), drafts_before)
        values_after["faq_items"] = with_kept_drafts(values_after.get("faq_items"), drafts_after)
        summary = summary or faq_change_summary(
            values_before.get("faq_items"), values_after.get("faq_items")
        )
    # Everything computed first, then written in one burst: on PostgreSQL the server process
    # that slept while Revox answered is woken once, not again after each pause between
    # statements (on the bench's virtual machine a process pays to resume, the more the
    # longer it idled; bench/, issue 25).
    entry = change_entry(
        user=user,
        kind=kind,
        assistant=after,
        group=group.slug,
        before=snapshot.mask_secrets(values_before),
        after=snapshot.mask_secrets(values_after),
        summary=summary,
    )
    cache_store(after, stored=stored)
    entry.save(force_insert=True)
