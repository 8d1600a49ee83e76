"""The FAQ review queue in Chromium: a keyboard review session, a bulk action with one assistant
failing, and the CSV round trip."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def faq_of(revox, assistant_id):
    return [
        (i["question"], i["answer"], i["needs_human_answer"])
        for i in revox.get(assistant_id)["faq_items"]
    ]


def seed(revox):
    made = {}
    for name, suggestions in [
        ("Alpha Dental", [("Do you whiten teeth?", "Yes, from $199."), ("Is there parking?", ""),
                          ("Spam question?", "")]),
        ("Bravo Hotel", [("Is breakfast included?", "Yes, 7 to 10."), ("Do you allow pets?", "Small dogs only.")]),
        ("Charlie Garage", [("Do you fix bikes?", "No, cars only."), ("Open on Sunday?", "No.")]),
    ]:  # fmt: skip
        created = revox.create(name=name, faq_items=[{"question": "Hours?", "answer": "9 to 5."}])
        for question, draft in suggestions:
            revox.suggest_faq(created["id"], question, draft)
        made[name.split()[0].lower()] = created["id"]
    assistants_sync()
    return made


def test_an_editor_clears_the_queue_by_keyboard_and_in_bulk(page, live, revox, job_worker):
    ids = seed(revox)
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/")
    rows = page.locator("[data-faq-key]")
    assert rows.count() == 7
    assert page.locator("#nav-pending-count").inner_text() == "7"
    shot(page, "faq-review-queue")

    page.keyboard.press("?")
    page.get_by_role("heading", name="Keyboard shortcuts").wait_for()
    shot(page, "faq-review-keys")
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Keyboard shortcuts").wait_for(state="hidden")

    # a: approve the first suggestion's draft; the cursor moves on to the next open row.
    assert "is-current" in rows.nth(0).get_attribute("class")
    page.keyboard.press("a")
    page.locator("[data-faq-key][data-faq-done]", has_text="Do you whiten teeth?").wait_for()
    page.locator("[data-faq-key].is-current", has_text="Is there parking?").wait_for()

    # e: answer in the box, Ctrl+Enter saves it.
    page.keyboard.press("e")
    page.keyboard.type("Yes, behind the building.")
    page.keyboard.press("Control+Enter")
    page.locator("[data-faq-done]", has_text="Is there parking?").wait_for()

    # d twice: delete (the first press only arms it).
    page.locator("[data-faq-key].is-current", has_text="Spam question?").wait_for()
    page.keyboard.press("d")
    spam = page.locator("[data-faq-key]", has_text="Spam question?")
    expect(spam).to_have_class(re.compile("confirm-delete"))
    page.keyboard.press("d")
    page.locator("[data-faq-done]", has_text="Spam question?").wait_for()
    expect(page.locator("#nav-pending-count")).to_have_text("4")
    page.locator("[data-faq-key].is-current", has_text="Is breakfast included?").wait_for()
    shot(page, "faq-review-keyboard-done")

    # x selects the current row; shift-click extends the selection to a range.
    page.keyboard.press("j")  # already on Bravo's first row after the delete; j moves on
    page.keyboard.press("k")
    page.keyboard.press("x")
    page.locator("[data-faq-select]").last.click(modifiers=["Shift"])
    assert page.locator("[data-faq-select]:checked").count() == 4
    assert page.locator("[data-bulk-count]").inner_text() == "4 selected"

    # Charlie's save fails: the others are applied, Charlie's rows stay selected for a retry.
    revox.faults({"method": "PATCH", "path": f"/assistants/{ids['charlie']}", "status": 503})
    page.get_by_role("button", name="Approve selected").click()
    report = page.locator("#bulk-report")
    report.get_by_text("2 not done").wait_for()
    expect(report.locator(".job-status")).to_have_text("Finished, 1 failed")
    expect(page.locator("[data-faq-select]:checked")).to_have_count(2)
    shot(page, "faq-review-bulk-failed")
    assert faq_of(revox, ids["bravo"])[1:] == [("Is breakfast included?", "Yes, 7 to 10.", False),
                                               ("Do you allow pets?", "Small dogs only.", False)]  # fmt: skip
    assert all(pending for _, _, pending in faq_of(revox, ids["charlie"])[1:])
    checked = page.locator("[data-faq-select]:checked")
    assert {checked.nth(i).get_attribute("value").split("/")[0] for i in range(2)} == {
        ids["charlie"]
    }

    revox.clear_faults()
    revox.clear_requests()
    page.get_by_role("button", name="Approve selected").click()
    page.get_by_text("All clear").wait_for()
    shot(page, "faq-review-cleared")
    assert faq_of(revox, ids["charlie"])[1:] == [("Do you fix bikes?", "No, cars only.", False),
                                                 ("Open on Sunday?", "No.", False)]  # fmt: skip
    assert [r["path"] for r in revox.requests("PATCH")] == [f"/assistants/{ids['charlie']}"]
    expect(page.locator("#nav-pending-count")).to_have_count(0)
    assert faq_of(revox, ids["alpha"]) == [
        ("Hours?", "9 to 5.", False),
        ("Do you whiten teeth?", "Yes, from $199.", False),
        ("Is there parking?", "Yes, behind the building.", False),
    ]


def test_an_editor_exports_answers_in_a_spreadsheet_and_imports_them(
    page, live, revox, tmp_path, job_worker
):
    ids = seed(revox)
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/?assistant={ids['alpha']}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    exported = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported, newline="")))
    assert [r["question"] for r in rows] == [
        "Do you whiten teeth?",
        "Is there parking?",
        "Spam question?",
    ]

    # A spreadsheet in a French locale: semicolons, an answer over two lines.
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    for row in rows:
        if row["question"] == "Is there parking?":
            row["answer"] = "Yes,\nbehind the building."
        if row["question"] == "Do you whiten teeth?":
            row["pending"] = "no"  # approve the AI's draft as it is
        writer.writerow(row)
    answered = tmp_path / "answered.csv"
    answered.write_text(out.getvalue(), encoding="utf-8")

    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(answered))
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Preview of answered.csv").wait_for()
    shot(page, "faq-review-import-preview")
    assert faq_of(revox, ids["alpha"])[2] == ("Is there parking?", "", True)  # nothing written yet

    expect(page.locator("#nav-pending-count")).to_have_text("7")
    page.get_by_role("button", name="Save 2 answers to Revox").click()
    page.locator("#bulk-report [data-job-status=done]").wait_for()
    expect(page.locator("#bulk-report").get_by_text("2 answered")).to_be_visible()
    expect(page.locator("#nav-pending-count")).to_have_text("5")  # the count follows
    shot(page, "faq-review-import-done")
    assert faq_of(revox, ids["alpha"]) == [
        ("Hours?", "9 to 5.", False),
        ("Do you whiten teeth?", "Yes, from $199.", False),
        ("Is there parking?", "Yes,\nbehind the building.", False),
        ("Spam question?", "", True),
    ]
    assert len(revox.requests("PATCH")) == 1
