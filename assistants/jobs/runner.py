"""The runner's API: kinds of job, enqueueing one, running it on a worker, resuming one whose
worker died.

A kind is a function `run(job, items)` that gets the job and its items still pending and either
yields one `ItemResult` per item as each is known (the runner writes it at once, with the job's
counts), or, for a job without items, returns a one-line summary. Whatever it returns at the end
(a generator's return value) becomes the job's summary. It must be safe to run again for an item
whose work landed but whose result was not written (the worker died in between): the FAQ review
reads each assistant fresh and finds the answer already approved.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from assistants.jobs.models import Job, JobItem

logger = logging.getLogger(__name__)

UNKNOWN_KIND = "Stopped: this worker does not know jobs of this kind ({kind})."
UNEXPECTED = "Stopped by an unexpected error; the worker's log has the details."
GAVE_UP = (
    "Stopped: the worker running it stopped {n} times; the items not done are left as they are."
)


@dataclass(frozen=True)
class JobItemSpec:
    """One item of work, as enqueued."""

    key: str
    label: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemResult:
    """What one item came to: status "done", "failed" or "conflict"."""

    key: str
    status: str
    message: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


RunFunction = Callable[[Job, list[JobItem]], "Iterator[ItemResult] | str | None"]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str  # what the jobs page calls it: "FAQ review", "Refresh from Revox"
    run: RunFunction
    report_template: str = ""  # the kind's own account of its items' details, if any
    # More context for that template, from the job and its items (e.g. what to keep selected).
    report_context: Callable[[Job, list[JobItem]], dict] | None = None


KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str, *, label: str, report_template: str = "",
    report_context: Callable[[Job, list[JobItem]], dict] | None = None,
) -> Callable[[RunFunction], RunFunction]:  # fmt: skip
    """Register `run` as the step of jobs of kind `name`."""

    def register(run: RunFunction) -> RunFunction:
        KINDS[name] = JobKind(name, label, run, report_template, report_context)
        return run

    return register


# -- enqueue ------------------------------------------------------------------------------------


def job_enqueue(
    *,
    kind: str,
    user: AbstractBaseUser | None,
    title: str,
    items: Sequence[JobItemSpec] = (),
    params: dict[str, Any] | None = None,
) -> Job:
    """Create the job and its items and put it on the queue, in one transaction: the queue is a
    table of the same database, so a job is never saved without its task, nor the reverse."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, title=title[:200], started_by=user if user and user.pk else None,
            params=params or {}, total=len(items),
        )  # fmt: skip
        JobItem.objects.bulk_create(
            JobItem(job=job, position=n, key=spec.key[:200], label=spec.label[:200],
                    payload=spec.payload)
            for n, spec in enumerate(items)
        )  # fmt: skip
        _put_on_queue(job)
    return job


