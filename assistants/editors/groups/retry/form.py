"""The calling plan form: the custom-plan switch, attempts, days and time zone around the rows
of windows, and how the whole maps to and from `call_retry_config` (see the package's notes)."""


# Plain-words text is typeset as people read it (en dashes, curly quotes).

from __future__ import annotations

import copy
from typing import Any

from django import forms

from assistants.editors.forms.base import GroupForm, SwitchField
from assistants.editors.groups.retry import plans
from assistants.editors.groups.retry.meaning import (
    DAYS,
    DEFAULT_DELAY,
    REVOX_DEFAULTS,
    WEEKDAYS,
    attempts_of,
    hours_of,
    plan_meaning,
    shown_delay,
)
from assistants.editors.groups.retry.timeparse import hhmm
from assistants.editors.groups.retry.windows import NO_WINDOW, WindowFormSet, merge_rows
from assistants.editors.groups.retry.zones import UNKNOWN_TIMEZONE, iana_zones, timezone_choices

MAX_ATTEMPTS = 20
# The fields that only matter with a custom plan (ignored, and not validated, when it is off).
PLAN_FIELDS = ("max_retry_attempts", "allowed_days", "call_twice_in_a_row", "timezone")

NO_DAYS = "Pick at least one day: with none, calls could never be placed."
DAYS_APPLY = (
    "Every calling window applies on each day picked here: Revox keeps one list of days for "
    "the whole plan, so a day can't have hours of its own."
)
TOO_MANY_ATTEMPTS = (
    f"At most {MAX_ATTEMPTS} attempts: more would ring the same person over and over. "
    "Revox counts the first call as attempt 1."
)


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

    custom = SwitchField(
        label="Custom calling plan",
        marker="data-retry-custom",
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
        choices=[(day, plans.DAY_SHORT[day]) for day in DAYS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check", "data-retry-day": ""}),
        error_messages={"required": NO_DAYS},
        help_text=DAYS_APPLY,
    )
    call_twice_in_a_row = SwitchField(
        label="Call back at once if the first call isn't answered",
        marker="data-retry-twice",
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
        stored_attempts = attempts_of(self.stored_plan.get("max_retry_attempts"))
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
        attempts = attempts_of(plan.get("max_retry_attempts"))
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
        stored = attempts_of(self.stored_plan.get("max_retry_attempts"))
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
        if attempts_of(stored.get("max_retry_attempts")) == attempts:
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
            same_hours = next((w for w in unused if hours_of(w) == (start, end)), None)
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
        """The plain-words summary above the plan (asked again as the plan is edited)."""
        return plans.retry_summary(self.shown_plan())

    def week(self) -> dict[str, Any]:
        """The week grid above the plan (asked again as the plan is edited)."""
        return plans.retry_week(self.shown_plan())

    @property
    def single_attempt(self) -> bool:
        """One attempt per number: "call back at once" has nothing to do (the page says so)."""
        try:
            return int(self["max_retry_attempts"].value()) < 2
        except (TypeError, ValueError):
            return False
