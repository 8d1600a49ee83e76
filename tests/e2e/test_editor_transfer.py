"""Chromium sets up transfer as an Editor: destinations whose numbers the server shows grouped
as people read them in their country, the mode shown only when there is somewhere to transfer
to, the old single number turned into a row."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import save_and_wait, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_sets_up_transfer(page, revox, editing):
    created = editing("transfer", older={"transfer_phone_number": "+61395550123"})
    mode = page.locator("[data-transfer-mode]")
    expect(mode).to_be_hidden()  # nowhere to transfer to yet

    page.locator("#id_destinations-0-label").fill("Sales")
    phone = page.locator("#id_destinations-0-phone_number")
    phone.press_sequentially("+14155550142")
    expect(phone).to_have_value("+14155550142")  # as typed: the page does not rewrite it
    expect(mode).to_be_visible()
    expect(page.locator("[data-warm-only]")).to_be_hidden()
    page.get_by_label(re.compile("^Warm")).check()
    page.get_by_label("What the assistant tells the person before connecting").fill(
        "Say who is calling and why."
    )
    expect(page.locator("#legacy-transfer")).to_contain_text("+61 3 9555 0123")
    page.get_by_role("button", name="Convert to a destination").click()
    # Grouped by the server, the Australian way (libphonenumber's rules, not a copy of them).
    expect(page.locator("#id_destinations-1-phone_number")).to_have_value("+61 3 9555 0123")
    page.locator("#id_destinations-1-label").fill("Melbourne office")
    page.get_by_label("Call from this number").fill("+1 415 555 0100")

    # (Screenshots come after the save: Playwright's full-page capture leaves style attributes
    # that htmx's settle step would copy, which the CSP reports.)
    save_and_wait(page)
    shot(page, "editor-transfer")

    after = revox.get(created["id"])
    assert after["transfer_destinations"] == [
        {"label": "Sales", "phone_number": "+14155550142"},
        {"label": "Melbourne office", "phone_number": "+61395550123"},
    ]
    assert after["human_transfer_mode"] == "warm"
    assert after["warm_transfer_summary_instructions"] == "Say who is calling and why."
    assert after["from_phone_number"] == "+14155550100"
    expect(page.locator("#legacy-transfer")).to_have_count(0)
    expect(page.locator("#id_destinations-0-phone_number")).to_have_value("+1 415-555-0142")
