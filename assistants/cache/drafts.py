"""The AI's drafts that Revox cannot hold, kept by the dashboard (DESIGN.md, rule 8).

A question waiting for a human keeps waiting in Revox only when it is sent back with a blank
answer (assistants/faq.py), so every FAQ save blanks the drafts nobody decided on. When a save
does that, `faq_drafts_keep` stores each such draft (models.FaqDraft); from then on the FAQ
index (the queue), the FAQ editor and history show it again as the AI's suggestion, ready to
approve or edit. A kept draft goes away when its question is approved, answered or deleted, or
when Revox brings a draft of its own for it (the newer one wins).

Revox's JSON stays as Revox sent it everywhere (the cache's `data`, the fingerprints): drafts
are laid over copies, never written into it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from assistants import faq
from assistants.models import FaqDraft, FaqItem
from assistants.snapshot import faq_items, text


def question_digest(question: str) -> str:
    return hashlib.sha256(faq.question_key(question).encode()).hexdigest()


def faq_drafts_of(revox_id: str) -> dict[str, FaqDraft]:
    """The drafts kept for one assistant, by question digest."""
    return {d.question_digest: d for d in FaqDraft.objects.filter(assistant_revox_id=revox_id)}


def _waiting_blank(item: dict[str, Any]) -> bool:
    return item.get("needs_human_answer") is True and not text(item.get("answer")).strip()


def with_kept_drafts(items: Any, drafts: dict[str, FaqDraft]) -> Any:
    """A copy of `faq_items` with each kept draft back on its waiting, blank question: what the
    page and history show. Anything that is not a list of items comes back as it is."""
    if not drafts or not isinstance(items, list):
        return items
    shown = []
    for item in items:
        draft = None
        if isinstance(item, dict) and _waiting_blank(item):
            draft = drafts.get(question_digest(text(item.get("question"))))
        shown.append({**item, "answer": draft.answer, "source": draft.source} if draft else item)
    return shown


def faq_drafts_keep(
    *,
    revox_id: str,
    before: dict[str, Any],
    after: dict[str, Any],
    user: AbstractBaseUser | None,
) -> dict[str, FaqDraft]:
    """After a save of this assistant's FAQ landed: keep every draft the save blanked, drop the
    ones it decided on. `before` is Revox's version the save was built on, `after` Revox's
    answer. Returns the drafts kept now. Call it before the cache stores `after`, so that the
    FAQ index shows them."""
    kept = faq_drafts_of(revox_id)
    # What each waiting question held before the save: Revox's own draft, else the one kept.
    drafts_before: dict[str, tuple[str, str, str]] = {}
    for item in faq_items(before):
        if item.get("needs_human_answer") is not True:
            continue
        question = text(item.get("question"))
        digest = question_digest(question)
        answer = text(item.get("answer"))
        if answer.strip():
            source = item.get("source") if item.get("source") in ("human", "ai") else "ai"
            drafts_before.setdefault(digest, (question, answer, source))
        elif digest in kept:
            drafts_before.setdefault(digest, (question, kept[digest].answer, kept[digest].source))
    now_kept: dict[str, FaqDraft] = {}
    for item in faq_items(after):
        question = text(item.get("question"))
        digest = question_digest(question)
        if _waiting_blank(item) and digest in drafts_before and digest not in now_kept:
            _, answer, source = drafts_before[digest]
            draft, _ = FaqDraft.objects.update_or_create(
                assistant_revox_id=revox_id,
                question_digest=digest,
                defaults={
                    "question": question,
                    "answer": answer,
                    "source": source,
                    "kept_by": user if user is not None and user.is_authenticated else None,
                },
            )
            now_kept[digest] = draft
    gone = [d.pk for digest, d in kept.items() if digest not in now_kept]
    if gone:
        FaqDraft.objects.filter(pk__in=gone).delete()
    return now_kept


def faq_index_show_drafts(assistants: Iterable[tuple[int, str, dict[str, Any]]]) -> None:
    """Put the kept drafts into the FAQ index rows just written for these assistants
    ((pk, revox id, Revox's JSON)), and drop the drafts Revox's version settled: the question
    answered or gone, or a draft of Revox's own for it. One query when nothing is kept."""
    assistants = list(assistants)
    if not assistants:
        return
    by_id = {revox_id: (pk, data) for pk, revox_id, data in assistants}
    if len(by_id) <= 500:
        drafts = list(FaqDraft.objects.filter(assistant_revox_id__in=list(by_id)))
    else:  # a sync of thousands: the whole table rather than an IN over every id
        drafts = [d for d in FaqDraft.objects.all() if d.assistant_revox_id in by_id]
    settled = []
    for draft in drafts:
        pk, data = by_id[draft.assistant_revox_id]
        item = next(
            (i for i in faq_items(data) if question_digest(text(i.get("question")))
             == draft.question_digest),
            None,
        )  # fmt: skip
        if item is None or item.get("needs_human_answer") is not True:
            settled.append(draft.pk)  # answered or deleted
        elif text(item.get("answer")).strip():
            if faq.lf(text(item.get("answer"))) != faq.lf(draft.answer):
                settled.append(draft.pk)  # Revox brought a newer draft
        else:
            FaqItem.objects.filter(
                assistant_id=pk,
                needs_human_answer=True,
                answer="",
                question=text(item.get("question")),
            ).update(answer=draft.answer, source=draft.source)
    if settled:
        FaqDraft.objects.filter(pk__in=settled).delete()
