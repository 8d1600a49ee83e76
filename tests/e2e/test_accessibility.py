"""Issue 19.6: every page passes axe-core with zero violations, and the everyday work can be done
with the keyboard alone.

Each page is audited by the suite's own hook (tests/e2e/conftest.py runs axe-core on every page
any browser test loads); the pages here are the ones the other tests might not reach, opened
once each, and a few states reached by acting on a page are audited with `axe_audit`.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from assistants.editors.groups import GROUPS
from assistants.models import Assistant, Change
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import axe_audit, axe_violations, login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def with_pending_faq() -> Assistant:
    return Assistant.objects.filter(pending_faq_count__gt=0).order_by("name").first()


def test_every_page_has_no_accessibility_violation(page, live, demo):
    make_user("ada", "Admin")
    target = with_pending_faq()
    flow = Assistant.objects.get(name="Lakeside Physio – Intake flow")
    page.goto(f"{live}/accounts/login/")
    axe_audit(page)
    login(page, live, "ada")
    # A change, so that history and activity have an entry to show.
    page.goto(f"{live}/assistants/{target.revox_id}/edit/general/")
    page.get_by_label("Closing sentence").fill("Thank you for calling, goodbye.")
    page.get_by_role("button", name="Save general").click()
    expect(page.locator("#saved-note")).to_be_visible()
    axe_audit(page)
    assert Change.objects.filter(assistant_revox_id=target.revox_id).exists()

    pages = [
        "/assistants/",
        "/assistants/?q=physio&sort=-updated",
        f"/assistants/{target.revox_id}/",
        f"/assistants/{flow.revox_id}/",
        *(f"/assistants/{target.revox_id}/edit/{slug}/" for slug in GROUPS),
        f"/assistants/{target.revox_id}/history/",
        f"/assistants/{target.revox_id}/clone/",
        f"/assistants/{target.revox_id}/delete/",
        f"/assistants/{target.revox_id}/test-call/",
        "/assistants/new/",
        "/assistants/import/",
        "/faq-review/",
        "/faq-review/import/",
        "/activity/",
        "/team/",
        "/health/",
        "/accounts/password/change/",
    ]
    found = []
    for path in pages:
        page.goto(live + path)
        found += axe_violations(page)
    page.context.clear_cookies()
    page.goto(f"{live}/accounts/password/reset/")
    found += axe_violations(page)
    assert not found, "\n".join(found)
    shot(page, "a11y-last-page")


def tab_to(page, target, *, limit: int = 150) -> None:
    """Press Tab until `target` has the focus, as someone without a mouse would."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def test_a_keyboard_only_journey(page, live, revox):
    """Sign in, open an assistant, change its calling hours, save, and review two FAQ answers,
    with the keyboard alone: no click, no fill, every page audited on the way."""
    created = revox.create(
        name="Keyboard Clinic", faq_items=[{"question": "Hours?", "answer": "9 to 5."}]
    )
    revox.suggest_faq(created["id"], "Do you take walk-ins?", "Yes, until noon.")
    revox.suggest_faq(created["id"], "Is there parking?", "")
    assistants_sync()
    make_user("kim", "Editor")

    page.goto(f"{live}/accounts/login/")
    # The user name has the focus on arrival. The browser gives it at its next rendering, which
    # a busy machine can put after the load event that goto waits for: keys typed before it
    # went nowhere, and the sign-in failed.
    expect(page.get_by_label("User name or e-mail")).to_be_focused()
    page.keyboard.type("kim")
    tab_to(page, page.get_by_label("Password", exact=True))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live}/assistants/**")

    tab_to(page, page.get_by_role("link", name="Keyboard Clinic"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live}/assistants/{created['id']}/")
    tab_to(page, page.get_by_role("link", name="Edit Calling hours & retries"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit/retry/")

    tab_to(page, page.get_by_label("Custom calling plan"))
    page.keyboard.press("Space")
    first_window = page.locator("#windows-formset [data-formset-row]:visible").first.get_by_label(
        "From"
    )
    tab_to(page, first_window)
    page.keyboard.press("Control+A")
    page.keyboard.type("1pm")
    tab_to(page, page.get_by_role("button", name="Save calling hours & retries"))
    shot(page, "keyboard-1-calling-hours", full_page=False)
    page.keyboard.press("Enter")
    expect(page.locator("#saved-note")).to_be_visible()
    axe_audit(page)  # the form as the save swapped it in
    windows = revox.get(created["id"])["call_retry_config"]["calling_windows"]
    assert windows[0]["calling_window_start_time"] == "13:00"

    tab_to(page, page.get_by_role("link", name="FAQ review"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live}/faq-review/")
    current = page.locator("[data-faq-key].is-current")
    expect(current).to_contain_text("Do you take walk-ins?")
    page.keyboard.press("a")  # approve the AI's draft as it is
    page.locator("[data-faq-done]", has_text="Do you take walk-ins?").wait_for()
    expect(current).to_contain_text("Is there parking?")
    page.keyboard.press("e")  # answer it
    page.keyboard.type("Yes, behind the building.")
    page.keyboard.press("Control+Enter")
    page.locator("[data-faq-done]", has_text="Is there parking?").wait_for()
    axe_audit(page)
    shot(page, "keyboard-2-faq-reviewed", full_page=False)

    items = {
        i["question"]: (i["answer"], i["needs_human_answer"])
        for i in revox.get(created["id"])["faq_items"]
    }
    assert items["Do you take walk-ins?"] == ("Yes, until noon.", False)
    assert items["Is there parking?"] == ("Yes, behind the building.", False)


def test_the_states_a_page_can_be_in_have_no_accessibility_violation(page, new_page, live, demo):
    """Errors, a conflict, a dialog, opened details, and Revox down: each audited as shown."""
    make_user("ed", "Editor")
    make_user("eve", "Editor")
    target = with_pending_faq()
    editor = f"{live}/assistants/{target.revox_id}/edit/general/"
    login(page, live, "ed")
    found = []

    page.goto(editor)
    page.get_by_label("Webhook URL").fill("not a url")
    page.get_by_role("button", name="Save general").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    found += axe_violations(page)

    eve = new_page()
    login(eve, live, "eve")
    eve.goto(editor)
    page.goto(editor)
    eve.get_by_label("Closing sentence").fill("Eve's goodbye.")
    eve.get_by_role("button", name="Save general").click()
    expect(eve.locator("#saved-note")).to_be_visible()
    page.get_by_label("Closing sentence").fill("Ed's goodbye.")
    page.get_by_role("button", name="Save general").click()
    expect(page.locator("#conflict")).to_be_visible()
    found += axe_violations(page)

    page.goto(f"{live}/assistants/{target.revox_id}/history/")
    page.locator("details.history-details > summary").first.click()
    found += axe_violations(page)

    page.goto(f"{live}/faq-review/")
    page.keyboard.press("?")
    page.get_by_role("heading", name="Keyboard shortcuts").wait_for()
    found += axe_violations(page)
    page.keyboard.press("Escape")

    demo.faults({"path": "/**", "drop": True})
    page.goto(editor)  # Revox down: the cached copy, read-only, with the reason
    expect(page.locator("#editor-offline")).to_be_visible()
    found += axe_violations(page)
    page.goto(f"{live}/assistants/")
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator(".revox-banner")).to_be_visible()
    found += axe_violations(page)
    demo.clear_faults()
    shot(page, "a11y-revox-down")
    assert not found, "\n".join(found)
