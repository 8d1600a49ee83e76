"""Calling plans (`call_retry_config`) in plain words: the days, the summary sentence, the week
grid, and Revox's defaults for an assistant that holds no plan.

The editor asks for both again as the plan is typed (fields.html, partial "live"): this is the
only place they are written."""

from __future__ import annotations

from typing import Any

from assistants.editors.groups.retry import timeparse
from assistants.editors.words import duration, join_and
from assistants.snapshot import text

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_SHORT = {d: d[:3].title() for d in DAYS}


def day_runs(days: list[str]) -> list[str]:
    """['monday', …, 'friday', 'sunday'] → ['Mon–Fri', 'Sun']: three days in a row or more as
    a range, others one by one; ['every day'] and ['no day'] when that is what they are."""
    chosen = [d in days for d in DAYS]
    if all(chosen):
        return ["every day"]
    if not any(chosen):
        return ["no day"]
    runs, start = [], None
    for index, on in enumerate([*chosen, False]):
        if on and start is None:
            start = index
        elif not on and start is not None:
            end = index - 1
            if end - start >= 2:
                runs.append(f"{DAY_SHORT[DAYS[start]]}–{DAY_SHORT[DAYS[end]]}")
            else:
                runs += [DAY_SHORT[DAYS[i]] for i in range(start, end + 1)]
            start = None
    return runs


def day_ranges(days: list[str]) -> str:
    """['monday', …, 'friday'] → 'Mon–Fri'; ['monday', 'wednesday'] → 'Mon, Wed'."""
    return ", ".join(day_runs(days))


def timezone_label(name: Any) -> str:
    if not name:
        return "the callee's local time"
    city = str(name).rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time"


DEFAULT_DELAY = 7200


# What Revox applies when an assistant holds no plan (`call_retry_config: null`).
REVOX_DEFAULT_PLAN = {
    "calling_windows": [
        {"calling_window_start_time": "10:00", "calling_window_end_time": "18:00",
         "retry_delay_seconds": DEFAULT_DELAY},
    ],
    "max_retry_attempts": 3,
    "allowed_days": list(DAYS[:5]),
    "call_twice_in_a_row": False,
    "timezone": None,
}  # fmt: skip


DEFAULTS_SUMMARY = (
    "Revox's defaults: up to 3 attempts, Mon–Fri, 10:00–18:00 in the callee's time zone, 2 h apart"
)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _windows_of(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's windows as Revox holds them; without a list, Revox's default window."""
    windows = config.get("calling_windows")
    if not isinstance(windows, list):
        windows = REVOX_DEFAULT_PLAN["calling_windows"]
    return [w for w in windows if isinstance(w, dict)]


def plan_windows(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's windows that can be read (start before end), in order of start time, as
    {'start': minutes, 'end': minutes, 'delay': seconds or None when unreadable}."""
    readable = []
    for window in _windows_of(config):
        start = timeparse.minutes_or_none(window.get("calling_window_start_time"))
        end = timeparse.minutes_or_none(window.get("calling_window_end_time"))
        if start is None or end is None or end <= start:
            continue
        delay = window.get("retry_delay_seconds", DEFAULT_DELAY)
        readable.append({"start": start, "end": end, "delay": delay if _is_number(delay) else None})
    return sorted(readable, key=lambda w: (w["start"], w["end"]))


def unreadable_windows(config: dict[str, Any]) -> list[str]:
    """Windows whose times can't be read (or end before they start), as Revox holds them."""
    shown = []
    for window in _windows_of(config):
        start = window.get("calling_window_start_time")
        end = window.get("calling_window_end_time")
        first, last = timeparse.minutes_or_none(start), timeparse.minutes_or_none(end)
        if first is None or last is None or last <= first:
            shown.append(f"{_clock(start)}–{_clock(end)}")
    return shown


def calling_spans(windows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """When calls may go out: the windows' hours with overlapping or touching ones joined
    (09:00–12:00 and 11:00–14:00 → 09:00–14:00)."""
    spans: list[tuple[int, int]] = []
    for window in windows:
        if spans and window["start"] <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], window["end"]))
        else:
            spans.append((window["start"], window["end"]))
    return spans


