"""Pieces shared by the transfer, sounds, messages, integrations and speech forms.

Call outcomes (what triggers an SMS, an e-mail, a Slack post or a Zoho push), the `{{variable}}`
placeholders listed under message templates, E.164 phone numbers typed with spaces, and the
round-trip helpers that keep Revox's stored spelling when a value did not change.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import BoundField

from assistants.editors.forms.base import E164_MESSAGE, E164_RE
from assistants.phones import phone_display

# What each call outcome is called on the page.
OUTCOMES = {
    "interested": "Interested",
    "not_interested": "Not interested",
    "completed": "Completed",
    "requested_callback_later": "Asked to be called back",
    "none": "No outcome",
    "requested_callback_new_number": "Asked for a call on another number",
    "do_not_contact": "Do not contact",
}
# The newest API's outcomes, in the order the form lists them.
CURRENT_OUTCOMES = ("interested", "not_interested", "completed", "requested_callback_later", "none")
# The older API also had these; assistants saved back then may still carry them. They are shown
# (marked "legacy") only when stored. Revox no longer accepts them (the official SDK lists the
# five above): a list left as it is is not sent again; a list changed must drop them.
LEGACY_OUTCOMES = ("requested_callback_new_number", "do_not_contact")
LEGACY_OUTCOME_REFUSED = (
    "Revox no longer accepts “{label}”: untick it to save a change to this list "
    "(or leave the list as it is)."
)

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
PHONE_SEPARATORS_RE = re.compile(r"[\s\-().]")


def outcome_choices(*stored_lists: Any) -> list[tuple[str, str]]:
    """The five outcomes, plus any legacy outcome one of `stored_lists` still holds."""
    stored = {value for values in stored_lists if isinstance(values, list) for value in values}
    choices = [(value, OUTCOMES[value]) for value in CURRENT_OUTCOMES]
    choices += [
        (value, f"{OUTCOMES[value]} (legacy)") for value in LEGACY_OUTCOMES if value in stored
    ]
    return choices


class OutcomesField(forms.MultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("choices", outcome_choices())
        super().__init__(*args, **kwargs)


def outcomes_patch(chosen: list[str], stored: Any) -> list[str] | None:
    """The outcomes to send: the stored list when it holds the same outcomes (its order and its
    null-or-empty spelling kept), else the chosen ones in the form's order."""
    if isinstance(stored, list) and sorted(stored) == sorted(chosen):
        return stored
    if not chosen and stored is None:
        return None
    return chosen


def legacy_outcome_problem(chosen: list[str], stored: Any) -> str:
    """Why a changed outcome list can't be sent as it is (it keeps an outcome Revox no longer
    has), or "" when it can (unchanged lists are not sent at all)."""
    if isinstance(stored, list) and sorted(stored) == sorted(chosen):
        return ""
    legacy = [value for value in chosen if value in LEGACY_OUTCOMES]
    return LEGACY_OUTCOME_REFUSED.format(label=OUTCOMES[legacy[0]]) if legacy else ""


def placeholders(text: Any) -> list[str]:
    """The distinct `{{variable}}` names used in a template, in order of first use."""
    found: list[str] = []
    for name in PLACEHOLDER_RE.findall(text if isinstance(text, str) else ""):
        if name and name not in found:
            found.append(name)
    return found


def normalize_phone(value: str) -> str:
    """'+1 (415) 555-0142' → '+14155550142'. Raises ValidationError if it is not E.164."""
    compact = PHONE_SEPARATORS_RE.sub("", value)
    if not E164_RE.match(compact):
        raise forms.ValidationError(E164_MESSAGE, code="e164")
    return compact


class PhoneBoundField(BoundField):
    """A number Revox holds (+digits) shown grouped as people read it in its country; what
    someone typed (a form sent back with an error) shown exactly as typed."""

    def value(self) -> Any:
        value = super().value()
        if not self.form.is_bound and isinstance(value, str) and E164_RE.match(value):
            return phone_display(value)
        return value


class PhoneField(forms.CharField):
    """A phone number in international format. People may type spaces, dashes, dots or
    parentheses; Revox gets +digits, and the page shows them grouped (PhoneBoundField)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        # data-phone: the transfer editor's stylesheet shows the mode once a number is typed.
        attrs = {"inputmode": "tel", "autocomplete": "off", "placeholder": "e.g. +1 415 555 0123",
                 "data-phone": ""}  # fmt: skip
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return normalize_phone(value) if value else ""

    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> BoundField:
        return PhoneBoundField(form, self, field_name)


def text_or_stored(new: str | None, stored: Any) -> Any:
    """Empty text is null in Revox, but an empty string Revox already holds stays as it is."""
    if not new and not stored:
        return stored
    return new


def without_absent_nulls(patch: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Leave out null values for fields Revox does not have at all (an older API's shape): the
    form has no opinion there and sending them would count as a change."""
    return {key: value for key, value in patch.items() if key in current or value is not None}
