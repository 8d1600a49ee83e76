"""Schema rows: the structured-output fields (groups/structured_output/) and each custom tool's
input schema (groups/tools/) are both lists of {name, required, type, description?,
enum_options?}, edited as rows of `SchemaFieldForm` in a `SchemaFieldFormSet`.

Round trip: each existing row carries its stored JSON in a hidden field, so that an untouched
row gives back exactly what Revox holds — an absent description stays absent, a null stays null,
and enum options are kept in their stored spelling when their meaning did not change.

Unknown {{variables}} in the prompt are an error, not a warning: Revox fills in only the four it
knows and passes anything else to the model as literal text, which is always a typo or a
misunderstanding (and a warning would be lost when the save redirects).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet

from assistants.editors.forms.base import (
    MultilineField,
    SwitchField,
    TextField,
)

FIELD_TYPES = [
    ("string", "Text"),
    ("number", "Number"),
    ("boolean", "Yes / no"),
    ("enum", "One of a list"),
    ("date", "Date"),
    ("datetime", "Date and time"),
]
PROMPT_VARIABLES = {
    "transcript": "the call's transcript",
    "call_direction": "inbound or outbound",
    "user_phone_number": "the other party's number",
    "agent_phone_number": "the assistant's number",
}
SNAKE_CASE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
VARIABLE_RE = re.compile(r"\{\{(.*?)\}\}")

NAME_REQUIRED = "Give the field a name."
NAME_DUPLICATE = "Another field is already called “{name}”: each name must be used once."
ENUM_OPTIONS_REQUIRED = "List at least one option: one per line, or separated by commas."
ENUM_OPTION_DUPLICATE = "“{option}” is listed twice: each option must be different."
PROMPT_UNKNOWN_VARIABLE = (
    "{variables} can't be filled in: only {allowed} are available. Check the spelling, or "
    "remove the braces."
)
ROWS_NEED_A_LOOK = "Some rows need a look; they are marked below."


def snake_case(text: str) -> str:
    """A name in lowercase_snake_case: 'Patient Name' → 'patient_name', 'espèce' → 'espece',
    'appointmentAt' → 'appointment_at'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", ascii_text)
    name = re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")
    if name and not name[0].isalpha():
        name = f"field_{name}"
    return name


