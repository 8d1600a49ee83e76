"""The FAQ review queue's pages. Thin: parse, call one selector or service, render.

htmx requests get the named partial of the same template; plain requests get whole pages, so
everything also works without JavaScript. A bulk action asked for by the page's script answers
with a stream of progress lines (NDJSON) instead of a page.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import replace

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from . import faq, faq_review, selectors, services
from .faq_review import AssistantOutcome, QueueFilter, QueueRow
from .revox import RevoxError
from .roles import can_edit, editor_required, viewer_required

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "faq_review_import"
STREAM_HEADER = "X-Revox-Progress"
QUEUE_PATH = "/faq-review/"  # a contract URL (DESIGN.md)

NOTHING_SELECTED = "Select at least one item first."
IMPORT_EXPIRED = "This preview has expired or was already applied. Upload the file again."


class _CountedPaginator(Paginator):
    """A paginator told its count, for when the assistant rows can say it faster than a
    COUNT over the FAQ index."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _queue_url(filters: QueueFilter, page: int | str | None = None) -> str:
    params = filters.as_params()
    if page and str(page) != "1":
        params["page"] = str(page)
    query = urlencode(params)
    return QUEUE_PATH + (f"?{query}" if query else "")


def _queue_context(
    request: HttpRequest,
    params: Mapping[str, str],
    *,
    report: list[AssistantOutcome] | None = None,
    selected: list[str] | None = None,
) -> dict:
    filters = QueueFilter.from_params(params)
    page = _CountedPaginator(
        faq_review.faq_queue(filters=filters), PAGE_SIZE,
        count=faq_review.faq_queue_total(filters=filters),
    ).get_page(params.get("page"))  # fmt: skip
    show_all = params.get("all_assistants") == "1"
    counts, assistant_total = faq_review.faq_queue_counts(
        filters=filters, limit=None if show_all else 20
    )
    assistant_name = ""
    if filters.assistant:
        assistant = selectors.assistant_get(revox_id=filters.assistant)
        assistant_name = assistant.name if assistant else filters.assistant
    return {
        "filters": filters,
        "page": page,
        "rows": [QueueRow.from_item(item) for item in page],
        "counts": [(c, _queue_url(replace(filters, assistant=c.revox_id))) for c in counts],
        "all_assistants_url": _queue_url(replace(filters, assistant="")),
        "assistant_total": assistant_total,
        "show_all_assistants": show_all,
        "assistant_name": assistant_name,
        "statuses": faq_review.STATUSES,
        "sources": faq_review.SOURCES,
        "query": urlencode(filters.as_params()),
        "queue_url": _queue_url(filters, page.number),
        "item_url": reverse("assistants:faq_review_item"),
        "refresh_needed": selectors.cache_status().stale,
        "report": report,
        "selected": set(selected or ()),
        "can_act": can_edit(request.user),
    }


@require_GET
@vary_on_headers("HX-Request")
@viewer_required
def faq_review_queue(request: HttpRequest) -> HttpResponse:
    context = _queue_context(request, request.GET)
    if request.htmx and request.htmx.target == "faq-results":
        return render(request, "faq_review/queue.html#results", context)
    return render(request, "faq_review/queue.html", context)


@require_POST
@viewer_required
def faq_review_refresh(request: HttpRequest) -> HttpResponse:
    """Bring the cache up to date with Revox, then show the queue again. Viewers may ask too:
    it changes nothing in Revox."""
    try:
        services.assistants_sync()
    except RevoxError as err:
        messages.error(request, f"Could not refresh from Revox: {err}")
    if request.htmx:
        return render(
            request, "faq_review/queue.html#refreshed", _queue_context(request, request.POST)
        )
    return redirect(_queue_url(QueueFilter.from_params(request.POST)))


# -- one item -----------------------------------------------------------------------------------


class ItemActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(k, k) for k in (faq.APPROVE, faq.ANSWER, faq.DELETE)])
    assistant = forms.CharField(max_length=64)
    upstream_id = forms.CharField(max_length=64, required=False)
    question = forms.CharField(strip=False)
    answer = forms.CharField(strip=False, required=False)
    assistant_name = forms.CharField(required=False)
    source = forms.CharField(required=False)
    pending = forms.BooleanField(required=False)


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


@require_POST
@editor_required
def faq_review_item(request: HttpRequest) -> HttpResponse:
    """Approve, answer or delete one item, in place."""
    form = ItemActionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Incomplete form.")
    data = form.cleaned_data
    row = QueueRow(
        revox_id=data["assistant"], assistant_name=data["assistant_name"] or data["assistant"],
        upstream_id=data["upstream_id"], question=data["question"], answer=data["answer"],
        source=data["source"] or "human", pending=data["pending"],
    )  # fmt: skip
    action = faq.Action(data["action"], data["upstream_id"], data["question"], data["answer"])
    error, result, notice = "", None, ""
    if action.kind == faq.ANSWER and not action.answer.strip():
        error = faq.ANSWER_REQUIRED
    else:
        outcome = faq_review.faq_review_apply(
            user=request.user, revox_id=row.revox_id, actions=[action]
        )
        notice = outcome.unpatched_calls_message
        result = outcome.results[0] if outcome.results else None
        if result is None or result.status == "failed":
            error = result.message if result else outcome.error
        elif result.action.kind != faq.DELETE:
            row = QueueRow(**{**row.__dict__, "pending": False})
    state = _row_state(result, faq.lf(action.answer) if action.answer.strip() else row.answer)

    if notice:
        messages.warning(request, f"FAQ saved. {notice}", extra_tags="sticky")
    if not request.htmx:
        if error:
            messages.error(request, f"“{row.question[:80]}”: {error}")
        elif state:
            messages.success(request, f"“{row.question[:80]}”: {state['message'].split(':')[0]}.")
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("assistants:faq_review")
        return redirect(next_url)
    response = render(
        request,
        "faq_review/queue.html#row",
        {
            "row": row,
            "state": state,
            "error": error,
            "can_act": True,
            "selected": set(),
            "item_url": reverse("assistants:faq_review_item"),
        },
    )
    response["HX-Trigger"] = json.dumps({"faq:total": {"pending": selectors.total_pending_faq()}})
    return response


