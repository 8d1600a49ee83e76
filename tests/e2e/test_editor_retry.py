"""An Editor sets up calling hours in Chromium: turns on a custom plan, adds a window typed as
'9am'–'12pm', changes the days and the time zone, watches the week grid and the summary follow
(drawn by the server as the plan is typed: the browser keeps no copy of the rules), merges two
overlapping windows in one click, and saves."""

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from assistants.editors.groups.retry import form as retry_form
from assistants.editors.groups.retry import plans
from assistants.editors.groups.retry import windows as retry_windows
from tests.conftest import make_user
from tests.e2e.conftest import login, shot, watched_context

pytestmark = pytest.mark.django_db(transaction=True)

# The week grid as the page draws it: {day: (shaded?, [(x, width, tooltip)…], hidden text)}.
GRID = """grid => Object.fromEntries([...grid.querySelectorAll('[data-week-day]')].map(row => [
  row.dataset.weekDay,
  [!row.classList.contains('week-grid-off'),
   [...row.querySelectorAll('rect')].map(r => [+r.getAttribute('x'), +r.getAttribute('width'), r.textContent]),
   row.querySelector('[data-week-text]').textContent]]))"""


def drawn(config) -> dict:
    """The grid the server draws for a plan, in GRID's shape."""
    return {
        day["day"]: [day["allowed"],
                     [[s["start"], s["width"], f"{day['short']} {s['label']}"] for s in day["spans"]],
                     day["text"]]
        for day in plans.retry_week(config)["days"]
    }  # fmt: skip


