"""The issue's journey in Chromium: move every gpt-4.1 demo assistant to an OpenRouter model —
preview, apply as a job, each assistant's result, roll back — while a teammate changes one
assistant before the apply and another before the rollback: both reported as conflicts, both
left as the teammate made them."""

import re

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from assistants.models import Assistant
from tests.changes.conftest import GPT41, OPENROUTER
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def editor_opens_change_page_for(page, live, made: list[dict]) -> None:
    """Ed, an Editor, ticks the assistants `made` (in the sandbox, synced now) on the list and
    opens the change page for them."""
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/")
    for assistant in made:
        page.get_by_label(f"Select {assistant['name']}", exact=True).check()
    page.get_by_role("button", name="Change selected").click()


def choose_openrouter_model(page) -> None:
    """The language-model form on the change page, set to OPENROUTER."""
    page.locator("[data-llm-kinds] label", has_text="OpenRouter").click()
    section = page.locator('[data-llm-section="openrouter"]')
    section.get_by_label("Model id").fill("openai/gpt-4.1-mini")
    section.get_by_label("Provider").fill("openai")


def test_every_gpt41_assistant_moves_to_openrouter_and_back(
    page, live, demo_revox, job_worker, settings
):
    settings.REVOX_BULK_CONCURRENCY = 1  # the live server's test database is one connection
    revox = demo_revox
    assistants_sync()
    on_gpt41 = list(Assistant.objects.filter(llm_kind="dedicated-instance", llm_model="gpt-4.1"))
    assert len(on_gpt41) == 5
    make_user("ed", "Editor")
    login(page, live, "ed")

    # Choose: the dedicated models, then tick the GPT-4.1 rows.
    page.goto(f"{live}/assistants/?llm=dedicated-instance")
    for assistant in on_gpt41:
        page.get_by_label(f"Select {assistant.name}", exact=True).check()
    shot(page, "changes-1-list-ticked")
    page.get_by_role("button", name="Change selected").click()

    # Say the change with the language-model editor's own form.
    expect(page.get_by_role("heading", name="Change 5 assistants at once")).to_be_visible()
    choose_openrouter_model(page)
    shot(page, "changes-2-form")
    page.get_by_role("button", name="Preview the change").click()

    # The preview: five will change, each with its diff; nothing sent yet.
    expect(page.locator("#change-counts")).to_contain_text("5 will change")
    assert revox.requests("PATCH") == []
    shot(page, "changes-3-preview")

    # A teammate moves one of them elsewhere before the apply.
    first, second = on_gpt41[0], on_gpt41[1]
    theirs = {"type": "dedicated-instance", "name": "ministral-3-8b-instruct"}
    revox.patch(first.revox_id, llm_model=theirs)

    page.get_by_role("button", name=re.compile("Apply to 5 assistants")).click()
    expect(page.locator("#change-status")).to_contain_text("Applied", timeout=30_000)
    row = page.locator(f"#item-{first.revox_id}")
    expect(row).to_contain_text("Conflict")
    expect(page.locator('tr[data-outcome="changed"]')).to_have_count(4)
    shot(page, "changes-4-applied")
    assert revox.get(first.revox_id)["llm_model"] == theirs  # untouched
    for assistant in on_gpt41[1:]:
        assert revox.get(assistant.revox_id)["llm_model"] == OPENROUTER

    # After the set, a teammate changes another one; then the rollback.
    later = {**OPENROUTER, "openrouter_model_id": "anthropic/claude-sonnet-4"}
    revox.patch(second.revox_id, llm_model=later)
    page.get_by_role("button", name=re.compile("Roll back 4 assistants")).click()
    expect(page.locator("#change-status")).to_contain_text("Rolled back", timeout=30_000)
    expect(page.locator(f"#item-{second.revox_id}")).to_contain_text("Changed since: kept")
    expect(page.locator('tr[data-rollback="restored"]')).to_have_count(3)
    shot(page, "changes-5-rolled-back")
    assert revox.get(second.revox_id)["llm_model"] == later  # untouched
    assert revox.get(first.revox_id)["llm_model"] == theirs
    for assistant in on_gpt41[2:]:
        assert revox.get(assistant.revox_id)["llm_model"] == GPT41

    # The change set is a page of its own, listed under /changes/.
    page.goto(f"{live}/changes/")
    expect(page.locator("#change-sets")).to_contain_text("Language model")


