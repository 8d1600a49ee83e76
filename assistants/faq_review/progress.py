"""A bulk action as it runs: the response streams one JSON line per assistant done, so the page
can show progress, and ends with the report (sent when the page asks for it with STREAM_HEADER;
without JavaScript the same work answers with a whole page)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from django.template.loader import render_to_string

from assistants import faq, selectors
from assistants.faq_review.services import AssistantOutcome, failed_keys, faq_review_apply_bulk

STREAM_HEADER = "X-Revox-Progress"


def progress_lines(
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
    for outcome in faq_review_apply_bulk(user=request.user, plan=plan):
        outcomes.append(outcome)
        yield json.dumps({
            "type": "progress", "done": len(outcomes), "total": total, "assistant": outcome.name,
            "failed": bool(outcome.failed),
        }) + "\n"  # fmt: skip
    html = render_to_string(template, {"report": outcomes}, request=request)
    yield json.dumps({
        "type": "done", "html": html, "failed_keys": failed_keys(outcomes),
        "pending": selectors.total_pending_faq(),
    }) + "\n"  # fmt: skip


def progress_response(
    request: HttpRequest, plan: dict[str, list[faq.Action]], *, template: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        progress_lines(request, plan, template=template), content_type="application/x-ndjson"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # let a proxy pass the lines on as they come
    return response
