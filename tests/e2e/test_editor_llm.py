"""An Editor moves an assistant from a custom endpoint to OpenRouter; the key never shows."""

import pytest

from assistants.cache.services import assistants_sync
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "sk-canary-e2e-41b7d09c"


def test_an_editor_switches_kinds_and_the_key_stays_hidden(page, live, revox):
    created = revox.create(
        name="Custom brain",
        llm_model={"type": "custom", "api_url": "https://api.together.xyz/v1", "api_key": CANARY,
                   "model_name": "meta-llama/Llama-3.3-70B-Instruct-Turbo"},
    )  # fmt: skip
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{created['id']}/edit/llm/")
    shot(page, "editor-llm-custom")

    assert CANARY not in page.content()
    assert page.get_by_text("•••••• (saved)").is_visible()
    assert page.get_by_label("Replace key").input_value() == ""
    assert not page.get_by_label("Model id").first.is_visible()  # other kinds' sections are hidden

    page.locator("[data-llm-kinds] label", has_text="OpenRouter").click()
    assert not page.get_by_label("API URL").is_visible()
    section = page.locator('[data-llm-section="openrouter"]')
    section.get_by_label("Model id").fill("anthropic/claude-sonnet-4.5")
    section.get_by_label("Provider").fill("anthropic")
    shot(page, "editor-llm-openrouter")
    page.get_by_role("button", name="Save language model").click()
    page.get_by_text("Language model saved to Revox.").wait_for()

    assert revox.get(created["id"])["llm_model"] == {
        "type": "openrouter", "openrouter_model_id": "anthropic/claude-sonnet-4.5",
        "openrouter_provider": "anthropic",
    }  # fmt: skip

    # Back to a custom endpoint: nothing is filled in for the key, and none is "saved" any more.
    page.locator("[data-llm-kinds] label", has_text="Custom endpoint").click()
    key = page.get_by_label("API key")
    assert key.is_visible() and key.input_value() == "" and key.get_attribute("type") == "password"
    assert not page.get_by_text("•••••• (saved)").is_visible()
    assert CANARY not in page.content()
    shot(page, "editor-llm-back-to-custom")
