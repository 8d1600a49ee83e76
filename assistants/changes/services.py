"""Change sets: preview from the local copy, apply through the editors' group save, roll back.

A set holds the group's form as submitted and the API fields it sets (`touched`). For each
assistant the form is bound again against that assistant (the editors' own validation), and
only the touched keys of the group's PATCH are kept. Nothing here saves on its own: every write
goes through `assistant_update_group` (fresh read, conflict check, only what differs is sent,
history written), with the fingerprint the preview saw, so a teammate's change in between is a
conflict, reported and left alone.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, transaction
from django.db.models import QuerySet
from django.forms import CheckboxInput, CheckboxSelectMultiple
from django.http import QueryDict
from django.utils import timezone

from assistants import faq, selectors, snapshot
from assistants.changes.models import (
    FAQ_OPS,
    REPLACE,
    SET,
    ChangeSet,
    ChangeSetItem,
    ChangeSetPolicy,
)
from assistants.changes.notes import preview_notes
from assistants.editors.group import Group
from assistants.editors.groups import GROUPS
from assistants.editors.services import (
    GroupConflict,
    GroupSaveResult,
    SaveLockTimeout,
    assistant_update_group,
)
from assistants.fields import label_for
from assistants.models import Assistant, Change
from assistants.revox import RevoxError, RevoxRateLimited, RevoxValidationError

logger = logging.getLogger(__name__)

# The groups whose form can say a change for many assistants: each of their API fields is set
# whole by the form, so "set only the fields ticked" is exact.
CHANGEABLE_GROUPS = ("llm", "general", "messages", "sounds", "voice", "retry")
SELECTION_FILTERS = ("q", "provider", "llm", "pending")

CONFLICT = (
    "Changed by someone else since the preview: left as it is. Open it to see the newer version."
)
NOT_SAVED = "Not saved: {error} Resume the change set to try it again."
UNCONFIRMED = (
    "Stopped by an unexpected error, perhaps after it was sent: not counted as saved. Resume "
    "the change set: it reads the assistant again and finds out."
)
ROLLBACK_CONFLICT = "Changed since this set saved it: left as it is, not overwritten."


class CannotTake(Exception):
    """The change does not fit this assistant: the editors' form refuses it. `reasons`: [(field
    label, message)]."""

    def __init__(self, reasons: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{label}: {message}" for label, message in reasons))
        self.reasons = reasons


# -- the selection -------------------------------------------------------------------------------


def selection_from_ids(ids: Iterable[str]) -> dict[str, Any]:
    return {"ids": sorted({i for i in ids if i})}


def selection_from_query(params: dict[str, str]) -> dict[str, Any]:
    return {"query": {k: params.get(k, "") for k in SELECTION_FILTERS if params.get(k)}}


def selection_assistants(selection: dict[str, Any]) -> list[Assistant]:
    """The assistants a selection means now: the rows ticked, or whatever matches the search
    and filters today (a query is evaluated again at each preview)."""
    if "query" in selection:
        q = selection["query"]
        queryset = selectors.assistant_list(
            query=q.get("q", ""),
            provider=q.get("provider", ""),
            llm_kind=q.get("llm", ""),
            pending=q.get("pending") == "1",
        )
        ids = list(queryset.values_list("revox_id", flat=True))
    else:
        ids = selection.get("ids", [])
    return list(Assistant.objects.filter(revox_id__in=ids).order_by("name", "revox_id"))


def selection_words(selection: dict[str, Any]) -> str:
    if "query" in selection:
        q = selection["query"]
        parts = [f"“{q['q']}”"] if q.get("q") else []
        if q.get("provider"):
            parts.append(f"voice by {q['provider']}")
        if q.get("llm"):
            parts.append(f"model kind {q['llm']}")
        if q.get("pending"):
            parts.append("with questions waiting")
        return "All assistants matching " + ", ".join(parts) if parts else "All assistants"
    n = len(selection.get("ids", []))
    return f"{n} assistant{'s' if n != 1 else ''} ticked"


# -- find and replace ------------------------------------------------------------------------

# The plain-text fields find and replace works in, by the group that saves them.
REPLACE_FIELDS = {
    "general": ("prompt", "first_sentence", "end_of_call_sentence", "voicemail_message",
                "max_duration_end_message"),
    "messages": ("sms_template", "after_call_sms_prompt", "voicemail_sms_prompt"),
}  # fmt: skip


def replace_group(fields: Iterable[str]) -> str | None:
    """The one group owning all these fields, or None (none chosen, or of two groups)."""
    owners = {g for g, names in REPLACE_FIELDS.items() for f in fields if f in names}
    return owners.pop() if len(owners) == 1 else None


def _pattern(form_data: dict[str, Any]) -> re.Pattern[str]:
    find = _first(form_data, "find")
    flags = 0 if _first(form_data, "match_case") else re.IGNORECASE
    return re.compile(re.escape(find), flags)


def _first(form_data: dict[str, Any], key: str) -> str:
    values = form_data.get(key) or [""]
    return values[0] if isinstance(values, list) else str(values)


def replaced(
    form_data: dict[str, Any], touched: list[str], data: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """The touched text fields with every match replaced (plain text, not a pattern), and how
    many matches there were. A field that is not text is left as it is."""
    pattern, replacement = _pattern(form_data), _first(form_data, "replace")
    values, count = {}, 0
    for key in touched:
        value = data.get(key)
        if isinstance(value, str):
            value, n = pattern.subn(lambda _: replacement, value)
            count += n
        values[key] = value
    return values, count


def replaced_checked(
    group: Group, form_data: dict[str, Any], touched: list[str], data: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """`replaced`, and the result put through the group's editor form as if typed into this
    assistant's editor (its length limits, required texts, placeholder rules…). Raises
    CannotTake with the form's messages on the fields replaced; a complaint about a field the
    replace does not touch is not its business (that field is not sent)."""
    values, count = replaced(form_data, touched, data)
    if not count:
        return values, count
    form = group.form_for(data)
    post = posted_as_is(form)
    names = {key: form.field_map.get(key, key) for key in touched}
    for key, name in names.items():
        if isinstance(values[key], str):
            post[name] = values[key]
    bound = group.bound_form(post, assistant=data)
    if not bound.is_valid():
        ours = set(names.values())
        reasons = [
            (str(bound.fields[name].label or label_for(name)), str(message))
            for name, errors in bound.errors.items()
            if name in ours
            for message in errors
        ]
        if reasons:
            raise CannotTake(reasons)
    return values, count


def posted_as_is(form: Any) -> QueryDict:
    """An unbound group form as its editor page would post it untouched: each field's value as
    the page shows it (and its row editors' with their management forms)."""
    post = QueryDict(mutable=True)

    def put(bound_field: Any) -> None:
        value, widget = bound_field.value(), bound_field.field.widget
        if isinstance(widget, CheckboxInput) and not isinstance(widget, CheckboxSelectMultiple):
            if value:
                post[bound_field.html_name] = "on"
        elif isinstance(value, list | tuple):
            post.setlist(bound_field.html_name, [str(v) for v in value])
        else:
            shown = widget.format_value(value)
            post[bound_field.html_name] = "" if shown is None else str(shown)

    for bound_field in form:
        put(bound_field)
    for formset in form.formsets.values():
        for bound_field in formset.management_form:
            put(bound_field)
        for row in formset.forms:
            for bound_field in row:
                put(bound_field)
    return post


# -- FAQ operations --------------------------------------------------------------------------

FAQ_ACTIONS = {
    "add": "Add a question",
    "answer": "Change the answer wherever the question appears",
    "remove": "Remove a question",
}
ANOTHER_ANSWER = "Already in its FAQ with another answer: use “Change the answer” instead."
NOT_THERE = "This question is not in its FAQ."


def faq_changed(form_data: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """`faq_items` after the operation (the FAQ editor's own rules: a question is the same one
    whatever its case and spacing; waiting items stay waiting). Raises CannotTake."""
    action, question = _first(form_data, "action"), _first(form_data, "question").strip()
    answer = _first(form_data, "answer").strip()
    key = faq.question_key(question)
    items = faq.current_items(data)
    found = [i for i in items if i.key == key]
    if action == "add":
        if found:
            if any(not i.pending and faq.lf(i.answer) == faq.lf(answer) for i in found):
                return {"faq_items": data.get("faq_items")}
            raise CannotTake([("Question", ANOTHER_ANSWER)])
        items.append(faq.Item(question, answer, pending=False))
    elif action == "answer":
        if not found:
            raise CannotTake([("Question", NOT_THERE)])
        items = [faq.Item(i.question, answer, False) if i.key == key else i for i in items]
    else:
        items = [i for i in items if i.key != key]
    return {"faq_items": faq.api_value(items, data)}


# -- the change ------------------------------------------------------------------------------


def changeable_groups() -> list[Group]:
    return [GROUPS[slug] for slug in CHANGEABLE_GROUPS if slug in GROUPS]


def touched_fields(group: Group, asked: Iterable[str]) -> list[str]:
    """The group's API fields the change sets: all of them for a one-field group, else those
    ticked (in the group's order)."""
    if len(group.fields) == 1:
        return list(group.fields)
    asked = set(asked)
    return [f for f in group.fields if f in asked]


def as_query_dict(form_data: dict[str, Any]) -> QueryDict:
    """The form as posted ({name: [values]}), to bind the group's form to again."""
    data = QueryDict(mutable=True)
    for key, values in form_data.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


def last_job(change_set: ChangeSet) -> Any:
    """The last job that applied or rolled back this set (its progress on the jobs page)."""
    from assistants.jobs.models import Job

    return (
        Job.objects.filter(kind__startswith="changes.", params__change_set=change_set.pk)
        .order_by("-id")
        .first()
    )


def _reasons(form: Any) -> list[tuple[str, str]]:
    reasons = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        reasons.extend((str(label or "This change"), str(e)) for e in errors)
    for formset in form.formsets.values():
        for error in formset.non_form_errors():
            reasons.append(("This change", str(error)))
        for row in formset.forms:
            for name, errors in row.errors.items():
                label = row.fields[name].label if name in row.fields else ""
                reasons.extend((str(label or name), str(e)) for e in errors)
    return reasons


def change_for(
    group: Group, form_data: dict[str, Any], touched: list[str], data: dict[str, Any]
) -> dict[str, Any]:
    """The touched fields as the change makes them for the assistant `data` (Revox's JSON),
    through the group's own form and validation. Raises CannotTake with the form's reasons."""
    form = group.bound_form(as_query_dict(form_data), assistant=data)
    if not form.is_valid():
        raise CannotTake(_reasons(form))
    patch = group.patch(form, data)
    return {key: patch.get(key, data.get(key)) for key in touched}


def describe_change(group: Group, form_data: dict[str, Any], touched: list[str]) -> str:
    """The change in a line, as the group's card words it: "Language model — Model: …"."""
    form = group.bound_form(as_query_dict(form_data), assistant={})
    if not form.is_valid():
        return group.title
    values = {**{f: None for f in group.fields}, **group.patch(form, {})}
    rows = [(label, value) for label, value in group.describe(values) if label]
    touched_labels = {label_for(f) for f in touched}
    shown = [f"{label}: {value}" for label, value in rows if value not in ("", None)][:3]
    words = "; ".join(shown) or ", ".join(sorted(touched_labels))
    return f"{group.title} — {words}"[:500]


def changeset_create(
    *,
    user: AbstractBaseUser,
    group: str,
    form_data: dict[str, Any],
    touched: list[str],
    description: str,
    selection: dict[str, Any],
    operation: str = SET,
) -> ChangeSet:
    """A new draft set, by `user`, with its preview computed: what every "new change set" page
    stores once its form is valid."""
    change_set = ChangeSet.objects.create(
        created_by=user,
        created_by_name=user.get_full_name() or user.get_username(),
        group=group,
        operation=operation,
        form_data=form_data,
        touched=touched,
        description=description[:500],
        selection=selection,
    )
    changeset_preview(change_set)
    return change_set


# -- preview ---------------------------------------------------------------------------------


def changeset_preview(change_set: ChangeSet) -> None:
    """(Re)compute the set's items from the local copy: what each assistant would become,
    which are already so, which cannot take it and why, and what deserves a look first
    (notes.py). Only a set not yet applied."""
    assert change_set.status == ChangeSet.Status.DRAFT
    group = GROUPS[change_set.group]
    items = []
    assistants = selection_assistants(change_set.selection)
    for assistant in assistants:
        data = assistant.data
        before = {key: data.get(key) for key in change_set.touched}
        item = ChangeSetItem(
            change_set=change_set,
            assistant_revox_id=assistant.revox_id,
            assistant_name=assistant.name,
            before=before,
            fingerprint=group.fingerprint(data),
        )
        try:
            if change_set.operation == REPLACE:
                after, item.matches = replaced_checked(
                    group, change_set.form_data, change_set.touched, data
                )
            elif change_set.operation == FAQ_OPS:
                after = faq_changed(change_set.form_data, data)
            else:
                after = change_for(group, change_set.form_data, change_set.touched, data)
        except CannotTake as refused:
            item.preview = ChangeSetItem.Preview.CANNOT
            item.reasons = [list(r) for r in refused.reasons]
            item.after = before
        else:
            item.after = after
            same = after == before
            item.preview = ChangeSetItem.Preview.ALREADY if same else ChangeSetItem.Preview.CHANGE
        items.append(item)
    preview_notes(change_set, group, items, {a.revox_id: a for a in assistants})
    with transaction.atomic():
        change_set.items.all().delete()
        ChangeSetItem.objects.bulk_create(items, batch_size=500)
        if change_set.approved_by_id:  # an approval was of the preview as it was
            change_set.approved_by, change_set.approved_by_name = None, ""
            change_set.approved_at = None
            change_set.save(update_fields=["approved_by", "approved_by_name", "approved_at"])


# -- approval ------------------------------------------------------------------------------


def approval_needed(change_set: ChangeSet) -> bool:
    """Whether the set waits for a second person: the Admins' policy asks for one over N
    assistants, this set would change more, and nobody has approved this preview yet."""
    over = ChangeSetPolicy.current().approval_over
    if not over or change_set.approved_by_id:
        return False
    return change_set.items.filter(preview=ChangeSetItem.Preview.CHANGE).count() > over


def changeset_approve(change_set: ChangeSet, *, user: AbstractBaseUser) -> None:
    if user.pk == change_set.created_by_id:
        raise PermissionError("The person who made a change set cannot approve it too.")
    change_set.approved_by = user
    change_set.approved_by_name = user.get_full_name() or user.get_username()
    change_set.approved_at = timezone.now()
    change_set.save(update_fields=["approved_by", "approved_by_name", "approved_at"])


# -- apply -----------------------------------------------------------------------------------


def _summary(change_set: ChangeSet, words: str) -> str:
    return f"Change set #{change_set.pk} {words}: {change_set.description}"[:500]


def _entry_after(revox_id: str, group: str, since: int) -> Change | None:
    return (
        Change.objects.filter(assistant_revox_id=revox_id, group=group, id__gt=since)
        .order_by("-id")
        .first()
    )


def _in_thread(work: Callable[[ChangeSetItem], None]) -> Callable[[ChangeSetItem], None]:
    """Each worker thread has its own database connection: closed when its item is done."""

    def run(item: ChangeSetItem) -> None:
        try:
            work(item)
        finally:
            connections.close_all()  # this thread's own connections only

    return run


def _one_connection_only() -> bool:
    """An in-memory SQLite database (the tests') cannot take writes from several connections:
    its threads would find its tables locked. A file or PostgreSQL can."""
    connection = connections["default"]
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _run(
    items: list[ChangeSetItem], work: Callable[[ChangeSetItem], None]
) -> Iterator[ChangeSetItem]:
    """Run `work` on each item, REVOX_BULK_CONCURRENCY at a time; yields each item as it is done."""
    concurrency = max(1, int(settings.REVOX_BULK_CONCURRENCY))
    if concurrency == 1 or len(items) <= 1 or _one_connection_only():
        for item in items:
            work(item)
            yield item
        return
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="changeset") as pool:
        futures = {pool.submit(_in_thread(work), item): item for item in items}
        for future in as_completed(futures):
            future.result()
            yield futures[future]


def changeset_apply(
    change_set: ChangeSet, *, user: AbstractBaseUser, only: Iterable[int] | None = None
) -> Iterator[ChangeSetItem]:
    """Apply the set to every item not yet done (a first run, or a resume after a failure), or
    to the items `only` names: REVOX_BULK_CONCURRENCY assistants at a time. Yields each item
    once its outcome is stored; only what Revox confirmed is recorded as changed."""
    group = GROUPS[change_set.group]
    ChangeSet.objects.filter(pk=change_set.pk).update(status=ChangeSet.Status.APPLYING)
    todo = change_set.items.filter(outcome__in=RUNNABLE)
    if only is not None:
        todo = todo.filter(pk__in=list(only))
    run = _SetRun(change_set, group, user, _summary(change_set, "applied"))

    def one(item: ChangeSetItem) -> None:
        if item.preview == ChangeSetItem.Preview.CANNOT:
            item.outcome, item.detail = ChangeSetItem.Outcome.CANNOT, ""
            item.save(update_fields=["outcome", "detail"])
        else:
            _apply_one(run, item)

    yield from _run(list(todo), one)
    change_set.refresh_from_db()
    # Applied, even with assistants not saved: the page lists them and offers to resume.
    change_set.status = ChangeSet.Status.APPLIED
    change_set.applied_at = change_set.applied_at or timezone.now()
    change_set.save(update_fields=["status", "applied_at"])


RUNNABLE = [ChangeSetItem.Outcome.PENDING, ChangeSetItem.Outcome.FAILED]


RATE_LIMIT_TRIES = 3


def _rate_limited(save: Callable[[], Any]) -> Any:
    """A save Revox answered 429 (nothing was applied) is tried again after the Retry-After it
    asked for, a few times; a wait longer than REVOX_RETRY_AFTER_MAX is not waited out."""
    for attempt in range(RATE_LIMIT_TRIES):
        try:
            return save()
        except RevoxRateLimited as limited:
            wait = limited.retry_after if limited.retry_after is not None else 1.0
            if attempt == RATE_LIMIT_TRIES - 1 or wait > settings.REVOX_RETRY_AFTER_MAX:
                raise
            time.sleep(wait)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _SetRun:
    """What every item of one apply or rollback shares: the set and its group, who runs it,
    and the summary its history entries carry."""

    change_set: ChangeSet
    group: Group
    user: AbstractBaseUser
    summary: str


def _item_save(
    run: _SetRun, item: ChangeSetItem, **update: Any
) -> tuple[GroupSaveResult, Change | None]:
    """Save the run's group on the item's assistant through the editors' group save (`update`:
    its build_patch, fingerprint, kind and merge), rate limits waited out; and the history
    entry that save wrote (None when nothing changed)."""
    since = Change.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = _rate_limited(
        lambda: assistant_update_group(
            user=run.user,
            revox_id=item.assistant_revox_id,
            group=run.group,
            summary=run.summary,
            **update,
        )
    )
    entry = _entry_after(item.assistant_revox_id, run.group.slug, since) if result.changed else None
    return result, entry


def _apply_one(run: _SetRun, item: ChangeSetItem) -> None:
    change_set, group = run.change_set, run.group

    def build_patch(current: dict[str, Any]) -> dict[str, Any]:
        if change_set.operation == REPLACE:
            return replaced_checked(group, change_set.form_data, change_set.touched, current)[0]
        if change_set.operation == FAQ_OPS:
            return faq_changed(change_set.form_data, current)
        return change_for(group, change_set.form_data, change_set.touched, current)

    try:
        result, entry = _item_save(
            run,
            item,
            kind=Change.Kind.UPDATE,
            build_patch=build_patch,
            fingerprint=item.fingerprint,
        )
    except GroupConflict as conflict:
        item.outcome, item.detail = ChangeSetItem.Outcome.CONFLICT, CONFLICT
        item.saved = {k: conflict.current.get(k) for k in change_set.touched}
    except CannotTake as refused:
        item.outcome = ChangeSetItem.Outcome.CANNOT
        item.reasons = [list(r) for r in refused.reasons]
        item.detail = str(refused)[:1000]
    except RevoxValidationError as refused:
        item.outcome = ChangeSetItem.Outcome.CANNOT
        item.reasons = [[label_for(p), "; ".join(m)] for p, m in refused.field_errors.items()]
        item.detail = f"Revox refused it: {refused}"[:1000]
    except (RevoxError, SaveLockTimeout) as err:
        item.outcome, item.detail = ChangeSetItem.Outcome.FAILED, NOT_SAVED.format(error=err)[:1000]
    except Exception:
        # Not a Revox answer (the database, a bug): the PATCH may have gone out. Recorded as not
        # done; a resume reads the assistant again and finds it changed if it was.
        logger.exception("change set %s: %s stopped", change_set.pk, item.assistant_revox_id)
        item.outcome, item.detail = ChangeSetItem.Outcome.FAILED, UNCONFIRMED
    else:
        saved = {k: result.assistant.get(k) for k in change_set.touched}
        item.saved = saved
        if result.changed:
            item.outcome, item.detail = ChangeSetItem.Outcome.CHANGED, result.note
            item.history = entry
        else:
            item.outcome, item.detail = ChangeSetItem.Outcome.ALREADY, ""
    item.save()


# -- rollback --------------------------------------------------------------------------------


def changeset_rollback(
    change_set: ChangeSet, *, user: AbstractBaseUser, only: Iterable[int] | None = None
) -> Iterator[ChangeSetItem]:
    """Put each changed assistant's touched fields back as they were before the set — unless
    someone changed them since (their version is kept, and listed). Yields each item once its
    rollback is stored."""
    group = GROUPS[change_set.group]
    ChangeSet.objects.filter(pk=change_set.pk).update(status=ChangeSet.Status.ROLLING_BACK)
    todo = rollback_todo(change_set)
    if only is not None:
        todo = todo.filter(pk__in=list(only))
    run = _SetRun(change_set, group, user, _summary(change_set, "rolled back"))
    yield from _run(list(todo), functools.partial(_rollback_one, run))
    change_set.refresh_from_db()
    change_set.status = ChangeSet.Status.ROLLED_BACK
    change_set.rolled_back_at = timezone.now()
    change_set.save(update_fields=["status", "rolled_back_at"])


def rollback_todo(change_set: ChangeSet) -> QuerySet[ChangeSetItem]:
    return change_set.items.filter(outcome=ChangeSetItem.Outcome.CHANGED).filter(
        rollback__in=[ChangeSetItem.Rollback.NONE, ChangeSetItem.Rollback.FAILED]
    )


def _rollback_one(run: _SetRun, item: ChangeSetItem) -> None:
    group, touched = run.group, run.change_set.touched

    class ChangedSince(Exception):
        pass

    def build_patch(current: dict[str, Any]) -> dict[str, Any]:
        if {k: current.get(k) for k in touched} != (item.saved or item.after):
            raise ChangedSince
        return {k: group.sendable(k, item.before.get(k)) for k in touched}

    current_fingerprint = ""
    try:
        # The conflict check is on the touched fields only (build_patch above): the rest of
        # the group may have moved on, and stays as it is now.
        cached = Assistant.objects.filter(revox_id=item.assistant_revox_id).first()
        current_fingerprint = group.fingerprint(cached.data) if cached else ""
        result, entry = _item_save(
            run, item, kind=Change.Kind.RESTORE, build_patch=build_patch,
            fingerprint=current_fingerprint, merge=lambda current, patch: patch,
        )  # fmt: skip
    except ChangedSince:
        item.rollback, item.rollback_detail = ChangeSetItem.Rollback.CONFLICT, ROLLBACK_CONFLICT
    except (RevoxError, SaveLockTimeout) as err:
        item.rollback = ChangeSetItem.Rollback.FAILED
        item.rollback_detail = f"Not put back: {err} Roll back again to retry it."[:1000]
    else:
        if result.changed:
            item.rollback, item.rollback_detail = ChangeSetItem.Rollback.RESTORED, result.note
            item.rollback_history = entry
        else:
            item.rollback = ChangeSetItem.Rollback.UNCHANGED
            item.rollback_detail = "Already as it was before the set."
    item.save()


def masked(values: dict[str, Any]) -> dict[str, Any]:
    return snapshot.mask_secrets(values)
