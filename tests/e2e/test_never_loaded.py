"""Issue 13, point 5, in Chromium: a cache that was never filled is filled before the first page
shows it, and when Revox cannot be reached that first time, the pages say so plainly."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_first_review_queue_shows_what_revox_has_pending(page, live, revox):
    revox.reset("demo")
    target = revox.list()[0]
    revox.suggest_faq(target["id"], "Can I bring my dog?")
    make_user("vera", "Viewer")
    login(page, live, "vera")  # lands on the list: the first page fills the cache
    expect(page.locator("#assistant-results tbody tr")).to_have_count(13)
    page.get_by_role("link", name="FAQ review").click()
    expect(page.locator("#faq-results")).to_contain_text("Can I bring my dog?")
    shot(page, "never-loaded-1-queue-filled")
    page.wait_for_load_state("networkidle")  # no request of the page outlives the test


def test_when_revox_is_down_the_first_time_the_queue_says_nothing_was_loaded(page, live, revox):
    revox.reset("demo")
    revox.faults({"path": "/**", "status": 503})
    make_user("vera", "Viewer")
    login(page, live, "vera")
    page.goto(f"{live}/faq-review/")
    results = page.locator("#faq-results")
    expect(results).to_contain_text("Nothing has been loaded from Revox yet")
    expect(results).not_to_contain_text("All clear")
    expect(page.locator("#revox-banner")).to_contain_text("Revox unreachable")
    shot(page, "never-loaded-2-queue-revox-down")
    revox.clear_faults()
    page.get_by_role("button", name="Refresh").click()
    expect(results).to_contain_text("waiting for review")
    page.wait_for_load_state("networkidle")  # no request of the page outlives the test
