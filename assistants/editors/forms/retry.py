"""Calling hours & retries: when calls may be placed, and how often a number is tried again.

Revox holds one `call_retry_config` object, or null for its defaults (10:00–18:00, 2 h apart,
3 attempts, Mon–Fri, the time zone of the callee's number). The form shows a "Custom calling
plan" switch: off means Revox's defaults. On a null config an untouched form sends nothing.

Choices worth knowing:
- Windows are saved in order of start time: they are time ranges, their order means nothing to
  Revox, and a sorted list reads like a day. The rows keep the user's order while they edit, and
  errors Revox returns for "window N" are mapped back to the row that was sent N-th.
- Round trip: when the plan means what Revox holds (times compared in minutes, days as a set,
  delays to the minute shown), the stored object goes back exactly as it was ('6pm' stays '6pm',
  the day order stays, fields a newer API adds inside it stay). A window whose start and end
  did not change keeps its stored spellings; a new or moved window is sent as 'HH:mm'.
- Switching the custom plan off on a stored plan sends Revox's defaults as an explicit object,
  not null: the newest SDK types `call_retry_config` on update as an object, and an object with
  `timezone: null` means exactly the defaults. A stored plan equal to the defaults shows the
  switch off.
- At most 20 attempts: Revox takes any positive number, but a slip of the finger (30 for 3)
  would ring someone thirty times. A larger number already in Revox is kept if left unchanged.
"""

# Plain-words text is typeset as people read it (en dashes, curly quotes).

from __future__ import annotations

import copy
import functools
import zoneinfo
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from assistants.editors import describe
from assistants.editors.forms.base import GroupForm
from assistants.editors.timeparse import (
    TIME_HELP,
    TimeParseError,
    hhmm,
    minutes_or_none,
    parse_time,
)

DAYS = describe.DAYS
WEEKDAYS = list(DAYS[:5])
DEFAULT_DELAY = describe.DEFAULT_DELAY
REVOX_DEFAULTS = describe.REVOX_DEFAULT_PLAN
MAX_ATTEMPTS = 20
MAX_DELAY_HOURS = 24 * 365  # a year: longer is surely a typo
# The fields that only matter with a custom plan (ignored, and not validated, when it is off).
PLAN_FIELDS = ("max_retry_attempts", "allowed_days", "call_twice_in_a_row", "timezone")

NO_DAYS = "Pick at least one day: with none, calls could never be placed."
NO_WINDOW = "Add at least one calling window: without one, calls could never be placed."
END_BEFORE_START = (
    "The window must end after it starts. To call across midnight, use two windows "
    "(22:00–23:59 and 00:00–02:00)."
)
OVERLAP = "Rows {a} and {b} overlap: {a_hours} and {b_hours}."
OVERLAP_HELP = (
    "Every window applies on every allowed day, so two windows can't share an hour: change "
    "one, or merge them."
)
MERGE_LABEL = "Merge rows {a} and {b} into {hours}"
MERGED = (
    "Rows {a} and {b} are now one window, {hours}{wait}. Nothing is saved yet: check it, then save."
)
MERGED_WAIT = ", waiting {wait} before a retry as row {a} did"
DAYS_APPLY = (
    "Every calling window applies on each day picked here: Revox keeps one list of days for "
    "the whole plan, so a day can't have hours of its own."
)
TOO_MANY_ATTEMPTS = (
    f"At most {MAX_ATTEMPTS} attempts: more would ring the same person over and over. "
    "Revox counts the first call as attempt 1."
)
UNKNOWN_TIMEZONE = (
    "Choose a time zone from the list (e.g. America/New_York), or “From the callee's phone number”."
)
CALLEE_ZONE_LABEL = "From the callee's phone number"
# Region names that IANA uses as the first part of canonical zone names.
REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
           "Indian", "Pacific")  # fmt: skip


