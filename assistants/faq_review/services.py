"""The FAQ review's writes: decisions on FAQ items, one by one or in bulk.

Writes go through `faq_review_apply` / `faq_review_apply_bulk`: per assistant, ONE fresh read,
the decisions applied to what Revox holds at that moment (assistants/faq.py: suggestions that
arrived meanwhile are kept, an item already handled counts as done), and at most ONE PATCH.
Because each decision is re-checked against a fresh read, retrying a batch never applies
anything twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, transaction
from django.utils import timezone

from assistants import faq
from assistants.cache.services import cache_forget, cache_store
from assistants.editors import words
from assistants.editors.forms.base import humanize_path
from assistants.editors.groups import GROUPS
from assistants.editors.services import (
    SaveLockTimeout,
    assistant_read_back,
    assistant_save_claim,
    holds,
    saved_record,
)
from assistants.faq import Action, ActionResult
from assistants.faq_review.selectors import item_key
from assistants.models import Assistant, Change, FaqSnooze
from assistants.revox import (
    RevoxError,
    RevoxNotFound,
    RevoxUnavailable,
    RevoxValidationError,
    UnpatchedCalls,
    get_client,
)
from assistants.snapshot import text

logger = logging.getLogger(__name__)


ASSISTANT_GONE = "This assistant no longer exists in Revox."
SAVE_FAILED = "Not saved: {error}"
NOT_SAVED = "Not saved: Revox did not say what happened. Refresh the queue and try again."
STALE_ITEM = "This item changed since the page was loaded. Refresh the queue and try again."


# -- the queue ----------------------------------------------------------------------------------


# -- acting on items ----------------------------------------------------------------------------


@dataclass
class AssistantOutcome:
    """What one assistant's save did, for the report."""

    revox_id: str
    name: str
    results: list[ActionResult] = field(default_factory=list)
    error: str = ""  # the whole save failed: nothing of this assistant was applied
    # Calls already scheduled that keep the old FAQ (Revox's unpatchedCallsNotice).
    unpatched_calls: UnpatchedCalls | None = None

    @property
    def applied(self) -> list[ActionResult]:
        return [r for r in self.results if r.status == "applied"]

    @property
    def unchanged(self) -> list[ActionResult]:
        return [r for r in self.results if r.status == "unchanged"]

    @property
    def failed(self) -> list[ActionResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def unpatched_calls_message(self) -> str:
        return words.unpatched_calls(self.unpatched_calls)

    @property
    def failed_keys(self) -> list[str]:
        return [item_key(self.revox_id, r.action.upstream_id) for r in self.failed]


@dataclass
class _RemoteWork:
    """What a worker brings back from Revox; the cache and history are written afterwards, in
    the thread that owns the database connection."""

    revox_id: str
    current: dict[str, Any] | None = None
    updated: dict[str, Any] | None = None
    results: list[ActionResult] = field(default_factory=list)
    error: str = ""
    gone: bool = False
    unpatched_calls: UnpatchedCalls | None = None


def _review_remote(
    revox_id: str, actions: list[Action], *, cached: dict[str, Any] | None = None
) -> _RemoteWork:
    """One assistant: read it fresh, apply the decisions, PATCH once if anything changed.
    Only HTTP happens here, so it can run in a worker thread. `cached`: for a resumed job, the
    local copy's version, to recognise this job's own save that landed before its worker died."""
    client = get_client()  # one per thread
    work = _RemoteWork(revox_id)
    try:
        work.current = client.get_assistant(revox_id)
    except RevoxNotFound:
        work.gone, work.error = True, ASSISTANT_GONE
    except RevoxError as err:
        work.error = str(err)
    if work.current is None:
        work.results = [ActionResult(a, "failed", work.error) for a in actions]
        return work
    items, work.results = faq.apply_actions(work.current, actions)
    value = faq.api_value(items, work.current)
    if value is work.current.get("faq_items"):
        # Nothing to send: everything was already done (perhaps by this very job before its
        # worker died), or nothing could be.
        if cached is not None:
            _own_earlier_save(work, actions, cached)
        return work
    try:
        answer = client.update_assistant(revox_id, {"faq_items": value})
        work.updated, work.unpatched_calls = answer.assistant, answer.unpatched_calls
    except RevoxUnavailable as err:
        # A 5xx, a timeout or a dropped connection: the save may have landed all the same.
        work.updated = assistant_read_back(revox_id=revox_id, sent={"faq_items": value})
        if work.updated is None:
            _failed_save(work, err)
    except RevoxError as err:
        _failed_save(work, err)
    return work


def _own_earlier_save(work: _RemoteWork, actions: list[Action], cached: dict[str, Any]) -> None:
    """A resumed job's first run PATCHed this assistant and died before writing the cache and
    history: the local copy still has the version that save was built on, and Revox holds
    exactly what the job would send from it. That save is then the job's own (recorded for
    the person who started it), not a change made outside the dashboard."""
    if cached.get("faq_items") == work.current.get("faq_items"):
        return
    items, results = faq.apply_actions(cached, actions)
    value = faq.api_value(items, cached)
    if value is cached.get("faq_items") or not holds(work.current, {"faq_items": value}):
        return
    work.updated, work.current, work.results = work.current, cached, results


def _failed_save(work: _RemoteWork, err: RevoxError) -> None:
    work.error = SAVE_FAILED.format(error=_reason(err))
    work.results = [
        ActionResult(r.action, "failed", work.error) if r.status == "applied" else r
        for r in work.results
    ]


def _reason(err: RevoxError) -> str:
    """The error in words, with what Revox said about each field when it said anything."""
    details = []
    if isinstance(err, RevoxValidationError):
        details = [
            f"{humanize_path(path)}: {' '.join(messages)}"
            for path, messages in err.field_errors.items()
        ] + list(err.non_field_errors)  # fmt: skip
    return f"{err} ({'; '.join(details)})" if details else str(err)


def _review_record(work: _RemoteWork, *, user: AbstractBaseUser, name: str) -> AssistantOutcome:
    """Bring the cache up to date with what the worker saw, and record what it changed."""
    if work.gone:
        cache_forget(work.revox_id, deleted_elsewhere=True)
    if work.current is not None:
        cache_store(work.current, fresh_read=True)
        name = text(work.current.get("name")) or name
    outcome = AssistantOutcome(
        work.revox_id, name, work.results, work.error, unpatched_calls=work.unpatched_calls
    )
    if work.updated is not None and work.current is not None:
        with transaction.atomic():
            saved_record(
                user=user,
                kind=Change.Kind.FAQ_REVIEW,
                group=GROUPS["faq"],
                before=work.current,
                after=work.updated,
                # Said in people's words from the FAQ before and after ("1 answer approved").
                summary="",
            )
    return outcome


def faq_review_apply(
    *, user: AbstractBaseUser, revox_id: str, actions: list[Action]
) -> AssistantOutcome:
    """Apply review decisions to one assistant, now, in this thread."""
    name = (
        Assistant.objects.filter(revox_id=revox_id).values_list("name", flat=True).first()
        or revox_id
    )
    try:
        # One save of this assistant at a time, across workers (its FAQ is PATCHed whole).
        with assistant_save_claim(revox_id=revox_id):
            return _review_record(_review_remote(revox_id, actions), user=user, name=name)
    except SaveLockTimeout as busy:
        return _review_record(_failed_work(revox_id, actions, str(busy)), user=user, name=name)


def _failed_work(revox_id: str, actions: list[Action], error: str) -> _RemoteWork:
    work = _RemoteWork(revox_id, error=error)
    work.results = [ActionResult(a, "failed", error) for a in actions]
    return work


def _worker(
    revox_id: str, actions: list[Action], cached: dict[str, Any] | None = None
) -> _RemoteWork:
    try:
        return _review_remote(revox_id, actions, cached=cached)
    finally:
        # A worker thread must not leave a database connection open behind it (it uses none
        # today; this keeps it so if a cache read ever moves in here).
        connections.close_all()


def faq_review_apply_bulk(
    *,
    user: AbstractBaseUser,
    plan: Mapping[str, list[Action]],
    claim_holder: str | None = None,
    resumed: bool = False,
) -> Iterator[AssistantOutcome]:
    """Apply decisions to many assistants: one merge-safe save each (a fresh read, at most one
    PATCH), up to REVOX_BULK_CONCURRENCY assistants at a time in a bounded thread pool.

    Yields each assistant's outcome as soon as it is known (for a progress display, or a
    background job's record); one assistant failing does not stop the others. Needs no
    request: a page or a background job calls it alike. The worker threads only speak HTTP;
    the claims, the cache and the history are written in the calling thread. `claim_holder`:
    the background job's token, so a job resumed after its worker died takes its claims back;
    `resumed`: such a job, whose first run may have saved an assistant just before dying."""
    if not plan:
        return
    names = dict(Assistant.objects.filter(revox_id__in=list(plan)).values_list("revox_id", "name"))
    cached = (
        dict(Assistant.objects.filter(revox_id__in=list(plan)).values_list("revox_id", "data"))
        if resumed
        else {}
    )
    workers = max(1, min(settings.REVOX_BULK_CONCURRENCY, len(plan)))
    with (
        ExitStack() as claims,
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="faq-bulk") as pool,
    ):
        # Each assistant's save claim, taken here (the worker threads touch no database), in
        # one order so that two bulk actions over the same assistants cannot hold each other
        # up; each assistant's work starts as soon as its claim is held.
        futures = {}
        for revox_id in sorted(plan):
            try:
                claims.enter_context(assistant_save_claim(revox_id=revox_id, holder=claim_holder))
            except SaveLockTimeout as busy:
                work = _failed_work(revox_id, plan[revox_id], str(busy))
                yield _review_record(work, user=user, name=names.get(revox_id, revox_id))
            else:
                futures[pool.submit(_worker, revox_id, plan[revox_id], cached.get(revox_id))] = (
                    revox_id
                )
        for future in as_completed(futures):
            revox_id = futures[future]
            try:
                work = future.result()
            except Exception as err:  # a bug, not Revox: report it for this assistant only
                logger.exception("faq bulk: %s failed", revox_id)
                work = _failed_work(revox_id, plan[revox_id], f"Unexpected error: {err}")
            yield _review_record(work, user=user, name=names.get(revox_id, revox_id))


