"""The calling hours & retries editor (`call_retry_config`)."""

# Times and summaries are written as people read them (en dashes).

from __future__ import annotations

import pytest
from django.utils.html import escape

from assistants.editors.groups.retry import form as retry_form
from assistants.editors.groups.retry import plans
from assistants.editors.groups.retry import windows as retry_windows
from assistants.editors.groups.retry.timeparse import (
    AMBIGUOUS_HOUR,
    NO_2400,
    TIME_HELP,
    TimeParseError,
    hhmm,
    parse_time,
)
from assistants.models import Change
from tests.editors.conftest import open_editor, save
from tests.editors.group_support import GroupEditing, untouched_patch
from tests.html_forms import form_fields

PLAN = {
    "calling_windows": [
        {"calling_window_start_time": "09:00", "calling_window_end_time": "12:00", "retry_delay_seconds": 7200},
        {"calling_window_start_time": "5pm", "calling_window_end_time": "7:30pm", "retry_delay_seconds": 3600},
    ],
    "max_retry_attempts": 4,
    "allowed_days": ["friday", "monday", "wednesday"],
    "call_twice_in_a_row": True,
    "timezone": "America/New_York",
}  # fmt: skip


def window_data(data, index: int) -> dict[str, str]:
    return {f"windows-{index}-{k}": data.get(f"windows-{index}-{k}") for k in
            ("start", "end", "delay_hours", "delay_minutes")}  # fmt: skip


editing = GroupEditing.fixture("retry")


# -- reading typed times ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("09:00", "09:00"), ("9:00", "09:00"), ("9am", "09:00"), ("9 am", "09:00"),
        ("9AM", "09:00"), ("9 a.m.", "09:00"), ("9:30am", "09:30"), ("6:30pm", "18:30"),
        ("6:30 PM", "18:30"), ("6pm", "18:00"), ("12pm", "12:00"), ("12am", "00:00"),
        ("12:30am", "00:30"), ("09pm", "21:00"), ("9p", "21:00"), ("18h30", "18:30"),
        ("18h", "18:00"), ("9h", "09:00"), ("17:30", "17:30"), ("1730", "17:30"),
        ("0930", "09:30"), ("9.30", "09:30"), ("13", "13:00"), ("0", "00:00"),
        ("23:59", "23:59"), ("  7:05pm ", "19:05"), ("noon", "12:00"), ("Midnight", "00:00"),
    ],
)  # fmt: skip
def test_it_reads_times_as_people_type_them(typed, shown):
    assert hhmm(parse_time(typed)) == shown


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9", AMBIGUOUS_HOUR), ("12", AMBIGUOUS_HOUR), ("24:00", NO_2400), ("24", NO_2400),
        ("25:00", TIME_HELP), ("9:60", TIME_HELP), ("9:5", TIME_HELP), ("9:", TIME_HELP),
        ("13pm", "13 isn't an hour on a 12-hour clock"), ("0am", "0 isn't an hour"),
        ("12h30pm", TIME_HELP), ("9m", TIME_HELP), ("9.", TIME_HELP), ("nine", TIME_HELP),
        ("", TIME_HELP), ("930", TIME_HELP), ("9 to 5", TIME_HELP),
    ],
)  # fmt: skip
def test_it_refuses_times_with_no_single_meaning(typed, message):
    with pytest.raises(TimeParseError) as error:
        parse_time(typed)
    assert message in str(error.value)


# -- the summary ------------------------------------------------------------------------------


def windows(*hours: tuple[str, str, int]) -> list[dict]:
    return [{"calling_window_start_time": start, "calling_window_end_time": end,
             "retry_delay_seconds": delay} for start, end, delay in hours]  # fmt: skip