def test_an_editor_plans_calling_hours_and_the_summary_follows(page, live, revox):
    created = revox.create(name="Collections")  # call_retry_config: null, Revox's defaults
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{created['id']}/edit/retry/")
    summary = page.locator("#retry-summary")
    grid = page.locator("#group-form [data-week-grid]")
    assert summary.inner_text() == plans.retry_summary(None)
    assert grid.evaluate(GRID) == drawn(None)  # Revox's defaults: weekdays, 10:00–18:00
    assert not page.get_by_text("Calling hours", exact=True).is_visible()  # defaults: plan hidden
    shot(page, "editor-retry-defaults")

    page.get_by_label("Custom calling plan").check()
    assert page.get_by_text("Calling hours", exact=True).is_visible()
    expect(page.get_by_text(retry_form.DAYS_APPLY)).to_be_visible()  # next to the days
    # The week and the summary are the server's, asked again as the plan is edited.
    expect(summary).to_have_text(
        "Up to 3 attempts, Mon–Fri, 10:00–18:00 in the callee's time zone, 2 h apart"
    )
    rows = page.locator("#windows-formset [data-formset-row]:visible")
    assert rows.count() == 1  # the blank spare row is replaced by "Add a window"

    # Afternoons only in the first window; a morning window added below it.
    rows.nth(0).get_by_label("From").fill("1pm")
    page.get_by_role("button", name="Add a window").click()
    assert rows.count() == 2
    new_row = rows.nth(1)
    new_row.get_by_label("From").fill("9")
    new_row.get_by_label("To").click()  # leaving the box checks what was typed
    expect(new_row.get_by_text("Add am or pm")).to_be_visible()
    new_row.get_by_label("From").fill("9am")
    new_row.get_by_label("To").fill("12pm")
    new_row.get_by_label("Retry delay, hours").click()
    expect(new_row.get_by_label("From")).to_have_value("09:00")  # normalised once read
    expect(new_row.get_by_label("To")).to_have_value("12:00")
    expect(new_row.get_by_text("Add am or pm")).to_be_hidden()
    expect(summary).to_have_text(
        "Up to 3 attempts, Mon–Fri, 09:00–12:00 and 13:00–18:00 in the callee's time zone, 2 h apart"
    )

    # A third window drawn as it is typed, then removed again.
    page.get_by_role("button", name="Add a window").click()
    rows.nth(2).get_by_label("From").fill("19:00")
    rows.nth(2).get_by_label("To").fill("8pm")
    rows.nth(2).get_by_label("Retry delay, hours").click()
    monday = grid.locator('[data-week-day="monday"] rect')
    expect(monday).to_have_count(3)
    expect(summary).to_contain_text(
        "Up to 3 attempts, Mon–Fri, 09:00–12:00, 13:00–18:00 and 19:00–20:00"
    )
    rows.nth(2).get_by_role("button", name="Remove").click()
    expect(monday).to_have_count(2)
    # Switched off and on again: Revox's defaults are drawn while it is off.
    page.get_by_label("Custom calling plan").uncheck()
    expect(summary).to_have_text(plans.retry_summary(None))
    assert grid.evaluate(GRID) == drawn(None)
    page.get_by_label("Custom calling plan").check()
    expect(monday).to_have_count(2)

    # Fridays off, Saturdays on; New York time; four attempts, the second at once.
    page.locator("label[for='id_allowed_days_4']").click()
    page.locator("label[for='id_allowed_days_5']").click()
    page.get_by_label("Search time zones").fill("new york")
    assert page.get_by_label("Time zone of the calling hours").input_value() == "America/New_York"
    page.get_by_label("Attempts per number").fill("1")
    expect(page.get_by_text("With a single attempt there is no second call")).to_be_visible()
    expect(summary).to_have_text(
        "A single attempt, Mon–Thu and Sat, 09:00–12:00 and 13:00–18:00 New York time"
    )
    page.get_by_label("Attempts per number").fill("4")
    page.get_by_label("Call back at once if the first call isn't answered").check()
    expected = ("Up to 4 attempts, Mon–Thu and Sat, 09:00–12:00 and 13:00–18:00 New York time, "
                "2 h apart; the second attempt follows at once if nobody answered")  # fmt: skip
    expect(summary).to_have_text(expected)
    # The week follows: two bars on Mon–Thu and Sat, none on Fri and Sun, New York time.
    live_week = grid.evaluate(GRID)
    assert live_week["saturday"][:2] == [
        True,
        [[540, 180, "Sat 09:00–12:00"], [780, 300, "Sat 13:00–18:00"]],
    ]
    assert live_week["friday"] == [False, [], "Friday: no calls"]
    expect(grid.locator("[data-week-zone]")).to_have_text("New York time (America/New_York)")
    shot(page, "editor-retry-edited")

    # Fields styled by something outside the page (an extension, a screenshot tool) are no
    # reason for a CSP violation when htmx swaps the saved form in (the watcher would fail us).
    page.evaluate(
        "() => document.querySelectorAll('#group-form input').forEach(i => i.style.caretColor = 'transparent')"
    )
    page.get_by_role("button", name="Save calling hours & retries").click()
    page.get_by_text("Calling hours & retries saved to Revox.").wait_for()
    shot(page, "editor-retry-saved")

    config = revox.get(created["id"])["call_retry_config"]
    assert config == {
        "calling_windows": [
            {"calling_window_start_time": "09:00", "calling_window_end_time": "12:00", "retry_delay_seconds": 7200},
            {"calling_window_start_time": "13:00", "calling_window_end_time": "18:00", "retry_delay_seconds": 7200},
        ],
        "max_retry_attempts": 4,
        "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "saturday"],
        "call_twice_in_a_row": True,
        "timezone": "America/New_York",
    }  # fmt: skip
    # After the save the page shows what Revox holds; the server's drawing and the live one agree.
    assert summary.inner_text() == plans.retry_summary(config) == expected
    assert grid.evaluate(GRID) == drawn(config) == live_week
    page.get_by_label("Attempts per number").fill("5")
    expect(summary).to_have_text(expected.replace("Up to 4", "Up to 5"))

    # The overview card draws the same week.
    page.goto(f"{live}/assistants/{created['id']}/")
    assert page.locator("#card-retry [data-week-grid]").evaluate(GRID) == drawn(config)
    shot(page, "overview-retry-week")


