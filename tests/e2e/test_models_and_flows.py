"""Issue 19.3 and 19.4 in Chromium: finding assistants by model, voice and kind, and a
multi-step flow's steps on its overview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assistants.models import Assistant
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

FLOW = "Lakeside Physio – Intake flow"


def expect_listed(page, **filters) -> list[str]:
    """Wait until the list shows exactly the cached assistants matching `filters`, by name."""
    expected = list(
        Assistant.objects.filter(**filters).order_by("name").values_list("name", flat=True)
    )
    expect(page.locator("#assistant-results a.assistant-name")).to_have_text(expected)
    return expected


def test_finding_assistants_by_model_voice_and_kind(page, live, demo):
    make_user("vera", "Viewer")
    login(page, live, "vera")
    page.get_by_label("Search assistants").fill("gpt-4.1")
    found = expect_listed(page, llm_model__in=["gpt-4.1", "openai/gpt-4.1"])
    assert len(found) > 3
    shot(page, "list-search-model")

    page.get_by_label("Search assistants").fill("")
    expect_listed(page)
    page.get_by_label("Language model").select_option("dedicated-instance:ministral-3-8b-instruct")
    expect_listed(page, llm_kind="dedicated-instance", llm_model="ministral-3-8b-instruct")
    assert "llm=dedicated-instance%3Aministral-3-8b-instruct" in page.url  # a link to share
    page.get_by_label("Language model").select_option("dedicated-instance:gpt-4.1")
    expect_listed(page, llm_kind="dedicated-instance", llm_model="gpt-4.1")
    shot(page, "list-filter-model")

    page.get_by_label("Language model").select_option("")
    expect_listed(page)
    page.get_by_label("Kind of assistant").select_option("multi-step")
    assert expect_listed(page, assistant_type="multi-step") == [FLOW]
    expect(page.locator("#assistant-results tbody tr")).to_contain_text("Multi-step")
    shot(page, "list-filter-kind")

    flow = Assistant.objects.get(name=FLOW)
    page.get_by_label("Kind of assistant").select_option("")
    expect_listed(page)
    page.get_by_label("Voice", exact=True).select_option(f"{flow.voice_provider}:{flow.voice_id}")
    assert FLOW in expect_listed(page, voice_provider=flow.voice_provider, voice_id=flow.voice_id)
    shot(page, "list-filter-voice")


def test_the_overview_of_a_flow_shows_its_steps_in_order(page, live, demo):
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.get_by_role("link", name=FLOW).click()
    steps = page.locator("#prompt-flow ol > li")
    expect(steps).to_have_count(3)
    assert [" ".join(t.split()) for t in page.locator("#prompt-flow h3").all_inner_texts()] == [
        "1 Welcome", "2 Triage", "3 Booking"
    ]  # fmt: skip
    expect(steps.first).to_contain_text("Greet and ask whether the call is about a new problem.")
    expect(page.locator("#flow-note")).to_contain_text("Revox's own flow editor edits these steps")
    expect(page.locator("#prompt-flow").locator("input, textarea, button")).to_have_count(0)
    # Above the fold: the flow is the first thing under the header.
    box = page.locator("#prompt-flow").bounding_box()
    assert box and box["y"] < 400
    shot(page, "overview-flow", full_page=False)
