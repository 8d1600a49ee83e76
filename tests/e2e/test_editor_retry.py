"""An Editor sets up calling hours in Chromium: turns on a custom plan, adds a window typed as
'9am'–'12pm', changes the days and the time zone, watches the summary follow, and saves."""

import pytest

from assistants import describe
from assistants.services import assistants_sync
from assistants.timeparse import TimeParseError, parse_time
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

TYPED_TIMES = ["09:00", "9:00", "9am", "9 am", "9 A.M.", "6:30pm", "18h30", "18h", "1730", "12am",
               "12pm", "noon", "0", "13", "9", "12", "24:00", "25:00", "9:5", "13pm", "0am",
               "12h30pm", "9m", "9.", "930", "nine", ""]  # fmt: skip
CONFIGS = [
    None,
    {"calling_windows": [
        {"calling_window_start_time": "5pm", "calling_window_end_time": "7:30pm", "retry_delay_seconds": 3600},
        {"calling_window_start_time": "09:00", "calling_window_end_time": "12:00", "retry_delay_seconds": 7200}],
     "max_retry_attempts": 4, "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
     "call_twice_in_a_row": True, "timezone": "America/New_York"},
    {"calling_windows": [{"calling_window_start_time": "12:00", "calling_window_end_time": "14:00",
                          "retry_delay_seconds": 0}],
     "max_retry_attempts": 1, "allowed_days": ["tuesday", "thursday", "sunday"],
     "call_twice_in_a_row": True, "timezone": None},
    {"calling_windows": [{"calling_window_start_time": "10am", "calling_window_end_time": "4pm",
                          "retry_delay_seconds": 86400 + 90}],
     "max_retry_attempts": 2, "allowed_days": list(describe.DAYS), "call_twice_in_a_row": False,
     "timezone": "America/Argentina/Buenos_Aires"},
    {"calling_windows": [], "max_retry_attempts": 3, "allowed_days": [], "call_twice_in_a_row": False},
]  # fmt: skip


def python_time(typed: str):
    try:
        return {"minutes": parse_time(typed)}
    except TimeParseError as err:
        return {"error": str(err)}


def test_an_editor_plans_calling_hours_and_the_summary_follows(page, live, revox):
    created = revox.create(name="Collections")  # call_retry_config: null, Revox's defaults
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{created['id']}/edit/retry/")
    summary = page.locator("#retry-summary")
    assert summary.inner_text() == describe.retry_summary(None)
    assert not page.get_by_text("Calling hours", exact=True).is_visible()  # defaults: plan hidden
    shot(page, "editor-retry-defaults")

    # The browser reads times and writes summaries exactly as the server does.
    assert page.evaluate("ts => ts.map(t => RevoxRetry.parseTime(t))", TYPED_TIMES) == [
        python_time(t) for t in TYPED_TIMES
    ]
    assert page.evaluate("cs => cs.map(c => RevoxRetry.summary(c))", CONFIGS) == [
        describe.retry_summary(c) for c in CONFIGS
    ]

    page.get_by_label("Custom calling plan").check()
    assert page.get_by_text("Calling hours", exact=True).is_visible()
    assert (
        summary.inner_text()
        == "Up to 3 attempts, Mon–Fri, 10:00–18:00 in the callee's time zone, 2 h apart"
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
    assert new_row.get_by_text("Add am or pm").is_visible()
    new_row.get_by_label("From").fill("9am")
    new_row.get_by_label("To").fill("12pm")
    new_row.get_by_label("Retry delay, hours").click()
    assert new_row.get_by_label("From").input_value() == "09:00"  # normalised once read
    assert new_row.get_by_label("To").input_value() == "12:00"
    assert not new_row.get_by_text("Add am or pm").is_visible()
    assert summary.inner_text() == (
        "Up to 3 attempts, Mon–Fri, 09:00–12:00, 13:00–18:00 in the callee's time zone, 2 h apart"
    )

    # Fridays off, Saturdays on; New York time; four attempts, the second at once.
    page.locator("label[for='id_allowed_days_4']").click()
    page.locator("label[for='id_allowed_days_5']").click()
    page.get_by_label("Search time zones").fill("new york")
    assert page.get_by_label("Time zone of the calling hours").input_value() == "America/New_York"
    page.get_by_label("Attempts per number").fill("1")
    assert page.get_by_text("With a single attempt there is no second call").is_visible()
    page.get_by_label("Attempts per number").fill("4")
    page.get_by_label("Call back at once if the first call isn't answered").check()
    expected = ("Up to 4 attempts, Mon–Thu, Sat, 09:00–12:00, 13:00–18:00 New York time, 2 h apart; "
                "the second attempt follows at once if nobody answered")  # fmt: skip
    assert summary.inner_text() == expected
    shot(page, "editor-retry-edited")

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
    # After the save the page shows what Revox holds; the server's summary and the live one agree.
    assert summary.inner_text() == describe.retry_summary(config) == expected
    page.get_by_label("Attempts per number").fill("5")
    assert summary.inner_text() == expected.replace("Up to 4", "Up to 5")