MON_SAT = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
SUMMARIES = [
    (None, "Revox's defaults: up to 3 attempts, Mon–Fri, 10:00–18:00 in the callee's time zone, 2 h apart"),
    # Windows of their own waits: each says its own, next to its hours.
    (PLAN, "Up to 4 attempts, Mon, Wed and Fri, 09:00–12:00 (retried after 2 h) and 17:00–19:30 "
           "(after 1 h) New York time; the second attempt follows at once if nobody answered"),
    # A single attempt: nothing is retried, so no wait to tell.
    ({**PLAN, "max_retry_attempts": 1, "calling_windows": PLAN["calling_windows"][1:]},
     "A single attempt, Mon, Wed and Fri, 17:00–19:30 New York time"),
    ({"calling_windows": windows(("2pm", "16:00", 0), ("9:30am", "12pm", 0)),
      "max_retry_attempts": 2, "allowed_days": list(plans.DAYS), "call_twice_in_a_row": False,
      "timezone": None},
     "Up to 2 attempts, every day, 09:30–12:00 and 14:00–16:00 in the callee's time zone, retried as soon as allowed"),
    ({"calling_windows": windows(("10:00", "18:00", 5400)),
      "max_retry_attempts": 3, "allowed_days": ["saturday", "sunday", "monday", "tuesday"],
      "call_twice_in_a_row": False, "timezone": "America/Argentina/Buenos_Aires"},
     "Up to 3 attempts, Mon, Tue, Sat and Sun, 10:00–18:00 Buenos Aires time, 1 h 30 min apart"),
    # "Saturday 10–14" beside a 10–18 window (issue 15): calls go out 10–18 on every allowed day.
    ({"calling_windows": windows(("10:00", "18:00", 7200), ("10:00", "14:00", 7200)),
      "max_retry_attempts": 3, "allowed_days": MON_SAT, "call_twice_in_a_row": False},
     "Up to 3 attempts, Mon–Sat, 10:00–18:00 in the callee's time zone, 2 h apart"),
    # Overlapping windows that wait differently: the span, and that the waits differ.
    ({"calling_windows": windows(("09:00", "13:00", 3600), ("12:00", "17:00", 7200)),
      "max_retry_attempts": 3, "allowed_days": MON_SAT, "call_twice_in_a_row": False},
     "Up to 3 attempts, Mon–Sat, 09:00–17:00 in the callee's time zone, delays vary by window"),
    # Touching windows read as one span.
    ({"calling_windows": windows(("14:00", "16:00", 600), ("12:00", "14:00", 600)),
      "max_retry_attempts": 5, "allowed_days": ["monday", "wednesday"], "call_twice_in_a_row": True},
     "Up to 5 attempts, Mon and Wed, 12:00–16:00 in the callee's time zone, 10 min apart; the "
     "second attempt follows at once if nobody answered"),
    # Three windows, three waits; a window Revox holds that can't be read is shown as it is.
    ({"calling_windows": [*windows(("8am", "9am", 0), ("12:00", "13:00", 1800), ("17:00", "18:00", 3600)),
                          {"calling_window_start_time": "late", "calling_window_end_time": "later"}],
      "max_retry_attempts": 3, "allowed_days": ["friday"], "timezone": "Europe/Paris"},
     "Up to 3 attempts, Fri, 08:00–09:00 (retried as soon as allowed), 12:00–13:00 (after 30 min), "
     "17:00–18:00 (after 1 h) and late–later Paris time"),
    # Parts left out mean Revox's defaults; an empty list of windows means none.
    ({}, "Up to 3 attempts, Mon–Fri, 10:00–18:00 in the callee's time zone, 2 h apart"),
    ({"calling_windows": [], "max_retry_attempts": 3, "allowed_days": [], "call_twice_in_a_row": False},
     "Up to 3 attempts, no day, no calling window"),
    ({"calling_windows": windows(("10:00", "18:00", 7200)), "max_retry_attempts": None},
     "Attempts: —, Mon–Fri, 10:00–18:00 in the callee's time zone, 2 h apart"),
]  # fmt: skip


@pytest.mark.parametrize(("config", "summary"), SUMMARIES)
def test_the_summary_says_the_plan_in_plain_words(config, summary):
    assert plans.retry_summary(config) == summary


