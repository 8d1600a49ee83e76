"""Chromium connects Slack as an Editor: the integration unfolds when switched on, the
{{variables}} its template uses are listed as typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import save_and_wait, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_connects_slack(page, revox, editing):
    created = editing("integrations")
    slack = page.locator("section", has=page.get_by_role("heading", name="Slack"))
    expect(slack.locator("[data-integration-body]")).to_be_hidden()
    page.get_by_label("Post to Slack after calls").check()
    expect(slack.locator("[data-integration-body]")).to_be_visible()
    slack.get_by_label("Connection ID").fill("conn_slack_42")
    page.locator("#id_slack_channels-0-id").fill("C0SALES")
    page.locator("#id_slack_channels-0-name").fill("sales")
    slack.get_by_role("button", name="Add a channel").click()
    page.locator("#id_slack_channels-1-id").fill("C0BOSS")
    slack.get_by_label("Interested", exact=True).check()
    slack.get_by_label("Message").fill("{{phone}} is interested: {{summary}}")
    expect(slack.locator(".placeholder-chip")).to_have_text(["{{phone}}", "{{summary}}"])
    expect(page.locator("section", has=page.get_by_role("heading", name="Zoho CRM"))
           .locator("[data-integration-body]")).to_be_hidden()  # fmt: skip

    save_and_wait(page)
    shot(page, "editor-integrations")

    after = revox.get(created["id"])
    assert after["slack"] == {
        "connection_id": "conn_slack_42",
        "channels": [{"id": "C0SALES", "name": "sales"}, {"id": "C0BOSS"}],
        "outcomes": ["interested"],
        "template": "{{phone}} is interested: {{summary}}",
    }
    assert after["calendly"] is None and after["zoho"] is None
