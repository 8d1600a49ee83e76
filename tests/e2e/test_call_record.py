"""The call record in Chromium, on the demo data: a Viewer lists an assistant's calls and filters
them (with the keyboard, htmx swapping the results; and without JavaScript), opens a call and
plays its recording, and reads on the outcomes-per-change page which change was better and
which worse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from assistants.calls.refresh import calls_refresh
from assistants.models import Assistant
from tests.conftest import make_user
from tests.e2e.conftest import login, shot, watched_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def linden(live, demo_revox):
    assistants_sync()
    calls_refresh()  # the demo's 2,530 calls, as sync_assistants reads them
    return Assistant.objects.get(name__startswith="The Linden Hotel")


def test_a_viewer_filters_an_assistants_calls_and_plays_one(page, live, linden):
    make_user("vera", "Viewer")
    login(page, live, "vera")
    page.goto(f"{live}/assistants/{linden.revox_id}/")
    page.locator("#tab-calls").click()
    expect(page.locator("h1")).to_have_text(linden.name)
    rows = page.locator("#call-table tbody tr")
    expect(rows).to_have_count(50)
    shot(page, "calls-assistant")

    # With the keyboard: the outcome filter, swapped in by htmx, the address kept.
    page.locator("#id_outcome").focus()
    page.keyboard.press("ArrowDown")  # "Interested"
    expect(page).to_have_url(re.compile(r"outcome=interested"))
    expect(rows.first).to_contain_text("Interested")
    assert rows.filter(has_not_text="Interested").count() == 0
    page.locator("#id_q").fill("called back")
    page.keyboard.press("Enter")
    expect(page.locator("#calls-empty")).to_be_visible()  # interested, yet asked for a callback
    page.locator("#id_q").fill("")
    page.keyboard.press("Enter")
    expect(rows).not_to_have_count(0)
    shot(page, "calls-filtered")

    # Open the newest interested call with the keyboard, and play its recording.
    page.locator("#call-table a.call-link").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#call-outcome")).to_contain_text("Interested")
    player = page.locator("#call-recording")
    expect(player).to_have_js_property("readyState", 4, timeout=10_000)
    assert player.evaluate("audio => audio.duration") > 1
    player.evaluate("audio => audio.play()")
    page.wait_for_function(
        "() => document.querySelector('#call-recording').currentTime > 0", timeout=5_000
    )
    expect(page.locator("#call-transcript .turn").first).to_be_visible()
    expect(page.locator("#call-configuration")).to_be_visible()
    shot(page, "call-recorded")


def test_outcomes_per_change_say_which_change_was_better_and_which_worse(page, live, linden):
    make_user("vera", "Viewer")
    login(page, live, "vera")
    page.goto(f"{live}/assistants/{linden.revox_id}/calls/")
    page.locator("#tab-outcomes").click()
    chart = page.locator("#outcomes-chart")
    expect(chart).to_be_visible()
    expect(chart.locator(".mark")).to_have_count(3)
    expect(page.locator("#version-2-verdict")).to_contain_text("Better, beyond chance")
    expect(page.locator("#version-4-verdict")).to_contain_text("Worse, beyond chance")
    expect(page.locator("#version-3-verdict")).to_contain_text("No difference beyond chance")
    expect(page.locator("#version-4")).to_contain_text("Changed outside the dashboard")
    shot(page, "outcomes-per-change")
    # The chart's numbers, as a table, open from the keyboard.
    page.locator("details summary", has_text="The chart's numbers").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#outcomes-table")).to_be_visible()


def test_without_javascript_the_filters_and_the_outcomes_work(browser, live, linden, page_problems):
    make_user("vera", "Viewer")
    context = watched_context(browser, page_problems, java_script_enabled=False)
    page = context.new_page()
    login(page, live, "vera")
    page.goto(f"{live}/calls/")
    page.locator("#id_result").select_option("voicemail")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"result=voicemail"))
    rows = page.locator("#call-table tbody tr")
    expect(rows.first).to_contain_text("Voicemail")
    assert rows.filter(has_not_text="Voicemail").count() == 0
    page.get_by_role("link", name="Older").click()
    expect(page).to_have_url(re.compile(r"result=voicemail.*page=2"))
    page.goto(f"{live}/assistants/{linden.revox_id}/outcomes/")
    expect(page.locator("#version-2-verdict")).to_contain_text("Better")
    context.close()
