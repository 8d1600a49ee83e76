"""The job runner with real worker processes on the embedded default (one SQLite file): a worker
killed mid-job leaves no assistant saved twice and the next worker finishes the job; the
periodic refresh runs on the worker with no cron; `sync_assistants` still works by hand."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from tests.html_forms import as_post, form_fields
from tests.jobs.deployment import Deployment

ASSISTANTS, QUESTIONS = 6, 3


@pytest.fixture
def waiting_answers(deployment: Deployment) -> list[str]:
    """Assistants in Revox with AI answers waiting for review, loaded into the local copy."""
    revox = deployment.sandbox
    revox.reset("empty")
    ids = []
    for n in range(ASSISTANTS):
        made = revox.create(name=f"Branch {n}", faq_items=[])
        for q in range(QUESTIONS):
            revox.suggest_faq(made["id"], f"Question {q} of branch {n}?", f"Answer {q}.")
        ids.append(made["id"])
    assert "Synced with Revox: 6 new" in deployment.manage("sync_assistants")  # the contract
    revox.clear_requests()
    return ids


def start_bulk_approve(deployment: Deployment) -> int:
    """An editor ticks "all matching" and approves, as the page's form posts it without JS."""
    dashboard = deployment.signed_in()
    page, _ = dashboard.get("/faq-review/")
    data = as_post(form_fields(page.text, "bulk-form"), scope="filter", action="approve")
    response, _ = dashboard.post("/faq-review/bulk/", data=data, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return int(re.search(r"job=(\d+)", response.headers["Location"]).group(1))


def job_row(deployment: Deployment, job_id: int) -> dict:
    (row,) = deployment.query(
        "SELECT status, attempts, done_count, failed_count, conflict_count, total"
        " FROM jobs_job WHERE id = ?", job_id,
    )  # fmt: skip
    return dict(
        zip(["status", "attempts", "done", "failed", "conflict", "total"], row, strict=True)
    )


def patched(deployment: Deployment) -> Counter:
    return Counter(r["path"] for r in deployment.sandbox.requests("PATCH"))


def test_a_worker_killed_mid_job_leaves_nothing_saved_twice_and_the_next_one_finishes(
    deployment: Deployment, waiting_answers: list[str]
):
    revox = deployment.sandbox
    revox.faults(latency_ms=400)  # each assistant takes ~0.8 s: the kill lands mid-job
    first = deployment.start_worker("worker-a", REVOX_CACHE_MAX_AGE="3600")
    job_id = start_bulk_approve(deployment)

    deployment.wait_for(lambda: len(patched(deployment)) >= 2, timeout=60, what="two saves")
    deployment.kill(first)
    killed_at = patched(deployment)
    assert job_row(deployment, job_id)["status"] == "running"  # left behind by the dead worker
    assert 2 <= sum(killed_at.values()) < ASSISTANTS

    deployment.start_worker("worker-b", REVOX_CACHE_MAX_AGE="3600")
    deployment.wait_for(
        lambda: job_row(deployment, job_id)["status"] == "done", timeout=90, what="job finished"
    )

    # Every assistant saved exactly once, by the two workers together.
    assert patched(deployment) == Counter(f"/assistants/{i}" for i in waiting_answers)
    for assistant_id in waiting_answers:
        items = revox.get(assistant_id)["faq_items"]
        assert [i["needs_human_answer"] for i in items] == [False] * QUESTIONS
    row = job_row(deployment, job_id)
    assert row == {"status": "done", "attempts": 2, "done": ASSISTANTS, "failed": 0,
                   "conflict": 0, "total": ASSISTANTS}  # fmt: skip
    # One history entry per assistant: none recorded twice either.
    changes = deployment.query("SELECT count(*) FROM assistants_change WHERE kind = 'faq_review'")
    assert changes == [(ASSISTANTS,)]
    page, _ = deployment.signed_in().get(f"/jobs/{job_id}/")
    assert "Finished" in page.text and f"{ASSISTANTS} went through" in page.text
    revox.clear_faults()


def test_the_worker_refreshes_the_local_copy_on_its_own(deployment: Deployment, waiting_answers):
    revox = deployment.sandbox
    deployment.start_worker("worker-clock", REVOX_CACHE_MAX_AGE="1")
    made = revox.create(name="Made outside the dashboard", faq_items=[])

    # No page open, no cron: the worker's clock notices the copy is old and refreshes it.
    deployment.wait_for(
        lambda: deployment.query("SELECT 1 FROM assistants_assistant WHERE revox_id = ?",
                                 made["id"]),
        timeout=30, what="the new assistant in the local copy",
    )  # fmt: skip
    time.sleep(2.5)
    syncs = deployment.query("SELECT status FROM jobs_job WHERE kind = 'cache.sync'")
    assert len(syncs) >= 2 and {s for (s,) in syncs} <= {"done", "queued", "running"}
    page, _ = deployment.signed_in().get("/jobs/")
    assert "Refresh the local copy from Revox" in page.text and "Scheduled" in page.text
