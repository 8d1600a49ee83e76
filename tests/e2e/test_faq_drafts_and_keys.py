"""In Chromium: the AI's drafts survive a save that Revox makes blank them, the queue's keys never
type into a box, 'skip for now' (with and without JavaScript), and a save Revox applied but
answered with an error reads as saved."""

import re

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from assistants.models import Change
from tests.conftest import make_user
from tests.e2e.conftest import login, shot, watched_context

pytestmark = pytest.mark.django_db(transaction=True)

DRAFTS = [
    ("Do you whiten teeth?", "Yes, from $199."),
    ("Is there parking?", "Possibly, within 5 miles of the clinic."),
    ("Do you see children?", "From age 3, with a parent."),
]


def faq_of(revox, assistant_id):
    return [
        (i["question"], i["answer"], i["needs_human_answer"])
        for i in revox.get(assistant_id)["faq_items"]
    ]


def seed(revox, suggestions=DRAFTS, name="Brightsmile Dental"):
    created = revox.create(name=name, faq_items=[{"question": "Hours?", "answer": "9 to 5."}])
    for question, draft in suggestions:
        revox.suggest_faq(created["id"], question, draft)
    assistants_sync()
    return created["id"]


def row(page, question):
    return page.locator("[data-faq-key]", has_text=question)


def test_approving_one_draft_keeps_the_others_everywhere(page, live, revox):
    assistant_id = seed(revox)
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/")

    row(page, DRAFTS[0][0]).get_by_role("button", name="Approve").click()
    expect(row(page, DRAFTS[0][0])).to_have_attribute("data-faq-done", "")
    # Revox could only keep the other two waiting by blanking them...
    assert [a for _, a, _ in faq_of(revox, assistant_id)[2:]] == ["", ""]

    # ...yet a fresh queue shows both drafts, as the AI's suggestions.
    page.goto(f"{live}/faq-review/")
    for question, draft in DRAFTS[1:]:
        expect(row(page, question).locator("textarea")).to_have_value(draft)
        expect(row(page, question)).to_contain_text("AI suggestion")
    shot(page, "faq-drafts-kept-queue")

    # The editor too, ready to approve.
    page.goto(f"{live}/assistants/{assistant_id}/edit/faq/")
    for _, draft in DRAFTS[1:]:
        expect(page.locator("textarea").filter(has_text=draft)).to_have_count(1)
    expect(page.locator("[data-faq-draft-note]")).to_have_count(2)
    expect(page.get_by_text("cleared")).to_have_count(0)
    shot(page, "faq-drafts-kept-editor")

    # History names what changed, and loses no draft.
    page.goto(f"{live}/assistants/{assistant_id}/history/")
    expect(page.locator(".history-summary").first).to_have_text("1 answer approved")
    page.locator(".history-details summary").first.click()
    expect(page.locator(".history-entry").first).not_to_contain_text("(empty)")
    shot(page, "faq-drafts-kept-history")

    # Approving one of them by keyboard sends exactly the AI's draft.
    page.goto(f"{live}/faq-review/")
    expect(row(page, DRAFTS[1][0])).to_have_class(re.compile("is-current"))
    page.keyboard.press("a")
    expect(row(page, DRAFTS[1][0])).to_have_attribute("data-faq-done", "")
    assert faq_of(revox, assistant_id)[2] == (DRAFTS[1][0], DRAFTS[1][1], False)


def test_keys_that_cannot_act_say_why_and_skip_for_now(page, live, revox):
    seed(revox, [("Is there a lift?", ""), ("Do you take cards?", "Yes, all of them.")])
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/")
    first, second = row(page, "Is there a lift?"), row(page, "Do you take cards?")
    expect(first).to_have_class(re.compile("is-current"))

    # No answer to approve: it says so, and the next keys are keys, not text.
    page.keyboard.press("a")
    status = page.locator("[data-faq-key-status]")
    expect(status).to_have_text(
        "Nothing to approve yet: this question has no answer. Press e to write one."
    )
    expect(status).to_have_attribute("aria-live", "polite")
    assert page.evaluate("document.activeElement.tagName") != "TEXTAREA"
    shot(page, "faq-keys-cannot-act", full_page=False)
    page.keyboard.press("j")
    expect(second).to_have_class(re.compile("is-current"))
    expect(first.locator("textarea")).to_have_value("")

    # s: skip the highlighted one for now (a day, unless its row says otherwise).
    page.keyboard.press("s")
    expect(second).to_contain_text("Skipped for now: hidden from your queue until")
    expect(second.get_by_role("button", name="Undo")).to_be_visible()
    shot(page, "faq-keys-skipped", full_page=False)

    page.goto(f"{live}/faq-review/")
    expect(page.locator("[data-faq-key]")).to_have_count(1)
    expect(page.locator("#faq-skipped-note")).to_contain_text(
        "1 question you skipped for now is hidden"
    )
    page.locator("#faq-skipped-note").get_by_role("link", name="Show it").click()
    expect(page.locator("[data-faq-key]", has_text="Do you take cards?")).to_have_count(1)
    shot(page, "faq-skipped-view")
    page.get_by_role("button", name="Back in my queue now").click()
    # Its row says so once the server has taken it back (leaving before could cancel the post).
    expect(page.locator("[data-faq-key]", has_text="Do you take cards?")).to_contain_text(
        "Back in your queue."
    )
    page.goto(f"{live}/faq-review/")
    expect(page.locator("[data-faq-key]")).to_have_count(2)


def test_skip_for_now_works_without_javascript(browser, page_problems, live, revox):
    seed(revox, [("Is there a lift?", "")])
    make_user("ed", "Editor")
    context = watched_context(browser, page_problems, java_script_enabled=False)
    page = context.new_page()
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/")
    lift = row(page, "Is there a lift?")
    lift.get_by_label("Skip “Is there a lift?” for").select_option("1")
    lift.get_by_role("button", name="Skip for now").click()

    page.wait_for_url(f"{live}/faq-review/")
    expect(page.locator("[data-faq-key]")).to_have_count(0)
    expect(page.locator("#faq-skipped-note")).to_contain_text("1 question you skipped")
    shot(page, "faq-skip-without-js")
    context.close()


def test_a_save_revox_applied_but_refused_reads_as_saved(page, live, revox):
    created = revox.create(name="Brightsmile Dental", prompt="You are Katie.")
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{created['id']}/edit/general/")
    revox.faults(
        {"method": "PATCH", "path": "/assistants/*", "status": 500, "apply": True, "times": 1}
    )
    page.locator("#id_name").fill("Brightsmile Dental – Front desk")
    page.get_by_role("button", name="Save general").click()

    expect(page.get_by_text("your change was applied")).to_be_visible()
    expect(page.get_by_text("internal problem")).to_have_count(0)
    shot(page, "save-applied-despite-500", full_page=False)
    assert revox.get(created["id"])["name"] == "Brightsmile Dental – Front desk"

    page.goto(f"{live}/assistants/{created['id']}/history/")
    expect(page.locator(".history-who").first).to_have_text("Ed")
    assert not Change.objects.filter(kind=Change.Kind.EXTERNAL).exists()
