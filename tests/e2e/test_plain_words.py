"""Issue 15, points 5 and 6 in Chromium: ids behind a copy button, model names in full and the
kinds explained, dates in the reader's order (en-GB and fr-FR), /health/ for people, the team's
role choice, and "Import from a file" beside "New assistant"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from assistants.cache.services import assistants_sync
from assistants.models import Change
from assistants.snapshot import LLM_KIND_DESCRIPTIONS
from tests.conftest import make_user
from tests.e2e.conftest import login, shot, watched_context

pytestmark = pytest.mark.django_db(transaction=True)

LONG_MODEL = "meta-llama/llama-3.3-70b-instruct:free"


@pytest.fixture
def long_model(revox):
    revox.reset("demo")
    made = revox.create(
        name="Aardvark Long Model Line",  # first by name
        llm_model={"type": "openrouter", "openrouter_model_id": LONG_MODEL,
                   "openrouter_provider": "together"},
    )  # fmt: skip
    assistants_sync()
    return made


def test_ids_hide_behind_a_copy_button_and_models_show_in_full(
    page, browser_context, live, long_model
):
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live)
    make_user("ada", "Admin")
    login(page, live, "ada")

    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Aardvark Long Model Line")
    assert long_model["id"] not in page.locator("table").inner_text()
    # The model's whole name, wrapped rather than cut: nothing hidden past the cell's edge.
    model = row.locator(".model-name")
    expect(model).to_have_text(LONG_MODEL)
    assert model.evaluate("el => el.scrollWidth <= el.clientWidth")
    badge = row.get_by_text("OpenRouter", exact=True)
    expect(badge).to_have_attribute("title", f"OpenRouter: {LLM_KIND_DESCRIPTIONS['openrouter']}")
    legend = page.locator("#model-kinds")
    for description in LLM_KIND_DESCRIPTIONS.values():
        expect(legend).to_contain_text(description)

    copy = row.get_by_label("Copy id of Aardvark Long Model Line")
    copy.click()
    expect(row.locator(".copy-id")).to_have_class(re.compile("copied"))
    expect(row.locator("[data-copy-text]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == long_model["id"]
    shot(page, "plain-1-list-copied")
    expect(row.locator("[data-copy-text]")).to_have_text("")  # the confirmation goes away

    # "Import from a file" sits beside "New assistant"; the activity page no longer has it.
    header = page.locator(".page-header")
    expect(header.get_by_role("link", name="Import from a file")).to_be_visible()
    expect(header.get_by_role("link", name="New assistant")).to_be_visible()

    # The overview: the facts box names no raw id either, and copies both.
    row.get_by_role("link", name="Aardvark Long Model Line").click()
    page.wait_for_url(f"{live}/assistants/{long_model['id']}/")
    facts = page.locator("#facts-title").locator("xpath=../..")
    assert long_model["id"] not in page.locator("main").inner_text()
    assert long_model["organization_id"] not in facts.inner_text()
    facts.get_by_label("Copy id of the organization").click()
    expect(facts.get_by_text("Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == long_model["organization_id"]
    page.evaluate("window.scrollTo(0, 0)")  # a full-page shot draws the sticky bar where it is
    shot(page, "plain-2-overview-copied")

    page.goto(f"{live}/assistants/{long_model['id']}/edit/llm/")
    expect(page.locator("label", has_text="OpenRouter")).to_have_attribute(
        "title", LLM_KIND_DESCRIPTIONS["openrouter"]
    )
    page.goto(f"{live}/activity/")
    expect(page.get_by_role("link", name=re.compile("Import"))).to_have_count(0)


def test_without_javascript_the_id_opens_in_place(
    browser: Browser, live, long_model, page_problems
):
    make_user("vera", "Viewer")
    context = watched_context(browser, page_problems, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live, "vera")
        page.goto(f"{live}/assistants/{long_model['id']}/")
        facts = page.locator("#facts-title").locator("xpath=../..")
        value = facts.locator(".copy-id-value").first
        expect(value).to_be_hidden()
        facts.get_by_label("Copy id of Aardvark Long Model Line").click()
        expect(value).to_be_visible()
        expect(value).to_have_text(long_model["id"])
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "plain-3-nojs-id-opened")
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_activity_dates_are_in_the_readers_order(
    browser: Browser, live, revox, locale, page_problems
):
    make_user("vera", "Viewer")
    for days_ago, name in ((12, "Twelve days ago"), (2, "Two days ago")):
        change = Change.objects.create(assistant_revox_id=name, assistant_name=name,
                                       kind="update", group="general", before={}, after={})  # fmt: skip
        Change.objects.filter(pk=change.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    context = watched_context(browser, page_problems, locale=locale)
    page = context.new_page()
    try:
        login(page, live, "vera")
        page.goto(f"{live}/activity/")
        since = page.get_by_label("From", exact=True)
        expect(since).to_have_attribute("placeholder", "dd/mm/yyyy")
        week_ago = timezone.localdate() - timedelta(days=7)

        # The calendar button fills the field in the same order (the picker itself is the
        # browser's; here its hidden date input is set as a pick would set it).
        expect(page.get_by_label("Choose the “From” date on a calendar")).to_be_visible()
        page.locator('[data-date-proxy="id_since"]').fill(week_ago.isoformat(), force=True)
        expect(since).to_have_value(week_ago.strftime("%d/%m/%Y"))
        shot(page, f"plain-4-activity-dates-{locale}")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("#activity-list")).to_contain_text("Two days ago")
        expect(page.locator("#activity-list")).not_to_contain_text("Twelve days ago")
        expect(since).to_have_value(week_ago.strftime("%d/%m/%Y"))

        # A date in US order is refused with the order expected, not misread.
        until = page.get_by_label("To", exact=True)
        until.fill("11/20/2026")
        page.get_by_role("button", name="Filter").click()
        expect(
            page.get_by_text("Write the date as dd/mm/yyyy, for example 20/11/2026.")
        ).to_be_visible()
        expect(until).to_have_value("11/20/2026")  # what was typed stays
        shot(page, f"plain-5-activity-date-refused-{locale}")
    finally:
        context.close()


@pytest.mark.allow_failed_loads(503)  # /health/ answers 503 while Revox is down, on purpose
def test_health_is_a_page_for_people(page, live, revox):
    revox.reset("demo")
    assistants_sync()
    response = page.goto(f"{live}/health/")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    expect(page.locator("#health-summary")).to_have_text(re.compile("Everything works."))
    expect(page.locator("#health-summary")).to_have_class(re.compile("alert-success"))
    expect(page.locator("#health-revox")).to_contain_text("Revox API: reachable")
    expect(page.locator("#health-key")).to_contain_text("API key: accepted")
    expect(page.locator("#health-cache")).to_contain_text("Local copy: fresh")
    shot(page, "plain-6-health-ok")

    revox.faults({"path": "/**", "status": 503})
    response = page.goto(f"{live}/health/")
    assert response.status == 503
    expect(page.locator("#health-summary")).to_have_text(re.compile("Revox can't be reached."))
    expect(page.locator("#health-summary")).to_have_class(re.compile("alert-danger"))
    expect(page.locator("#health-key")).to_contain_text("API key: not checked")
    shot(page, "plain-7-health-down")
    revox.clear_faults()
    json = page.request.get(f"{live}/health/", headers={"Accept": "application/json"})
    assert json.status == 200 and json.json()["revox"]["reachable"] is True


def test_the_team_role_choice_reads_like_the_product(page, live, revox):
    make_user("ada", "Admin")
    login(page, live, "ada")
    page.goto(f"{live}/team/")
    expect(page.get_by_role("radio", name="Viewer")).to_be_checked()  # the least access first
    editor = page.get_by_role("radio", name="Editor")
    expect(editor).not_to_be_checked()
    expect(editor).to_have_accessible_description("Also edits assistants and reviews FAQ answers.")
    about = page.locator("#id_role_2-about").bounding_box()  # a click anywhere in the box picks it
    page.mouse.click(about["x"] + about["width"] / 2, about["y"] + about["height"] / 2)
    expect(page.get_by_role("radio", name="Admin")).to_be_checked()
    expect(page.locator(".role-option", has=page.get_by_role("radio", name="Admin"))).to_have_css(
        "background-color", "rgb(238, 242, 255)"
    )
    shot(page, "plain-8-team-roles")