SATURDAY_PLAN = {
    "calling_windows": [{"calling_window_start_time": "10:00", "calling_window_end_time": "18:00",
                         "retry_delay_seconds": 7200}],
    "max_retry_attempts": 3,
    "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
    "call_twice_in_a_row": False,
    "timezone": None,
}  # fmt: skip


def test_overlapping_windows_are_named_and_merged_in_one_click(page, live, revox):
    """Issue 15: 'Saturday 10am–2pm' added beside 10–18 can't be said; the page says why and
    offers to merge."""
    created = revox.create(name="Shop", call_retry_config=SATURDAY_PLAN)
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{created['id']}/edit/retry/")
    summary = page.locator("#retry-summary")
    page.get_by_role("button", name="Add a window").click()
    rows = page.locator("#windows-formset [data-formset-row]:visible")
    rows.nth(1).get_by_label("From").fill("10am")
    rows.nth(1).get_by_label("To").fill("2pm")
    rows.nth(1).get_by_label("Retry delay, hours").click()
    # The summary says when calls may go out, never "10:00–18:00, 10:00–14:00".
    assert (
        summary.inner_text()
        == "Up to 3 attempts, Mon–Sat, 10:00–18:00 in the callee's time zone, 2 h apart"
    )
    page.get_by_role("button", name="Save calling hours & retries").click()

    errors = page.locator("#windows-errors")
    expect(errors).to_contain_text("Rows 1 and 2 overlap: 10:00–18:00 and 10:00–14:00.")
    expect(errors).to_contain_text(retry_windows.OVERLAP_HELP)
    expect(page.locator("#form-errors")).to_contain_text("Nothing was saved")
    assert revox.get(created["id"])["call_retry_config"] == SATURDAY_PLAN
    errors.scroll_into_view_if_needed()
    shot(page, "editor-retry-overlap", full_page=False)

    page.get_by_role("button", name="Merge rows 1 and 2 into 10:00–18:00").click()
    expect(page.locator("#windows-merged")).to_contain_text(
        "Rows 1 and 2 are now one window, 10:00–18:00."
    )
    expect(page.locator("#windows-errors")).to_have_count(0)
    expect(page.locator("#form-errors")).to_have_count(0)
    expect(rows).to_have_count(1)
    assert rows.nth(0).get_by_label("From").input_value() == "10:00"
    assert rows.nth(0).get_by_label("To").input_value() == "18:00"
    assert revox.get(created["id"])["call_retry_config"] == SATURDAY_PLAN  # to review, not saved
    page.locator("#windows-merged").scroll_into_view_if_needed()
    shot(page, "editor-retry-merged", full_page=False)

    # Merged, the form is unchanged from what Revox holds: saving sends nothing.
    revox.clear_requests()
    page.get_by_role("button", name="Save calling hours & retries").click()
    page.get_by_text("No changes to save.").wait_for()
    assert revox.requests("PATCH") == []


def test_the_merge_works_without_javascript(browser, page_problems, live, revox):
    created = revox.create(name="Shop", call_retry_config=SATURDAY_PLAN)
    assistants_sync()
    make_user("ed", "Editor")
    context = watched_context(browser, page_problems, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live, "ed")
        page.goto(f"{live}/assistants/{created['id']}/edit/retry/")
        spare = page.locator("#windows-formset [data-formset-row]").nth(1)  # the blank row
        spare.get_by_label("From").fill("10am")
        spare.get_by_label("To").fill("2pm")
        page.get_by_role("button", name="Save calling hours & retries").click()
        expect(page.locator("#windows-errors")).to_contain_text("Rows 1 and 2 overlap")
        page.get_by_role("button", name="Merge rows 1 and 2 into 10:00–18:00").click()
        expect(page.locator("#windows-merged")).to_contain_text("now one window, 10:00–18:00")
        # The week is drawn by the server alone: Mon–Sat, 10:00–18:00.
        assert page.locator("[data-week-grid] rect").count() == 6
        assert revox.get(created["id"])["call_retry_config"] == SATURDAY_PLAN
        shot(page, "editor-retry-merged-nojs")
    finally:
        context.close()
