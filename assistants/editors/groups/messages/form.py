"""Messages: text messages during and after calls, on voicemail, and e-mail notifications."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_email

from assistants.editors.forms.base import GroupForm, MultilineField, TextField, optional_text
from assistants.editors.forms.common import (
    OutcomesField,
    legacy_outcome_problem,
    outcome_choices,
    outcomes_patch,
    placeholders,
    text_or_stored,
    without_absent_nulls,
)

TEMPLATE_FIELDS = ("sms_template", "after_call_sms_prompt", "voicemail_sms_prompt")
OUTCOME_FIELDS = ("after_call_sms_outcomes", "email_notification_outcomes")

BAD_ADDRESSES = "{addresses}: not an e-mail address. Separate several addresses with commas."
AFTER_CALL_NEEDS_OUTCOMES = "Tick at least one outcome, or the message is never sent."
EMAIL_NEEDS_OUTCOMES = "Tick at least one outcome, or no e-mail is ever sent."


def split_addresses(value: Any) -> list[str]:
    """'a@x.com, b@y.com,' → ['a@x.com', 'b@y.com'] (blanks dropped, repeats once)."""
    addresses: list[str] = []
    for part in (value if isinstance(value, str) else "").split(","):
        part = part.strip()
        if part and part.casefold() not in {a.casefold() for a in addresses}:
            addresses.append(part)
    return addresses


def is_address(value: str) -> bool:
    try:
        validate_email(value)
    except forms.ValidationError:
        return False
    # Revox wants a dotted domain: Django alone would let "ops@localhost" through.
    return "." in value.rsplit("@", 1)[-1]


class MessagesForm(GroupForm):
    field_map = {name: name for name in (
        "sms_enabled", "sms_template", "after_call_sms_prompt", "after_call_sms_outcomes",
        "voicemail_sms_prompt", "email_notification_address", "email_notification_outcomes",
    )}  # fmt: skip

    sms_enabled = forms.BooleanField(
        required=False, label="Let the assistant send text messages during calls",
        help_text="For example a link or an address the caller asks for.",
    )  # fmt: skip
    sms_template = MultilineField(
        rows=3, required=False, label="Fixed text",
        help_text="When set, exactly this text is sent instead of one the assistant writes. "
        "Empty: the assistant writes it.",
    )  # fmt: skip
    after_call_sms_prompt = MultilineField(
        rows=3, required=False, label="What to write",
        help_text="Instructions for a text message sent once the call has ended. Empty: none is sent.",
    )  # fmt: skip
    after_call_sms_outcomes = OutcomesField(label="Send it when the call ended as")
    voicemail_sms_prompt = MultilineField(
        rows=3, required=False, label="Text message when a voicemail answers",
        help_text="Sent instead of leaving the call unexplained. Empty: none is sent.",
    )  # fmt: skip
    email_notification_address = TextField(
        required=False, label="Send e-mails to",
        help_text="One address, or several separated by commas. Empty: no e-mails.",
        widget=forms.TextInput(attrs={"placeholder": "alice@example.com, bob@example.com",
                                      "autocomplete": "off", "data-addresses": ""}),
    )  # fmt: skip
    email_notification_outcomes = OutcomesField(label="Send one when the call ended as")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in OUTCOME_FIELDS:
            self.fields[name].choices = outcome_choices(self.assistant.get(name))

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"sms_enabled": data.get("sms_enabled") is True}
        for name in (*TEMPLATE_FIELDS, "email_notification_address"):
            value = data.get(name)
            initial[name] = value if isinstance(value, str) else ""
        for name in OUTCOME_FIELDS:
            value = data.get(name)
            initial[name] = list(value) if isinstance(value, list) else []
        return initial

    @property
    def placeholders(self) -> dict[str, list[str]]:
        """The {{variables}} each template uses, from the text on the page."""
        return {name: placeholders(self[name].value()) for name in TEMPLATE_FIELDS}

    @property
    def addresses(self) -> list[tuple[str, bool]]:
        """The e-mail addresses on the page, each with whether it looks valid."""
        return [
            (a, is_address(a)) for a in split_addresses(self["email_notification_address"].value())
        ]

    def clean_email_notification_address(self) -> list[str]:
        addresses = split_addresses(self.cleaned_data["email_notification_address"])
        bad = [address for address in addresses if not is_address(address)]
        if bad:
            raise forms.ValidationError(BAD_ADDRESSES.format(addresses=", ".join(bad)))
        return addresses

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if optional_text(data.get("after_call_sms_prompt")) and not data.get(
            "after_call_sms_outcomes"
        ):
            self.add_error("after_call_sms_outcomes", AFTER_CALL_NEEDS_OUTCOMES)
        if data.get("email_notification_address") and not data.get("email_notification_outcomes"):
            self.add_error("email_notification_outcomes", EMAIL_NEEDS_OUTCOMES)
        for name in OUTCOME_FIELDS:
            problem = legacy_outcome_problem(data.get(name) or [], self.assistant.get(name))
            if problem and name not in self.errors:
                self.add_error(name, problem)
        return data

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        patch: dict[str, Any] = {}
        stored_sms = current.get("sms_enabled")
        # Sent when it changed, or to restate a stored true/false; a missing one stays missing.
        if data["sms_enabled"] != (stored_sms is True) or isinstance(stored_sms, bool):
            patch["sms_enabled"] = data["sms_enabled"]
        for name in TEMPLATE_FIELDS:
            patch[name] = text_or_stored(optional_text(data[name]), current.get(name))
        for name in OUTCOME_FIELDS:
            patch[name] = outcomes_patch(data[name], current.get(name))

        addresses = data["email_notification_address"]
        stored = current.get("email_notification_address")
        if addresses and addresses == split_addresses(stored):
            patch["email_notification_address"] = stored  # same list: keep its spelling
        else:
            patch["email_notification_address"] = text_or_stored(
                ", ".join(addresses) or None, stored
            )
        return without_absent_nulls(patch, current)