def failed_keys(outcomes: Iterable[AssistantOutcome]) -> list[str]:
    return [key for outcome in outcomes for key in outcome.failed_keys]


# -- skipping for now ----------------------------------------------------------------------------

# How long "skip for now" hides a question from one person's queue: (hours, words).
SNOOZE_CHOICES = ((1, "1 hour"), (24, "1 day"), (168, "1 week"))
SNOOZE_DEFAULT_HOURS = 24


def faq_snooze(*, user: AbstractBaseUser, revox_id: str, question: str, hours: int) -> FaqSnooze:
    """Hide one question from `user`'s review queue for `hours` (theirs only: nothing changes
    in Revox, teammates still see it). Skipping it again sets a new time."""
    now = timezone.now()
    FaqSnooze.objects.filter(user=user, until__lte=now).delete()  # the ones that ran out
    snooze, _ = FaqSnooze.objects.update_or_create(
        user=user,
        assistant_revox_id=revox_id,
        question=question,
        defaults={"until": now + timedelta(hours=hours)},
    )
    return snooze


def faq_unsnooze(*, user: AbstractBaseUser, revox_id: str, question: str) -> None:
    """Bring a skipped question back into `user`'s queue now."""
    FaqSnooze.objects.filter(user=user, assistant_revox_id=revox_id, question=question).delete()


# -- CSV ----------------------------------------------------------------------------------------


CSV_NOT_UTF8 = (
    "This file isn't UTF-8, so it was read as Western European (Windows-1252). Check the "
    "accented letters below before applying; to avoid this, save as “CSV UTF-8” in your spreadsheet."
)


# -- what a page shows of an item ---------------------------------------------------------------
