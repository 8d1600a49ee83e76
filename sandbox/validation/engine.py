"""The rule engine: an `Errors` collector, `Field` specs and the small check factories that
every rule table is written with.

Every check appends to one `Errors` collector instead of raising: a client gets *every* bad
field of a body at once, each named by its dotted path (list indices as numbers, e.g.
``faq_items.3.question``), which is what the dashboard maps onto form fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MAX_SAFE_INTEGER = 9007199254740991  # JavaScript's Number.MAX_SAFE_INTEGER, the API's bound


class Errors:
    """Collects error messages keyed by the dotted path of the bad value."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields)


# A check looks at one (non-null) value found at `path` and reports what is wrong.
Check = Callable[[Any, str, Errors], None]


def join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def is_number(value: Any) -> bool:
    # JSON true/false arrive as Python bools, which are ints: they are not numbers here.
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    # JSON has one number type, so 400.0 is as good an integer as 400 (as in JavaScript).
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def fmt(number: float) -> str:
    # 0 -> "0", 0.6 -> "0.6", 9007199254740991 -> itself (not "9.0072e+15").
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


# --- check factories -------------------------------------------------------


def anything() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        return None

    return check


def string(*, min_len: int = 0, max_len: int | None = None, non_blank: bool = False) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str):
            errors.add(path, "must be a string")
        elif non_blank and not value.strip():
            errors.add(path, "must not be blank")
        elif len(value) < min_len:
            errors.add(path, f"must be at least {min_len} character{'s' if min_len > 1 else ''}")
        elif max_len is not None and len(value) > max_len:
            errors.add(path, f"must be at most {max_len} characters")

    return check


def boolean() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, bool):
            errors.add(path, "must be a boolean")

    return check


def number(
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: float | None = None,
    integer: bool = False,
) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if integer and not is_integer(value):
            errors.add(path, "must be an integer")
        elif not is_number(value):
            errors.add(path, "must be a number")
        elif minimum is not None and maximum is not None and not minimum <= value <= maximum:
            errors.add(path, f"must be between {fmt(minimum)} and {fmt(maximum)}")
        elif minimum is not None and value < minimum:
            errors.add(path, f"must be at least {fmt(minimum)}")
        elif exclusive_minimum is not None and value <= exclusive_minimum:
            errors.add(path, f"must be greater than {fmt(exclusive_minimum)}")
        elif maximum is not None and value > maximum:
            errors.add(path, f"must be at most {fmt(maximum)}")

    return check


def one_of(values: Iterable[str]) -> Check:
    allowed = tuple(values)
    message = "must be one of: " + ", ".join(allowed)

    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str) or value not in allowed:
            errors.add(path, message)

    return check


def array(item: Check, *, extra: Callable[[list, str, Errors], None] | None = None) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, list):
            errors.add(path, "must be an array")
            return
        for index, element in enumerate(value):
            element_path = join(path, index)
            if element is None:
                errors.add(element_path, "must not be null")
            else:
                item(element, element_path, errors)
        if extra is not None:
            extra(value, path, errors)

    return check


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False
    nullable: bool = False


def check_fields(
    value: dict, fields: dict[str, Field], path: str, errors: Errors, *, allow_unknown: bool = False
) -> None:
    """Check the keys of one object against its field table."""
    for key, item in value.items():
        spec = fields.get(key)
        item_path = join(path, key)
        if spec is None:
            if not allow_unknown:
                errors.add(item_path, "unknown field")
        elif item is None:
            if not spec.nullable:
                errors.add(item_path, "must not be null")
        else:
            spec.check(item, item_path, errors)
    for key, spec in fields.items():
        if spec.required and key not in value:
            errors.add(join(path, key), "required")


def obj(
    fields: dict[str, Field],
    *,
    extra: Callable[[dict, str, Errors], None] | None = None,
    allow_unknown: bool = False,
) -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, dict):
            errors.add(path, "must be an object")
            return
        check_fields(value, fields, path, errors, allow_unknown=allow_unknown)
        if extra is not None:
            extra(value, path, errors)

    return check
