"""The FAQ review queue at volume, in Chromium (issue 15, point 4): pages of questions, the
keyboard carrying on from one page to the next, "all N matching" acting on every page, every
count kept current after each action, "By assistant" kept in view, and Approve waiting for an
answer. Without JavaScript: plain page links and plain forms."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from assistants import faq
from assistants.cache.services import assistants_sync
from assistants.faq_review.views import PAGE_SIZE
from assistants.models import Assistant, FaqItem
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import SCREENSHOTS, login, shot, watched_context

pytestmark = pytest.mark.django_db(transaction=True)

SEED = {"assistants": 4, "faqs_per_assistant": 16, "pending_ratio": 0.5, "prompt_bytes": 200}


def pending_keys() -> list[str]:
    """The queue's order, as the cache holds it."""
    return [
        f"{revox_id}/{upstream_id}"
        for revox_id, upstream_id in FaqItem.objects.filter(needs_human_answer=True)
        .order_by("assistant_id", "position")
        .values_list("assistant__revox_id", "upstream_id")
    ]


def expect_row(row, key_and_question: tuple[str, str]) -> None:
    """The row shows this item: its assistant and question (item ids change on every save)."""
    key, question = key_and_question
    expect(row).to_have_attribute(
        "data-faq-key", re.compile("^" + re.escape(key.split("/")[0]) + "/")
    )
    expect(row.locator(".faq-q-question")).to_have_text(question)


def in_revox(revox, key: str) -> list[tuple[str, bool]]:
    """(answer, still waiting) of every item in Revox asking the question the page named `key`
    (generated FAQs repeat some questions)."""
    revox_id, upstream_id = key.split("/")
    question = FaqItem.objects.filter(assistant__revox_id=revox_id, upstream_id=upstream_id)
    wanted = question.values_list("question", flat=True).first() or QUESTIONS[key]
    QUESTIONS[key] = wanted
    return [
        (item["answer"], item["needs_human_answer"])
        for item in revox.get(revox_id)["faq_items"]
        if item["question"] == wanted
    ]


QUESTIONS: dict[str, str] = {}


def question_of(key: str) -> str:
    revox_id, upstream_id = key.split("/")
    return FaqItem.objects.get(assistant__revox_id=revox_id, upstream_id=upstream_id).question


def counts_on(page: Page) -> dict[str, str]:
    """Every count the page shows, as a person reads them, once the page has them all."""
    tabs = page.locator("[data-faq-tab]")
    expect(tabs.first).to_be_visible()
    return {
        **{
            tabs.nth(i).get_attribute("data-faq-tab"): tabs.nth(i)
            .locator("[data-faq-tab-count]")
            .inner_text()
            for i in range(tabs.count())
        },
        "footer": page.locator("#faq-result-count").inner_text(),
        "nav": page.locator("#nav-pending-count").inner_text(),
    }


def by_assistant(page: Page) -> dict[str, str]:
    links = page.locator("#faq-counts .list-group-item")
    return {
        links.nth(i).locator(".text-truncate").inner_text(): links.nth(i)
        .locator("[data-faq-assistant-count]")
        .inner_text()
        for i in range(links.count())
    }


def expected_counts(pending: int, answered: int) -> dict[str, str]:
    return {
        "pending": str(pending),
        "answered": str(answered),
        "all": str(pending + answered),
        "footer": f"{pending} items waiting for review.",
        "nav": str(pending),
    }


def expected_by_assistant() -> dict[str, str]:
    return {
        name: str(n)
        for name, n in Assistant.objects.filter(pending_faq_count__gt=0).values_list(
            "name", "pending_faq_count"
        )
    }


