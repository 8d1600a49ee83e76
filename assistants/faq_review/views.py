"""The FAQ review queue's pages. Thin: parse, call one selector or service, render.

htmx requests get the named partial of the same template; plain requests get whole pages, so
everything also works without JavaScript. A bulk action becomes a background job
(faq_review/jobs.py): the page's script gets the job's progress card, which polls itself; without
JavaScript the queue comes back with the card (`?job=<id>`), up to date at each reload.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url, reswap, retarget

from assistants import faq, selectors
from assistants.cache.selectors import cache_facts
from assistants.cache.services import (
    RefreshTooSoon,
    cache_fill_if_never_filled,
    cache_refresh_asked,
    cache_refresh_if_stale,
)
from assistants.faq_review.forms import ItemActionForm, SnoozeForm
from assistants.faq_review.jobs import BULK, faq_bulk_enqueue
from assistants.faq_review.selectors import (
    SOURCES,
    STATUSES,
    QueueFilter,
    QueueRow,
    Skipped,
    faq_queue_counts,
    faq_queue_page,
    faq_skipped,
    faq_skipped_count,
    faq_status_counts,
    plan_from_filter,
    plan_from_keys,
)
from assistants.faq_review.services import (
    NOT_SAVED,
    SNOOZE_CHOICES,
    SNOOZE_DEFAULT_HOURS,
    faq_review_apply,
    faq_snooze,
    faq_unsnooze,
)
from assistants.jobs.selectors import job_card, job_get, jobs_of_kind_active
from assistants.redirects import safe_next
from assistants.revox import RevoxError
from assistants.team.roles import can_edit, editor_required, viewer_required

PAGE_SIZE = 20  # about two screens of questions: long enough to work through, short to scroll
QUEUE_PATH = "/faq-review/"  # a URL other tools rely on: it does not change

NOTHING_SELECTED = "Tick at least one question first."


def _queue_url(
    filters: QueueFilter, start: int = 0, *, all_assistants: bool = False, skipped: bool = False
) -> str:
    """The queue's address for these filters, from item `start`: `page=N` when the start is a
    page's first item (the links people share), `start=N` otherwise."""
    params = filters.as_params()
    if start and start % PAGE_SIZE:
        params["start"] = str(start)
    elif start:
        params["page"] = str(start // PAGE_SIZE + 1)
    if all_assistants:
        params["all_assistants"] = "1"
    if skipped:
        params["skipped"] = "1"
    query = urlencode(params)
    return QUEUE_PATH + (f"?{query}" if query else "")


def _start(params: Mapping[str, str]) -> int:
    """Where the page starts: `start` (an item offset) wins over `page` (a page number)."""
    for name, scale in (("start", 1), ("page", PAGE_SIZE)):
        value = (params.get(name) or "").strip()
        if value.isdigit():
            return max(0, int(value[:9]) - (0 if scale == 1 else 1)) * scale
    return 0


def _counts_context(
    filters: QueueFilter, *, all_assistants: bool, skipped: Skipped | None = None
) -> dict:
    """Every count the queue page shows: the status tabs, the total, "By assistant". `total`
    is what this person's list holds: without the questions they skipped for now (or, in the
    "skipped" view, only those)."""
    by_status = faq_status_counts(filters=filters)
    counts, assistant_total = faq_queue_counts(
        filters=filters, limit=None if all_assistants else 20
    )
    skipped_count = faq_skipped_count(filters=filters, skipped=skipped) if skipped else 0
    total = by_status[filters.status]
    return {
        "filters": filters,
        "total": skipped_count if skipped and skipped.only else total - skipped_count,
        "skipped_count": skipped_count,
        "skipped_only": bool(skipped and skipped.only),
        "tabs": [
            (status, label, by_status[status], _queue_url(replace(filters, status=status)))
            for status, label in STATUSES.items()
        ],
        "counts": [(c, _queue_url(replace(filters, assistant=c.revox_id))) for c in counts],
        "assistant_total": assistant_total,
        "show_all_url": _queue_url(filters, all_assistants=True),
    }


def _with_failed(rows: list[QueueRow], failed: QueueRow | None) -> list[QueueRow]:
    if failed is None:
        return rows
    if any(row.same_item(failed) for row in rows):
        return [failed if row.same_item(failed) else row for row in rows]
    return [failed, *rows]


def bulk_job_cards(params: Mapping[str, str]) -> list[dict]:
    """The bulk jobs a page shows: each one running (a teammate's too), and the one this page
    started (`?job=<id>`), finished or not, so that its result is there after a reload."""
    jobs = list(jobs_of_kind_active(kind=BULK))
    wanted = (params.get("job") or "").strip()
    if wanted.isdigit() and not any(job.pk == int(wanted[:18]) for job in jobs):
        job = job_get(pk=int(wanted[:18]))
        if job is not None and job.kind == BULK:
            jobs.insert(0, job)
    return [job_card(job) for job in jobs]


def job_started(
    request: HttpRequest, job, *, then: str, oob: Mapping[str, str] | None = None
) -> HttpResponse:
    """The answer to a form that started a bulk job: to htmx, the job's card (which polls
    itself), the navigation's job count, and `oob` ({element id: "innerHTML" to empty it,
    "delete" to remove it}); without JavaScript, the page again (`then`) with the card."""
    if request.htmx:
        card = job_card(job, with_active_count=True)
        context = {"card": card, "oob_badge": True, "oob": oob or {}}
        return render(request, "faq_review/queue.html#job_started", context)
    return redirect(f"{then}{'&' if '?' in then else '?'}job={job.pk}")


def _queue_context(
    request: HttpRequest,
    params: Mapping[str, str],
    *,
    failed: QueueRow | None = None,
) -> dict:
    """The whole page. `failed`: a row whose action failed, shown as it was sent (with what the
    user typed) in place of its cached version."""
    filters = QueueFilter.from_params(params)
    all_assistants = params.get("all_assistants") == "1"
    skipped = faq_skipped(user=request.user, only=params.get("skipped") == "1")
    context = _counts_context(filters, all_assistants=all_assistants, skipped=skipped)
    cards = bulk_job_cards(params)
    page = faq_queue_page(
        filters=filters,
        count=context["total"],
        start=_start(params),
        size=PAGE_SIZE,
        skipped=skipped,
    )
    assistant_name = ""
    if filters.assistant:
        assistant = selectors.assistant_get(revox_id=filters.assistant)
        assistant_name = assistant.name if assistant else filters.assistant
    return {
        **context,
        "page": page,
        "rows": _with_failed(page.rows, failed),
        "page_links": [
            (link, _queue_url(filters, link[1], skipped=skipped.only) if link else "")
            for link in page.links()
        ],
        "previous_url": _queue_url(filters, page.previous_start, skipped=skipped.only),
        "next_url": _queue_url(filters, page.next_start, skipped=skipped.only),
        "all_assistants_url": _queue_url(replace(filters, assistant="")),
        "assistant_name": assistant_name,
        "sources": SOURCES,
        "query": urlencode(filters.as_params()),
        "queue_url": _queue_url(
            filters, page.start, all_assistants=all_assistants, skipped=skipped.only
        ),
        "item_url": reverse("assistants:faq_review_item"),
        **cache_facts(),
        "job_cards": cards,
        # The items a finished bulk job could not do stay ticked, to fix and run again.
        "selected": {
            key for card in cards if card["job"].finished for key in card.get("failed_keys", [])
        },
        "can_act": can_edit(request.user),
        "skipped_url": _queue_url(filters, skipped=True),
        "unskipped_url": _queue_url(filters),
        **_snooze_context(),
    }


def _snooze_context() -> dict:
    return {
        "snooze_url": reverse("assistants:faq_review_snooze"),
        "snooze_choices": SNOOZE_CHOICES,
        "snooze_default": SNOOZE_DEFAULT_HOURS,
    }


@require_GET
@vary_on_headers("HX-Request")
@viewer_required
def faq_review_queue(request: HttpRequest) -> HttpResponse:
    cache_fill_if_never_filled()  # never "nothing pending" for a cache never loaded
    params = request.GET.copy()
    # A later page asked for after rows of this one left the view (approved while showing
    # "waiting", deleted, skipped): each sends `left`, and every later item moved up one place.
    left = len(params.pop("left", []))
    if left:
        params["start"] = str(max(0, _start(params) - left))
    context = _queue_context(request, params)
    if request.htmx and request.htmx.target == "faq-results":
        # The results, and every count beside them (tabs, "By assistant"), out of band.
        response = render(request, "faq_review/queue.html#results_and_counts", context)
        # The address of the page shown, not the one asked for (the rows that left go).
        return push_url(response, context["queue_url"]) if left else response
    return render(request, "faq_review/queue.html", context)


@require_POST
@viewer_required
def faq_review_refresh(request: HttpRequest) -> HttpResponse:
    """Bring the cache up to date with Revox, then show the queue again. Viewers may ask too:
    it changes nothing in Revox."""
    try:
        if request.POST.get("when") == "stale":  # the page's background refresh
            cache_refresh_if_stale()
        else:
            cache_refresh_asked()
    except RefreshTooSoon as err:
        messages.info(request, str(err))
    except RevoxError as err:
        messages.error(request, f"Could not refresh from Revox: {err}")
    if request.htmx:
        return render(
            request, "faq_review/queue.html#refreshed", _queue_context(request, request.POST)
        )
    return redirect(_queue_url(QueueFilter.from_params(request.POST), _start(request.POST)))


# -- one item -----------------------------------------------------------------------------------


def _row_state(result: faq.ActionResult | None, answer: str) -> dict | None:
    """How a row looks once acted on; None keeps it editable (it failed)."""
    if result is None or result.status == "failed":
        return None
    if result.status == "unchanged":
        return {"level": "secondary", "icon": "info-circle", "message": result.message}
    if result.action.kind == faq.DELETE:
        return {"level": "secondary", "icon": "trash3", "message": "Deleted from the FAQ."}
    label = "Approved" if result.action.kind == faq.APPROVE else "Answer saved"
    return {
        "level": "success",
        "icon": "check-circle-fill",
        "message": f"{label}: callers now hear",
        "answer": answer,
    }


def _queue_params(next_url: str) -> QueryDict:
    """The queue's filters and page, from the address the item's form came from."""
    return QueryDict(urlsplit(next_url).query)


@require_POST
@editor_required
def faq_review_item(request: HttpRequest) -> HttpResponse:
    """Approve, answer or delete one item, in place."""
    form = ItemActionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Incomplete form.")
    data = form.cleaned_data
    next_url = safe_next(request, data["next"], default=QUEUE_PATH)
    row = QueueRow(
        revox_id=data["assistant"], assistant_name=data["assistant_name"] or data["assistant"],
        upstream_id=data["upstream_id"], question=data["question"], answer=data["answer"],
        source=data["source"] or "human", pending=data["pending"],
    )  # fmt: skip
    action = faq.Action(data["action"], data["upstream_id"], data["question"], data["answer"])
    error, result, notice = "", None, ""
    if action.kind in (faq.APPROVE, faq.ANSWER) and not action.answer.strip():
        # Approve publishes the answer in the box: a blank box has nothing to publish (the
        # page's script keeps the button disabled until something is typed).
        error = faq.NO_ANSWER if action.kind == faq.APPROVE else faq.ANSWER_REQUIRED
    else:
        outcome = faq_review_apply(user=request.user, revox_id=row.revox_id, actions=[action])
        notice = outcome.unpatched_calls_message
        result = outcome.results[0] if outcome.results else None
        if result is None or result.status == "failed":
            error = result.message if result else (outcome.error or NOT_SAVED)
        elif result.action.kind != faq.DELETE:
            row = replace(row, pending=False)
    state = _row_state(result, faq.lf(action.answer) if action.answer.strip() else row.answer)
    params = _queue_params(next_url)
    filters = QueueFilter.from_params(params)
    if error:
        row = replace(row, error=error)

    if notice:
        messages.warning(request, f"FAQ saved. {notice}", extra_tags="sticky")
    if not request.htmx:
        if error:
            # The queue again, this row as it was sent and why it failed: nothing typed is lost.
            messages.error(request, f"“{row.question[:80]}”: {error}")
            return render(
                request, "faq_review/queue.html", _queue_context(request, params, failed=row)
            )
        messages.success(request, f"“{row.question[:80]}”: {state['message'].split(':')[0]}.")
        return redirect(next_url)
    # Whether the item still belongs in this view once acted on: a row that left sends `left`
    # with the links to later pages, so that the next page starts at the first item not shown.
    left = state is not None and (
        action.kind == faq.DELETE
        or not filters.keeps(question=row.question, answer=state.get("answer", row.answer),
                             source="human", pending=False)
    )  # fmt: skip
    context = {
        **_counts_context(
            filters,
            all_assistants=params.get("all_assistants") == "1",
            skipped=faq_skipped(user=request.user, only=params.get("skipped") == "1"),
        ),
        **_snooze_context(),
        "row": row,
        "state": state,
        "left": left,
        "can_act": True,
        "selected": set(),
        "item_url": reverse("assistants:faq_review_item"),
        "queue_url": next_url,
    }
    return render(request, "faq_review/queue.html#acted", context)


@require_POST
@viewer_required
def faq_review_snooze(request: HttpRequest) -> HttpResponse:
    """Skip one question for now (or bring it back): only this person's queue changes."""
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Incomplete form.")
    data = form.cleaned_data
    next_url = safe_next(request, data["next"], default=QUEUE_PATH)
    if data["undo"]:
        faq_unsnooze(user=request.user, revox_id=data["assistant"], question=data["question"])
        message = "Back in your queue."
    else:
        snooze = faq_snooze(
            user=request.user,
            revox_id=data["assistant"],
            question=data["question"],
            hours=int(data["hours"]),
        )
        until = date_format(timezone.localtime(snooze.until), "D j M, H:i")
        message = f"Skipped for now: hidden from your queue until {until}."
    if not request.htmx:
        messages.success(request, f"“{data['question'][:80]}”: {message}")
        return redirect(next_url)
    row = QueueRow(
        revox_id=data["assistant"], assistant_name=data["assistant_name"] or data["assistant"],
        upstream_id=data["upstream_id"], question=data["question"], answer="",
        source=data["source"] or "human", pending=True,
    )  # fmt: skip
    state = {"level": "secondary", "icon": "clock", "message": message, "snoozed": not data["undo"]}
    context = {
        "row": row,
        "state": state,
        # It left this view: the links to later pages count it, so the next page starts right.
        "left": True,
        "can_act": can_edit(request.user),
        "selected": set(),
        "queue_url": next_url,
        **_snooze_context(),
    }
    return render(request, "faq_review/queue.html#row", context)


# -- bulk -----------------------------------------------------------------------------------------


def _bulk_plan(request: HttpRequest, kind: str) -> dict[str, list[faq.Action]]:
    if request.POST.get("scope") == "filter":
        return plan_from_filter(
            QueueFilter.from_params(request.POST),
            kind=kind,
            skipped=faq_skipped(user=request.user, only=request.POST.get("skipped") == "1"),
        )
    # Each row carries its question and the answer shown: the question finds the item again
    # after a save renumbered the ids; the answer is what "approve" approves.
    answers, questions = {}, {}
    for name, value in request.POST.items():
        if name.startswith("answer:"):
            answers[name.removeprefix("answer:")] = value
        elif name.startswith("question:"):
            questions[name.removeprefix("question:")] = value
    return plan_from_keys(
        request.POST.getlist("item"), kind=kind, answers=answers, questions=questions
    )


@require_POST
@editor_required
def faq_review_bulk(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("action")
    if kind not in (faq.APPROVE, faq.DELETE):
        return HttpResponseBadRequest("Unknown bulk action.")
    plan = _bulk_plan(request, kind)
    back = _queue_url(QueueFilter.from_params(request.POST), _start(request.POST))
    if not plan:
        if request.htmx:
            response = render(
                request,
                "faq_review/queue.html#nothing_selected",
                {"nothing_selected": NOTHING_SELECTED},
            )
            return reswap(retarget(response, "#bulk-notice"), "innerHTML")
        messages.warning(request, NOTHING_SELECTED)
        return redirect(back)
    job = faq_bulk_enqueue(user=request.user, plan=plan, action=kind)
    return job_started(request, job, then=back, oob={"bulk-notice": "innerHTML"})


# -- CSV ------------------------------------------------------------------------------------------
