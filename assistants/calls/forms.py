"""The test call form: the number to ring, the prompt's {{variables}}, calling hours, and the
one-time token that makes a second submission of the same form place nothing."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms

from assistants.calls.present import CALL_STATUSES, RESULTS
from assistants.calls.selectors import CallFilters
from assistants.calls.services import CallRequest
from assistants.editors.forms.base import humanize_path
from assistants.editors.forms.common import OUTCOMES, placeholders
from assistants.phones import InvalidNumber, phone_display, phone_parse

VARIABLE_PREFIX = "variable:"
TOKEN_MISSING = "This form is incomplete: reload the page and try again."
# Where Revox's error paths for a POST /call land on this form.
REVOX_FIELDS = {"phone_number": "phone_number", "skip_calling_window": "skip_calling_window",
                "scheduled_at": "skip_calling_window"}  # fmt: skip


def new_token() -> str:
    return secrets.token_urlsafe(24)


def prompt_variables(assistant: dict[str, Any]) -> list[str]:
    """The {{variables}} the assistant's prompt and first sentence use, in order of first use."""
    names = placeholders(assistant.get("prompt"))
    names += [n for n in placeholders(assistant.get("first_sentence")) if n not in names]
    return names


class TestCallForm(forms.Form):
    __test__ = False
    # Its fields sit in the editor's form on editor pages: "call-" keeps them apart.
    prefix = "call"

    phone_number = forms.CharField(
        label="Number to call",
        max_length=40,
        help_text="Your own phone, with its country code. Only you see it in full.",
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "+33 6 12 34 56 78"}
        ),
    )
    skip_calling_window = forms.BooleanField(
        label="Call now, even outside the assistant's calling hours", required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, variables: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variable_names = variables
        for name in variables:
            self.fields[VARIABLE_PREFIX + name] = forms.CharField(
                label=name, required=False, max_length=2000
            )

    @classmethod
    def fresh(cls, *, variables: list[str], number: str) -> TestCallForm:
        return cls(
            # A test call is "ring me now": calling hours are for the people the assistant calls.
            initial={
                "phone_number": phone_display(number) if number else "",
                "token": new_token(),
                "skip_calling_window": True,
            },
            variables=variables,
        )

    @property
    def variable_fields(self) -> list[forms.BoundField]:
        return [self[VARIABLE_PREFIX + name] for name in self.variable_names]

    def clean_phone_number(self) -> str:
        try:
            return phone_parse(self.cleaned_data["phone_number"])
        except InvalidNumber as err:
            raise forms.ValidationError(str(err), code="phone") from None

    def clean_token(self) -> str:
        token = (self.cleaned_data.get("token") or "").strip()
        if not (16 <= len(token) <= 64):
            raise forms.ValidationError(TOKEN_MISSING, code="token")
        return token

    def call_request(self) -> CallRequest:
        data = self.cleaned_data
        values = {name: data.get(VARIABLE_PREFIX + name, "") for name in self.variable_names}
        return CallRequest(
            token=data["token"],
            phone_number=data["phone_number"],
            prompt_variables={k: v for k, v in values.items() if v},
            skip_calling_window=data["skip_calling_window"],
        )

    def attach_to(self, form_id: str) -> None:
        """Make every field part of another form on the page (the editor's): the HTML `form`
        attribute, so that one submission sends both."""
        for field in self.fields.values():
            field.widget.attrs["form"] = form_id

    def with_new_token(self) -> TestCallForm:
        """The same form, as typed, with a fresh token: after Revox refused (or could not be
        reached), a new try is a new call."""
        data = self.data.copy()
        data[self.add_prefix("token")] = new_token()
        form = type(self)(data, variables=self.variable_names, prefix=self.prefix)
        form.is_valid()
        return form

    def apply_revox_errors(self, field_errors: dict[str, list[str]]) -> list[str]:
        """Revox's field errors on this form's fields; the others (the inline assistant's)
        come back as sentences for the form's top."""
        rest = []
        for path, messages in field_errors.items():
            name = REVOX_FIELDS.get(path)
            if name is None and path.startswith("prompt_variables."):
                candidate = VARIABLE_PREFIX + path.removeprefix("prompt_variables.")
                name = candidate if candidate in self.fields else None
            if name is None:
                where = humanize_path(path.removeprefix("assistant."))
                rest.append(f"{where}: {' '.join(messages)}")
                continue
            for message in messages:
                self.add_error(name, message)
        return rest


# -- the calls pages' filters ---------------------------------------------------------------

DATES_REVERSED = "The first day comes after the last one."


def _choices(table: dict[str, Any], none_label: str) -> list[tuple[str, str]]:
    labels = [(k, str(v[0] if isinstance(v, tuple) else v)) for k, v in table.items()]
    return [("", "Any"), *((k, label) for k, label in labels if k != "none"), ("none", none_label)]


class CallFilterForm(forms.Form):
    """GET filters of the calls pages. Anything odd in the query string is dropped, never an
    error page: the list shows unfiltered for that field."""

    q = forms.CharField(label="Search the summaries", required=False, max_length=200)
    outcome = forms.ChoiceField(label="Outcome", required=False,
                                choices=_choices(OUTCOMES, "No outcome"))  # fmt: skip
    result = forms.ChoiceField(label="Who answered", required=False,
                               choices=_choices(RESULTS, "Nobody answered"))  # fmt: skip
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[("", "Any"), *((k, v[0]) for k, v in CALL_STATUSES.items())],
    )  # fmt: skip
    direction = forms.ChoiceField(
        label="Direction", required=False,
        choices=[("", "Any"), ("outbound", "Outbound"), ("inbound", "Inbound")],
    )  # fmt: skip
    date_from = forms.DateField(label="From", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    date_to = forms.DateField(label="To", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", DATES_REVERSED)
        return data

    def filters(self, *, assistant: str = "") -> CallFilters:
        data = self.cleaned_data if self.is_valid() else {
            name: value for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors
        }  # fmt: skip
        return CallFilters(
            assistant=assistant, outcome=data.get("outcome") or "",
            result=data.get("result") or "", status=data.get("status") or "",
            direction=data.get("direction") or "", date_from=data.get("date_from"),
            date_to=data.get("date_to") if "date_to" not in self.errors else None,
            query=(data.get("q") or "").strip(),
        )  # fmt: skip
