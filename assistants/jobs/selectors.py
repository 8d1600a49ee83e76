"""The jobs' reads, for the jobs page, the progress cards and the navigation's badge."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from assistants.jobs.models import Job, JobItem
from assistants.jobs.runner import KINDS

RECENT = 50
ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)
# How often a page asks again while a job runs (ms), by how long it has run: a bulk action of a
# few seconds shows its end about when it happens, a long one costs a request a second.
POLL_MS = ((10, 100), (60, 300), (None, 1000))


def poll_ms(job: Job) -> int:
    age = (timezone.now() - job.created_at).total_seconds()
    return next(ms for limit, ms in POLL_MS if limit is None or age < limit)


def jobs_active_count() -> int:
    return Job.objects.filter(status__in=ACTIVE).count()


def jobs_recent(*, limit: int = RECENT) -> tuple[list[Job], list[Job]]:
    """(running or waiting, oldest first; the last `limit` finished, newest first)."""
    jobs = Job.objects.select_related("started_by")
    active = list(jobs.filter(status__in=ACTIVE).order_by("created_at", "id"))
    finished = list(jobs.exclude(status__in=ACTIVE).order_by("-created_at", "-id")[:limit])
    return active, finished


def job_get(*, pk: int) -> Job | None:
    return Job.objects.select_related("started_by").filter(pk=pk).first()


def jobs_of_kind_active(*, kind: str) -> QuerySet[Job]:
    return Job.objects.filter(kind=kind, status__in=ACTIVE).order_by("created_at", "id")


def job_card(job: Job, *, with_active_count: bool = False) -> dict:
    """Everything a job's card shows (templates/jobs/_card.html reads it as `card`): the job,
    its kind's label, its items, and the kind's own report (template and context)."""
    kind = KINDS.get(job.kind)
    items = list(job.items.all()) if job.total else []
    report = {
        "job": job,
        "poll_ms": poll_ms(job),
        "active_count": jobs_active_count() if with_active_count else None,
        "kind_label": kind.label if kind else job.kind,
        "items": items,
        "handled_items": [i for i in items if i.status != JobItem.Status.PENDING],
        "report_template": kind.report_template if kind else "",
    }
    if kind and kind.report_context:
        report.update(kind.report_context(job, items))
    return report
