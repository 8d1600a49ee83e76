"""Checks of strings with a format: phone numbers, URLs, e-mail lists, times of day, time
zones and tool names, with the message a client sees for each."""

from __future__ import annotations

import functools
import re
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

from sandbox.validation.engine import Check, Errors

E164 = re.compile(r"\+[1-9]\d{6,14}")
TIME_24H = re.compile(r"([01]\d|2[0-3]):[0-5]\d")  # 'HH:mm': '09:00', '17:30'
TIME_12H = re.compile(r"(1[0-2]|0?[1-9])(:[0-5]\d)?[aApP][mM]")  # 'H:mma': '6pm', '9:30am'
EMAIL = re.compile(r"[^@\s,]+@[^@\s,.]+(\.[^@\s,.]+)+")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9_]*")
PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")


def e164() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif not E164.fullmatch(value):
            errors.add(path, "must be an E.164 phone number (e.g. +14155550123)")

    return check


def is_http_url(value: str) -> bool:
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. a malformed IPv6 host or port
        return False


def url(*, must_contain: str | None = None, allow_empty: bool = False) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
            return
        if allow_empty and value == "":
            return  # "no URL", where the SDK types the field as a plain string
        # Placeholders such as {{phone}} are filled in later: judge the URL around them.
        if not is_http_url(PLACEHOLDER.sub("x", value)):
            errors.add(path, "must be an http(s) URL")
        if must_contain is not None and must_contain not in value:
            errors.add(path, f"must contain {must_contain}")

    return check


def tool_url() -> Check:
    # A tool URL may be templated anywhere ({{base}}/orders), so only its scheme is checked.
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif not value:
            errors.add(path, "must be at least 1 character")
        elif not re.match(r"https?://\S", value) or any(ch in value for ch in "\n\r\t "):
            errors.add(path, "must be an http(s) URL")

    return check


def email_list() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
            return
        addresses = [part.strip() for part in value.split(",")]
        bad = [address for address in addresses if not EMAIL.fullmatch(address)]
        if bad:
            errors.add(path, "must be an e-mail address or a comma-separated list of them")

    return check


def time_of_day() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif not (TIME_24H.fullmatch(value) or TIME_12H.fullmatch(value)):
            errors.add(
                path,
                "must be a time as 'HH:mm' (24-hour, e.g. '17:00') or 'H:mma' (12-hour, e.g. '6pm')",
            )

    return check


@functools.cache
def iana_zones() -> frozenset[str]:
    # Scanning tzdata is slow: do it once per process.
    return frozenset(zoneinfo.available_timezones())


def timezone() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif value not in iana_zones():
            errors.add(path, "must be an IANA time zone (e.g. 'Europe/Paris')")

    return check


def snake_case_name() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif not value:
            errors.add(path, "must be at least 1 character")
        elif not SNAKE_CASE.fullmatch(value):
            errors.add(path, "must be lowercase_snake_case (e.g. check_inventory)")

    return check