def _put_on_queue(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


# -- run ----------------------------------------------------------------------------------------


class JobStopped(Exception):
    """Raised by a kind's step to stop the job with a message people may read (its str)."""


class Superseded(Exception):
    """The job was taken over by another worker (this one was thought dead): stop quietly."""


def job_run(*, job_id: int) -> str:
    """Run a queued job on this worker: its pending items only. Returns its final status, or
    "skipped" when the job was not waiting (another worker holds it, or it is finished)."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, worker=token, heartbeat_at=now,
        started_at=Coalesce(F("started_at"), now), attempts=F("attempts") + 1,
    )  # fmt: skip
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("started_by").get(pk=job_id)
    kind = KINDS.get(job.kind)
    if kind is None:
        return _finish(job, token, Job.Status.FAILED, UNKNOWN_KIND.format(kind=job.kind))
    try:
        with _heartbeat(job.pk, token):
            summary = _run_kind(kind, job, token)
    except JobStopped as stopped:
        return _finish(job, token, Job.Status.FAILED, str(stopped))
    except Superseded:
        logger.warning("job %s was taken over by another worker; this run stops", job.pk)
        return "superseded"
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        return _finish(job, token, Job.Status.FAILED, UNEXPECTED)
    return _finish(job, token, Job.Status.DONE, summary)


@task()
def run_job(job_id: int) -> str:
    """The one task the queue carries: everything a job does is in its row and its kind."""
    return job_run(job_id=job_id)


def _run_kind(kind: JobKind, job: Job, token: str) -> str:
    pending = list(job.items.filter(status=JobItem.Status.PENDING))
    outcome = kind.run(job, pending)
    if not inspect.isgenerator(outcome):
        return outcome or ""
    while True:
        try:
            result = next(outcome)
        except StopIteration as end:
            return end.value or ""
        _record(job.pk, token, result)


def _record(job_id: int, token: str, result: ItemResult) -> None:
    """One item's result, the job's count and its heartbeat, in one transaction of two writes;
    raises Superseded (and writes nothing) when the job is no longer this run's."""
    counter = {"done": "done_count", "failed": "failed_count", "conflict": "conflict_count"}
    if result.status not in counter:
        raise ValueError(f"unknown item status {result.status!r}")
    with transaction.atomic():
        written = JobItem.objects.filter(
            job_id=job_id, key=result.key[:200], status=JobItem.Status.PENDING
        ).update(status=result.status, message=result.message, detail=result.detail,
                 finished_at=timezone.now())  # fmt: skip
        count = {counter[result.status]: F(counter[result.status]) + 1} if written else {}
        if not Job.objects.filter(pk=job_id, worker=token).update(
            heartbeat_at=timezone.now(), **count
        ):
            raise Superseded  # rolls the item back: it is the other run's to write


def _finish(job: Job, token: str, status: str, summary: str) -> str:
    Job.objects.filter(pk=job.pk, worker=token).update(
        status=status, summary=summary, finished_at=timezone.now(), worker=""
    )
    return status


@contextlib.contextmanager
def _heartbeat(job_id: int, token: str) -> Iterator[None]:
    """Say the job is alive every JOBS_HEARTBEAT_SECONDS while a step runs (one assistant may
    take a while to answer), from a thread of its own with its own connection. 0 turns it off
    (the items' results alone keep it alive then)."""
    every = settings.JOBS_HEARTBEAT_SECONDS
    if not every:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                Job.objects.filter(pk=job_id, worker=token).update(heartbeat_at=timezone.now())
        except Exception:
            logger.exception("job %s: heartbeat failed", job_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)


# -- resume -------------------------------------------------------------------------------------


def jobs_resume_stale() -> list[int]:
    """Put back on the queue the jobs whose worker stopped under them: running, and not heard
    of for JOBS_STALE_AFTER seconds; and jobs waiting whose queue entry is gone. Each is taken
    by one worker only (the UPDATE's WHERE still matches for one). Returns their ids."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOBS_STALE_AFTER)
    resumed = []
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=stale):
        with transaction.atomic():
            if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
                Job.objects.filter(pk=job.pk, worker=job.worker).update(
                    status=Job.Status.FAILED, finished_at=now, worker="",
                    summary=GAVE_UP.format(n=job.attempts),
                )  # fmt: skip
                continue
            if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING,
                                      worker=job.worker).update(status=Job.Status.QUEUED,
                                                                worker=""):  # fmt: skip
                continue
            # The dead run's queue entry would say "running" for ever.
            DBTaskResult.objects.filter(
                pk=job.task_id or None, status__in=["READY", "RUNNING"]
            ).update(status="FAILED", finished_at=now)
            _put_on_queue(job)
        logger.warning("job %s: its worker stopped; put back on the queue", job.pk)
        resumed.append(job.pk)
    waiting = Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=stale)
    live = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).values("id")
    for job in waiting.exclude(task_id__in=[str(r["id"]) for r in live]):
        with transaction.atomic():
            if Job.objects.select_for_update().filter(pk=job.pk, task_id=job.task_id,
                                                     status=Job.Status.QUEUED).exists():  # fmt: skip
                _put_on_queue(job)
                resumed.append(job.pk)
    return resumed