def test_the_week_shades_the_hours_calls_may_go_out_on_the_allowed_days():
    config = {"calling_windows": windows(("17:00", "19:30", 3600), ("10am", "2pm", 7200), ("11:00", "12:00", 0)),
              "max_retry_attempts": 3, "allowed_days": ["saturday", "monday"], "timezone": "America/New_York"}  # fmt: skip
    week = plans.retry_week(config)

    assert week["zone"] == "New York time (America/New_York)"
    monday, tuesday, *_, saturday, sunday = week["days"]
    assert monday == {
        "day": "monday", "short": "Mon", "name": "Monday", "allowed": True,
        "spans": [{"start": 600, "end": 840, "width": 240, "label": "10:00–14:00"},
                  {"start": 1020, "end": 1170, "width": 150, "label": "17:00–19:30"}],
        "text": "Monday: 10:00–14:00 and 17:00–19:30",
    }  # fmt: skip
    assert saturday["spans"] == monday["spans"]  # every window, on every allowed day
    assert (tuesday["allowed"], tuesday["spans"], tuesday["text"]) == (
        False,
        [],
        "Tuesday: no calls",
    )
    assert not sunday["allowed"]


def test_the_week_of_revox_defaults_is_weekdays_ten_to_six():
    week = plans.retry_week(None)
    assert [d["short"] for d in week["days"] if d["allowed"]] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert {d["spans"][0]["label"] for d in week["days"] if d["allowed"]} == {"10:00–18:00"}
    assert week["zone"] == "the callee's local time"


# -- round trips ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bare_assistant_keeps_revox_defaults_and_sends_nothing(cached, revox, editor_client):
    created = cached()  # name and prompt only: call_retry_config is null
    assert created["call_retry_config"] is None
    response, data = open_editor(editor_client, created["id"], "retry")
    page = response.content.decode()
    assert 'name="custom"' in page and "checked" not in page.split('name="custom"')[1].split(">")[0]
    assert escape(plans.retry_summary(None)) in page
    # The plan below the switch is pre-filled with Revox's defaults, ready to adjust.
    assert window_data(data, 0) == {"windows-0-start": "10:00", "windows-0-end": "18:00",
                                    "windows-0-delay_hours": "2", "windows-0-delay_minutes": "0"}  # fmt: skip
    assert data.getlist("allowed_days") == retry_form.WEEKDAYS
    revox.clear_requests()

    response = save(editor_client, created["id"], "retry", data)

    assert response.status_code == 302
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["call_retry_config"] is None


@pytest.mark.parametrize(
    "config",
    [
        # Stored spellings, an order that isn't by time, days out of order, a delay in seconds.
        {**PLAN, "calling_windows": [
            {"calling_window_start_time": "2pm", "calling_window_end_time": "6:30PM", "retry_delay_seconds": 7230},
            {"calling_window_start_time": "9:30am", "calling_window_end_time": "12pm", "retry_delay_seconds": 14400}]},
        # An older API: no twice-in-a-row, no timezone, windows without a delay.
        {"calling_windows": [{"calling_window_start_time": "10am", "calling_window_end_time": "4pm"}],
         "max_retry_attempts": 2, "allowed_days": ["monday"]},
        # Revox's defaults written out: shown as defaults, still sent back as they are.
        {**retry_form.REVOX_DEFAULTS, "allowed_days": ["friday", "thursday", "wednesday", "tuesday", "monday"]},
        # A newer API's key inside the object, a legacy zone alias, more attempts than the form allows.
        {**PLAN, "max_retry_attempts": 30, "timezone": "US/Eastern", "jitter_seconds": 60},
        # No windows at all.
        {**PLAN, "calling_windows": []},
    ],
)  # fmt: skip
def test_stored_shapes_round_trip_untouched(config):
    assistant = {"id": "x", "name": "Old", "call_retry_config": config}
    assert untouched_patch("retry", assistant) == {"call_retry_config": config}


def test_an_assistant_without_the_field_sends_nothing():
    assert untouched_patch("retry", {"id": "x", "name": "Older API"}) == {}


