"""What a stored calling plan means, whatever its spelling: times in minutes, delays to the
minute the form shows, days as a set, Revox's defaults for what is missing. The form compares
meanings to send a plan back exactly as stored when nothing that matters changed."""

from __future__ import annotations

from typing import Any

from assistants.editors.groups.retry import plans
from assistants.editors.groups.retry.timeparse import minutes_or_none

DAYS = plans.DAYS
WEEKDAYS = list(DAYS[:5])
DEFAULT_DELAY = plans.DEFAULT_DELAY
REVOX_DEFAULTS = plans.REVOX_DEFAULT_PLAN


def shown_delay(seconds: Any) -> tuple[int, int]:
    """A stored delay as the (hours, minutes) the form shows, to the nearest minute."""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        seconds = DEFAULT_DELAY
    return divmod(round(seconds / 60), 60)


def attempts_of(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        return int(value)
    return None


def hours_of(window: dict[str, Any]) -> tuple[int | None, int | None]:
    return (minutes_or_none(window.get("calling_window_start_time")),
            minutes_or_none(window.get("calling_window_end_time")))  # fmt: skip


def plan_meaning(config: dict[str, Any]) -> tuple:
    """What a stored plan means, with Revox's defaults for missing parts: two plans that mean
    the same compare equal however they are spelled or ordered."""
    windows = config.get("calling_windows")
    if not isinstance(windows, list):
        windows = REVOX_DEFAULTS["calling_windows"]
    days = config.get("allowed_days")
    attempts = attempts_of(config.get("max_retry_attempts", 3))
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
