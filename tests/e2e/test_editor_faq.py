"""The FAQ editor in Chromium: search, approve a suggestion, answer one, add, remove, save."""

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_reviews_and_edits_the_faq(page, live, revox):
    created = revox.create(name="Front desk", faq_items=[
        {"question": "What are your opening hours?", "answer": "9 to 5."},
        {"question": "Where can I park?", "answer": "Behind the building."},
        {"question": "Do you take cards?", "answer": "Yes."},
    ])  # fmt: skip
    revox.suggest_faq(created["id"], "Do you sell gift cards?", "Yes, from $25.")
    revox.suggest_faq(created["id"], "Is there a lift?")
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")

    page.goto(f"{live}/assistants/{created['id']}/edit/faq/")
    rows = page.locator("[data-faq-row]:visible")
    assert rows.count() == 6  # five items and a blank row to add one
    shot(page, "editor-faq-opened")

    # The search narrows the rows, and clearing it brings them back.
    page.get_by_label("Search questions and answers").fill("park")
    assert rows.count() == 1
    page.get_by_label("Search questions and answers").fill("")
    page.get_by_label("Only those waiting for review").check()
    assert rows.count() == 2
    page.get_by_label("Only those waiting for review").uncheck()

    gift = page.locator("[data-faq-row]", has_text="AI suggestion").filter(
        has=page.locator('input[value="Do you sell gift cards?"]')
    )
    note = gift.locator("[data-faq-draft-note]")
    assert note.inner_text() == (
        "The AI's suggested answer: approve it as it is, or edit it, to publish it. Until then "
        "the question waits for review, with this suggestion kept."
    )
    gift.scroll_into_view_if_needed()
    shot(page, "editor-faq-draft-note", full_page=False)
    gift.locator("label", has_text="Approve").click()  # a toggle button
    expect(gift.get_by_role("checkbox", name="Approve")).to_be_checked()
    expect(gift.get_by_text("Approved — it goes live when you save")).to_be_visible()

    lift = page.locator("[data-faq-row]").filter(
        has=page.locator('input[value="Is there a lift?"]')
    )
    lift.locator("label", has_text="Approve").click()  # no answer yet: the server says so
    expect(lift.get_by_text("Write an answer before approving")).to_be_visible()
    lift.get_by_label("Answer", exact=True).click()
    page.keyboard.type("Yes, next to the stairs.")
    expect(lift.get_by_text("Write an answer before approving")).to_be_hidden()

    # A repeated question is flagged as it is typed.
    page.get_by_role("button", name="Add a question").click()
    new_row = page.locator("[data-faq-row]:visible").last
    new_row.get_by_label("Question").fill("what are your  OPENING hours?")
    expect(new_row.get_by_text("already asked in #1")).to_be_visible()  # asked of the server
    new_row.get_by_label("Question").fill("Do you have Wi-Fi?")
    new_row.get_by_label("Answer").fill("Yes, ask at the desk.")

    page.locator("[data-faq-row]").filter(
        has=page.locator('input[value="Do you take cards?"]')
    ).get_by_role("button", name="Remove").click()
    shot(page, "editor-faq-edited")

    page.get_by_role("button", name="Save FAQ").click()
    page.get_by_text("Saved", exact=True).wait_for()
    shot(page, "editor-faq-saved")

    faq = [
        (i["question"], i["answer"], i["needs_human_answer"])
        for i in revox.get(created["id"])["faq_items"]
    ]
    assert faq == [
        ("What are your opening hours?", "9 to 5.", False),
        ("Where can I park?", "Behind the building.", False),
        ("Do you sell gift cards?", "Yes, from $25.", False),
        ("Is there a lift?", "Yes, next to the stairs.", False),
        ("Do you have Wi-Fi?", "Yes, ask at the desk.", False),
    ]
