"""Times of day as people type them, for calling windows.

Revox stores a time as 'HH:mm' (24-hour, '17:00') or 'H:mma' (12-hour, '6pm', '9:30am'). People
type more than that: '9', '9am', '9 AM', '9:30 p.m.', '18h30', '1730', 'noon'. This module reads
all of those into minutes since midnight and writes them back as 'HH:mm'.

It accepts only what has one meaning. A bare '9' could be morning or evening, so it asks for
am/pm; '13' or '0' can only be 24-hour. '24:00' does not exist in Revox, so it says to use 23:59.

The only reader of times: while a plan is typed, the editor asks the server (fields.html,
partial "live") rather than keeping a copy of these rules in the browser.
"""

from __future__ import annotations

import re
from typing import Any

TIME_HELP = "Write a time like 09:00, 9am or 6:30pm."
AMBIGUOUS_HOUR = "Add am or pm (9am, 9pm), or write it as 24-hour time (09:00, 21:00)."
NO_2400 = "Times stop at 23:59: use 23:59 for the end of the day."

# Revox's own two spellings (the same patterns its validation uses).
REVOX_24H = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
REVOX_12H = re.compile(r"(1[0-2]|0?[1-9])(:[0-5]\d)?[aApP][mM]")

# hour, optional minutes after ':' '.' or 'h', optional am/pm ('am', 'a.m.', 'a', 'AM').
_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})(?:(?P<sep>[:.h])(?P<minute>\d{2})?)?\s*(?P<half>[ap])?\.?\s*(?:m\.?)?"
)
_COMPACT = re.compile(r"(?P<hour>\d{2})(?P<minute>\d{2})")  # '0930', '1730'
_WORDS = {"noon": 12 * 60, "midday": 12 * 60, "midnight": 0}


class TimeParseError(ValueError):
    pass


def parse_time(value: Any) -> int:
    """Minutes since midnight for a typed time; TimeParseError (with a plain message) if it
    can't be read one way only."""
    if not isinstance(value, str):
        raise TimeParseError(TIME_HELP)
    typed = " ".join(value.strip().lower().split())
    if typed in _WORDS:
        return _WORDS[typed]
    compact = _COMPACT.fullmatch(typed)
    if compact:
        return _clock(int(compact["hour"]), int(compact["minute"]))
    match = _CLOCK.fullmatch(typed)
    if not match or (match["half"] is None and typed[-1] in "m."):
        raise TimeParseError(TIME_HELP)  # 'm' alone, or a stray dot, is not an am/pm marker
    hour = int(match["hour"])
    has_minutes = match["minute"] is not None
    if match["sep"] in (":", ".") and not has_minutes:
        raise TimeParseError(TIME_HELP)  # '9:' or '9:5'
    minute = int(match["minute"]) if has_minutes else 0
    if match["half"]:
        if match["sep"] == "h" or minute > 59:
            raise TimeParseError(TIME_HELP)  # '12h30pm' mixes two clocks
        if not 1 <= hour <= 12:
            raise TimeParseError(f"{hour} isn't an hour on a 12-hour clock. {TIME_HELP}")
        return (hour % 12 + (12 if match["half"] == "p" else 0)) * 60 + minute
    if match["sep"] is None and 1 <= hour <= 12:
        raise TimeParseError(AMBIGUOUS_HOUR)
    return _clock(hour, minute)


def _clock(hour: int, minute: int) -> int:
    if hour == 24 and minute == 0:
        raise TimeParseError(NO_2400)
    if hour > 23 or minute > 59:
        raise TimeParseError(TIME_HELP)
    return hour * 60 + minute


def minutes_or_none(value: Any) -> int | None:
    try:
        return parse_time(value)
    except TimeParseError:
        return None


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def normalise(value: Any) -> str | None:
    """'6pm' → '18:00'; None when the value isn't a time."""
    minutes = minutes_or_none(value)
    return None if minutes is None else hhmm(minutes)


def is_revox_spelling(value: Any) -> bool:
    return isinstance(value, str) and bool(REVOX_24H.fullmatch(value) or REVOX_12H.fullmatch(value))