def test_an_editor_works_through_pages_by_keyboard_and_every_count_follows(page, live, revox):
    revox.reset(SEED)
    assistants_sync()
    order = pending_keys()
    before = [in_revox(revox, key) for key in order[:2]]  # saving renumbers the ids
    item = [(key, QUESTIONS.get(key) or question_of(key)) for key in order]
    pending, answered = len(order), FaqItem.objects.filter(needs_human_answer=False).count()
    assert pending > PAGE_SIZE + 5  # at least two pages
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/")

    rows = page.locator("[data-faq-key]")
    expect(rows).to_have_count(PAGE_SIZE)
    assert counts_on(page) == expected_counts(pending, answered)
    assert by_assistant(page) == expected_by_assistant()
    expect(page.locator("[data-bulk-count]")).to_have_text(
        "Tick the questions to act on, or press x on the highlighted one."
    )
    expect(page.locator("[data-faq-pager]")).to_contain_text("Next")
    shot(page, "faq-volume-1-first-page")

    # Approve waits for an answer: disabled while the box is blank, enabled as soon as it isn't.
    first = rows.nth(0)
    approve = first.get_by_role("button", name="Approve")
    expect(approve).to_be_disabled()
    expect(first.locator("[data-faq-blank-hint]")).to_be_visible()  # the highlighted row says why
    page.keyboard.press("a")  # nothing to approve: it says why, and the focus stays put
    expect(page.locator("[data-faq-key-status]")).to_have_text(
        "Nothing to approve yet: this question has no answer. Press e to write one."
    )
    expect(first.locator("[data-faq-answer]")).not_to_be_focused()
    page.keyboard.press("e")
    expect(first.locator("[data-faq-answer]")).to_be_focused()
    page.keyboard.type("   ")
    expect(approve).to_be_disabled()
    page.keyboard.press("Control+A")
    page.keyboard.type("Yes, up to a day before.")
    expect(approve).to_be_enabled()
    expect(first.locator("[data-faq-blank-hint]")).to_be_hidden()
    shot(page, "faq-volume-2-answer-typed")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    expect(first).to_have_attribute("data-faq-done", "")
    pending -= 1
    answered += 1
    expect(page.locator("#faq-result-count")).to_have_text(f"{pending} items waiting for review.")
    assert counts_on(page) == expected_counts(pending, answered)
    assert by_assistant(page) == expected_by_assistant()
    assert ("Yes, up to a day before.", False) in in_revox(revox, order[0])
    assert len(in_revox(revox, order[0])) == len(before[0])

    # The cursor moved to the next row; delete it (d twice): the "All" tab drops too.
    expect(rows.nth(1)).to_have_class(re.compile("is-current"))
    page.keyboard.press("d")
    page.keyboard.press("d")
    expect(rows.nth(1)).to_have_attribute("data-faq-done", "")
    assert len(in_revox(revox, order[1])) == len(before[1]) - 1
    pending -= 1
    expect(page.locator("[data-faq-tab=all] [data-faq-tab-count]")).to_have_text(
        str(pending + answered)
    )
    assert counts_on(page) == expected_counts(pending, answered)
    assert by_assistant(page) == expected_by_assistant()
    shot(page, "faq-volume-3-counts-follow")

    # j past the last row opens the next page, which starts at the first question not shown
    # yet: the two that left the queue moved every later one up by two places.
    expect(rows.nth(2)).to_have_class(re.compile("is-current"))  # on to the next open one
    for _ in range(PAGE_SIZE - 3):
        page.keyboard.press("j")
    expect(rows.nth(PAGE_SIZE - 1)).to_have_class(re.compile("is-current"))
    page.keyboard.press("j")
    page.wait_for_url(re.compile(rf"start={PAGE_SIZE - 2}"))
    expect_row(rows.nth(0), item[PAGE_SIZE])
    expect(rows.nth(0)).to_have_class(re.compile("is-current"))
    assert counts_on(page) == expected_counts(pending, answered)
    shot(page, "faq-volume-4-next-page")

    # k before the first row goes back, to the last row of the page before.
    page.keyboard.press("k")
    page.wait_for_url(f"{live}/faq-review/")
    expect(rows.nth(PAGE_SIZE - 1)).to_have_class(re.compile("is-current"))
    expect_row(rows.nth(PAGE_SIZE - 1), item[PAGE_SIZE + 1])
    expect_row(rows.nth(0), item[2])

    # Plain page links work too (htmx), and the browser's address follows.
    page.locator("[data-faq-pager]").get_by_role("link", name="Page 2").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect_row(rows.nth(0), item[PAGE_SIZE + 2])
    expect(page.locator("[data-faq-pager] .active")).to_have_text("2")


def test_the_by_assistant_panel_stays_in_view_while_scrolling(page, live, revox):
    revox.reset(SEED)
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/")
    panel = page.locator("#faq-counts")
    page.locator("[data-faq-pager]").scroll_into_view_if_needed()
    box = panel.bounding_box()
    assert 0 <= box["y"] < 900 and box["y"] + box["height"] <= 900, box
    assert page.evaluate("window.scrollY") > 1000
    SCREENSHOTS.mkdir(exist_ok=True)  # what the eye sees at the bottom of the page
    page.screenshot(path=str(SCREENSHOTS / "faq-volume-5-scrolled.png"), caret="initial")