@pytest.mark.django_db
def test_it_saves_only_the_retry_config(cached, revox, editing, editor_client, editor):
    created = cached(call_retry_config=PLAN, name="Collections")
    response, data = open_editor(editor_client, created["id"], "retry")
    page = response.content.decode()
    assert 'value="17:00"' in page and 'value="19:30"' in page  # '5pm', '7:30pm' shown as 24-hour
    revox.clear_requests()

    response = save(
        editor_client, created["id"], "retry", data,
        **{"windows-0-end": "12:30pm", "windows-1-delay_hours": "0", "windows-1-delay_minutes": "45",
           "windows-2-start": "8am", "windows-2-end": "8:45"},
        allowed_days=["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        max_retry_attempts="6", timezone="Europe/Paris",
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    assert after["call_retry_config"] == {
        "calling_windows": [  # sorted by start time; unchanged hours keep Revox's spelling
            {"calling_window_start_time": "08:00", "calling_window_end_time": "08:45", "retry_delay_seconds": 7200},
            {"calling_window_start_time": "09:00", "calling_window_end_time": "12:30", "retry_delay_seconds": 7200},
            {"calling_window_start_time": "5pm", "calling_window_end_time": "7:30pm", "retry_delay_seconds": 2700},
        ],
        "max_retry_attempts": 6,
        "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        "call_twice_in_a_row": True,
        "timezone": "Europe/Paris",
    }  # fmt: skip
    assert Change.objects.get().before["call_retry_config"] == PLAN
    # The page now shows the saved plan, normalised, with its summary.
    response, _ = editing.open(created["id"])
    page = response.content.decode()
    assert 'value="08:00"' in page and 'value="12:30"' in page
    assert (
        "Up to 6 attempts, Mon–Sat, 08:00–08:45 (retried after 2 h), 09:00–12:30 (after 2 h) and "
        "17:00–19:30 (after 45 min) Paris time" in page
    )


@pytest.mark.django_db
def test_days_and_windows_keep_their_stored_order_when_unchanged(cached, editing, revox):
    evening_first = {**PLAN, "calling_windows": PLAN["calling_windows"][::-1]}
    created = cached(call_retry_config=evening_first)
    editing.save(created["id"], max_retry_attempts="5")
    config = revox.get(created["id"])["call_retry_config"]
    assert config["allowed_days"] == ["friday", "monday", "wednesday"]
    assert config["calling_windows"] == evening_first["calling_windows"]
    assert config["max_retry_attempts"] == 5


@pytest.mark.django_db
def test_turning_on_a_custom_plan_on_defaults_sends_the_plan(cached, editing, revox):
    created = cached()
    response = editing.save(created["id"], custom="on", call_twice_in_a_row="on",
                            **{"windows-0-start": "9am", "windows-0-end": "5pm"})  # fmt: skip
    assert response.status_code == 302, response.content[-3000:]
    assert revox.get(created["id"])["call_retry_config"] == {
        "calling_windows": [{"calling_window_start_time": "09:00", "calling_window_end_time": "17:00",
                             "retry_delay_seconds": 7200}],
        "max_retry_attempts": 3, "allowed_days": retry_form.WEEKDAYS, "call_twice_in_a_row": True,
        "timezone": None,
    }  # fmt: skip


@pytest.mark.django_db
def test_turning_the_custom_plan_off_goes_back_to_revox_defaults(
    cached, editing, revox, editor_client
):
    created = cached(call_retry_config=PLAN)
    _, data = open_editor(editor_client, created["id"], "retry")
    assert data.get("custom") == "on"
    post = {k: data.getlist(k) for k in data if k != "custom"}
    post["windows-0-start"] = ["not a time"]  # ignored, hidden, once the plan is off

    response = editor_client.post(f"/assistants/{created['id']}/edit/retry/", post)

    assert response.status_code == 302, response.content[-3000:]
    config = revox.get(created["id"])["call_retry_config"]
    assert config == retry_form.REVOX_DEFAULTS
    _, data = editing.open(created["id"])
    assert data.get("custom") is None  # the defaults show as defaults


@pytest.mark.django_db
def test_removing_a_window_sends_the_rest(cached, editing, revox):
    created = cached(call_retry_config=PLAN)
    editing.save(created["id"], **{"windows-0-DELETE": "on"})
    assert (
        revox.get(created["id"])["call_retry_config"]["calling_windows"]
        == PLAN["calling_windows"][1:]
    )


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"allowed_days": []}, "allowed_days", retry_form.NO_DAYS),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Choose a time zone from the list"),
        ({"max_retry_attempts": "0"}, "max_retry_attempts", "greater than or equal to 1"),
        ({"max_retry_attempts": "21"}, "max_retry_attempts", "At most 20 attempts"),
        ({"max_retry_attempts": ""}, "max_retry_attempts", "required"),
        ({"windows-0-start": "9"}, "windows-0-start", AMBIGUOUS_HOUR),
        ({"windows-0-start": "25:00"}, "windows-0-start", TIME_HELP),
        ({"windows-0-end": ""}, "windows-0-end", "Enter a time"),
        ({"windows-1-end": "4pm"}, "windows-1-end", retry_windows.END_BEFORE_START),
        ({"windows-1-end": "5pm"}, "windows-1-end", "must end after it starts"),
        ({"windows-0-delay_minutes": "60"}, "windows-0-delay_minutes", "less than or equal to 59"),
        ({"windows-0-delay_hours": "-1"}, "windows-0-delay_hours", "greater than or equal to 0"),
        ({"windows-1-end": "24:00"}, "windows-1-end", NO_2400),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_it_validates_before_calling_revox(cached, editing, revox, changes, field, message):
    created = cached(call_retry_config=PLAN)

    response = editing.save(created["id"], **changes)

    assert response.status_code == 200
    form = response.context["form"]
    if field.startswith("windows-"):
        _, index, name = field.split("-", 2)
        errors = form.formsets["windows"].forms[int(index)].errors.get(name, [])
    else:
        errors = form.errors.get(field, [])
    assert any(message in e for e in errors), (errors, form.errors, form.formsets["windows"].errors)
    assert message.split(":")[0].replace("'", "&#x27;") in response.content.decode()
    assert revox.requests() == []


