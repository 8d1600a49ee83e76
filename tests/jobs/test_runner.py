"""The runner's API in one process: enqueue a kind with items, run its step on each pending item,
record per-item results and counts; a job whose worker died is put back on the queue and
resumed with only the items not done; the periodic refresh is enqueued once; the jobs pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from assistants.jobs import runner
from assistants.jobs.models import Job, JobItem
from assistants.jobs.runner import (
    GAVE_UP,
    UNEXPECTED,
    ItemResult,
    JobItemSpec,
    JobStopped,
    job_enqueue,
    job_kind,
    job_run,
    jobs_resume_stale,
)
from assistants.jobs.schedule import SYNC, SYNC_TITLE, jobs_prune, schedule_tick
from tests.jobs.inline import run_queued_jobs

pytestmark = pytest.mark.django_db

ITEMS = [JobItemSpec(key=k, label=f"Item {k}", payload={"n": n}) for n, k in enumerate("abc")]


@pytest.fixture
def kind():
    """A kind of job for the tests: each item's step is recorded; `outcomes` says how an item
    ends (default "done"); `then` runs after the first item (to stop or take over the job)."""
    calls: list[str] = []
    plan = {"outcomes": {}, "then": None}

    def run(job, items):
        for number, item in enumerate(items):
            calls.append(item.key)
            status = plan["outcomes"].get(item.key, "done")
            yield ItemResult(item.key, status, f"{item.label}: {status}", {"n": item.payload["n"]})
            if number == 0 and plan["then"]:
                plan["then"](job)
        return f"{len(items)} handled"

    job_kind("tests.steps", label="Test steps")(run)
    yield type("Kind", (), {"calls": calls, "plan": plan, "name": "tests.steps"})
    runner.KINDS.pop("tests.steps")


def test_it_enqueues_the_job_with_its_items_and_its_task_together(kind, editor):
    job = job_enqueue(kind=kind.name, user=editor, title="Three steps", items=ITEMS)

    assert (job.status, job.total, job.started_by) == (Job.Status.QUEUED, 3, editor)
    assert list(job.items.values_list("key", "status")) == [(k, "pending") for k in "abc"]
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.task_path == "assistants.jobs.runner.run_job" and task.args_kwargs["args"] == [
        job.pk
    ]
    with pytest.raises(ValueError):
        job_enqueue(kind="no.such.kind", user=editor, title="?")
    assert Job.objects.count() == 1


def test_it_runs_each_item_once_and_keeps_each_result_and_the_counts(kind, editor):
    kind.plan["outcomes"] = {"b": "failed", "c": "conflict"}
    job = job_enqueue(kind=kind.name, user=editor, title="Three steps", items=ITEMS)

    assert job_run(job_id=job.pk) == Job.Status.DONE
    assert job_run(job_id=job.pk) == "skipped"  # a second delivery of the task does nothing

    job.refresh_from_db()
    assert kind.calls == ["a", "b", "c"]
    assert (job.done_count, job.failed_count, job.conflict_count) == (1, 1, 1)
    assert (job.summary, job.attempts, job.worker) == ("3 handled", 1, "")
    assert job.started_at and job.finished_at and job.percent == 100
    assert list(job.items.values_list("status", "message")) == [
        ("done", "Item a: done"), ("failed", "Item b: failed"), ("conflict", "Item c: conflict"),
    ]  # fmt: skip


def _worker_died(job: Job, *, seconds_ago: float = 120) -> None:
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_a_job_whose_worker_died_is_resumed_with_only_the_items_not_done(kind, editor):
    job = job_enqueue(kind=kind.name, user=editor, title="Three steps", items=ITEMS)

    class WorkerKilled(BaseException):
        """What SIGKILL leaves behind: nothing after the first item runs, not even clean-up."""

    def die(job):
        raise WorkerKilled

    kind.plan["then"] = die
    with pytest.raises(WorkerKilled):
        job_run(job_id=job.pk)
    first_task = job.task_id
    job.refresh_from_db()
    assert (job.status, job.done_count) == (Job.Status.RUNNING, 1)

    assert jobs_resume_stale() == []  # still heard of recently: not taken over
    _worker_died(job)
    assert jobs_resume_stale() == [job.pk]
    assert jobs_resume_stale() == []  # taken over once

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id != first_task
    assert DBTaskResult.objects.get(pk=first_task).status == "FAILED"  # not "running" for ever
    kind.plan["then"] = None
    run_queued_jobs()

    job.refresh_from_db()
    assert kind.calls == ["a", "b", "c"]  # "a" was not run again
    assert (job.status, job.done_count, job.attempts) == (Job.Status.DONE, 3, 2)


def test_a_run_that_was_taken_over_stops_without_writing(kind, editor):
    job = job_enqueue(kind=kind.name, user=editor, title="Three steps", items=ITEMS)
    kind.plan["then"] = lambda job: Job.objects.filter(pk=job.pk).update(worker="another-run")

    assert job_run(job_id=job.pk) == "superseded"

    job.refresh_from_db()
    assert kind.calls == ["a", "b"]  # "b" ran, but its result was not this run's to write
    assert list(job.items.values_list("status", flat=True)) == ["done", "pending", "pending"]
    assert (job.status, job.worker) == (Job.Status.RUNNING, "another-run")


def test_a_job_given_up_after_its_worker_died_too_often_says_so(kind, editor, settings):
    job = job_enqueue(kind=kind.name, user=editor, title="Three steps", items=ITEMS)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker="x",
                                         attempts=settings.JOBS_MAX_ATTEMPTS)  # fmt: skip
    _worker_died(job)

    assert jobs_resume_stale() == []
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.summary == GAVE_UP.format(n=settings.JOBS_MAX_ATTEMPTS)


def test_a_step_that_stops_says_why_and_a_bug_shows_no_traceback(editor, viewer_client):
    def stops(job, items):
        raise JobStopped("Revox could not be read: the connection timed out.")

    def bug(job, items):
        raise ZeroDivisionError("secret internals")

    job_kind("tests.stops", label="Stops")(stops)
    job_kind("tests.bug", label="Bug")(bug)
    try:
        stopped = job_enqueue(kind="tests.stops", user=editor, title="Stops")
        broken = job_enqueue(kind="tests.bug", user=editor, title="Bug")
        run_queued_jobs()
    finally:
        runner.KINDS.pop("tests.stops")
        runner.KINDS.pop("tests.bug")

    stopped.refresh_from_db()
    broken.refresh_from_db()
    assert (stopped.status, stopped.summary) == (Job.Status.FAILED, "Revox could not be read: the connection timed out.")  # fmt: skip
    assert (broken.status, broken.summary) == (Job.Status.FAILED, UNEXPECTED)
    page = viewer_client.get(f"/jobs/{broken.pk}/").content.decode()
    assert escape(UNEXPECTED) in page and "secret internals" not in page and "Traceback" not in page


def test_the_periodic_refresh_is_enqueued_once_when_due(revox, settings):
    settings.REVOX_CACHE_MAX_AGE = 60
    schedule_tick()
    schedule_tick()  # another worker's tick at the same moment: nothing more
    (job,) = Job.objects.filter(kind=SYNC)
    assert (job.title, job.started_by, job.status) == (SYNC_TITLE, None, Job.Status.QUEUED)

    revox.create(name="Made in Revox")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.summary.startswith("Synced: 1 new")

    schedule_tick()  # fresh now: not due
    assert Job.objects.filter(kind=SYNC).count() == 1


def test_a_refresh_that_failed_is_not_retried_at_every_tick(revox, settings):
    revox.faults({"method": "GET", "path": "/assistants", "status": 503})
    schedule_tick()
    run_queued_jobs()
    (job,) = Job.objects.filter(kind=SYNC)
    assert job.status == Job.Status.FAILED and job.summary.startswith("Revox could not be read")

    schedule_tick()
    assert Job.objects.filter(kind=SYNC).count() == 1  # again only after REVOX_CACHE_MAX_AGE


# -- pages --------------------------------------------------------------------------------------


def test_the_jobs_page_shows_running_and_recent_jobs_to_the_whole_team(kind, editor, viewer_client):
    kind.plan["outcomes"] = {"b": "failed"}
    finished = job_enqueue(kind=kind.name, user=editor, title="Fix the hours", items=ITEMS)
    run_queued_jobs()
    waiting = job_enqueue(kind=kind.name, user=editor, title="Approve 40 answers", items=ITEMS)

    page = viewer_client.get("/jobs/").content.decode()

    active, recent = page.split('id="jobs-recent-title"')
    assert "Approve 40 answers" in active and "Waiting for a worker" in active
    assert "Fix the hours" in recent and "2 went through" in recent and "1 failed" in recent
    assert editor.get_username() in page and "3 handled" in recent
    assert 'hx-trigger="every' in active  # the page asks again while something runs
    badge = page.split('id="nav-jobs-count"', 1)[1].split("</span>", 1)[0]
    assert ">1<" in badge  # the navigation counts what runs
    detail = viewer_client.get(f"/jobs/{finished.pk}/").content.decode()
    assert "Item b: failed" in detail and "Item a: done" in detail
    assert waiting.pk


def test_the_card_says_when_its_job_has_finished(kind, editor, viewer_client):
    job = job_enqueue(kind=kind.name, user=editor, title="Three steps", items=ITEMS)
    running = viewer_client.get(f"/jobs/{job.pk}/card/", HTTP_HX_REQUEST="true")
    assert (
        "HX-Trigger" not in running and f'hx-get="/jobs/{job.pk}/card/"' in running.content.decode()
    )

    run_queued_jobs()

    done = viewer_client.get(f"/jobs/{job.pk}/card/", HTTP_HX_REQUEST="true")
    assert json.loads(done["HX-Trigger"])["jobs:finished"]["status"] == "done"
    assert f'hx-get="/jobs/{job.pk}/card/"' not in done.content.decode()
    assert 'id="nav-jobs-count" hx-swap-oob="true" hidden' in done.content.decode()


def test_it_checks_sign_in_and_unknown_jobs(client, viewer_client):
    assert client.get("/jobs/").status_code == 302
    assert viewer_client.get("/jobs/999/").status_code == 404
    assert viewer_client.get("/jobs/999/card/").status_code == 404
    assert viewer_client.post("/jobs/").status_code == 405
    page = viewer_client.get("/jobs/").content.decode()
    assert "Nothing running" in page and "No job has run yet" in page
    assert not JobItem.objects.exists()


def test_a_job_no_worker_takes_says_why_it_waits(kind, editor, viewer_client):
    job = job_enqueue(kind=kind.name, user=editor, title="Three steps", items=ITEMS)
    card = viewer_client.get(f"/jobs/{job.pk}/card/").content.decode()
    assert "Waiting for a worker" in card and "No worker has taken it yet" not in card

    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=20))

    card = viewer_client.get(f"/jobs/{job.pk}/card/").content.decode()
    assert "No worker has taken it yet" in card and "manage.py jobs_worker" in card


def test_what_would_grow_for_ever_is_trimmed(kind, editor):
    old = timezone.now() - timedelta(days=100)
    refreshes = [job_enqueue(kind=SYNC, user=None, title=SYNC_TITLE) for _ in range(8)]
    Job.objects.filter(pk__in=[j.pk for j in refreshes]).update(status=Job.Status.DONE)
    ancient = job_enqueue(kind=kind.name, user=editor, title="Long ago", items=ITEMS)
    Job.objects.filter(pk=ancient.pk).update(status=Job.Status.DONE, finished_at=old)
    recent = job_enqueue(kind=kind.name, user=editor, title="Yesterday", items=ITEMS)
    DBTaskResult.objects.filter(pk=ancient.task_id).update(status="SUCCESSFUL", finished_at=old)

    jobs_prune()

    kept = set(Job.objects.values_list("pk", flat=True))
    assert kept == {recent.pk, *[j.pk for j in refreshes[-5:]]}
    assert not DBTaskResult.objects.filter(pk=ancient.task_id).exists()
    assert DBTaskResult.objects.filter(pk=recent.task_id).exists()