# -- bulk -----------------------------------------------------------------------------------------


def _bulk_plan(request: HttpRequest, kind: str) -> dict[str, list[faq.Action]]:
    if request.POST.get("scope") == "filter":
        return faq_review.plan_from_filter(QueueFilter.from_params(request.POST), kind=kind)
    # Each row carries its question and the answer shown: the question finds the item again
    # after a save renumbered the ids; the answer is what "approve" approves.
    answers, questions = {}, {}
    for name, value in request.POST.items():
        if name.startswith("answer:"):
            answers[name.removeprefix("answer:")] = value
        elif name.startswith("question:"):
            questions[name.removeprefix("question:")] = value
    return faq_review.plan_from_keys(
        request.POST.getlist("item"), kind=kind, answers=answers, questions=questions
    )


def _progress_stream(
    request: HttpRequest, plan: dict[str, list[faq.Action]], *, template: str
) -> Iterator[str]:
    """One JSON line when it starts, one per assistant done, and one at the end carrying the
    report, which rows failed (to keep them selected), and the new pending total."""
    total = len(plan)
    yield (
        json.dumps({"type": "start", "total": total, "items": sum(len(a) for a in plan.values())})
        + "\n"
    )
    outcomes: list[AssistantOutcome] = []
    for outcome in faq_review.faq_review_bulk(user=request.user, plan=plan):
        outcomes.append(outcome)
        yield json.dumps({
            "type": "progress", "done": len(outcomes), "total": total, "assistant": outcome.name,
            "failed": bool(outcome.failed),
        }) + "\n"  # fmt: skip
    html = render_to_string(template, {"report": outcomes}, request=request)
    yield json.dumps({
        "type": "done", "html": html, "failed_keys": faq_review.failed_keys(outcomes),
        "pending": selectors.total_pending_faq(),
    }) + "\n"  # fmt: skip


def _streamed(
    request: HttpRequest, plan: dict[str, list[faq.Action]], *, template: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _progress_stream(request, plan, template=template), content_type="application/x-ndjson"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # let a proxy pass the lines on as they come
    return response


@require_POST
@editor_required
def faq_review_bulk(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("action")
    if kind not in (faq.APPROVE, faq.DELETE):
        return HttpResponseBadRequest("Unknown bulk action.")
    plan = _bulk_plan(request, kind)
    if not plan:
        messages.warning(request, NOTHING_SELECTED)
        if request.headers.get(STREAM_HEADER):
            return _streamed(request, {}, template="faq_review/queue.html#report")
        return redirect(_queue_url(QueueFilter.from_params(request.POST)))
    if request.headers.get(STREAM_HEADER):
        return _streamed(request, plan, template="faq_review/queue.html#report")
    outcomes = list(faq_review.faq_review_bulk(user=request.user, plan=plan))
    context = _queue_context(
        request, request.POST, report=outcomes, selected=faq_review.failed_keys(outcomes)
    )
    return render(request, "faq_review/queue.html", context)


# -- CSV ------------------------------------------------------------------------------------------


@require_GET
@viewer_required
def faq_review_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = QueueFilter.from_params(request.GET)
    response = StreamingHttpResponse(
        faq_review.csv_export_lines(filters=filters), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="faq-review-{stamp}.csv"'
    return response


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,  # refused by faq_review.csv_read, with a plainer message
        help_text="A file exported from this page, with answers filled in. Rows are matched on "
        "assistant id and question; other columns are ignored.",
    )


@require_http_methods(["GET", "POST"])
@editor_required
def faq_review_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV and see, per assistant, what it would change. Nothing is written yet."""
    form = CsvImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "limit": faq_review.csv_max_bytes()}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = faq_review.csv_read(upload)
        except faq_review.CsvRefused as err:
            form.add_error("file", str(err))
        else:
            token = uuid.uuid4().hex
            request.session[IMPORT_SESSION_KEY] = {
                "token": token,
                "file": upload.name[:200],
                "plan": {
                    revox_id: [[a.upstream_id, a.question, a.answer] for a in actions]
                    for revox_id, actions in preview.plan().items()
                },
            }
            context.update(preview=preview, token=token, file_name=upload.name)
    return render(request, "faq_review/import.html", context)


@require_POST
@editor_required
def faq_review_import_apply(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(IMPORT_SESSION_KEY) or {}
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, IMPORT_EXPIRED)
        return redirect("assistants:faq_review_import")
    del request.session[IMPORT_SESSION_KEY]  # applying twice would do nothing, but say so
    plan = {
        revox_id: [
            faq.Action(faq.ANSWER, upstream_id, question, answer)
            for upstream_id, question, answer in rows
        ]
        for revox_id, rows in stored["plan"].items()
    }
    if request.headers.get(STREAM_HEADER):
        return _streamed(request, plan, template="faq_review/import.html#report")
    outcomes = list(faq_review.faq_review_bulk(user=request.user, plan=plan))
    context = {"form": CsvImportForm(), "limit": faq_review.csv_max_bytes(), "report": outcomes,
               "file_name": stored.get("file", "")}  # fmt: skip
    return render(request, "faq_review/import.html", context)