def hours_text(start: int, end: int) -> str:
    return f"{timeparse.hhmm(start)}–{timeparse.hhmm(end)}"


def _attempts_text(attempts: Any) -> str:
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
        return "Attempts: —"
    return "A single attempt" if attempts == 1 else f"Up to {attempts} attempts"


def _wait_text(delay: Any, first: bool) -> str:
    wait = "as soon as allowed" if delay == 0 else f"after {duration(delay)}"
    return f"retried {wait}" if first else wait


def retry_summary(config: Any) -> str:
    """'Up to 3 attempts, Mon–Thu and Sat, 09:00–12:00 and 13:00–18:00 New York time, 2 h apart'.

    The hours say when calls may go out: overlapping windows read as the one span they cover.
    The wait between attempts is said once when every window has the same, else next to each
    window; with a single attempt there is no wait to tell."""
    if not isinstance(config, dict):
        return DEFAULTS_SUMMARY
    attempts = config.get("max_retry_attempts", 3)
    windows = plan_windows(config)
    days = config.get("allowed_days")
    days_text = join_and(day_runs(days)) if isinstance(days, list) else "Mon–Fri"
    spans = calling_spans(windows)
    delays = list(dict.fromkeys(w["delay"] for w in windows)) if attempts != 1 else []
    each_wait = len(delays) > 1 and len(spans) == len(windows)
    if each_wait:  # '09:00–12:00 (retried after 2 h) and 17:00–19:30 (after 1 h)'
        hours = [f"{hours_text(w['start'], w['end'])} ({_wait_text(w['delay'], i == 0)})"
                 for i, w in enumerate(windows)]  # fmt: skip
    else:
        hours = [hours_text(start, end) for start, end in spans]
    hours_said = join_and(hours + unreadable_windows(config))
    zone = config.get("timezone")
    where = timezone_label(zone) if zone else "in the callee's time zone"
    hours_said = f"{hours_said} {where}" if hours_said else "no calling window"
    parts = [_attempts_text(attempts), days_text, hours_said]
    if len(delays) == 1:
        (delay,) = delays
        parts.append("retried as soon as allowed" if delay == 0 else f"{duration(delay)} apart")
    elif len(delays) > 1 and not each_wait:
        parts.append("delays vary by window")
    summary = ", ".join(parts)
    # Calling twice in a row only changes the step from attempt 1 to attempt 2.
    if config.get("call_twice_in_a_row") and isinstance(attempts, int) and attempts >= 2:
        summary += "; the second attempt follows at once if nobody answered"
    return summary


def retry_week(config: Any) -> dict[str, Any]:
    """The plan as a week: for each day, whether calls are allowed and the spans of the day
    they may go out (minutes since midnight), for the week grid (editors/_week_grid.html)."""
    plan = config if isinstance(config, dict) else REVOX_DEFAULT_PLAN
    days = plan.get("allowed_days")
    allowed = set(days) if isinstance(days, list) else set(DAYS[:5])
    spans = [
        {"start": start, "end": end, "width": end - start, "label": hours_text(start, end)}
        for start, end in calling_spans(plan_windows(plan))
    ]
    week = []
    for day in DAYS:
        on = day in allowed and bool(spans)
        hours = join_and([s["label"] for s in spans]) if on else "no calls"
        week.append({"day": day, "short": DAY_SHORT[day], "name": day.title(), "allowed": on,
                     "spans": spans if on else [], "text": f"{day.title()}: {hours}"})  # fmt: skip
    zone = plan.get("timezone")
    return {
        "days": week,
        "zone": f"{timezone_label(zone)} ({zone})" if zone else "the callee's local time",
    }


def _clock(value: Any) -> str:
    """A stored time shown as 'HH:mm' ('6pm' → '18:00'); anything else as it is."""
    return timeparse.normalise(value) or text(value)