def parse_options(text: str) -> list[str]:
    """Enum options as typed: one per line, or separated by commas when all on one line.
    Surrounding spaces and blank entries are dropped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return lines


def format_options(options: list[str]) -> str:
    return "\n".join(options)


def unknown_variables(text: str, allowed: set[str] | dict[str, str]) -> list[str]:
    """The {{placeholders}} in `text` not among `allowed`, in order of first use."""
    found = []
    for match in VARIABLE_RE.finditer(text):
        if match.group(1) not in allowed and match.group(0) not in found:
            found.append(match.group(0))
    return found


def _stored(value: str) -> dict[str, Any]:
    try:
        stored = json.loads(value) if value else {}
    except ValueError:
        return {}
    return stored if isinstance(stored, dict) else {}


class SchemaFieldForm(forms.Form):
    """One field to extract from a call (or one parameter of a custom tool)."""

    name = TextField(label="Name", error_messages={"required": NAME_REQUIRED}, widget=forms.TextInput(attrs={
        "placeholder": "e.g. patient_name", "autocomplete": "off", "spellcheck": "false",
        "class": "font-monospace-sm", "data-schema-name": ""}))  # fmt: skip
    type = forms.ChoiceField(choices=FIELD_TYPES, initial="string", label="Type",
                             widget=forms.Select(attrs={"data-schema-type": ""}))  # fmt: skip
    required = SwitchField(label="Required")
    description = TextField(required=False, label="Description", widget=forms.TextInput(
        attrs={"placeholder": "What it means, in a few words (helps the model fill it in)"}))  # fmt: skip
    enum_options = MultilineField(
        rows=3, required=False, label="Options",
        help_text="One per line, or separated by commas. Used only with “One of a list”.",
    )  # fmt: skip
    # The row as Revox holds it (JSON), to give back its exact spelling when untouched.
    stored = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, with_sample: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_sample:
            # Custom tools: a value typed in to preview the request; never sent to Revox.
            self.fields["sample"] = forms.CharField(
                required=False, strip=False, label="Sample value"
            )

    @classmethod
    def initial_from(cls, row: dict[str, Any]) -> dict[str, Any]:
        options = row.get("enum_options")
        return {
            "name": row.get("name") if isinstance(row.get("name"), str) else "",
            "type": row.get("type") or "string",
            "required": row.get("required") is True,
            "description": row.get("description") if isinstance(row.get("description"), str) else "",
            "enum_options": format_options([o for o in options if isinstance(o, str)])
            if isinstance(options, list) else "",
            "stored": json.dumps(row, ensure_ascii=False),
        }  # fmt: skip

    def has_changed(self) -> bool:
        # A row counts as filled in only when something was typed: choosing a type or ticking
        # "required" on a blank row leaves it blank (and a row the page dropped stays ignored).
        if not super().has_changed():
            return False
        return any(
            (self[name].value() or "").strip()
            for name in ("name", "description", "enum_options", "stored")
        )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = data.get("enum_options") or ""
        data["options"] = parse_options(text)
        stored = _stored(data.get("stored") or "").get("enum_options")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # Shown one per line: untouched, they mean what Revox holds, even an option that holds a
        # comma (which, alone on its line, would otherwise read as two).
        if (
            isinstance(stored, list)
            and all(isinstance(o, str) for o in stored)
            and lines == [o.strip() for o in stored]
        ):
            data["options"] = lines
        if data.get("type") == "enum":
            seen: set[str] = set()
            for option in data["options"]:
                if option.casefold() in seen:
                    self.add_error("enum_options", ENUM_OPTION_DUPLICATE.format(option=option))
                    break
                seen.add(option.casefold())
            if not data["options"]:
                self.add_error("enum_options", ENUM_OPTIONS_REQUIRED)
        return data

    @property
    def snake_case_suggestion(self) -> str:
        """A snake_case spelling of the name when it isn't one already (a hint, not a rule)."""
        name = (self["name"].value() or "").strip()
        if not name or SNAKE_CASE_RE.match(name):
            return ""
        return snake_case(name)


def schema_row(data: dict[str, Any]) -> dict[str, Any]:
    """The API row for one cleaned SchemaFieldForm, in the stored spelling where the meaning
    is unchanged."""
    stored = _stored(data.get("stored") or "")
    stored_name = stored.get("name")
    name = (
        stored_name
        if isinstance(stored_name, str) and stored_name.strip() == data["name"]
        else data["name"]
    )
    row: dict[str, Any] = {"name": name, "required": data["required"], "type": data["type"]}

    description = data.get("description") or ""
    if description.strip():
        row["description"] = description
    elif isinstance(stored.get("description"), str) and not stored["description"].strip():
        row["description"] = stored["description"]  # "" as stored: still "none" (null: left out)

    options = data["options"]
    stored_options = stored.get("enum_options")
    if data["type"] == "enum":
        same = (isinstance(stored_options, list)
                and [o.strip() if isinstance(o, str) else o for o in stored_options] == options)  # fmt: skip
        row["enum_options"] = stored_options if same else options
    elif stored_options == []:
        row["enum_options"] = stored_options  # []: harmless on other types, kept (null: left out)
    return row


class BaseSchemaFieldFormSet(BaseFormSet):
    def clean(self) -> None:
        seen: dict[str, forms.Form] = {}
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            name = form.cleaned_data.get("name")
            if not name:
                continue
            if name.casefold() in seen:
                form.add_error("name", NAME_DUPLICATE.format(name=name))
            seen[name.casefold()] = form


SchemaFieldFormSet = formset_factory(
    SchemaFieldForm, formset=BaseSchemaFieldFormSet, extra=1, can_delete=True, can_order=True
)


def place_row_error(
    row: forms.Form, field: str | None, messages: list[str], fields: dict[str, str]
) -> None:
    """Put a Revox error on the row field it names (or on the row when it names none we show)."""
    target = fields.get(field or "")
    for message in messages:
        row.add_error(target if target in row.fields else None, message)


SCHEMA_ROW_FIELDS = {"name": "name", "type": "type", "required": "required",
                     "description": "description", "enum_options": "enum_options"}  # fmt: skip
