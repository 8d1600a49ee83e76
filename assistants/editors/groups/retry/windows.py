"""The rows of calling windows: one row per window (start, end, wait before a retry), a formset
that finds overlapping rows and names them, and the merge that the overlap message offers
(one click with JavaScript, a submit button without)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from assistants.editors import words
from assistants.editors.groups.retry import plans
from assistants.editors.groups.retry.timeparse import (
    TIME_HELP,
    TimeParseError,
    hhmm,
    minutes_or_none,
    parse_time,
)

MAX_DELAY_HOURS = 24 * 365  # a year: longer is surely a typo


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
    def times_shown(self) -> list[dict[str, str]]:
        """Each time typed that could be read, as the page shows it once read ('9am' → 09:00)."""
        shown = []
        for name in ("start", "end"):
            minutes = minutes_or_none(self[name].value() or "")
            if minutes is not None:
                shown.append({"id": self[name].auto_id, "value": hhmm(minutes)})
        return shown

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
                    merged = plans.hours_text(min(a_start, b_start), max(a_end, b_end))
                    self.overlaps.append({
                        "message": OVERLAP.format(
                            a=a, a_hours=plans.hours_text(a_start, a_end),
                            b=b, b_hours=plans.hours_text(b_start, b_end),
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
        wait = MERGED_WAIT.format(wait=words.duration(hours * 3600 + minutes * 60), a=a)
    return merged, MERGED.format(a=a, b=b, hours=plans.hours_text(start, end), wait=wait)


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