def test_a_large_set_waits_for_a_teammates_approval(page, live, demo_revox, job_worker,
                                                   settings):  # fmt: skip
    settings.REVOX_BULK_CONCURRENCY = 1
    assistants_sync()
    dedicated = list(
        Assistant.objects.filter(llm_kind="dedicated-instance").values_list("revox_id", flat=True)
    )
    make_user("ada", "Admin")
    make_user("ed", "Editor")
    login(page, live, "ada")
    page.goto(f"{live}/changes/settings/")
    page.get_by_label("Ask a second person to approve change sets over").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    shot(page, "changes-6-policy")
    page.context.clear_cookies()

    login(page, live, "ed")
    page.goto(f"{live}/assistants/?llm=dedicated-instance")
    page.get_by_role("button", name=re.compile("Change all 6 matching")).click()
    choose_openrouter_model(page)
    page.get_by_role("button", name="Preview the change").click()
    expect(page.locator("#needs-approval")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Apply"))).to_have_count(0)
    expect(page.get_by_role("button", name="Approve this change set")).to_have_count(0)
    # The one dedicated assistant not on gpt-4.1 moves too: it is the one to look at first.
    odd = Assistant.objects.filter(llm_kind="dedicated-instance").exclude(llm_model="gpt-4.1")
    [odd] = list(odd)
    expect(page.locator("#change-counts")).to_contain_text("5 will change")
    expect(page.locator("#look-count")).to_have_text("1 will change: look first")
    shot(page, "changes-7-waiting-for-approval")
    url = page.url
    page.context.clear_cookies()

    login(page, live, "ada")
    page.goto(url)
    # What the approver reads: which one, and why, in plain words.
    expect(page.locator("#needs-approval")).to_contain_text("the 1 marked “Look first”")
    odd_row = page.locator(f"#item-{odd.revox_id}")
    expect(odd_row).to_contain_text("Look first")
    expect(odd_row).to_contain_text(
        f"Now model {odd.llm_model}, where 5 of the 6 assistants have model gpt-4.1"
    )
    odd_row.scroll_into_view_if_needed()
    shot(page, "changes-7b-approver-reads-look-first", full_page=False)
    page.get_by_role("button", name="Approve this change set").click()
    expect(page.locator("#change-approval")).to_contain_text("Ada")
    page.get_by_role("button", name=re.compile("Apply to 6 assistants")).click()
    expect(page.locator("#change-status")).to_contain_text("Applied", timeout=30_000)
    expect(page.locator('tr[data-outcome="changed"]')).to_have_count(6)
    assert len(dedicated) == 6
    assert {demo_revox.get(i)["llm_model"]["type"] for i in dedicated} == {"openrouter"}


def test_find_and_replace_counts_the_matches_before_anything_is_sent(page, live, revox):
    made = [
        revox.create(name="North desk", prompt="Welcome to Acme Corp. Acme Corp cares."),
        revox.create(name="South desk", prompt="No company named here."),
    ]
    editor_opens_change_page_for(page, live, made)
    page.get_by_role("link", name="Find and replace").click()
    page.get_by_label("Find").fill("Acme Corp")
    page.get_by_label("Replace with").fill("Globex")
    shot(page, "changes-8-replace-form")
    page.get_by_role("button", name="Preview the change").click()
    expect(page.locator("#match-total")).to_have_text("2 matches in all")
    expect(page.locator(f"#item-{made[1]['id']}")).to_contain_text("0 matches")
    shot(page, "changes-9-replace-preview")
    assert revox.requests("PATCH") == []


def test_an_faq_question_added_to_several_assistants(page, live, revox):
    made = [revox.create(name=f"Desk {n}") for n in (1, 2)]
    editor_opens_change_page_for(page, live, made)
    page.get_by_role("link", name="FAQ", exact=True).click()
    page.get_by_label("Question", exact=True).fill("Is there parking?")
    page.get_by_label("Answer", exact=True).fill("Yes, free, behind the building.")
    shot(page, "changes-10-faq-form")
    page.get_by_role("button", name="Preview the change").click()
    expect(page.locator("#change-counts")).to_contain_text("2 will change")
    shot(page, "changes-11-faq-preview")
    assert revox.requests("PATCH") == []
