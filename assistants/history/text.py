"""Line diffs of long text (a prompt, a message template): the changed lines with a little context,
and inside a changed line the words that changed."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field


@dataclass
class Segment:
    text: str
    changed: bool = False


@dataclass
class Line:
    op: str  # "equal", "removed", "added", or "skip" (a folded run of unchanged lines)
    segments: list[Segment] = field(default_factory=list)
    old_number: int | None = None
    new_number: int | None = None
    skipped: int = 0


_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def _words(line: str) -> list[str]:
    return _WORDS.findall(line)


def _intraline(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """The two versions of a changed line, split into unchanged and changed runs of words."""
    if len(old) > MAX_INTRALINE or len(new) > MAX_INTRALINE:
        return [Segment(old, True)], [Segment(new, True)]
    a, b = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            _append(old_segments, "".join(a[i1:i2]), tag != "equal")
        if j2 > j1:
            _append(new_segments, "".join(b[j1:j2]), tag != "equal")
    return old_segments, new_segments


def _append(segments: list[Segment], text: str, changed: bool) -> None:
    if segments and segments[-1].changed == changed:
        segments[-1].text += text
    else:
        segments.append(Segment(text, changed))


def diff_text(before: str, after: str) -> list[Line]:
    """A line diff: unchanged lines around each change, removed and added lines, the changed
    words of a replaced line marked."""
    a, b = before.split("\n"), after.split("\n")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    lines: list[Line] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += _context(a, i1, i2, j1, first=not lines, last=i2 == len(a))
            continue
        old_run, new_run = a[i1:i2], b[j1:j2]
        pairs = min(len(old_run), len(new_run)) if tag == "replace" else 0
        old_segments, new_segments = [], []
        for k in range(pairs):
            o, n = _intraline(old_run[k], new_run[k])
            old_segments.append(o)
            new_segments.append(n)
        for k, text in enumerate(old_run):
            segments = old_segments[k] if k < pairs else [Segment(text)]
            lines.append(Line("removed", segments, old_number=i1 + k + 1))
        for k, text in enumerate(new_run):
            segments = new_segments[k] if k < pairs else [Segment(text)]
            lines.append(Line("added", segments, new_number=j1 + k + 1))
    if len(lines) > MAX_LINES:
        hidden = len(lines) - MAX_LINES
        lines = [*lines[:MAX_LINES], Line("skip", skipped=hidden)]
    return lines


def _context(a: list[str], i1: int, i2: int, j1: int, *, first: bool, last: bool) -> list[Line]:
    """Unchanged lines: a few next to the changes, the rest folded into one marker."""
    count = i2 - i1
    head = 0 if first else CONTEXT_LINES
    tail = 0 if last else CONTEXT_LINES
    if count <= head + tail + 1:
        keep = list(range(count))
        skipped_after = None
    else:
        keep = [*range(head), *range(count - tail, count)]
        skipped_after = head
    lines = []
    for k in range(count):
        if skipped_after is not None and k == skipped_after:
            lines.append(Line("skip", skipped=count - head - tail))
        if k in keep:
            lines.append(
                Line("equal", [Segment(a[i1 + k])], old_number=i1 + k + 1, new_number=j1 + k + 1)
            )
    return lines


# Unchanged lines shown around each change; longer unchanged runs fold into one marker.
CONTEXT_LINES = 2


# Beyond these a diff stops, with a note: a history page must stay light.
MAX_LINES = 400


MAX_INTRALINE = 2000