@pytest.mark.django_db
def test_overlapping_windows_are_named_with_a_merge_for_each_pair(cached, editing, revox):
    created = cached(call_retry_config=PLAN)

    response = editing.save(created["id"], **{"windows-2-start": "11am", "windows-2-end": "5:30pm"})

    assert response.status_code == 200
    errors = response.context["form"].formsets["windows"].non_form_errors()
    assert list(errors) == [
        "Rows 1 and 3 overlap: 09:00–12:00 and 11:00–17:30.",
        "Rows 2 and 3 overlap: 17:00–19:30 and 11:00–17:30.",
    ]
    page = response.content.decode()
    assert "Rows 1 and 3 overlap: 09:00–12:00 and 11:00–17:30." in page
    assert escape(retry_windows.OVERLAP_HELP) in page
    assert (
        'name="merge_windows" value="0-2"' in page and "Merge rows 1 and 3 into 09:00–17:30" in page
    )
    assert (
        'name="merge_windows" value="1-2"' in page and "Merge rows 2 and 3 into 11:00–19:30" in page
    )
    assert 'value="11:00"' in page and 'value="17:30"' in page  # what they typed, read back
    assert revox.requests() == []


@pytest.mark.django_db
def test_merging_two_rows_shows_one_window_to_review_and_saves_nothing(
    cached, revox, editor_client
):
    """Issue 15's Saturday: a 10–14 window beside the 10–18 one; "Merge" makes them one."""
    created = cached(
        call_retry_config={**PLAN, "calling_windows": windows(("10:00", "18:00", 7200))}
    )
    _, data = open_editor(editor_client, created["id"], "retry")
    typed = {"windows-1-start": "10am", "windows-1-end": "2pm"}
    overlap = save(editor_client, created["id"], "retry", data, **typed)
    assert "Rows 1 and 2 overlap: 10:00–18:00 and 10:00–14:00." in overlap.content.decode()
    revox.clear_requests()

    # The button is a plain submit button: the browser sends the whole form with it.
    response = save(editor_client, created["id"], "retry", data, **typed, merge_windows="0-1")

    assert response.status_code == 200
    assert revox.requests() == [] and not Change.objects.exists()  # reviewed first, saved later
    page = response.content.decode()
    assert escape(retry_windows.MERGED.format(a=1, b=2, hours="10:00–18:00", wait="")) in page
    form = response.context["form"]
    assert not form.has_any_errors
    rows = [r for r in form.window_rows() if not r["removed"] and not r["spare"]]
    assert [(r["number"], r["form"]["start"].value(), r["form"]["end"].value()) for r in rows] == [
        (1, "10:00", "18:00")
    ]
    assert "Up to 4 attempts, Mon, Wed and Fri, 10:00–18:00 New York time, 2 h apart" in page

    # Saving the form as the merge left it sends the one window.
    merged = form_fields(page)
    saved = save(editor_client, created["id"], "retry", merged)
    assert saved.status_code == 302, saved.content[-2000:]
    assert revox.get(created["id"])["call_retry_config"]["calling_windows"] == windows(
        ("10:00", "18:00", 7200)
    )


