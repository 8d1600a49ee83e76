"""The FAQ review queue: every assistant's FAQ items in one list, acted on one by one, in bulk,
or through a CSV round trip.

Reads (the queue, counts, the CSV export) come from the cache's FAQ index and never wait on
Revox. Writes go through `faq_review_apply` / `faq_review_bulk`: per assistant, ONE fresh read,
the decisions applied to what Revox holds at that moment (assistants/faq.py: suggestions that
arrived meanwhile are kept, an item already handled counts as done), and at most ONE PATCH.
Because each decision is re-checked against a fresh read, retrying a batch never applies
anything twice.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from assistants import faq, services
from assistants.cache.services import cache_forget, cache_store
from assistants.editors import describe
from assistants.editors.forms.base import humanize_path
from assistants.editors.services import SaveInProgress, assistant_save_claim
from assistants.faq import Action, ActionResult
from assistants.models import Assistant, Change, FaqItem
from assistants.revox import (
    RevoxError,
    RevoxNotFound,
    RevoxValidationError,
    UnpatchedCalls,
    get_client,
)
from assistants.snapshot import text

logger = logging.getLogger(__name__)

STATUSES = {"pending": "Waiting for review", "answered": "Answered", "all": "All"}
SOURCES = {"ai": "AI suggestions", "human": "Written by people"}

ASSISTANT_GONE = "This assistant no longer exists in Revox."
SAVE_FAILED = "Not saved: {error}"
NOT_SAVED = "Not saved: Revox did not say what happened. Refresh the queue and try again."
STALE_ITEM = "This item changed since the page was loaded. Refresh the queue and try again."


# -- the queue ----------------------------------------------------------------------------------


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


def _filtered(filters: QueueFilter, *, with_assistant: bool = True) -> QuerySet:
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


def faq_queue(*, filters: QueueFilter) -> QuerySet:
    """The items matching `filters`, grouped by assistant in the order of the FAQ index
    (assistant, position): the order its (needs_human_answer, assistant, position) index keeps,
    so the first page of a large queue is read straight off the index."""
    return (
        _filtered(filters)
        .select_related("assistant")
        .only(*QUEUE_COLUMNS)
        .order_by("assistant_id", "position")
    )


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


def faq_queue_page(*, filters: QueueFilter, count: int, start: int, size: int) -> QueuePage:
    """The page of `size` items from offset `start`; past the end, the last page."""
    start = max(0, start)
    if start >= count:
        start = max(0, (count - 1) // size * size)
    rows = [QueueRow.from_item(item) for item in faq_queue(filters=filters)[start : start + size]]
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
        _filtered(filters, with_assistant=False)
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
        totals = _filtered(replace(filters, status="all")).aggregate(
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
        return describe.unpatched_calls(self.unpatched_calls)

    @property
    def failed_keys(self) -> list[str]:
        return [item_key(self.revox_id, r.action.upstream_id) for r in self.failed]

    def summary(self) -> str:
        counts = defaultdict(int)
        for result in self.applied:
            counts[result.action.kind] += 1
        words = {faq.APPROVE: "approved", faq.ANSWER: "answered", faq.DELETE: "deleted"}
        return ", ".join(f"{n} {words[kind]}" for kind, n in counts.items())


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


def _review_remote(revox_id: str, actions: list[Action]) -> _RemoteWork:
    """One assistant: read it fresh, apply the decisions, PATCH once if anything changed.
    Only HTTP happens here, so it can run in a worker thread."""
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
        return work  # nothing to send: everything was already done, or nothing could be
    try:
        answer = client.update_assistant(revox_id, {"faq_items": value})
        work.updated, work.unpatched_calls = answer.assistant, answer.unpatched_calls
    except RevoxError as err:
        work.error = SAVE_FAILED.format(error=_reason(err))
        work.results = [
            ActionResult(r.action, "failed", work.error) if r.status == "applied" else r
            for r in work.results
        ]
    return work


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
    if work.updated is not None:
        with transaction.atomic():
            cache_store(work.updated)
            services.change_record(
                user=user,
                kind=Change.Kind.FAQ_REVIEW,
                assistant=work.updated,
                group="faq",
                before={"faq_items": work.current.get("faq_items") if work.current else None},
                after={"faq_items": work.updated.get("faq_items")},
                summary=f"FAQ review: {outcome.summary()}",
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
    except SaveInProgress as busy:
        return _review_record(_failed_work(revox_id, actions, str(busy)), user=user, name=name)


def _failed_work(revox_id: str, actions: list[Action], error: str) -> _RemoteWork:
    work = _RemoteWork(revox_id, error=error)
    work.results = [ActionResult(a, "failed", error) for a in actions]
    return work


def _worker(revox_id: str, actions: list[Action]) -> _RemoteWork:
    try:
        return _review_remote(revox_id, actions)
    finally:
        # A worker thread must not leave a database connection open behind it (it uses none
        # today; this keeps it so if a cache read ever moves in here).
        connections.close_all()


def faq_review_bulk(
    *, user: AbstractBaseUser, plan: Mapping[str, list[Action]]
) -> Iterator[AssistantOutcome]:
    """Apply decisions to many assistants: one merge-safe save each, up to
    REVOX_BULK_CONCURRENCY at a time. Yields each assistant's outcome as soon as it is known
    (for a progress display); one assistant failing does not stop the others."""
    if not plan:
        return
    names = dict(Assistant.objects.filter(revox_id__in=list(plan)).values_list("revox_id", "name"))
    with ExitStack() as claims:
        # Each assistant's save claim, taken here (the worker threads touch no database), in
        # one order so that two bulk actions over the same assistants cannot hold each other up.
        ready = {}
        for revox_id in sorted(plan):
            try:
                claims.enter_context(assistant_save_claim(revox_id=revox_id))
            except SaveInProgress as busy:
                work = _failed_work(revox_id, plan[revox_id], str(busy))
                yield _review_record(work, user=user, name=names.get(revox_id, revox_id))
            else:
                ready[revox_id] = plan[revox_id]
        yield from _bulk_claimed(user=user, plan=ready, names=names)


def _bulk_claimed(
    *, user: AbstractBaseUser, plan: Mapping[str, list[Action]], names: Mapping[str, str]
) -> Iterator[AssistantOutcome]:
    if not plan:
        return
    workers = max(1, min(settings.REVOX_BULK_CONCURRENCY, len(plan)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="faq-bulk") as pool:
        futures = {
            pool.submit(_worker, revox_id, actions): revox_id for revox_id, actions in plan.items()
        }
        for future in as_completed(futures):
            revox_id = futures[future]
            try:
                work = future.result()
            except Exception as err:  # a bug, not Revox: report it for this assistant only
                logger.exception("faq bulk: %s failed", revox_id)
                work = _failed_work(revox_id, plan[revox_id], f"Unexpected error: {err}")
            yield _review_record(work, user=user, name=names.get(revox_id, revox_id))


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
    return {
        revox_id: [
            Action(
                kind,
                upstream_id,
                questions.get(item_key(revox_id, upstream_id), ""),
                answers.get(item_key(revox_id, upstream_id), ""),
            )
            for upstream_id in ids
        ]
        for revox_id, ids in wanted.items()
    }


def plan_from_filter(filters: QueueFilter, *, kind: str) -> dict[str, list[Action]]:
    """Decisions for every item matching the filter ("all N matching"), as the cache has them."""
    plan: dict[str, list[Action]] = defaultdict(list)
    rows = (
        _filtered(filters)
        .order_by("assistant_id", "position")
        .values_list("assistant__revox_id", "upstream_id", "question")
    )
    for revox_id, upstream_id, question in rows.iterator(chunk_size=2000):
        plan[revox_id].append(Action(kind, upstream_id, question))
    return dict(plan)


def failed_keys(outcomes: Iterable[AssistantOutcome]) -> list[str]:
    return [key for outcome in outcomes for key in outcome.failed_keys]


# -- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = ["assistant_id", "assistant_name", "question", "answer", "source", "pending"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_TOO_BIG = "This file is {size}; the limit is {limit}. Split it into smaller files, or export a narrower filter."
CSV_EMPTY = "The file is empty."
CSV_HEADER_ONLY = "The file has a header but no rows."
CSV_NO_HEADER = (
    "The first line must name the columns, with at least assistant_id, question and answer "
    "(as in the exported file). Missing: {missing}."
)
CSV_NOT_UTF8 = (
    "This file isn't UTF-8, so it was read as Western European (Windows-1252). Check the "
    "accented letters below before applying; to avoid this, save as “CSV UTF-8” in your spreadsheet."
)
CSV_UNREADABLE = "This file can't be read as CSV: {error}."
CSV_OPEN_QUOTE = "a quoted cell is never closed"
ROW_CELLS = "Has {found} cells where the header has {expected}."
ROW_NO_ASSISTANT = "No assistant id."
ROW_NO_QUESTION = "No question."
ROW_NO_ANSWER = "The answer is empty, so nothing changes."
ROW_UNKNOWN_ASSISTANT = "No assistant has the id “{revox_id}”."
ROW_UNKNOWN_QUESTION = "“{name}” has no such question."
ROW_REPEATED = "Repeats line {line}: only the first is used."


def csv_max_bytes() -> int:
    return getattr(settings, "FAQ_CSV_MAX_BYTES", 2 * 1024 * 1024)


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with
    an apostrophe, which spreadsheets show as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def restore(value: str) -> str:
    """Undo `neutralise` when the apostrophe came back in an imported file."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_export_lines(*, filters: QueueFilter) -> Iterator[str]:
    """The items matching the filter as CSV lines, streamed; a BOM first so that spreadsheet
    programs read the file as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    rows = (
        _filtered(filters)
        .order_by("assistant_id", "position")
        .values_list(
            "assistant__revox_id",
            "assistant__name",
            "question",
            "answer",
            "source",
            "needs_human_answer",
        )
    )
    for revox_id, name, question, answer, source, pending in rows.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                revox_id,
                neutralise(name),
                neutralise(question),
                neutralise(answer),
                source,
                "yes" if pending else "no",
            ]
        )


class CsvRefused(Exception):
    """The file as a whole can't be used; the message says why in plain words."""


