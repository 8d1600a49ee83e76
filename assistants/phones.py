"""Phone numbers as people type them, checked with `phonenumbers` (Google's libphonenumber
metadata: which numbers can exist in each country), and shown masked to everyone but the person
whose number it is."""

from __future__ import annotations

import phonenumbers

NOT_A_NUMBER = "Enter the number with its country code, like +33 6 12 34 56 78."
NOT_VALID = "This isn't a phone number that can be called: check the digits and the country code."


class InvalidNumber(ValueError):
    pass


def phone_parse(value: str) -> str:
    """'+33 6 12 34 56 78' → '+33612345678'. Raises InvalidNumber with a sentence to show."""
    text = (value or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    if not text.startswith("+"):
        raise InvalidNumber(NOT_A_NUMBER)
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as err:
        raise InvalidNumber(NOT_A_NUMBER) from err
    if not phonenumbers.is_valid_number(number):
        raise InvalidNumber(NOT_VALID)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """The number grouped as people read it: '+33 6 12 34 56 78'."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_masked(e164: str) -> str:
    """The number with all but its country code and last two digits hidden:
    '+33 6 •• •• •• 78' shows only what tells two test numbers apart."""
    shown = phone_display(e164)
    try:
        prefix = f"+{phonenumbers.parse(e164, None).country_code}"
    except phonenumbers.NumberParseException:
        prefix = "+"
    if not shown.startswith(prefix):
        return "•" * max(len(shown) - 2, 0) + shown[-2:]
    rest = shown[len(prefix) :]
    total = sum(ch.isdigit() for ch in rest)
    out, seen = [], 0
    for ch in rest:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - 2 else "•")
        else:
            out.append(ch)
    return prefix + "".join(out)