@pytest.mark.django_db
def test_a_merge_of_rows_that_wait_differently_says_which_wait_it_kept(cached, editing):
    created = cached(call_retry_config=PLAN)
    response = editing.save(created["id"], merge_windows="0-2",
                            **{"windows-2-start": "11am", "windows-2-end": "1pm", "windows-2-delay_hours": "0"})  # fmt: skip
    page = response.content.decode()
    assert escape(retry_windows.MERGED.format(
        a=1, b=3, hours="09:00–13:00",
        wait=retry_windows.MERGED_WAIT.format(wait="2 h", a=1),
    )) in page  # fmt: skip
    assert not response.context["form"].has_any_errors


@pytest.mark.parametrize("pair", ["0-9", "x", "0-0", "1-"])
@pytest.mark.django_db
def test_a_merge_that_cannot_be_done_changes_nothing(cached, editing, revox, pair):
    created = cached(call_retry_config=PLAN)
    response = editing.save(created["id"], merge_windows=pair)
    assert response.status_code == 200
    assert "now one window" not in response.content.decode()
    form = response.context["form"]
    assert [f["start"].value() for f in form.formsets["windows"].forms[:2]] == ["09:00", "17:00"]
    assert revox.requests() == []


@pytest.mark.django_db
def test_the_days_say_they_apply_to_every_window_and_the_week_is_drawn(cached, editor_client):
    created = cached(call_retry_config=PLAN)
    response, _ = open_editor(editor_client, created["id"], "retry")
    page = response.content.decode()
    assert escape(retry_form.DAYS_APPLY) in page
    assert 'data-week-day="monday"' in page
    # Without JavaScript too: the shaded hours are in the page, in minutes since midnight.
    assert (
        '<rect x="540" y="0" width="180" height="10" class="week-grid-span"><title>Mon 09:00–12:00</title></rect>'
        in page
    )
    assert 'class="week-grid-row week-grid-off" data-week-day="tuesday"' in page
    assert "Times in <span data-week-zone>New York time (America/New_York)</span>" in page


@pytest.mark.django_db
def test_touching_windows_do_not_overlap(cached, editing, revox):
    created = cached(call_retry_config=PLAN)
    response = editing.save(created["id"], **{"windows-2-start": "12:00", "windows-2-end": "5pm"})
    assert response.status_code == 302
    assert len(revox.get(created["id"])["call_retry_config"]["calling_windows"]) == 3


@pytest.mark.django_db
def test_at_least_one_window_is_needed(cached, editing, revox):
    created = cached(call_retry_config=PLAN)
    response = editing.save(created["id"], **{"windows-0-DELETE": "on", "windows-1-DELETE": "on"})
    assert response.status_code == 200
    assert retry_windows.NO_WINDOW in response.context["form"].non_field_errors()
    assert revox.get(created["id"])["call_retry_config"] == PLAN


