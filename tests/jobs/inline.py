"""Running the queued jobs in the test's own process, as a worker would (`job_run`, the worker's
step), for the tests that look at what a job does rather than at the worker itself; the worker
as a process of its own is tests/jobs/test_worker_process.py."""

from __future__ import annotations

from assistants.jobs.models import Job
from assistants.jobs.runner import job_run


def run_queued_jobs() -> list[Job]:
    """Run every waiting job to its end; returns them, as they finished."""
    ran = []
    for pk in (
        Job.objects.filter(status=Job.Status.QUEUED).order_by("id").values_list("pk", flat=True)
    ):
        job_run(job_id=pk)
        ran.append(Job.objects.get(pk=pk))
    return ran
