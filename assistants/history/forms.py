"""Forms of the history pages: the feed's filters, restore, recreate and import.

An imported file is validated as the editors would validate it: each group's form is filled
from the file exactly as an editor page would be, then submitted untouched (`editor_problems`).
A file an editor would refuse to save is refused before anything reaches Revox.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.http import QueryDict

from assistants.dates import DateFormat
from assistants.dates import date_format as date_format_for
from assistants.editors.forms.base import formsets_of
from assistants.editors.group import Group
from assistants.editors.groups import GROUPS
from assistants.history.selectors import OUTSIDE, change_people
from assistants.history.services import EXPORT_FORMAT, create_params
from assistants.models import Change
from assistants.snapshot import READ_ONLY_FIELDS

logger = logging.getLogger(__name__)

IMPORT_MAX_BYTES = 2 * 1024 * 1024

FILE_TOO_BIG = "That file is larger than 2 MB; an exported assistant is far smaller. Choose the file the dashboard exported."
FILE_NOT_JSON = (
    "That file is not JSON. Choose a file exported with “Export JSON” (it ends in .json)."
)
FILE_NOT_EXPORT = (
    "That JSON file is not an assistant exported from this dashboard (its “format” is not "
    f"“{EXPORT_FORMAT}”). Export the assistant again and import that file."
)
FILE_NO_ASSISTANT = (
    "The file has no “assistant” object: it may have been cut short or edited by hand."
)
DATE_INVALID = "Write the date as {pattern}, for example {example}."
NAME_AND_PROMPT_REQUIRED = "The assistant in the file needs a name and a prompt."
API_KEY_HELP = (
    "Only needed when the assistant used a custom language model: its key is never exported or "
    "stored. Leave empty to use GPT-4.1 instead."
)


class RestoreForm(forms.Form):
    side = forms.ChoiceField(choices=[("before", "before"), ("after", "after")])
    fingerprint = forms.CharField(required=False)


class ActivityFilterForm(forms.Form):
    person = forms.ChoiceField(required=False, label="Person")
    assistant = forms.CharField(required=False, label="Assistant", max_length=200,
                                widget=forms.TextInput(attrs={"placeholder": "Name or id", "type": "search"}))  # fmt: skip
    group = forms.ChoiceField(required=False, label="Settings group")
    kind = forms.ChoiceField(required=False, label="Kind of change",
                             choices=[("", "Any kind"), *Change.Kind.choices])  # fmt: skip
    # Text, not type="date": see assistants/dates.py for why.
    since = forms.DateField(required=False, label="From")
    until = forms.DateField(required=False, label="To")

    def __init__(self, *args: Any, date_format: DateFormat | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date_format = date_format or date_format_for("")
        for name in ("since", "until"):
            field = self.fields[name]
            field.input_formats = list(date_format.accepted)
            field.error_messages["invalid"] = DATE_INVALID.format(
                pattern=date_format.pattern, example=date_format.example()
            )
            field.widget = forms.DateInput(
                format=date_format.python,
                attrs={"placeholder": date_format.pattern, "autocomplete": "off",
                       "data-date-format": date_format.python},
            )  # fmt: skip
        self.fields["person"].choices = [
            ("", "Anyone"), (OUTSIDE, "Outside the dashboard (Revox)"), *change_people()
        ]  # fmt: skip
        self.fields["group"].choices = [
            ("", "Any group"), *[(g.slug, g.title) for g in GROUPS.values()],
            ("none", "Whole assistant (create, delete…)"),
        ]  # fmt: skip
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters as the selector takes them; invalid ones are dropped."""
        data = (
            {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
            if self.is_bound
            else {}
        )
        group = data.get("group") or None
        return {
            "actor": data.get("person") or "",
            "assistant": (data.get("assistant") or "").strip(),
            "group": "" if group == "none" else group,
            "kind": data.get("kind") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }


class ApiKeyForm(forms.Form):
    api_key = forms.CharField(
        required=False, strip=True, label="API key for the custom language model",
        help_text=API_KEY_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip


class AssistantImportForm(ApiKeyForm):
    file = forms.FileField(label="Exported file (.json)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}))  # fmt: skip
    field_order = ["file", "api_key"]

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(FILE_TOO_BIG)
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise forms.ValidationError(FILE_NOT_JSON) from err
        if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
            raise forms.ValidationError(FILE_NOT_EXPORT)
        config = document.get("assistant")
        if not isinstance(config, dict):
            raise forms.ValidationError(FILE_NO_ASSISTANT)
        # Revox's own fields (id, dates, counters) are its to set: drop them rather than refuse.
        self.dropped = sorted(k for k in config if k in READ_ONLY_FIELDS)
        config = {k: v for k, v in config.items() if k not in READ_ONLY_FIELDS}
        name, prompt = config.get("name"), config.get("prompt")
        if not (
            isinstance(name, str) and name.strip() and isinstance(prompt, str) and prompt.strip()
        ):
            raise forms.ValidationError(NAME_AND_PROMPT_REQUIRED)
        self.source = document.get("source") if isinstance(document.get("source"), dict) else {}
        return config

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        config = data.get("file")
        if config is not None:
            # What will be sent: with the key typed in, or the model that replaces a keyless one.
            params, _ = create_params(config, api_key=data.get("api_key") or "")
            problems = editor_problems(params)
            if problems:
                self.add_error("file", problems)
        return data


# -- validating a configuration as the editors would ------------------------------------------


def _widget_values(bound: forms.BoundField) -> list[str] | None:
    """What a browser sends for one untouched field, as the editor page renders it."""
    widget, value = bound.field.widget, bound.value()
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if widget.check_test(value) else None
    if isinstance(widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
        return [str(v) for v in (value or [])]
    formatted = widget.format_value(value)
    if isinstance(formatted, list):  # single-choice widgets format to a list of one
        formatted = formatted[0] if formatted else ""
    return ["" if formatted is None else str(formatted)]


def _add_form(form: forms.Form, data: QueryDict) -> None:
    for name in form.fields:
        bound = form[name]
        if bound.field.disabled:
            continue
        values = _widget_values(bound)
        if values is not None:
            data.setlist(bound.html_name, values)
    # Row editors, and row editors inside rows (a tool's headers): every formset the form holds.
    for formset in formsets_of(form).values():
        _add_formset(formset, data)


def _add_formset(formset: BaseFormSet, data: QueryDict) -> None:
    rows = formset.forms[: formset.initial_form_count()]
    management = formset.management_form
    data[management.add_prefix("TOTAL_FORMS")] = str(len(rows))
    data[management.add_prefix("INITIAL_FORMS")] = str(len(rows))
    data[management.add_prefix("MIN_NUM_FORMS")] = "0"
    data[management.add_prefix("MAX_NUM_FORMS")] = "1000"
    for row in rows:
        _add_form(row, data)


def _submitted_untouched(group: Group, config: dict[str, Any]) -> forms.Form:
    shown = group.form_for(config)
    data = QueryDict(mutable=True)
    _add_form(shown, data)
    return group.bound_form(data, assistant=config)


def _messages(form: forms.Form, where: str) -> list[str]:
    found = []
    for name, errors in form.errors.items():
        label = (
            form.fields[name].label
            if name in form.fields and form.fields[name].label
            else name.replace("_", " ")
        )
        for error in errors:
            found.append(
                f"{where}: {error}"
                if name == "__all__"
                else f"{where} › {str(label)[:1].upper()}{str(label)[1:]}: {error}"
            )
    for formset in formsets_of(form).values():
        found += [f"{where}: {e}" for e in formset.non_form_errors()]
        rows = formset.prefix.rsplit("-", 1)[-1].replace("_", " ").capitalize()
        for index, row in enumerate(formset.forms):
            found += _messages(row, f"{where} › {rows} #{index + 1}")
    return found


def editor_problems(config: dict[str, Any]) -> list[str]:
    """Every complaint the group editors would make about this configuration, in plain words."""
    config = {"id": "", **config}
    problems = []
    for group in GROUPS.values():
        try:
            form = _submitted_untouched(group, config)
            valid = form.is_valid()
        except Exception:
            # A form that cannot read this file's shape: let Revox, which validates every create,
            # be the judge rather than refuse a file an editor bug cannot read.
            logger.exception("import: the %s editor could not check the file", group.slug)
            continue
        if not valid:
            problems += _messages(form, group.title)
    return problems
