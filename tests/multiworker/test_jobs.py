"""Two job workers beside the deploy of test_workers.py (gunicorn on PostgreSQL, Django's cache on
Redis, the sandbox as its own process): two bulk actions started at the same moment run at the
same time on the two workers, each assistant saved once; the periodic refresh runs once per
period, not once per worker; a worker killed mid-job has its job finished by the other."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

import pytest
from django_tasks_db.models import DBTaskResult

from assistants.cache.services import assistants_sync
from assistants.jobs.models import Job
from assistants.jobs.schedule import SYNC
from tests.conftest import make_user
from tests.html_forms import as_post, form_fields
from tests.jobs.deployment import kill, start_job_worker
from tests.localservers.processes import Process
from tests.multiworker.servers import AppServers, at_once

pytestmark = [pytest.mark.django_db(transaction=True)]

PER_EDITOR = 4  # assistants each editor approves


@pytest.fixture
def job_workers(servers: AppServers) -> Iterator[list[Process]]:
    started, workers = [], []
    for name in ("job-worker-1", "job-worker-2"):
        worker, watchdog = start_job_worker(
            name, env={**servers.env, "REVOX_CACHE_MAX_AGE": "2"}, workdir=servers.workdir
        )
        started += [worker, watchdog]
        workers.append(worker)
    yield workers
    for process in started:
        process.stop(grace=5)


def seed(servers: AppServers, owner: str) -> list[str]:
    ids = []
    for n in range(PER_EDITOR):
        made = servers.sandbox.create(name=f"{owner} branch {n}", faq_items=[])
        servers.sandbox.suggest_faq(made["id"], f"Parking at {owner} {n}?", "Yes.")
        ids.append(made["id"])
    return ids


def start_bulk_approve(servers: AppServers, username: str, query: str):
    """An editor filters the queue to their assistants and approves all, as the form posts it."""
    dashboard = servers.signed_in(username)

    def post() -> int:
        page, _ = dashboard.get(f"/faq-review/?q={query}")
        data = as_post(form_fields(page.text, "bulk-form"), scope="filter", action="approve")
        response, _ = dashboard.post("/faq-review/bulk/", data=data, allow_redirects=False)
        assert response.status_code == 302, response.text[-1000:]
        return int(re.search(r"job=(\d+)", response.headers["Location"]).group(1))

    return post


def wait_until_done(job_ids: list[int], timeout: float = 90) -> list[Job]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = list(Job.objects.filter(pk__in=job_ids).order_by("pk"))
        if all(job.finished for job in jobs):
            return jobs
        time.sleep(0.1)
    raise AssertionError(f"jobs not finished: {[(j.pk, j.status) for j in jobs]}")


def test_two_workers_run_two_bulk_actions_at_once_and_refresh_once_per_period(
    servers: AppServers, job_workers
):
    make_user("alice", "Editor")
    make_user("bob", "Editor")
    ids = seed(servers, "Alice") + seed(servers, "Bob")
    assistants_sync()
    servers.sandbox.clear_requests()
    servers.sandbox.faults(latency_ms=300)  # each job takes ~2.4 s: long enough to overlap

    job_ids = at_once([start_bulk_approve(servers, "alice", "Alice"),
                       start_bulk_approve(servers, "bob", "Bob")])  # fmt: skip
    first, second = wait_until_done(job_ids)
    servers.sandbox.clear_faults()

    assert Counter(r["path"] for r in servers.sandbox.requests("PATCH")) == Counter(
        f"/assistants/{i}" for i in ids
    )  # every assistant saved, once
    assert [(j.status, j.done_count) for j in (first, second)] == [("done", PER_EDITOR)] * 2
    ran_on = {tuple(DBTaskResult.objects.get(pk=job.task_id).worker_ids) for job in (first, second)}
    assert ran_on == {("job-worker-1",), ("job-worker-2",)}  # one job on each worker
    assert first.started_at < second.finished_at and second.started_at < first.finished_at

    # Meanwhile both workers' clocks ticked every half second: the refresh (due every 2 s)
    # was started by one of them at a time, never two at once.
    time.sleep(3)
    syncs = list(Job.objects.filter(kind=SYNC).exclude(started_at=None).order_by("started_at"))
    assert syncs and all(s.status in ("done", "running") for s in syncs)
    for earlier, later in pairwise(syncs):
        assert earlier.finished_at and earlier.finished_at <= later.started_at


def test_a_worker_killed_mid_job_has_its_job_finished_by_the_other(
    servers: AppServers, job_workers
):
    make_user("alice", "Editor")
    ids = seed(servers, "Alice")
    assistants_sync()
    servers.sandbox.clear_requests()
    servers.sandbox.faults(latency_ms=500)

    (job_id,) = at_once([start_bulk_approve(servers, "alice", "Alice")])
    deadline = time.monotonic() + 30
    while not Job.objects.filter(pk=job_id, done_count__gte=1).exists():
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.05)
    task = DBTaskResult.objects.get(pk=Job.objects.get(pk=job_id).task_id)
    (holder,) = [w for w in job_workers if w.name == task.worker_ids[0]]
    kill(holder)

    (job,) = wait_until_done([job_id])
    servers.sandbox.clear_faults()

    assert (job.status, job.done_count, job.attempts) == ("done", PER_EDITOR, 2)
    assert Counter(r["path"] for r in servers.sandbox.requests("PATCH")) == Counter(
        f"/assistants/{i}" for i in ids
    )
    (survivor,) = [w for w in job_workers if w is not holder]
    assert DBTaskResult.objects.get(pk=job.task_id).worker_ids == [survivor.name]