# -- conflicts and failures -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_concurrent_change_is_a_conflict(cached, editing, revox):
    created = cached(call_retry_config=PLAN)

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"call_retry_config": {**PLAN, "max_retry_attempts": 9}}, max_retry_attempts="2",
        shows=["Someone changed calling hours &amp; retries since you opened it"],
    )  # fmt: skip

    assert revox.get(created["id"])["call_retry_config"]["max_retry_attempts"] == 9
    assert form_fields(conflict.content).get("max_retry_attempts") == "2"
    after = editing.keep_mine(created["id"], conflict)
    assert after["call_retry_config"]["max_retry_attempts"] == 2


@pytest.mark.django_db
def test_a_revox_error_on_a_window_lands_on_that_row(cached, editing):
    created = cached(call_retry_config=PLAN)
    errors = {
        "call_retry_config.calling_windows.1.calling_window_end_time": ["must be before 19:00"],
        "call_retry_config.timezone": ["not served in this region"],
    }

    response = editing.save_refused_by_revox(created["id"], errors, max_retry_attempts="5")

    assert response.status_code == 200
    form = response.context["form"]
    rows = form.formsets["windows"].forms
    assert rows[1].errors["end"] == ["must be before 19:00"]
    assert "end" not in rows[0].errors
    assert form.errors["timezone"] == ["not served in this region"]
    page = response.content.decode()
    assert "must be before 19:00" in page and 'name="max_retry_attempts" value="5"' in page


@pytest.mark.django_db
def test_a_revox_error_follows_the_window_after_sorting(cached, editing):
    # The rows are 09:00, 17:00, then a new 07:00 one. Sent by start time, the new one is
    # window 0 for Revox: its error must land on row 3, where the user typed it.
    created = cached(call_retry_config=PLAN)
    errors = {"call_retry_config.calling_windows.0.calling_window_start_time": ["too early"]}

    response = editing.save_refused_by_revox(
        created["id"], errors, **{"windows-2-start": "7am", "windows-2-end": "8am"}
    )

    rows = response.context["form"].formsets["windows"].forms
    assert rows[2].errors["start"] == ["too early"]
    assert not rows[0].errors


@pytest.mark.parametrize(
    "fault",
    [
        {"method": "PATCH", "path": "/assistants/*", "status": 503},
        {"method": "PATCH", "path": "/assistants/*", "drop": True},
    ],
)
@pytest.mark.django_db
def test_a_failed_save_keeps_the_input(cached, editing, revox, fault):
    created = cached(call_retry_config=PLAN)

    response = editing.save_while_revox_fails(
        created["id"], fault, max_retry_attempts="7", **{"windows-0-start": "8:15am"}
    )

    page = response.content.decode()
    assert 'name="max_retry_attempts" value="7"' in page
    assert 'value="08:15"' in page  # what they typed, as it will be saved
    assert revox.get(created["id"])["call_retry_config"] == PLAN


@pytest.mark.django_db
def test_viewers_see_it_read_only_and_cannot_save(cached, editing, revox, viewer_client):
    created = cached(call_retry_config=PLAN)
    page, _ = editing.assert_read_only_for(viewer_client, created["id"], max_retry_attempts="2")
    assert "Up to 4 attempts" in page
    assert revox.get(created["id"])["call_retry_config"] == PLAN


@pytest.mark.django_db
def test_the_time_zone_list_is_grouped_by_region(cached, editor_client):
    created = cached(call_retry_config=PLAN)
    response, _ = open_editor(editor_client, created["id"], "retry")
    page = response.content.decode()
    assert '<option value="">From the callee&#x27;s phone number</option>' in page
    assert '<optgroup label="America">' in page and '<optgroup label="Europe">' in page
    assert '<option value="America/New_York" selected>New York</option>' in page
    assert (
        '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in page
    )
