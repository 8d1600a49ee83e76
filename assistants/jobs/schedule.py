"""What runs on a timer: the refresh of the local copy every REVOX_CACHE_MAX_AGE, with what
follows it (the call record's refresh). Every worker ticks (`schedule_tick`); a shared claim
makes one of them enqueue, so several workers refresh once, not once each."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assistants.cache.leases import lease_held
from assistants.cache.selectors import cache_is_stale
from assistants.cache.services import assistants_sync_once, sync_followers_run
from assistants.jobs.models import Job
from assistants.jobs.runner import JobStopped, job_enqueue, job_kind, jobs_resume_stale
from assistants.revox import RevoxError

logger = logging.getLogger(__name__)

SYNC = "cache.sync"
SYNC_TITLE = "Refresh the local copy from Revox"
SCHEDULE_LEASE = "jobs-schedule"
KEEP_SCHEDULED = 5  # finished scheduled refreshes kept on the jobs page; older ones go
KEEP_TASK_ROWS = timedelta(days=1)  # the queue's finished entries (the jobs keep what matters)
KEEP_JOBS = timedelta(days=90)  # finished jobs on the jobs page and their results
SYNC_FAILED = "Revox could not be read: {error}"
ALREADY_FRESH = "Already fresh: a page had just refreshed it."


@job_kind(SYNC, label="Refresh from Revox")
def sync_run(job: Job, items: list) -> str:
    try:
        # Once across every worker and page; the cache may have been refreshed meanwhile.
        result = assistants_sync_once(needed=cache_is_stale)
    except RevoxError as err:
        raise JobStopped(SYNC_FAILED.format(error=err)) from err
    # What follows it (the call record), with a background job's budget; a failure there is
    # remembered for its pages and does not fail the job.
    followed = sync_followers_run(background=True)
    return " ".join(filter(None, [f"Synced: {result}." if result else ALREADY_FRESH, followed]))


def sync_due() -> bool:
    """The copy is older than REVOX_CACHE_MAX_AGE and no refresh was started within that time
    (one that failed is not retried at every tick while Revox is down)."""
    if not cache_is_stale():
        return False
    recent = timezone.now() - timedelta(seconds=settings.REVOX_CACHE_MAX_AGE)
    started = Job.objects.filter(kind=SYNC)
    if started.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists():
        return False
    return not started.filter(created_at__gte=recent).exists()


def schedule_tick() -> None:
    """One look at the clock, from any worker: take over the jobs of dead workers, and start the
    periodic refresh when it is due."""
    jobs_resume_stale()
    if not sync_due():  # reads only: most ticks end here, writing nothing
        return
    with lease_held(name=SCHEDULE_LEASE, ttl=max(settings.JOBS_TICK_SECONDS, 5), wait=0) as ours:
        if ours and sync_due():  # asked again: another worker may have just started one
            job_enqueue(kind=SYNC, user=None, title=SYNC_TITLE)
            jobs_prune()


def jobs_prune() -> None:
    """What would otherwise grow for ever, trimmed once per refresh: the refresh runs every
    minute, so the jobs page keeps its last few; the queue's finished entries go after a day
    (the jobs hold the results); finished jobs after KEEP_JOBS."""
    now = timezone.now()
    done = [Job.Status.DONE, Job.Status.FAILED]
    refreshes = Job.objects.filter(kind=SYNC, started_by=None, status__in=done)
    keep = list(refreshes.order_by("-created_at").values_list("pk", flat=True)[:KEEP_SCHEDULED])
    refreshes.exclude(pk__in=keep).delete()
    Job.objects.filter(status__in=done, finished_at__lt=now - KEEP_JOBS).delete()
    DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - KEEP_TASK_ROWS
    ).delete()
