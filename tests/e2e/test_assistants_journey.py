"""Issue 3's journey in Chromium: sign in, search, create, clone, delete."""

import re

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_signs_in_searches_creates_clones_and_deletes(page, live, revox):
    revox.reset("demo")
    assistants_sync()
    make_user("ada", "Admin", last_name="Lovelace")

    login(page, live, "ada")
    expect(page.get_by_role("heading", name="Assistants")).to_be_visible()
    shot(page, "journey-1-list")

    page.get_by_label("Search assistants").fill("dental")
    expect(page).to_have_url(re.compile(r"q=dental"))  # the query stays in the address bar
    rows = page.locator("#assistant-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Brightsmile Dental")
    shot(page, "journey-2-search")

    page.get_by_role("link", name="New assistant").click()
    page.get_by_label("Name").fill("Evening support line")
    page.get_by_label("Prompt").fill("You answer calls after 6pm.\nBe brief.")
    shot(page, "journey-3-create-form")
    page.get_by_role("button", name="Create assistant").click()
    expect(page.get_by_role("heading", name="Evening support line")).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text("was created")
    shot(page, "journey-4-created")
    created = next(a for a in revox.list() if a["name"] == "Evening support line")
    assert created["prompt"] == "You answer calls after 6pm.\nBe brief."

    page.get_by_role("link", name="Clone").click()
    page.get_by_role("button", name="Clone assistant").click()
    expect(page.get_by_role("heading", name="Evening support line (Copy)")).to_be_visible()
    assert any(a["name"] == "Evening support line (Copy)" for a in revox.list())

    page.get_by_role("link", name="Delete").click()
    delete = page.get_by_role("button", name="Delete for good")
    expect(delete).to_be_disabled()
    page.get_by_label(re.compile("to confirm")).fill("Evening support line (Copy)")
    expect(delete).to_be_enabled()
    shot(page, "journey-5-delete")
    delete.click()
    expect(page.locator("#toasts")).to_contain_text("was deleted")
    assert not any(a["name"] == "Evening support line (Copy)" for a in revox.list())
    shot(page, "journey-6-after-delete")


def test_with_revox_down_the_list_still_renders_with_the_banner(page, live, revox):
    revox.reset("demo")
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    revox.faults({"path": "/assistants", "drop": True})
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("#revox-banner")).to_contain_text("Revox unreachable")
    expect(page.locator("#assistant-results tbody tr")).to_have_count(13)
    shot(page, "journey-revox-down")
