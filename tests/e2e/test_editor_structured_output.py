"""Data to extract, edited in Chromium by an Editor: add an enum field with options, save, and
find it in Revox."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import login, shot
from tests.editors.conftest import editor_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_adds_an_enum_field(page, live, revox):
    from assistants.cache.services import assistants_sync

    created = revox.create(name="Front desk", structured_output_config=[
        {"name": "caller_name", "required": True, "type": "string", "description": "Full name"},
    ])  # fmt: skip
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(live + editor_url(created["id"], "structured-output"))
    shot(page, "structured-output-open")

    rows = page.locator("[data-formset-row]:visible")
    assert rows.count() == 2  # the stored field and a blank one to fill in
    new = rows.nth(1)
    new.get_by_label("Name").fill("Call Outcome")
    # A gentle hint, not a rule: the snake_case spelling is offered.
    hint = new.locator("[data-snake-hint]")
    expect(hint).to_contain_text("call_outcome")  # the server's suggestion, as it is typed
    hint.get_by_role("button", name="Use it").click()
    assert new.get_by_label("Name").input_value() == "call_outcome"
    expect(hint).to_be_hidden()

    options = new.get_by_label("Options")
    assert not options.is_visible()  # only for "One of a list"
    new.get_by_label("Type").select_option("enum")
    options.fill("booked\ncallback\nnot interested")
    new.get_by_label("Required").check()
    new.get_by_label("Description").fill("How the call ended")
    page.get_by_role("button", name="{{transcript}}").click()
    assert page.get_by_label("Extraction prompt").input_value() == "{{transcript}}"
    page.get_by_label("Extraction prompt").press("End")
    page.get_by_label("Extraction prompt").type(" and {{caller}}")
    expect(page.locator("[data-unknown-variables]")).to_have_text(
        "{{caller}} can't be filled in: only the variables above are available."
    )
    shot(page, "structured-output-filled")
    page.get_by_label("Extraction prompt").fill("Read {{transcript}} carefully.")

    page.get_by_role("button", name="Add field").click()  # a second blank row, left blank
    page.get_by_role("button", name="Save data to extract").click()
    page.locator("#saved-note").wait_for()
    shot(page, "structured-output-saved")

    after = revox.get(created["id"])
    assert after["structured_output_config"] == [
        {"name": "caller_name", "required": True, "type": "string", "description": "Full name"},
        {"name": "call_outcome", "required": True, "type": "enum", "description": "How the call ended",
         "enum_options": ["booked", "callback", "not interested"]},
    ]  # fmt: skip
    assert after["structured_output_prompt"] == "Read {{transcript}} carefully."
    # The form shows what was saved, options one per line.
    assert page.get_by_label("Options").nth(1).input_value() == "booked\ncallback\nnot interested"