def test_all_matching_acts_on_every_page_and_the_counts_follow(page, live, revox, job_worker):
    revox.reset(SEED)
    assistants_sync()
    ids = list(Assistant.objects.order_by("name").values_list("revox_id", flat=True)[:2])
    for n in range(26):
        revox.suggest_faq(ids[n % 2], f"Do you deliver to district {n}? (batch)", "Yes, daily.")
    assistants_sync()
    pending = FaqItem.objects.filter(needs_human_answer=True).count()
    answered = FaqItem.objects.filter(needs_human_answer=False).count()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/faq-review/?q=batch")
    expect(page.locator("[data-faq-key]")).to_have_count(PAGE_SIZE)
    expect(page.locator("#faq-result-count")).to_have_text(
        "26 items waiting for review, matching the filters."
    )

    page.get_by_label("Tick every question on this page").check()
    expect(page.locator("[data-bulk-count]")).to_have_text(f"{PAGE_SIZE} selected")
    page.get_by_role("button", name="Select all 26 matching this filter, on every page").click()
    expect(page.locator("[data-bulk-count]")).to_have_text(
        "All 26 items matching this filter are selected, on every page."
    )
    shot(page, "faq-volume-6-all-matching")
    page.get_by_role("button", name="Approve selected").click()
    page.locator("#bulk-report").get_by_text("13 approved").first.wait_for()
    expect(page.get_by_text("Nothing matches these filters.")).to_be_visible()

    approved = [
        i
        for revox_id in ids
        for i in revox.get(revox_id)["faq_items"]
        if i["question"].endswith("(batch)")
    ]
    assert len(approved) == 26 and not any(i["needs_human_answer"] for i in approved)
    assert {i["answer"] for i in approved} == {"Yes, daily."}
    expect(page.locator("#nav-pending-count")).to_have_text(str(pending - 26))
    expect(page.locator("[data-faq-tab=pending] [data-faq-tab-count]")).to_have_text("0")
    expect(page.locator("[data-faq-tab=answered] [data-faq-tab-count]")).to_have_text("26")
    shot(page, "faq-volume-7-all-matching-done")

    page.get_by_role("link", name="Back to everything waiting for review").click()
    page.wait_for_url(f"{live}/faq-review/")
    assert counts_on(page) == expected_counts(pending - 26, answered + 26)
    assert by_assistant(page) == expected_by_assistant()


def test_without_javascript_pages_are_links_and_a_blank_approve_is_explained(
    browser, live, revox, page_problems
):
    revox.reset(SEED)
    assistants_sync()
    order = pending_keys()
    make_user("ed", "Editor")
    context = watched_context(browser, page_problems, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live, "ed", PASSWORD)
        page.goto(f"{live}/faq-review/")
        page.locator("[data-faq-pager]").get_by_role("link", name="Next").click()
        page.wait_for_url(re.compile(r"page=2"))
        rows = page.locator("[data-faq-key]")
        expect(rows.nth(0)).to_have_attribute("data-faq-key", order[PAGE_SIZE])

        # Approve is not disabled without the script; the server refuses a blank one, says
        # why, and the page stays where it was.
        first = rows.nth(0)
        first.get_by_role("button", name="Approve").click()
        expect(first.locator(".invalid-feedback")).to_have_text(faq.NO_ANSWER)
        shot(page, "faq-volume-8-nojs-blank-approve")

        first = page.locator(f'[data-faq-key="{order[PAGE_SIZE]}"]')
        first.get_by_label(re.compile("Answer to")).fill("Yes, every day.")
        first.get_by_role("button", name="Approve").click()
        page.wait_for_url(re.compile(r"page=2"))
        expect(page.locator("#faq-result-count")).to_have_text(
            f"{len(order) - 1} items waiting for review."
        )
        revox_id, _ = order[PAGE_SIZE].split("/")
        assert any(
            i["answer"] == "Yes, every day." and not i["needs_human_answer"]
            for i in revox.get(revox_id)["faq_items"]
        )
        shot(page, "faq-volume-9-nojs-approved")
    finally:
        context.close()
