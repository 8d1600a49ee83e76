"""The spreadsheet round trip's pages: export the queue as filtered, upload a CSV and see what it
would change (nothing written yet), then apply it. The reading and writing of the file itself
is csv_io.py."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistants import faq
from assistants.faq_review.csv_io import CsvRefused, csv_export_lines, csv_max_bytes, csv_read
from assistants.faq_review.forms import CsvImportForm
from assistants.faq_review.jobs import faq_bulk_enqueue
from assistants.faq_review.selectors import QueueFilter
from assistants.faq_review.views import bulk_job_cards, job_started
from assistants.team.roles import editor_required, viewer_required

IMPORT_SESSION_KEY = "faq_review_import"


IMPORT_EXPIRED = "This preview has expired or was already applied. Upload the file again."


@require_GET
@viewer_required
def faq_review_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = QueueFilter.from_params(request.GET)
    response = StreamingHttpResponse(
        csv_export_lines(filters=filters), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="faq-review-{stamp}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@editor_required
def faq_review_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV and see, per assistant, what it would change. Nothing is written yet."""
    form = CsvImportForm(request.POST or None, request.FILES or None)
    cards = bulk_job_cards(request.GET) if request.GET.get("job") else []
    context: dict = {"form": form, "limit": csv_max_bytes(),
                     "job_cards": [c for c in cards if c["job"].params.get("file")]}  # fmt: skip
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = csv_read(upload)
        except CsvRefused as err:
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
    job = faq_bulk_enqueue(
        user=request.user, plan=plan, action=faq.ANSWER, file_name=stored.get("file", "")
    )
    return job_started(
        request, job, then=reverse("assistants:faq_review_import"), oob={"import-preview": "delete"}
    )