@dataclass(frozen=True)
class ImportChange:
    line: int
    revox_id: str
    upstream_id: str
    question: str
    before: str
    after: str
    was_pending: bool


@dataclass(frozen=True)
class ImportProblem:
    line: int
    reason: str
    excerpt: str = ""


@dataclass
class ImportPreview:
    changes: dict[str, list[ImportChange]] = field(default_factory=dict)  # by assistant id
    names: dict[str, str] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    unchanged: int = 0
    notice: str = ""

    @property
    def change_count(self) -> int:
        return sum(len(c) for c in self.changes.values())

    def by_assistant(self) -> list[tuple[str, str, list[ImportChange]]]:
        return [(revox_id, self.names.get(revox_id, revox_id), changes)
                for revox_id, changes in self.changes.items()]  # fmt: skip

    def plan(self) -> dict[str, list[Action]]:
        return {
            revox_id: [Action(faq.ANSWER, c.upstream_id, c.question, c.after) for c in changes]
            for revox_id, changes in self.changes.items()
        }


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), CSV_NOT_UTF8
    except UnicodeDecodeError:
        return raw.decode("latin-1"), CSV_NOT_UTF8


def _delimiter(header_line: str) -> str:
    """Spreadsheets in many European locales write `;`; the rest `,`."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _says_no(value: str) -> bool:
    return value.strip().lower() in ("no", "n", "false", "0", "non", "nein")


def _column(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().split())


def csv_read(upload) -> ImportPreview:
    """Read an uploaded CSV and compare it with the cache: what would change, per assistant,
    and each line that can't be used, with the reason. Writes nothing."""
    limit = csv_max_bytes()
    if upload.size > limit:
        raise CsvRefused(
            CSV_TOO_BIG.format(size=filesizeformat(upload.size), limit=filesizeformat(limit))
        )
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise CsvRefused(
            CSV_TOO_BIG.format(size=f"over {filesizeformat(limit)}", limit=filesizeformat(limit))
        )
    content, notice = _decode(raw)
    if not content.strip():
        raise CsvRefused(CSV_EMPTY)
    if "\x00" in content:
        raise CsvRefused(CSV_UNREADABLE.format(error="it contains binary data"))
    first_line = content.lstrip("\ufeff").splitlines()[0] if content.strip() else ""
    # Strict: a quote left open would otherwise swallow every line after it into one cell.
    reader = csv.reader(
        io.StringIO(content.lstrip("\ufeff"), newline=""),
        delimiter=_delimiter(first_line),
        strict=True,
    )
    records = []
    try:
        for record in reader:
            records.append((reader.line_num, record))
    except csv.Error as err:
        start = records[-1][0] + 1 if records else 1
        reason = CSV_OPEN_QUOTE if "end of data" in str(err) else str(err)
        raise CsvRefused(CSV_UNREADABLE.format(error=f"line {start}: {reason}")) from err
    # line_num counts physical lines read so far: a record's first line is the previous
    # record's end + 1 (quoted cells may span lines).
    numbered, previous_end = [], 0
    for end, record in records:
        numbered.append((previous_end + 1, record))
        previous_end = end
    _, header = numbered[0]
    columns = [_column(name) for name in header]
    missing = [name for name in ("assistant_id", "question", "answer") if name not in columns]
    if missing:
        raise CsvRefused(CSV_NO_HEADER.format(missing=", ".join(missing)))
    at = {name: columns.index(name) for name in ("assistant_id", "question", "answer")}
    rows = [(line, record) for line, record in numbered[1:] if any(cell.strip() for cell in record)]
    if not rows:
        raise CsvRefused(CSV_HEADER_ONLY)

    preview = ImportPreview(notice=notice)
    wanted: list[tuple[int, str, str, str]] = []
    for line, record in rows:
        excerpt = ", ".join(record)[:120]
        extra = record[len(columns) :]
        if len(record) < len(columns) or any(cell.strip() for cell in extra):
            preview.problems.append(
                ImportProblem(
                    line, ROW_CELLS.format(found=len(record), expected=len(columns)), excerpt
                )
            )
            continue
        revox_id = record[at["assistant_id"]].strip()
        question = restore(record[at["question"]])
        answer = restore(record[at["answer"]]).replace("\r\n", "\n").replace("\r", "\n")
        if not revox_id:
            preview.problems.append(ImportProblem(line, ROW_NO_ASSISTANT, excerpt))
        elif not question.strip():
            preview.problems.append(ImportProblem(line, ROW_NO_QUESTION, excerpt))
        elif not answer.strip():
            preview.problems.append(ImportProblem(line, ROW_NO_ANSWER, excerpt))
        else:
            approve = "pending" in columns and _says_no(record[columns.index("pending")])
            wanted.append((line, revox_id, question, answer, approve))

    assistant_ids = sorted({revox_id for _, revox_id, _, _, _ in wanted})
    known: dict[str, tuple[int, str]] = {}
    for start in range(0, len(assistant_ids), 500):
        chunk = assistant_ids[start : start + 500]
        for pk, revox_id, name in Assistant.objects.filter(revox_id__in=chunk).values_list(
            "pk", "revox_id", "name"
        ):
            known[revox_id] = (pk, name)
    items: dict[tuple[str, str], tuple[str, str, str, bool]] = {}
    by_pk = {pk: revox_id for revox_id, (pk, _) in known.items()}
    pks = list(by_pk)
    for start in range(0, len(pks), 500):
        rows_in_cache = (
            FaqItem.objects.filter(assistant_id__in=pks[start : start + 500])
            .order_by("assistant_id", "position")
            .values_list("assistant_id", "upstream_id", "question", "answer", "needs_human_answer")
        )
        for pk, upstream_id, question, answer, pending in rows_in_cache:
            items.setdefault(
                (by_pk[pk], faq.question_key(question)), (upstream_id, question, answer, pending)
            )

    seen: dict[tuple[str, str], int] = {}
    for line, revox_id, question, answer, approve in wanted:
        excerpt = question[:120]
        if revox_id not in known:
            preview.problems.append(
                ImportProblem(line, ROW_UNKNOWN_ASSISTANT.format(revox_id=revox_id[:64]), excerpt)
            )
            continue
        name = known[revox_id][1]
        key = (revox_id, faq.question_key(question))
        if key in seen:
            preview.problems.append(
                ImportProblem(line, ROW_REPEATED.format(line=seen[key]), excerpt)
            )
            continue
        seen[key] = line
        match = items.get(key)
        if match is None:
            preview.problems.append(
                ImportProblem(line, ROW_UNKNOWN_QUESTION.format(name=name), excerpt)
            )
            continue
        upstream_id, stored_question, stored_answer, pending = match
        same = faq.lf(stored_answer) == answer
        # An AI draft exported and left as it is stays a draft: approving it takes a decision,
        # "no" in the pending column (or the queue's Approve).
        if same and (not pending or not approve):
            preview.unchanged += 1
            continue
        preview.names[revox_id] = name
        preview.changes.setdefault(revox_id, []).append(
            ImportChange(
                line, revox_id, upstream_id, stored_question, stored_answer, answer, pending
            )
        )
    preview.problems.sort(key=lambda p: p.line)
    return preview


@functools.cache
def _faq_editor_url() -> str:
    # Reversed once: a page lists many rows, and reversing a URL per row is what made the
    # first page slow.
    return reverse("assistants:edit", args=["REVOX-ID", "faq"])


# -- what a page shows of an item ---------------------------------------------------------------


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
