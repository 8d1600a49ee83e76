"""The one task the queue carries: run a job. Everything a job does is in its row and its kind."""

from __future__ import annotations

from django_tasks import task

from assistants.jobs.runner import job_run


@task()
def run_job(job_id: int) -> str:
    return job_run(job_id=job_id)
