"""In Chromium: what Revox tells the dashboard reaches the person — the name of a voice cloned
outside Revox's list, scheduled calls a save did not reach, and whether the key is valid."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from sandbox import demo
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cloned_voice_shows_by_name_everywhere(page, live, revox):
    revox.reset("demo")
    assistants_sync()
    make_user("vera", "Viewer")
    login(page, live, "vera")
    row = page.locator("tr", has_text="Stackly – Churn win-back")
    expect(row).to_contain_text("George (Stackly clone)")
    page.goto(f"{live}/assistants/{demo.WIN_BACK}/")
    expect(page.locator("main")).to_contain_text("George (Stackly clone)")
    page.goto(f"{live}/assistants/{demo.WIN_BACK}/edit/voice/")
    expect(page.locator("#voice-looked-up")).to_contain_text("George (Stackly clone)")
    expect(page.locator("[data-voice-chosen]")).to_have_text(
        "George (Stackly clone) (voice id Jq8RkW2vYz5nTbL4cXm7)"
    )
    shot(page, "voice-editor-cloned-voice")


def test_a_save_says_which_scheduled_calls_keep_their_old_settings(page, live, revox):
    created = revox.create(name="Reminders", first_sentence="Hi {{first_name}}")
    revox.schedule_calls(created["id"], 2, ["first_name", "appointment_time"])
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{created['id']}/edit/general/")
    page.locator("#id_name").fill("Reminders v2")
    page.locator("#save-button").click()

    words = (
        "2 calls already scheduled keep their old settings, because of the variables "
        "{{first_name}} and {{appointment_time}}."
    )
    expect(page.locator("#unpatched-calls")).to_contain_text(words)
    toast = page.locator("#toasts .toast", has_text=words)
    expect(toast).to_be_visible()
    shot(page, "editor-unpatched-calls")
    # It stays until closed (an ordinary toast is gone after a few seconds).
    page.get_by_text("Saved", exact=True).wait_for()
    expect(toast).to_have_class(re.compile(r"\bshow\b"))
    toast.get_by_role("button", name="Close").click()
    expect(toast).to_be_hidden()


@pytest.mark.allow_failed_loads(503)  # the rejected-key page is itself a 503
def test_the_rejected_key_page_says_what_revox_says(page, live, revox, settings):
    revox.reset("demo")
    assistants_sync()
    make_user("ada", "Admin")
    login(page, live, "ada")
    settings.REVOX_API_KEY = "not-our-key"
    page.goto(f"{live}/assistants/{demo.DENTAL}/edit/general/")
    expect(page.locator("h1")).to_contain_text("Revox rejected our API key")
    expect(page.locator("#key-status")).to_contain_text("Revox confirms the key is not valid")
    shot(page, "rejected-key")
