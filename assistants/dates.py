"""Dates typed and shown the way the person reading them writes them.

A browser's `<input type="date">` writes its date in the language of the browser's own menus,
whatever the page and the user's preferred languages say: Chromium with English (US) menus
shows mm/dd/yyyy to someone in London or Paris, and Playwright's en-GB locale does not change
it either. So date filters are text fields in the order of the user's first preferred language
(the Accept-Language header, read with Django's locale formats: day/month/year for en-GB and
fr, day.month.year for de, month/day/year for en-US); ISO dates (2026-11-20) are always
accepted, and a calendar button (static/js/app.js) fills the field in the same order.

Only the formats follow the header: the dashboard's words stay English.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import check_for_language

ISO = "%Y-%m-%d"
# Django's short date formats (PHP-style) → strptime and the pattern people read.
_PARTS = {"d": ("%d", "dd"), "j": ("%d", "dd"), "m": ("%m", "mm"), "n": ("%m", "mm"),
          "Y": ("%Y", "yyyy"), "y": ("%Y", "yyyy")}  # fmt: skip
_SHORT_DATE = re.compile(r"^[djmnYy]([-./ ])[djmnYy]\1[djmnYy]\.?$")
_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class DateFormat:
    locale: str  # the language tag the format comes from, e.g. "en-gb"
    python: str  # for strftime / strptime, e.g. "%d/%m/%Y"
    pattern: str  # what a person reads, e.g. "dd/mm/yyyy"
    accepted: tuple[str, ...]  # every format a typed date may use (ISO included)

    def example(self) -> str:
        return self.python.replace("%d", "20").replace("%m", "11").replace("%Y", "2026")


def preferred_languages(header: str) -> list[str]:
    """The language tags of an Accept-Language header, the most preferred first."""
    weighted = []
    for order, part in enumerate(header[:500].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if _TAG.match(tag) and quality > 0:
            weighted.append((-quality, order, tag.lower()))
    return [tag for _, _, tag in sorted(weighted)]


@functools.lru_cache(maxsize=256)
def date_format(accept_language: str) -> DateFormat:
    """The date format of the first preferred language Django has formats for, else ISO."""
    for tag in preferred_languages(accept_language):
        if not check_for_language(tag) or not formats.get_format_modules(tag):
            continue
        short = formats.get_format("SHORT_DATE_FORMAT", lang=tag)
        if not _SHORT_DATE.match(short):
            continue
        python = "".join(_PARTS[c][0] if c in _PARTS else c for c in short.rstrip("."))
        pattern = "".join(_PARTS[c][1] if c in _PARTS else c for c in short.rstrip("."))
        accepted = tuple(
            dict.fromkeys([python, *formats.get_format("DATE_INPUT_FORMATS", lang=tag), ISO])
        )
        return DateFormat(tag, python, pattern, accepted)
    return DateFormat("", ISO, "yyyy-mm-dd", (ISO,))


def request_date_format(request: HttpRequest) -> DateFormat:
    return date_format(request.headers.get("Accept-Language", ""))
