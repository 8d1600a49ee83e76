"""Little plain-words helpers for the groups' descriptions: a duration ('1 h 30 min'), a list
joined with 'and', on/off, a dash for nothing; and the save notice about calls already
scheduled."""

from __future__ import annotations

from typing import Any

from assistants.snapshot import text


def duration(seconds: Any) -> str:
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        return "—"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    parts.append(f"{secs} s" if secs or not (hours or minutes) else "")
    return " ".join(p for p in parts if p)


def join_and(items: list[str]) -> str:
    """['a', 'b', 'c'] → 'a, b and c'."""
    return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]])) if items else ""


Rows = list[tuple[str, str]]


def yes_no(value: Any) -> str:
    return "On" if value else "Off"


def or_dash(value: Any, empty: str = "—") -> str:
    return text(value) or empty


def unpatched_calls(notice: Any) -> str:
    """What Revox's unpatchedCallsNotice means, in a sentence: how many calls already scheduled
    keep their old settings, and the variables that kept them."""
    count = getattr(notice, "count", 0)
    if not count:
        return ""
    variables = [f"{{{{{name}}}}}" for name in getattr(notice, "variables", [])]
    calls = "1 call already scheduled keeps its" if count == 1 else (
        f"{count:,} calls already scheduled keep their"
    )  # fmt: skip
    why = ""
    if variables:
        noun = "variable" if len(variables) == 1 else "variables"
        why = f", because of the {noun} {join_and(variables)}"
    return f"{calls} old settings{why}. Calls scheduled from now on use the new ones."
