"""The jobs' pages: running and recent jobs (/jobs/), one job (/jobs/<id>/), the progress card
other pages embed and poll (/jobs/<id>/card/), and the navigation's badge. Every member of the
team sees every job: a teammate's bulk action shows here too."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from assistants.jobs.models import Job
from assistants.jobs.selectors import job_card, job_get, jobs_active_count, jobs_recent
from assistants.team.roles import viewer_required


def _job_or_404(pk: int) -> Job:
    job = job_get(pk=pk)
    if job is None:
        raise Http404("No such job.")
    return job


@require_GET
@vary_on_headers("HX-Request")
@viewer_required
def jobs_list(request: HttpRequest) -> HttpResponse:
    active, finished = jobs_recent()
    context = {"active": active, "finished": finished, "poll_ms": 1000,
               "refresh_every": settings.REVOX_CACHE_MAX_AGE}  # fmt: skip
    if request.htmx:
        return render(request, "jobs/list.html#tables", context)
    return render(request, "jobs/list.html", context)


@require_GET
@viewer_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/detail.html", {"card": job_card(_job_or_404(pk))})


@require_GET
@viewer_required
def job_card_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """The card alone, as a page polls it (with the navigation's badge, out of band). Once the
    job has finished, the answer tells the page (HX-Trigger "jobs:finished") so that it can
    bring up to date what depends on the job."""
    job = _job_or_404(pk)
    card = job_card(job, with_active_count=True)
    response = render(request, "jobs/_card.html", {"card": card, "oob_badge": True})
    if job.finished:
        response["HX-Trigger"] = json.dumps({"jobs:finished": {
            "id": job.pk, "kind": job.kind, "status": job.status,
            "failed_keys": card.get("failed_keys", []),
        }})  # fmt: skip
    return response


@require_GET
@viewer_required
def jobs_badge(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/_badge.html", {"nav_active_jobs": jobs_active_count()})
