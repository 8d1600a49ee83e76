"""Text from Revox that a browser treats specially, in real Chromium (issue 24): NUL characters
(shown and sent as U+FFFD) and right-to-left overrides (which reverse what follows them)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assistants.cache.services import assistants_sync
from tests.conftest import make_user
from tests.e2e.conftest import login, shot, watched_context

pytestmark = pytest.mark.django_db(transaction=True)

NUL_NAME = "Refund\x00desk"
NUL_PROMPT = "Be kind.\x00\nAnswer refunds."
SPOOF = "Refund\u202egnp.exe"  # shows as "Refundexe.png"


def _save_closing_sentence(page: Page, live: str, revox_id: str) -> None:
    page.goto(f"{live}/assistants/{revox_id}/edit/general/")
    assert "\ufffd" in page.get_by_label("Name").input_value()  # how Chromium shows a NUL
    page.get_by_label("Closing sentence").fill("Goodbye, and thank you.")
    page.locator("#save-button").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "without JS"])
def test_saving_one_field_leaves_nul_text_as_revox_holds_it(
    browser, page_problems, live, revox, javascript
):
    created = revox.create(name=NUL_NAME, prompt=NUL_PROMPT)
    assistants_sync()
    make_user("ed", "Editor")
    context = watched_context(browser, page_problems, java_script_enabled=javascript)
    page = context.new_page()
    try:
        login(page, live, "ed")
        revox.clear_requests()
        _save_closing_sentence(page, live, created["id"])
        expect(page.locator("#toasts")).to_contain_text("General saved")
        expect(page.locator("body")).not_to_contain_text("Null characters")
        (patch,) = revox.requests("PATCH")
        assert patch["body_keys"] == ["end_of_call_sentence"]
        stored = revox.get(created["id"])
        assert (stored["name"], stored["prompt"]) == (NUL_NAME, NUL_PROMPT)
        assert stored["end_of_call_sentence"] == "Goodbye, and thank you."
    finally:
        context.close()


def test_a_reversing_name_does_not_drag_the_copy_id_icon(page, live, revox):
    created = revox.create(name=SPOOF)
    revox.create(name="Plain desk")
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")

    cell = page.locator(
        "#assistant-results td", has=page.locator(f"[data-copy-id='{created['id']}']")
    )
    name = cell.locator("a.assistant-name").bounding_box()
    icon = cell.locator("summary i.bi-clipboard").bounding_box()
    # The icon follows the whole name, as it does for every other name.
    assert icon["x"] >= name["x"] + name["width"] - 1, (name, icon)
    shot(page, "bidi-list")

    page.goto(f"{live}/assistants/{created['id']}/")
    heading = page.locator("h1")
    expect(heading).to_have_text(SPOOF)
    assert heading.locator("bdi").count() == 1
    # The window title keeps " · Revox Admin" after the name, not reversed into it.
    assert page.title() == f"\u2068{SPOOF}\u2069 · Revox Admin"
    shot(page, "bidi-overview")
