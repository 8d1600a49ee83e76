"""Transfer: handing the call to a person, and the numbers a call comes from and looks up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet

from assistants.editors.forms.base import (
    GroupForm,
    MultilineField,
    TextField,
    live_rows,
    optional_text,
)
from assistants.editors.forms.common import (
    PHONE_SEPARATORS_RE,
    PLACEHOLDER_RE,
    PhoneField,
    normalize_phone,
    text_or_stored,
    without_absent_nulls,
)
from assistants.phones import phone_display

TRANSFER_MODES = [
    ("warm", "Warm: the assistant briefs the person first, then connects the caller"),
    ("cold", "Cold: the caller is put straight through"),
]
# The label a converted legacy number gets; the user can rename it before or after saving.
LEGACY_LABEL = "Transfer line"
# The name of the "Convert to a destination" button: the form comes back with the number as a
# row, nothing saved.
CONVERT_NOW = "convert_legacy_now"
LABEL_MAX = 100

LABEL_REQUIRED = "Give this destination a name, such as “Sales” or “Front desk”."
NUMBER_REQUIRED = "Enter the number to transfer to."
DUPLICATE_LABEL = "Another destination already has this name: give each one its own."
DUPLICATE_NUMBER = "This number is already in the list."
MODE_REQUIRED = "Choose warm or cold transfer."
LOOKUP_NEEDS_PHONE = "Put {{phone}} where the caller's number goes, e.g. https://crm.example.com/lookup?phone={{phone}}."
LOOKUP_NEEDS_HTTP = "Start the address with https:// (or http://)."
LOOKUP_INVALID = "Enter a valid web address, e.g. https://crm.example.com/lookup?phone={{phone}}."


class DestinationForm(forms.Form):
    label = TextField(
        required=False, max_length=LABEL_MAX, label="Name",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Sales"}),
    )  # fmt: skip
    phone_number = PhoneField(required=False, label="Number")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        label, number = data.get("label"), data.get("phone_number")
        # A row left wholly blank is ignored; a half-filled one needs its other half.
        if number and not label:
            self.add_error("label", LABEL_REQUIRED)
        if label and not number and "phone_number" not in self.errors:
            self.add_error("phone_number", NUMBER_REQUIRED)
        return data


class BaseDestinationFormSet(BaseFormSet):
    def clean(self) -> None:
        # The assistant's prompt routes calls by these names, so two alike would be ambiguous.
        labels: set[str] = set()
        numbers: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            label = (data.get("label") or "").strip().casefold()
            if label:
                if label in labels:
                    form.add_error("label", DUPLICATE_LABEL)
                labels.add(label)
            number = data.get("phone_number")
            if number:
                if number in numbers:
                    form.add_error("phone_number", DUPLICATE_NUMBER)
                numbers.add(number)


DestinationFormSet = formset_factory(
    DestinationForm, formset=BaseDestinationFormSet, extra=1, can_delete=True, can_order=True
)


class TransferForm(GroupForm):
    formset_classes = {"destinations": DestinationFormSet}
    field_map = {
        "transfer_destinations": (
            "destinations",
            {"label": "label", "phone_number": "phone_number"},
        ),
        "human_transfer_mode": "human_transfer_mode",
        "warm_transfer_summary_instructions": "warm_transfer_summary_instructions",
        "from_phone_number": "from_phone_number",
        "precall_lookup_url": "precall_lookup_url",
    }

    def __init__(self, data: Any = None, *args: Any, assistant: dict[str, Any], **kwargs: Any):
        self.converting = data is not None and bool(data.get(CONVERT_NOW))
        if self.converting:
            data = _with_legacy_row(data, legacy_number_of(assistant))
        super().__init__(data, *args, assistant=assistant, **kwargs)

    @property
    def preview_requested(self) -> bool:
        return self.converting

    human_transfer_mode = forms.ChoiceField(
        label="How to transfer", choices=TRANSFER_MODES, required=False, widget=forms.RadioSelect
    )
    warm_transfer_summary_instructions = MultilineField(
        rows=3, required=False, label="What the assistant tells the person before connecting",
        help_text="Used with warm transfer only. Empty: Revox's standard briefing.",
    )  # fmt: skip
    convert_legacy = forms.BooleanField(
        required=False, label="Move this number into the destinations list when I save"
    )
    from_phone_number = PhoneField(
        required=False, label="Call from this number",
        help_text="A number your organization owns in Revox. Empty: the organization's default number.",
    )  # fmt: skip
    precall_lookup_url = TextField(
        required=False, label="Look up the caller before answering",
        help_text="Inbound calls only. Revox fetches this address with {{phone}} replaced by the "
        "caller's number, and expects the prompt's variables back. Empty: no lookup.",
        widget=forms.URLInput(attrs={"placeholder": "https://crm.example.com/lookup?phone={{phone}}"}),
    )  # fmt: skip

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        destinations = data.get("transfer_destinations")
        rows = [
            {"label": d.get("label") or "", "phone_number": d.get("phone_number") or ""}
            for d in (destinations if isinstance(destinations, list) else [])
            if isinstance(d, dict)
        ]
        return {
            "destinations": rows,
            "human_transfer_mode": data.get("human_transfer_mode") or "",
            "warm_transfer_summary_instructions": data.get("warm_transfer_summary_instructions")
            or "",
            "from_phone_number": data.get("from_phone_number") or "",
            "precall_lookup_url": data.get("precall_lookup_url") or "",
        }

    @property
    def legacy_number(self) -> str:
        """The older API's single transfer number, shown so it can be converted."""
        return legacy_number_of(self.assistant)

    @property
    def legacy_number_display(self) -> str:
        return phone_display(self.legacy_number)

    def clean_precall_lookup_url(self) -> str:
        url = self.cleaned_data["precall_lookup_url"].strip()
        if not url:
            return ""
        if "{{phone}}" not in url:
            raise forms.ValidationError(LOOKUP_NEEDS_PHONE)
        # {{placeholders}} are filled in by Revox: judge the address around them.
        probe = PLACEHOLDER_RE.sub("x", url)
        if not probe.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(LOOKUP_NEEDS_HTTP)
        try:
            URLValidator(schemes=["http", "https"])(probe)
        except forms.ValidationError:
            raise forms.ValidationError(LOOKUP_INVALID) from None
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.formsets["destinations"].is_valid()  # clean the rows before counting them
        if not data.get("human_transfer_mode"):
            converting = data.get("convert_legacy") and self.legacy_number
            if self._destinations() or converting:
                self.add_error("human_transfer_mode", MODE_REQUIRED)
        return data

    def _destinations(self) -> list[dict[str, str]]:
        return [
            {"label": row.get("label") or "", "phone_number": row.get("phone_number") or ""}
            for row in live_rows(self.formsets["destinations"])
            if row.get("label") or row.get("phone_number")
        ]

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        destinations = self._destinations()
        patch: dict[str, Any] = {}

        legacy = legacy_number_of(current)
        if data["convert_legacy"] and legacy:
            try:
                legacy_number = normalize_phone(legacy)
            except forms.ValidationError:
                legacy_number = legacy  # Revox will say what is wrong with it
            if legacy_number not in {d["phone_number"] for d in destinations}:
                destinations.append({"label": LEGACY_LABEL, "phone_number": legacy_number})

        stored = current.get("transfer_destinations")
        stored_pairs = [
            (d.get("label"), d.get("phone_number")) for d in stored or [] if isinstance(d, dict)
        ]
        if not destinations:
            patch["transfer_destinations"] = stored if stored == [] else None
        elif stored_pairs == [(d["label"], d["phone_number"]) for d in destinations]:
            patch["transfer_destinations"] = stored  # same list; keep any key a newer API added
        else:
            patch["transfer_destinations"] = destinations

        # A mode, or warm-transfer instructions, mean nothing without destinations (or without
        # warm transfer). Such stored values stay as they are while they stay meaningless, so an
        # untouched save sends nothing; otherwise they are cleared as Revox documents.
        stored_mode = current.get("human_transfer_mode")
        if destinations:
            mode = data["human_transfer_mode"]
        else:
            mode = stored_mode if not stored_pairs else None
        patch["human_transfer_mode"] = mode
        stored_instructions = current.get("warm_transfer_summary_instructions")
        if mode == "warm":
            instructions = text_or_stored(
                optional_text(data["warm_transfer_summary_instructions"]), stored_instructions
            )
        elif mode == stored_mode:
            instructions = stored_instructions
        else:
            instructions = None
        patch["warm_transfer_summary_instructions"] = instructions

        patch["from_phone_number"] = text_or_stored(
            data["from_phone_number"] or None, current.get("from_phone_number")
        )
        patch["precall_lookup_url"] = text_or_stored(
            data["precall_lookup_url"] or None, current.get("precall_lookup_url")
        )
        return without_absent_nulls(patch, current)