@functools.cache
def iana_zones() -> frozenset[str]:
    # Scanning tzdata takes a while: once per process is enough.
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def timezone_choices() -> tuple:
    """The IANA list grouped by region for a <select>: 'America' › 'New York'. Legacy aliases
    (US/Eastern, EST5EDT…) and UTC/Etc go under "Other"."""
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in (*REGIONS, "Other")}
    for name in sorted(iana_zones()):
        region, _, place = name.partition("/")
        if region in REGIONS and place:
            groups[region].append((name, place.replace("_", " ").replace("/", " / ")))
        else:
            groups["Other"].append((name, name.replace("_", " ").replace("/", " / ")))
    return (
        ("", CALLEE_ZONE_LABEL),
        *((region, zones) for region, zones in groups.items() if zones),
    )


def shown_delay(seconds: Any) -> tuple[int, int]:
    """A stored delay as the (hours, minutes) the form shows, to the nearest minute."""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        seconds = DEFAULT_DELAY
    return divmod(round(seconds / 60), 60)


def _attempts(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        return int(value)
    return None


def _hours_of(window: dict[str, Any]) -> tuple[int | None, int | None]:
    return (minutes_or_none(window.get("calling_window_start_time")),
            minutes_or_none(window.get("calling_window_end_time")))  # fmt: skip


def plan_meaning(config: dict[str, Any]) -> tuple:
    """What a stored plan means, with Revox's defaults for missing parts: two plans that mean
    the same compare equal however they are spelled or ordered."""
    windows = config.get("calling_windows")
    if not isinstance(windows, list):
        windows = REVOX_DEFAULTS["calling_windows"]
    days = config.get("allowed_days")
    attempts = _attempts(config.get("max_retry_attempts", 3))
    return (
        sorted(
            (
                minutes_or_none(w.get("calling_window_start_time")),
                minutes_or_none(w.get("calling_window_end_time")),
                shown_delay(w.get("retry_delay_seconds", DEFAULT_DELAY)),
            )
            for w in windows
            if isinstance(w, dict)
        ),
        attempts,
        frozenset(days if isinstance(days, list) else WEEKDAYS),
        bool(config.get("call_twice_in_a_row", False)),
        config.get("timezone") or None,
    )


class TimeOfDayField(forms.CharField):
    """A time as people type it ('9am', '18h30', '9:30 pm'); cleaned to minutes since midnight,
    shown as 'HH:mm' once read (on the page and after a failed save)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "class": "form-control", "placeholder": "09:00", "autocomplete": "off", "spellcheck": "false", "data-time": "",
        }))  # fmt: skip
        kwargs.setdefault("error_messages", {"required": f"Enter a time. {TIME_HELP}"})
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_time(value)
        except TimeParseError as err:
            raise forms.ValidationError(str(err), code="invalid") from err

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return hhmm(value)
        minutes = minutes_or_none(value)
        return hhmm(minutes) if minutes is not None else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        before, after = str(initial or "").strip(), str(data or "").strip()
        if minutes_or_none(before) is None or minutes_or_none(after) is None:
            return before != after
        return minutes_or_none(before) != minutes_or_none(after)


def _number(label: str, **attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control", "aria-label": label, **attrs})


class WindowForm(forms.Form):
    start = TimeOfDayField(label="From")
    end = TimeOfDayField(label="To")
    delay_hours = forms.IntegerField(
        label="Hours", min_value=0, max_value=MAX_DELAY_HOURS, initial=2,
        widget=_number("Retry delay, hours", min=0, step=1, **{"data-delay": "hours"}),
    )  # fmt: skip
    delay_minutes = forms.IntegerField(
        label="Minutes", min_value=0, max_value=59, initial=0,
        widget=_number("Retry delay, minutes", min=0, max=59, step=1, **{"data-delay": "minutes"}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].widget.attrs["placeholder"] = "e.g. 9am"
        self.fields["end"].widget.attrs["placeholder"] = "e.g. 6pm"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", END_BEFORE_START)
        return data

    @property
    def delay_seconds(self) -> int:
        return self.cleaned_data["delay_hours"] * 3600 + self.cleaned_data["delay_minutes"] * 60


def row_index(form: forms.Form) -> int:
    """The row's number in the submitted data (windows-<index>-start), which removing or
    re-rendering rows never changes."""
    return int(form.prefix.rsplit("-", 1)[1])


class BaseWindowFormSet(BaseFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Pairs of rows that overlap, for the page to offer merging each pair.
        self.overlaps: list[dict[str, Any]] = []
        self.overlap_help = OVERLAP_HELP

    def live_forms(self) -> list[forms.Form]:
        """The rows still on the page, in page order (what "window N" counts)."""
        return [f for f in self.forms if not (self.can_delete and self._should_delete_form(f))]

    def clean(self) -> None:
        if any(self.errors):
            return
        # Numbered as the page numbers them: blank spare rows are not windows.
        filled = [form for form in self.live_forms() if form.cleaned_data.get("start") is not None]
        rows = [(number, form, form.cleaned_data["start"], form.cleaned_data["end"])
                for number, form in enumerate(filled, start=1)]  # fmt: skip
        for i, (a, a_form, a_start, a_end) in enumerate(rows):
            for b, b_form, b_start, b_end in rows[i + 1 :]:
                # Touching windows (12:00–14:00 and 14:00–16:00) are fine.
                if a_start < b_end and b_start < a_end:
                    merged = describe.hours_text(min(a_start, b_start), max(a_end, b_end))
                    self.overlaps.append({
                        "message": OVERLAP.format(
                            a=a, a_hours=describe.hours_text(a_start, a_end),
                            b=b, b_hours=describe.hours_text(b_start, b_end),
                        ),
                        "merge": f"{row_index(a_form)}-{row_index(b_form)}",
                        "merge_label": MERGE_LABEL.format(a=a, b=b, hours=merged),
                    })  # fmt: skip
        if self.overlaps:
            raise forms.ValidationError([o["message"] for o in self.overlaps])


def merge_rows(data: Any, pair: str) -> tuple[Any, str]:
    """The submitted data with two rows ('<index>-<index>') made one window spanning both; the
    first keeps its wait, the second is removed. (data, what was done) — data unchanged, and ""
    when the pair can't be merged (a time unreadable, a row gone): validation then says why."""
    first, _, second = pair.partition("-")
    if not (first.isdigit() and second.isdigit()) or first == second:
        return data, ""
    rows = []
    for index in (first, second):
        if data.get(f"windows-{index}-DELETE"):
            return data, ""
        times = [minutes_or_none(data.get(f"windows-{index}-{end}")) for end in ("start", "end")]
        if None in times:
            return data, ""
        rows.append(
            (
                times,
                [data.get(f"windows-{index}-delay_{unit}", "") for unit in ("hours", "minutes")],
            )
        )
    (a_times, a_wait), (b_times, b_wait) = rows
    start, end = min(a_times[0], b_times[0]), max(a_times[1], b_times[1])
    merged = data.copy()
    merged[f"windows-{first}-start"], merged[f"windows-{first}-end"] = hhmm(start), hhmm(end)
    merged[f"windows-{second}-DELETE"] = "on"
    merged.pop("merge_windows", None)
    numbers = _page_numbers(data)
    a, b = numbers.get(first, first), numbers.get(second, second)
    wait = ""
    if a_wait != b_wait:
        hours, minutes = (int(v) if str(v).isdigit() else 0 for v in a_wait)
        wait = MERGED_WAIT.format(wait=describe.duration(hours * 3600 + minutes * 60), a=a)
    return merged, MERGED.format(a=a, b=b, hours=describe.hours_text(start, end), wait=wait)


def _page_numbers(data: Any) -> dict[str, int]:
    """{row index: the number the page shows} for the rows submitted with a time (what the
    overlap message counted)."""
    total = data.get("windows-TOTAL_FORMS", "0")
    numbers, number = {}, 0
    for index in range(int(total) if str(total).isdigit() else 0):
        key = str(index)
        if (
            data.get(f"windows-{key}-DELETE")
            or not str(data.get(f"windows-{key}-start", "")).strip()
        ):
            continue
        number += 1
        numbers[key] = number
    return numbers


WindowFormSet = formset_factory(WindowForm, formset=BaseWindowFormSet, extra=1, can_delete=True)


class RetryForm(GroupForm):
    field_map = {
        "call_retry_config.calling_windows": ("windows", {
            "calling_window_start_time": "start",
            "calling_window_end_time": "end",
            "retry_delay_seconds": "delay_hours",
        }),
        "call_retry_config.max_retry_attempts": "max_retry_attempts",
        "call_retry_config.allowed_days": "allowed_days",
        "call_retry_config.call_twice_in_a_row": "call_twice_in_a_row",
        "call_retry_config.timezone": "timezone",
    }  # fmt: skip
    formset_classes = {"windows": WindowFormSet}

    custom = forms.BooleanField(
        required=False,
        label="Custom calling plan",
        widget=forms.CheckboxInput(
            attrs={"class": "form-check-input", "role": "switch", "data-retry-custom": ""}
        ),
        help_text="Off: Revox's defaults apply — 10:00–18:00 on weekdays in the callee's time "
        "zone, up to 3 attempts, 2 hours apart. On: set your own hours, days and attempts.",
    )
    max_retry_attempts = forms.IntegerField(
        label="Attempts per number",
        min_value=1,
        help_text=f"The first call counts as attempt 1. From 1 to {MAX_ATTEMPTS}.",
        widget=forms.NumberInput(
            attrs={"min": 1, "max": MAX_ATTEMPTS, "step": 1, "data-retry-attempts": ""}
        ),
    )
    allowed_days = forms.MultipleChoiceField(
        label="Days calls may be placed",
        choices=[(day, describe.DAY_SHORT[day]) for day in DAYS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check", "data-retry-day": ""}),
        error_messages={"required": NO_DAYS},
        help_text=DAYS_APPLY,
    )
    call_twice_in_a_row = forms.BooleanField(
        required=False,
        label="Call back at once if the first call isn't answered",
        widget=forms.CheckboxInput(
            attrs={"class": "form-check-input", "role": "switch", "data-retry-twice": ""}
        ),
        help_text="If nobody picks up (or voicemail answers) on the first call, the second attempt "
        "is placed right away instead of waiting for the retry delay — still inside the calling "
        "hours. Only matters with 2 or more attempts.",
    )
    timezone = forms.ChoiceField(
        label="Time zone of the calling hours",
        widget=forms.Select(attrs={"class": "form-select", "data-zone-select": ""}),
        required=False,
        error_messages={"invalid_choice": UNKNOWN_TIMEZONE},
        help_text="“From the callee's phone number” uses the time zone of the country the "
        "number belongs to.",
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # "Merge rows 1 and 2" (a submit button, so it works without JavaScript): the form comes
        # back with the two rows made one, for the user to check and save.
        self.merged_note = ""
        self.merge_requested = bool(data is not None and data.get("merge_windows"))
        if self.merge_requested:
            data, self.merged_note = merge_rows(data, data["merge_windows"])
        super().__init__(data, *args, **kwargs)
        choices = list(timezone_choices())
        stored_zone = self.stored_plan.get("timezone")
        if isinstance(stored_zone, str) and stored_zone and stored_zone not in iana_zones():
            # Unknown to this server's tzdata but held by Revox: offer it, so an untouched
            # save keeps it.
            choices.append(("Saved in Revox", [(stored_zone, stored_zone)]))
        self.fields["timezone"].choices = choices
        stored_attempts = _attempts(self.stored_plan.get("max_retry_attempts"))
        if stored_attempts and stored_attempts > MAX_ATTEMPTS:
            self.fields["max_retry_attempts"].widget.attrs["max"] = stored_attempts

    @property
    def stored_plan(self) -> dict[str, Any]:
        config = self.assistant.get("call_retry_config")
        return config if isinstance(config, dict) else {}

    # -- assistant JSON → form ----------------------------------------------------------------

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        stored = data.get("call_retry_config")
        plan = stored if isinstance(stored, dict) else REVOX_DEFAULTS
        windows = plan.get("calling_windows")
        if not isinstance(windows, list):
            windows = REVOX_DEFAULTS["calling_windows"]
        rows = []
        for window in windows:
            if not isinstance(window, dict):
                continue
            hours, minutes = shown_delay(window.get("retry_delay_seconds", DEFAULT_DELAY))
            rows.append({
                "start": window.get("calling_window_start_time") or "",
                "end": window.get("calling_window_end_time") or "",
                "delay_hours": hours,
                "delay_minutes": minutes,
            })  # fmt: skip
        days = plan.get("allowed_days")
        attempts = _attempts(plan.get("max_retry_attempts"))
        return {
            "custom": isinstance(stored, dict)
            and plan_meaning(stored) != plan_meaning(REVOX_DEFAULTS),
            "windows": rows,
            "max_retry_attempts": attempts if attempts is not None else 3,
            "allowed_days": [d for d in DAYS if d in days] if isinstance(days, list) else WEEKDAYS,
            "call_twice_in_a_row": bool(plan.get("call_twice_in_a_row")),
            "timezone": plan.get("timezone") or "",
        }

    # -- validation ---------------------------------------------------------------------------

    @property
    def custom_requested(self) -> bool:
        if not self.is_bound:
            return bool(self.initial.get("custom"))
        field = self.fields["custom"]
        return bool(
            field.clean(
                field.widget.value_from_datadict(self.data, self.files, self.add_prefix("custom"))
            )
        )

    def is_valid(self) -> bool:
        if self.merge_requested:
            super().is_valid()  # what is still wrong after the merge shows; nothing is saved
            return False
        if not self.is_bound or self.custom_requested:
            return super().is_valid()
        # With the switch off the plan below is ignored, so mistakes in it must not block the
        # save (the page hides it; a browser without JavaScript may still send it).
        forms.Form.is_valid(self)
        for name in PLAN_FIELDS:
            self.errors.pop(name, None)
        return not self.errors

    @property
    def has_any_errors(self) -> bool:
        if self.is_bound and not self.custom_requested:
            return bool(self.errors)
        return super().has_any_errors

    def clean_max_retry_attempts(self) -> int | None:
        attempts = self.cleaned_data.get("max_retry_attempts")
        stored = _attempts(self.stored_plan.get("max_retry_attempts"))
        if attempts is not None and attempts > MAX_ATTEMPTS and attempts != stored:
            raise forms.ValidationError(TOO_MANY_ATTEMPTS)
        return attempts

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        windows = self.formsets["windows"]
        if self.custom_requested and windows.is_valid() and not self._window_rows():
            stored_windows = self.stored_plan.get("calling_windows")
            if not (isinstance(stored_windows, list) and not stored_windows):  # Revox held none
                self.add_error(None, NO_WINDOW)
        return data

    # -- form → PATCH -------------------------------------------------------------------------

    def _window_rows(self) -> list[tuple[int, forms.Form]]:
        """(position among the rows on the page, row form) for each window kept."""
        return [
            (position, form)
            for position, form in enumerate(self.formsets["windows"].live_forms())
            if form.cleaned_data.get("start") is not None
        ]

    def plan(self) -> dict[str, Any]:
        """The plan the form holds, windows in order of start time (times as minutes)."""
        data = self.cleaned_data
        rows = sorted(self._window_rows(), key=lambda row: row[1].cleaned_data["start"])
        return {
            "windows": [
                (
                    position,
                    form.cleaned_data["start"],
                    form.cleaned_data["end"],
                    form.cleaned_data["delay_hours"],
                    form.cleaned_data["delay_minutes"],
                )
                for position, form in rows
            ],
            "max_retry_attempts": data["max_retry_attempts"],
            "allowed_days": data["allowed_days"],
            "call_twice_in_a_row": data["call_twice_in_a_row"],
            "timezone": data["timezone"] or None,
        }

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        stored = current.get("call_retry_config")
        self._sent_positions: list[int] | None = None
        if not self.custom_requested:
            if not isinstance(stored, dict):
                return {}  # Revox's defaults, and Revox holds nothing: leave it so
            config = self._config_from(REVOX_DEFAULTS, stored)
        else:
            config = self._config_from_form(stored if isinstance(stored, dict) else {})
        if isinstance(stored, dict) and plan_meaning(stored) == plan_meaning(config):
            return {"call_retry_config": stored}
        return {"call_retry_config": config}

    def _config_from(self, plan: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
        # Start from what Revox holds, so keys a newer API adds inside the object survive.
        return {**stored, **copy.deepcopy(plan)}

    def _config_from_form(self, stored: dict[str, Any]) -> dict[str, Any]:
        plan = self.plan()
        days = plan["allowed_days"]
        stored_days = stored.get("allowed_days")
        if isinstance(stored_days, list) and set(stored_days) == set(days):
            days = stored_days  # same days: keep Revox's order
        else:
            days = [d for d in DAYS if d in days]
        attempts = plan["max_retry_attempts"]
        if _attempts(stored.get("max_retry_attempts")) == attempts:
            attempts = stored["max_retry_attempts"]
        return self._config_from(
            {
                "calling_windows": self._windows_to_send(plan["windows"], stored),
                "max_retry_attempts": attempts,
                "allowed_days": days,
                "call_twice_in_a_row": plan["call_twice_in_a_row"],
                "timezone": plan["timezone"],
            },
            stored,
        )

    def _windows_to_send(self, rows: list[tuple], stored: dict[str, Any]) -> list[dict[str, Any]]:
        stored_windows = stored.get("calling_windows")
        stored_windows = (
            [w for w in stored_windows if isinstance(w, dict)]
            if isinstance(stored_windows, list)
            else []
        )
        wanted = sorted((start, end, (hours, minutes)) for _, start, end, hours, minutes in rows)
        if stored_windows and plan_meaning({"calling_windows": stored_windows})[0] == wanted:
            return stored_windows  # the same windows: keep Revox's spellings and order
        self._sent_positions = [position for position, *_ in rows]
        unused = list(stored_windows)
        windows = []
        for _, start, end, hours, minutes in rows:
            seconds = hours * 3600 + minutes * 60
            window = {
                "calling_window_start_time": hhmm(start),
                "calling_window_end_time": hhmm(end),
                "retry_delay_seconds": seconds,
            }
            same_hours = next((w for w in unused if _hours_of(w) == (start, end)), None)
            if same_hours is not None:
                # Same hours as a stored window: keep its spellings (and any newer keys).
                unused.remove(same_hours)
                stored_delay = same_hours.get("retry_delay_seconds", DEFAULT_DELAY)
                window = {**same_hours, "retry_delay_seconds": stored_delay
                          if shown_delay(stored_delay) == (hours, minutes) else seconds}  # fmt: skip
            windows.append(window)
        return windows

    def _place_error(self, path: str, messages: list[str]) -> bool:
        # Windows were sent in order of start time; Revox's "window N" is the N-th one sent.
        prefix = "call_retry_config.calling_windows."
        positions = getattr(self, "_sent_positions", None)
        if positions and path.startswith(prefix):
            index, _, rest = path[len(prefix) :].partition(".")
            if index.isdigit() and int(index) < len(positions):
                path = f"{prefix}{positions[int(index)]}" + (f".{rest}" if rest else "")
        return super()._place_error(path, messages)

    # -- the page -----------------------------------------------------------------------------

    def window_rows(self) -> list[dict[str, Any]]:
        """Rows for the template, numbered as the page shows them (removed rows not counted)."""
        rows, number = [], 0
        formset = self.formsets["windows"]
        for index, form in enumerate(formset.forms):
            removed = formset.is_bound and bool(form["DELETE"].value())
            # The blank row Django adds so that a window can be added without JavaScript; it
            # is not a window yet, so it gets no number (the page's script hides it and offers
            # "Add a window" instead).
            spare = index >= formset.initial_form_count() and not (
                formset.is_bound and form.has_changed()
            )
            if not (removed or spare):
                number += 1
            rows.append({"form": form, "number": "" if spare else number, "removed": removed,
                         "spare": spare})  # fmt: skip
        return rows

    def shown_plan(self) -> dict[str, Any] | None:
        """The plan the page describes: what the form holds when it can be read, else what
        Revox holds (None: Revox's defaults)."""
        if not self.custom_requested:
            return None
        if self.is_bound and hasattr(self, "cleaned_data") and not self.has_any_errors:
            try:
                return self._config_from_form(self.stored_plan)
            except KeyError:
                pass
        return self.stored_plan or None

    def summary(self) -> str:
        """The plain-words summary above the plan (the page's script keeps it current)."""
        return describe.retry_summary(self.shown_plan())

    def week(self) -> dict[str, Any]:
        """The week grid above the plan (the page's script redraws it as the plan changes)."""
        return describe.retry_week(self.shown_plan())
