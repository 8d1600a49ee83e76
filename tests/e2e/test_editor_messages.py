"""Chromium sets up messages as an Editor: the {{variables}} each template uses and the e-mail
addresses, as the server reads them while they are typed; legacy outcomes kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import save_and_wait, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_sets_up_messages(page, revox, editing):
    # Saved by an older Revox with an outcome today's Revox no longer takes.
    created = editing("messages", older={"after_call_sms_outcomes": ["do_not_contact"]})
    page.get_by_label("Let the assistant send text messages during calls").check()
    page.get_by_label("Fixed text").fill("Hi {{first_name}}, your code is {{ code }}.")
    chips = page.locator('[data-placeholders-for="id_sms_template"] .placeholder-chip')
    expect(chips).to_have_text(["{{first_name}}", "{{code}}"])
    page.get_by_label("What to write").fill("Thank {{first_name}} for their time.")
    page.locator("#id_after_call_sms_outcomes").get_by_label("Interested", exact=True).check()
    expect(page.get_by_label("Do not contact (legacy)")).to_be_checked()
    addresses = page.get_by_label("Send e-mails to")
    addresses.fill("ops@example.com, bob")
    expect(page.locator(".address-chip.text-bg-danger")).to_have_text("bob")
    addresses.fill("ops@example.com, bob@example.com")
    expect(page.locator(".address-chip.badge-soft-primary")).to_have_count(2)
    page.locator("#id_email_notification_outcomes").get_by_label("Completed").check()

    # The list changed and still holds the old outcome: said before anything is sent.
    page.locator("#save-button").click()
    expect(page.locator("#id_after_call_sms_outcomes").locator("xpath=..")).to_contain_text(
        "Revox no longer accepts “Do not contact”"
    )
    page.get_by_label("Do not contact (legacy)").uncheck()
    save_and_wait(page)
    shot(page, "editor-messages")

    after = revox.get(created["id"])
    assert after["sms_enabled"] is True
    assert after["sms_template"] == "Hi {{first_name}}, your code is {{ code }}."
    assert after["after_call_sms_prompt"] == "Thank {{first_name}} for their time."
    assert after["after_call_sms_outcomes"] == ["interested"]
    assert after["email_notification_address"] == "ops@example.com, bob@example.com"
    assert after["email_notification_outcomes"] == ["completed"]