def _with_legacy_row(data: Any, number: str) -> Any:
    """The form as sent with the old single number in the destinations (in the blank last row,
    or a row of its own), and the old setting marked to be cleared on save."""
    data = data.copy()
    data.pop(CONVERT_NOW, None)
    data["convert_legacy"] = "on"
    total = data.get("destinations-TOTAL_FORMS") or ""
    rows = int(total[:4]) if total.isdigit() else 0
    typed = [data.get(f"destinations-{n}-phone_number") or "" for n in range(rows)]
    if not number or number in {PHONE_SEPARATORS_RE.sub("", t) for t in typed}:
        return data  # converted already
    last_is_blank = rows and not (typed[-1] or data.get(f"destinations-{rows - 1}-label"))
    at = rows - 1 if last_is_blank else rows
    data[f"destinations-{at}-label"] = LEGACY_LABEL
    data[f"destinations-{at}-phone_number"] = phone_display(number)
    data["destinations-TOTAL_FORMS"] = str(max(rows, at + 1))
    return data


def legacy_number_of(data: dict[str, Any]) -> str:
    """The older API's single transfer number, until it is one of the destinations. The
    official SDK has no such field: Revox may still answer with it, and it is never sent."""
    value = data.get("transfer_phone_number")
    if not isinstance(value, str) or not value:
        return ""
    destinations = data.get("transfer_destinations")
    numbers = {d.get("phone_number") for d in destinations if isinstance(d, dict)} if isinstance(
        destinations, list
    ) else set()  # fmt: skip
    try:
        converted = normalize_phone(value) in numbers
    except forms.ValidationError:
        converted = value in numbers
    return "" if converted else value
