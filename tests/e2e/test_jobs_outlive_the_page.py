"""A bulk FAQ action started in Chromium goes on after the browser is closed: it runs on the job
worker, a process of its own (the embedded default as `make run` runs it: gunicorn, jobs_worker
and the sandbox, one SQLite file), and its result is on the jobs page afterwards, by keyboard."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_audit, login, shot, watched_context
from tests.jobs.deployment import PASSWORD, USERNAME, Deployment, running_deployment

ASSISTANTS = 8


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    with running_deployment() as running:
        running.start_worker("worker-1", REVOX_CACHE_MAX_AGE="3600")
        yield running


def job_status(deployment: Deployment, job_id: int) -> str:
    return deployment.query("SELECT status FROM jobs_job WHERE id = ?", job_id)[0][0]


def test_a_bulk_action_finishes_after_the_browser_is_closed_and_its_result_stays(
    browser, page_problems, deployment: Deployment
):
    revox = deployment.sandbox
    revox.reset("empty")
    ids = []
    for n in range(ASSISTANTS):
        made = revox.create(name=f"Clinic {n + 1}", faq_items=[])
        revox.suggest_faq(made["id"], "Do you take walk-ins?", "Yes, until 4pm.")
        revox.suggest_faq(made["id"], "Is there parking?", "Yes, behind the building.")
        ids.append(made["id"])
    deployment.manage("sync_assistants")
    revox.clear_requests()
    revox.faults(latency_ms=800)  # ~1.6 s per assistant: the browser is gone long before the end

    context = watched_context(browser, page_problems, locale="en-US")
    page = context.new_page()
    login(page, deployment.url, USERNAME, PASSWORD)
    page.goto(f"{deployment.url}/faq-review/")
    page.get_by_label("Tick every question on this page").check()
    page.get_by_role("button", name="Approve selected").click()

    card = page.locator("#bulk-report [data-job]")
    expect(card).to_contain_text(f"Approve {2 * ASSISTANTS} FAQ answers in {ASSISTANTS} assistants")
    expect(card).to_contain_text("This runs on the server")
    expect(page.locator("#nav-jobs-count")).to_contain_text("1")  # the navigation says so
    expect(card).to_contain_text(re.compile(r"Working: [1-7] of 8 done"))
    axe_audit(page)  # the card, swapped in by the script and polling
    shot(page, "jobs-1-started-on-the-queue")
    job_id = int(card.get_attribute("data-job"))

    # A teammate's view of the same moment: the jobs page, reached from the navigation.
    other = context.new_page()
    other.goto(f"{deployment.url}/faq-review/")
    other.locator("#nav-jobs").click()
    running = other.locator("#jobs-active")
    expect(running).to_contain_text(f"Approve {2 * ASSISTANTS} FAQ answers")
    expect(running.locator(".job-status")).to_have_text("Running")
    # The table asks again while the job runs; a keyboard user's place in it is kept.
    running.get_by_role("link", name=f"Approve {2 * ASSISTANTS} FAQ answers").focus()
    other.wait_for_timeout(1500)
    assert other.evaluate("document.activeElement.id") == f"job-link-{job_id}"
    axe_audit(other)  # the running table, after its own swaps
    shot(other, "jobs-2-running-now")

    context.close()  # the browser goes away mid-job
    saved_when_closed = len(revox.requests("PATCH"))
    assert saved_when_closed < ASSISTANTS
    assert job_status(deployment, job_id) == "running"

    deployment.wait_for(lambda: job_status(deployment, job_id) == "done", timeout=60,
                        what="the job finished with no browser open")  # fmt: skip
    revox.clear_faults()
    assert Counter(r["path"] for r in revox.requests("PATCH")) == Counter(
        f"/assistants/{i}" for i in ids
    )  # each assistant saved once
    assert all(not item["needs_human_answer"] for i in ids for item in revox.get(i)["faq_items"])

    # Later, in a new browser: the result is on the jobs page, reachable by keyboard.
    later = watched_context(browser, page_problems, locale="en-US")
    page = later.new_page()
    login(page, deployment.url, USERNAME, PASSWORD)
    page.goto(f"{deployment.url}/jobs/")
    recent = page.locator("#jobs-recent")
    expect(page.locator("#jobs-active")).to_have_count(0)
    expect(page.get_by_text("Nothing running.")).to_be_visible()
    row = recent.locator(f"[data-job='{job_id}']")
    expect(row).to_contain_text(f"{ASSISTANTS} went through")
    expect(row).to_contain_text(USERNAME)
    expect(page.locator("#nav-jobs-count")).to_be_hidden()
    shot(page, "jobs-3-recent")
    link = row.get_by_role("link", name=f"Approve {2 * ASSISTANTS} FAQ answers")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{deployment.url}/jobs/{job_id}/")
    report = page.locator("[data-job-report]")
    expect(report.locator("[data-job-item-status=done]")).to_have_count(ASSISTANTS)
    expect(report.get_by_text("2 approved")).to_have_count(ASSISTANTS)
    shot(page, "jobs-4-detail")
    later.close()


def test_without_javascript_the_queue_shows_the_job_and_a_reload_its_result(
    browser, page_problems, deployment: Deployment
):
    revox = deployment.sandbox
    revox.reset("empty")
    made = revox.create(name="Quiet Clinic", faq_items=[])
    revox.suggest_faq(made["id"], "Do you take walk-ins?", "Yes, until 4pm.")
    deployment.manage("sync_assistants")
    revox.faults(latency_ms=1500)  # slow enough to see the job before it ends

    context = watched_context(browser, page_problems, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    login(page, deployment.url, USERNAME, PASSWORD)
    page.goto(f"{deployment.url}/faq-review/")
    page.get_by_label("Tick “Do you take walk-ins?”").check()
    page.get_by_role("button", name="Approve selected").click()

    page.wait_for_url(re.compile(r"/faq-review/\?job=\d+$"))
    card = page.locator("#bulk-report [data-job]")
    expect(card).to_contain_text("Approve 1 FAQ answer in 1 assistant")
    expect(card).to_contain_text("This runs on the server")
    expect(card.locator(".job-status")).to_have_text(re.compile("Waiting|Running"))
    job_id = int(card.get_attribute("data-job"))
    deployment.wait_for(lambda: job_status(deployment, job_id) == "done", timeout=60,
                        what="the job finished")  # fmt: skip
    revox.clear_faults()

    page.reload()
    expect(card.locator(".job-status")).to_have_text("Finished")
    expect(card).to_contain_text("1 approved")
    expect(page.get_by_text("All clear")).to_be_visible()
    shot(page, "jobs-5-nojs-after-reload")
    context.close()
