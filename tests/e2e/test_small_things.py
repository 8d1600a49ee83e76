"""Issue 19.5 in Chromium: "Listen" beside the first sentence, messages that leave the save bar
alone, and a FAQ review header whose buttons stay put."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assistants.models import Assistant
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def with_voice() -> Assistant:
    return Assistant.objects.exclude(voice_id="").order_by("name").first()


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_listen_to_the_first_sentence_in_the_general_editor(page, live, demo):
    make_user("ed", "Editor")
    target = with_voice()
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{target.revox_id}/edit/general/")
    page.get_by_label("Word for word").check()
    sentence = "Good morning, this is a test of the first sentence."
    page.get_by_label("First sentence").fill(sentence)
    demo.clear_requests()
    page.get_by_role("button", name="Listen").click()
    player = page.locator("#first-sentence-player")
    expect(player).to_be_visible()
    expect(page.get_by_label("First sentence")).to_have_value(sentence)  # kept, not saved
    expect(page.locator("#save-bar")).to_contain_text("Unsaved changes")
    # The browser played it: the audio element loaded the dashboard's cached preview.
    page.wait_for_function(
        "() => { const a = document.getElementById('first-sentence-player');"
        " return a && a.readyState >= 2 && a.duration > 0; }"
    )
    previews = [r for r in demo.requests("POST") if r["path"] == "/voices/preview"]
    assert len(previews) == 1 and demo.requests("PATCH") == []
    assert demo.get(target.revox_id)["first_sentence"] != sentence
    shot(page, "general-listen", full_page=False)


def test_a_saved_message_leaves_the_save_bar_uncovered(page, live, demo):
    make_user("ed", "Editor")
    target = with_voice()
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{target.revox_id}/edit/general/")
    page.get_by_label("Closing sentence").fill("Goodbye, and thank you for calling.")
    page.get_by_role("button", name="Save general").click()
    saved = page.locator("#saved-note")
    expect(saved).to_be_visible()
    toast = page.locator("#toasts .toast").first
    expect(toast).to_be_visible()
    expect(toast).to_contain_text("saved to Revox")
    toast_box = toast.bounding_box()
    for part in (saved, page.locator("#save-button"), page.locator("#save-bar")):
        assert not overlaps(toast_box, part.bounding_box()), part
    shot(page, "saved-toast-above-save-bar", full_page=False)


def test_the_faq_review_buttons_stay_put_as_the_loaded_time_changes(page, live, demo):
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/")
    buttons = page.locator(".page-header-actions").locator("a, button")
    expect(buttons.first).to_be_visible()

    def places() -> list[tuple[float, float]]:
        return [
            (b["x"], b["y"])
            for b in (buttons.nth(i).bounding_box() for i in range(buttons.count()))
        ]

    before = places()
    for text in ("Loaded from Revox now", "Loaded from Revox 23 hours, 59 minutes ago — a long while",
                 "Not loaded from Revox yet"):  # fmt: skip
        page.evaluate("t => { document.getElementById('last-refresh').textContent = t; }", text)
        assert places() == before, text
    page.set_viewport_size({"width": 1024, "height": 800})
    narrow = places()
    page.evaluate(
        "() => { document.getElementById('last-refresh').textContent = 'Loaded from Revox now'; }"
    )
    assert places() == narrow
    shot(page, "faq-review-header", full_page=False)
