"""Tools, edited in Chromium by an Editor: build a tool with a header and an input parameter,
preview its request, save, and find it in Revox."""

import pytest

from tests.conftest import make_user
from tests.e2e.conftest import login, shot
from tests.editors.conftest import editor_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_builds_previews_and_saves_a_tool(page, live, revox):
    from assistants.cache.services import assistants_sync

    created = revox.create(name="Front desk")
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(live + editor_url(created["id"], "tools"))
    assert page.get_by_text("This assistant has no custom tools.").is_visible()
    shot(page, "tools-empty")

    page.get_by_role("button", name="Add a tool").click()
    tool = page.locator("[data-tool]:visible")
    assert tool.count() == 1
    tool.get_by_label("Name").first.fill("check_order")
    assert tool.locator("[data-tool-title]").inner_text() == "check_order"
    tool.get_by_label("What it does").fill("Look up an order's status by its number.")
    tool.get_by_label("Method").select_option("POST")
    tool.get_by_label("URL").fill("https://shop.example/api/orders/{{order_id}}")
    tool.get_by_label("Body template (JSON)").fill('{"note": "{{note}}"}')

    tool.get_by_role("button", name="Add header").click()
    tool.get_by_label("Header name").fill("X-Api-Key")
    tool.get_by_label("Header value").fill("secret 1")
    tool.get_by_role("button", name="Add parameter").click()
    params = tool.locator("[data-schema-rows] [data-formset-row]")
    params.nth(0).get_by_label("Name").fill("order_id")
    params.nth(0).get_by_label("Required").check()
    tool.get_by_role("button", name="Add parameter").click()
    params.nth(1).get_by_label("Name").fill("note")

    # One sample box per parameter, kept in step with the parameters as they are typed.
    samples = tool.locator("[data-samples]")
    samples.get_by_label("order_id").fill("A/17 b")
    samples.get_by_label("note").fill('say "hi"')
    tool.get_by_role("button", name="Preview request").click()
    result = page.locator("[data-preview-result]")
    result.wait_for()
    assert result.locator("pre").inner_text() == (
        "POST https://shop.example/api/orders/A%2F17%20b\n"
        "X-Api-Key: secret 1\n\n"
        '{"note": "say \\"hi\\""}'
    )
    assert revox.get(created["id"])["custom_tools"] in (None, [])  # a preview saves nothing
    # The page came back with everything typed, samples included.
    assert page.locator("[data-samples]").get_by_label("order_id").input_value() == "A/17 b"
    shot(page, "tools-preview")

    page.get_by_role("button", name="Save tools").click()
    page.locator("#saved-note").wait_for()
    shot(page, "tools-saved")

    (saved,) = revox.get(created["id"])["custom_tools"]
    assert saved == {
        "name": "check_order",
        "description": "Look up an order's status by its number.",
        "url": "https://shop.example/api/orders/{{order_id}}",
        "method": "POST",
        "headers": [{"key": "X-Api-Key", "value": "secret 1"}],
        "query_params": [],
        "body_template": '{"note": "{{note}}"}',
        "input_schema": [
            {"name": "order_id", "required": True, "type": "string"},
            {"name": "note", "required": False, "type": "string"},
        ],
    }
    assert page.locator("[data-tool-title]").first.inner_text() == "check_order"
