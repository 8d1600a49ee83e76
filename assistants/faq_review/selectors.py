"""The queue's reads, from the cache's FAQ index (never waiting on Revox): the filter, a page of
items from any offset, the counts per status and per assistant, and the plans that turn ticked
items or "all N matching" into decisions per assistant."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from assistants import faq
from assistants.cache.drafts import question_digest
from assistants.faq import Action
from assistants.models import Assistant, FaqDraft, FaqItem, FaqSnooze

STATUSES = {"pending": "Waiting for review", "answered": "Answered", "all": "All"}


SOURCES = {"ai": "AI suggestions", "human": "Written by people"}


@dataclass(frozen=True)
class QueueFilter:
    assistant: str = ""  # an assistant's Revox id
    source: str = ""  # "", "ai" or "human"
    status: str = "pending"
    q: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> QueueFilter:
        status = (params.get("status") or "").strip()
        source = (params.get("source") or "").strip()
        return cls(
            assistant=(params.get("assistant") or "").strip()[:64],
            source=source if source in SOURCES else "",
            status=status if status in STATUSES else "pending",
            q=(params.get("q") or "").strip()[:200],
        )

    def as_params(self) -> dict[str, str]:
        """The filter as query parameters, defaults left out."""
        params = {"assistant": self.assistant, "source": self.source, "q": self.q}
        if self.status != "pending":
            params["status"] = self.status
        return {key: value for key, value in params.items() if value}

    @property
    def narrowed(self) -> bool:
        return bool(self.assistant or self.source or self.q or self.status != "pending")

    def keeps(self, *, question: str, answer: str, source: str, pending: bool) -> bool:
        """Whether an item, as it is after an action, still belongs in this queue (as the
        database filter would say: the text search ignores case)."""
        if (self.status == "pending" and not pending) or (self.status == "answered" and pending):
            return False
        if self.source and source != self.source:
            return False
        needle = self.q.casefold()
        return not needle or needle in question.casefold() or needle in answer.casefold()


QUEUE_COLUMNS = (
    "id", "assistant_id", "position", "upstream_id", "question", "answer", "source",
    "needs_human_answer", "assistant__revox_id", "assistant__name",
)  # fmt: skip


def faq_items_filtered(filters: QueueFilter, *, with_assistant: bool = True) -> QuerySet:
    qs = FaqItem.objects.all()
    if filters.status == "pending":
        qs = qs.filter(needs_human_answer=True)
    elif filters.status == "answered":
        qs = qs.filter(needs_human_answer=False)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if with_assistant and filters.assistant:
        qs = qs.filter(assistant__revox_id=filters.assistant)
    if filters.q:
        qs = qs.filter(Q(question__icontains=filters.q) | Q(answer__icontains=filters.q))
    return qs


# At most this many of one person's skipped questions are left out of their queue.
MAX_SNOOZES = 500


@dataclass(frozen=True)
class Skipped:
    """The questions one person skipped for now ("snoozed"): left out of their queue, or, in
    the "skipped" view, the only ones shown."""

    match: Q | None  # matches the skipped FAQ index rows; None when nothing is skipped
    only: bool = False  # show only the skipped ones

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.match is None:
            return qs.none() if self.only else qs
        return qs.filter(self.match) if self.only else qs.exclude(self.match)


def faq_skipped(*, user: Any, only: bool = False) -> Skipped:
    """What `user` skipped and has not come back yet, as a filter over the FAQ index (found by
    assistant and exact question: ids change on every save)."""
    if not getattr(user, "is_authenticated", False):
        return Skipped(None, only)
    pairs = FaqSnooze.objects.filter(user=user, until__gt=timezone.now()).values_list(
        "assistant_revox_id", "question"
    )[:MAX_SNOOZES]
    match = None
    for revox_id, question in pairs:
        one = Q(assistant__revox_id=revox_id, question=question)
        match = one if match is None else match | one
    return Skipped(match, only)


def faq_skipped_count(*, filters: QueueFilter, skipped: Skipped) -> int:
    if skipped.match is None:
        return 0
    return faq_items_filtered(filters).filter(skipped.match).count()


def faq_queue(*, filters: QueueFilter, skipped: Skipped | None = None) -> QuerySet:
    """The items matching `filters`, grouped by assistant in the order of the FAQ index
    (assistant, position): the order its indexes keep (the waiting questions' own, partial, and
    every item's), so the first page of a large queue is read straight off an index."""
    qs = faq_items_filtered(filters)
    if skipped is not None:
        qs = skipped.apply(qs)
    return qs.select_related("assistant").only(*QUEUE_COLUMNS).order_by("assistant_id", "position")


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, from an item offset rather than a page number: the page after
    one whose items were acted on (and so left the queue) starts at the first item not shown
    yet. Links to fresh pages still land on multiples of the page size."""

    rows: list[QueueRow]
    start: int  # the offset of the first item, from 0
    count: int  # every item matching the filter
    size: int

    @property
    def number(self) -> int:
        return self.start // self.size + 1

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def aligned(self) -> bool:
        return self.start % self.size == 0

    @property
    def start_index(self) -> int:
        return self.start + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return self.start + len(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.start > 0

    @property
    def has_next(self) -> bool:
        return self.start + self.size < self.count

    @property
    def previous_start(self) -> int:
        return max(0, self.start - self.size)

    @property
    def next_start(self) -> int:
        return self.start + self.size

    def links(self) -> list[tuple[int, int] | None]:
        """(page number, its offset) for the first, the last and the pages around this one;
        None where pages are left out."""
        last, here = self.num_pages, self.number
        shown = sorted({1, 2, last - 1, last, here - 1, here, here + 1} & set(range(1, last + 1)))
        links: list[tuple[int, int] | None] = []
        for number in shown:
            if links and links[-1] is not None and number > links[-1][0] + 1:
                links.append(None)
            links.append((number, (number - 1) * self.size))
        return links


def faq_queue_page(
    *, filters: QueueFilter, count: int, start: int, size: int, skipped: Skipped | None = None
) -> QueuePage:
    """The page of `size` items from offset `start`; past the end, the last page."""
    start = max(0, start)
    if start >= count:
        start = max(0, (count - 1) // size * size)
    items = faq_queue(filters=filters, skipped=skipped)[start : start + size]
    rows = [QueueRow.from_item(item) for item in items]
    return QueuePage(rows=rows, start=start, count=count, size=size)


@dataclass(frozen=True)
class AssistantCount:
    revox_id: str
    name: str
    count: int


def faq_queue_counts(
    *, filters: QueueFilter, limit: int | None = 20
) -> tuple[list[AssistantCount], int]:
    """How many matching items each assistant has (the biggest first, at most `limit`), and
    how many assistants have any. The assistant filter itself is ignored: the list is how one
    picks an assistant."""
    if not filters.source and not filters.q:
        # Without a text or source filter the assistant rows already hold the counts (written
        # with the FAQ index by every cache refresh): no need to group 50,000 items.
        qs = Assistant.objects.annotate(n=_ASSISTANT_COUNTS[filters.status]).filter(n__gt=0)
        top = qs.order_by("-n", "name").values_list("revox_id", "name", "n")
        return [AssistantCount(*row) for row in (top[:limit] if limit else top)], qs.count()
    grouped = (
        faq_items_filtered(filters, with_assistant=False)
        .values("assistant_id")
        .annotate(n=Count("id"))
        .order_by("-n", "assistant_id")
    )
    total = grouped.count()
    top = list(grouped[:limit] if limit else grouped)
    assistants = {
        pk: (revox_id, name)
        for pk, revox_id, name in Assistant.objects.filter(
            pk__in=[row["assistant_id"] for row in top]
        ).values_list("pk", "revox_id", "name")
    }
    counts = [
        AssistantCount(*assistants[row["assistant_id"]], row["n"])
        for row in top
        if row["assistant_id"] in assistants
    ]
    return counts, total


_ASSISTANT_COUNTS = {
    "pending": F("pending_faq_count"),
    "answered": F("faq_count") - F("pending_faq_count"),
    "all": F("faq_count"),
}


def faq_status_counts(*, filters: QueueFilter) -> dict[str, int]:
    """How many items each status tab holds under the other filters (assistant, source, text),
    in one query: from the assistant rows when they can tell (see above), else from the FAQ
    index."""
    if filters.source or filters.q:
        totals = faq_items_filtered(replace(filters, status="all")).aggregate(
            pending=Count("id", filter=Q(needs_human_answer=True)), all=Count("id")
        )
    else:
        qs = Assistant.objects.all()
        if filters.assistant:
            qs = qs.filter(revox_id=filters.assistant)
        totals = qs.aggregate(pending=Sum("pending_faq_count"), all=Sum("faq_count"))
    pending, every = totals["pending"] or 0, totals["all"] or 0
    return {"pending": pending, "answered": every - pending, "all": every}


def item_key(revox_id: str, upstream_id: str) -> str:
    """How the page names an item: assistant and item id (ids are unique per assistant)."""
    return f"{revox_id}/{upstream_id}"


def split_key(key: str) -> tuple[str, str]:
    revox_id, _, upstream_id = key.partition("/")
    return revox_id, upstream_id


def plan_from_keys(
    keys: Iterable[str],
    *,
    kind: str,
    answers: Mapping[str, str] | None = None,
    questions: Mapping[str, str] | None = None,
) -> dict[str, list[Action]]:
    """Decisions for the items the page selected. Each item is found again by its id, or by
    its question (as the page sent it, else as the cache has it) once a save renumbered the
    ids, so re-sending a selection that was applied finds the items already done."""
    answers, questions = answers or {}, dict(questions or {})
    wanted: dict[str, list[str]] = defaultdict(list)
    for key in dict.fromkeys(keys):  # each once, in order
        revox_id, upstream_id = split_key(key)
        if revox_id and upstream_id:
            wanted[revox_id].append(upstream_id)
    unknown = [key for key in (item_key(r, u) for r, ids in wanted.items() for u in ids)
               if not questions.get(key)]  # fmt: skip
    if unknown:
        cached = FaqItem.objects.filter(assistant__revox_id__in=list(wanted)).values_list(
            "assistant__revox_id", "upstream_id", "question"
        )
        for revox_id, upstream_id, question in cached:
            questions.setdefault(item_key(revox_id, upstream_id), question)
    drafts = _kept_drafts(list(wanted)) if kind == faq.APPROVE else {}
    return {
        revox_id: [
            _action(
                kind,
                revox_id,
                upstream_id,
                questions.get(item_key(revox_id, upstream_id), ""),
                answers.get(item_key(revox_id, upstream_id), ""),
                drafts,
            )
            for upstream_id in ids
        ]
        for revox_id, ids in wanted.items()
    }


def _kept_drafts(revox_ids: list[str] | None) -> dict[tuple[str, str], str]:
    """The drafts the dashboard keeps for these assistants (None: all), by (assistant, question
    digest)."""
    drafts = FaqDraft.objects.all()
    if revox_ids is not None:
        drafts = drafts.filter(assistant_revox_id__in=revox_ids)
    rows = drafts.values_list("assistant_revox_id", "question_digest", "answer")
    return {(revox_id, digest): answer for revox_id, digest, answer in rows}


def _action(
    kind: str,
    revox_id: str,
    upstream_id: str,
    question: str,
    answer: str,
    drafts: Mapping[tuple[str, str], str],
) -> Action:
    kept = drafts.get((revox_id, question_digest(question)), "") if drafts else ""
    return Action(kind, upstream_id, question, answer, kept_draft=kept)


def plan_from_filter(
    filters: QueueFilter, *, kind: str, skipped: Skipped | None = None
) -> dict[str, list[Action]]:
    """Decisions for every item matching the filter ("all N matching"), as the cache has them;
    the questions the person skipped for now are left out, as on their page."""
    plan: dict[str, list[Action]] = defaultdict(list)
    qs = faq_items_filtered(filters)
    if skipped is not None:
        qs = skipped.apply(qs)
    rows = qs.order_by("assistant_id", "position").values_list(
        "assistant__revox_id", "upstream_id", "question"
    )
    # Every kept draft (a small table: only questions a save had to blank, until decided).
    drafts = _kept_drafts(None) if kind == faq.APPROVE else {}
    for revox_id, upstream_id, question in rows.iterator(chunk_size=2000):
        plan[revox_id].append(_action(kind, revox_id, upstream_id, question, "", drafts))
    return dict(plan)


@functools.cache
def _faq_editor_url() -> str:
    # Reversed once: a page lists many rows, and reversing a URL per row is what made the
    # first page slow.
    return reverse("assistants:edit", args=["REVOX-ID", "faq"])


@dataclass(frozen=True)
class QueueRow:
    revox_id: str
    assistant_name: str
    upstream_id: str
    question: str
    answer: str
    source: str
    pending: bool
    error: str = ""  # why the last action on it failed, shown under its answer box

    @classmethod
    def from_item(cls, item: FaqItem) -> QueueRow:
        return cls(
            revox_id=item.assistant.revox_id,
            assistant_name=item.assistant.name,
            upstream_id=item.upstream_id,
            question=item.question,
            answer=item.answer,
            source=item.source,
            pending=item.needs_human_answer,
        )

    @property
    def key(self) -> str:
        return item_key(self.revox_id, self.upstream_id)

    @property
    def edit_url(self) -> str:
        return _faq_editor_url().replace("REVOX-ID", self.revox_id)

    @property
    def dom_id(self) -> str:
        return f"faq-{self.revox_id}-{self.upstream_id}"

    @property
    def has_answer(self) -> bool:
        return bool(self.answer.strip())

    @property
    def draft(self) -> bool:
        return self.pending and self.has_answer

    def same_item(self, other: QueueRow) -> bool:
        """The same question of the same assistant (ids change on every save)."""
        return self.revox_id == other.revox_id and faq.question_key(
            self.question
        ) == faq.question_key(other.question)
