"""Tools: the custom HTTP tools the assistant may call during a conversation.

Each tool is one form in a formset (prefix "tools-N"); its headers, query parameters and input
parameters are formsets of their own whose prefixes include the tool's ("tools-N-headers"), so
the whole tree posts as flat fields and works without JavaScript. The input parameters are the
structured-output rows (forms/structured_output.py), each with a sample value for the preview.

"Preview request" is a second submit button (name="preview", value = the tool's prefix): the form
is validated and shown again with the request that tool would send for the sample values, and
nothing is saved. `request_preview` (forms/tool_request.py) computes it and is a pure function.

Placeholders ({{variable}}) used in the URL, headers, query or body but not declared as input
parameters are a warning, not an error: Revox's own demo tools use such variables for values
filled in elsewhere (API keys, tokens).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet

from assistants.editors.forms.base import (
    GroupForm,
    MultilineField,
    TextField,
    disable_formset,
    live_row_forms,
    live_rows,
    stored_if_same,
)
from assistants.editors.forms.common import PLACEHOLDER_RE
from assistants.editors.forms.schema import (
    ROWS_NEED_A_LOOK,
    SCHEMA_ROW_FIELDS,
    SNAKE_CASE_RE,
    SchemaFieldFormSet,
    place_row_error,
    schema_row,
    snake_case,
)
from assistants.editors.groups.tools.request import (
    RequestPreview,
    body_problem,
    request_preview,
    undeclared_variables,
)

HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
# RFC 9110 token: what a header name may be made of.
HEADER_NAME_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

NAME_REQUIRED = "Give the tool a name, like check_inventory."
NAME_NOT_SNAKE_CASE = (
    "Use lowercase letters, digits and underscores, starting with a letter (e.g. check_inventory)."
)
NAME_SUGGESTION = " Try “{suggestion}”."
NAME_DUPLICATE = "Another tool is already called “{name}”: each tool needs its own name."
DESCRIPTION_REQUIRED = (
    "Describe what the tool does: the assistant reads this to decide when to use it."
)
URL_REQUIRED = "Enter the address the tool calls, starting with https://."
URL_INVALID = "Enter a web address starting with https:// (or http://), without spaces."
KEY_REQUIRED = "Give this {noun} a name, or remove the row."
HEADER_NAME_INVALID = "A header name can't contain spaces, colons or quotes (e.g. X-Api-Key)."
UNDECLARED_VARIABLES = (
    "{variables} {verb} not among the input parameters below, so the assistant won't fill "
    "{pronoun} in. Fine if Revox fills {pronoun} in some other way; otherwise add a parameter."
)
PREVIEW_NEEDS_VALID_TOOL = "Fix what's marked in this tool to preview its request."


# -- the request a tool sends ----------------------------------------------------------------


# -- the rows ----------------------------------------------------------------------------------


class KeyValueForm(forms.Form):
    key = TextField(required=False, label="Name", widget=forms.TextInput(
        attrs={"class": "font-monospace-sm", "autocomplete": "off", "spellcheck": "false"}))  # fmt: skip
    value = TextField(required=False, label="Value", widget=forms.TextInput(
        attrs={"class": "font-monospace-sm", "autocomplete": "off", "spellcheck": "false"}))  # fmt: skip

    def __init__(self, *args: Any, noun: str = "header", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.noun = noun
        self.fields["key"].widget.attrs["placeholder"] = "X-Api-Key" if noun == "header" else "page"
        self.fields["value"].widget.attrs["placeholder"] = (
            "{{api_key}}" if noun == "header" else "{{page_number}}"
        )

    def has_changed(self) -> bool:
        # Only what is typed counts: a row the page dropped, or left empty, is ignored.
        return any((self[name].value() or "").strip() for name in ("key", "value"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        key = data.get("key") or ""
        if not key.strip():
            self.add_error("key", KEY_REQUIRED.format(noun=self.noun))
        elif self.noun == "header" and not HEADER_NAME_RE.match(key):
            self.add_error("key", HEADER_NAME_INVALID)
        return data


KeyValueFormSet = formset_factory(KeyValueForm, extra=1, can_delete=True)

NESTED = {
    # name: (formset class, API key, row kwargs, row field map)
    "headers": (KeyValueFormSet, "headers", {"noun": "header"}, {"key": "key", "value": "value"}),
    "query": (
        KeyValueFormSet,
        "query_params",
        {"noun": "query parameter"},
        {"key": "key", "value": "value"},
    ),
    "schema": (SchemaFieldFormSet, "input_schema", {"with_sample": True}, SCHEMA_ROW_FIELDS),
}
TOOL_FIELDS = {"name": "name", "description": "description", "url": "url", "method": "method",
               "body_template": "body_template"}  # fmt: skip


class ToolForm(forms.Form):
    name = TextField(label="Name", error_messages={"required": NAME_REQUIRED}, widget=forms.TextInput(attrs={
        "class": "font-monospace-sm", "placeholder": "check_inventory", "autocomplete": "off",
        "spellcheck": "false", "data-tool-name": ""}),
        help_text="Lowercase letters, digits and underscores.")  # fmt: skip
    method = forms.ChoiceField(
        choices=[(m, m) for m in HTTP_METHODS], initial="GET", label="Method"
    )
    url = TextField(label="URL", error_messages={"required": URL_REQUIRED}, widget=forms.TextInput(attrs={
        "class": "font-monospace-sm", "placeholder": "https://api.example.com/items/{{item_id}}",
        "spellcheck": "false"}),
        help_text="{{variables}} are replaced by the input parameters below.")  # fmt: skip
    description = MultilineField(
        rows=2, label="What it does", error_messages={"required": DESCRIPTION_REQUIRED},
        help_text="The assistant reads this to decide when to call the tool: say what it does and "
        "what it returns.",
    )  # fmt: skip
    body_template = MultilineField(
        rows=6, required=False, label="Body template (JSON)",
        help_text="Sent as the request body. Put placeholders inside quotes: "
        "{\"guests\": \"{{party_size}}\"}. Empty: no body.",
    )  # fmt: skip
    # "null" or "" when Revox holds no body in that spelling, to give it back when untouched.
    stored_body = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body_template"].widget.attrs["class"] = "font-monospace-sm"
        self.preview: RequestPreview | None = None
        self.preview_error = ""
        self.formsets: dict[str, BaseFormSet] = {
            name: formset_class(
                data=self.data if self.is_bound else None,
                initial=self.initial.get(name),
                prefix=f"{self.prefix}-{name}",
                form_kwargs=row_kwargs,
            )
            for name, (formset_class, _, row_kwargs, _) in NESTED.items()
        }
        if "__prefix__" in self.prefix:
            # The template for "Add a tool": its rows are added by formset.js, no blank ones.
            for formset in self.formsets.values():
                formset.extra = 0

    @classmethod
    def initial_from(cls, tool: dict[str, Any]) -> dict[str, Any]:
        from assistants.editors.forms.schema import SchemaFieldForm

        def pairs(key: str) -> list[dict[str, str]]:
            rows = tool.get(key) if isinstance(tool.get(key), list) else []
            return [
                {"key": r.get("key") or "", "value": r.get("value") or ""}
                for r in rows
                if isinstance(r, dict)
            ]

        body = tool.get("body_template")
        schema = tool.get("input_schema") if isinstance(tool.get("input_schema"), list) else []
        return {
            "name": tool.get("name") or "",
            "method": tool.get("method") or "GET",
            "url": tool.get("url") or "",
            "description": tool.get("description") or "",
            "body_template": body if isinstance(body, str) else "",
            "stored_body": json.dumps(body) if body is None or not body.strip() else "",
            "headers": pairs("headers"),
            "query": pairs("query_params"),
            "schema": [SchemaFieldForm.initial_from(r) for r in schema if isinstance(r, dict)],
        }

    def has_changed(self) -> bool:
        typed = any(
            (self[name].value() or "").strip()
            for name in ("name", "url", "description", "body_template")
        )
        return typed or any(formset.has_changed() for formset in self.formsets.values())

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not SNAKE_CASE_RE.match(name):
            suggestion = snake_case(name)
            raise forms.ValidationError(
                NAME_NOT_SNAKE_CASE
                + (NAME_SUGGESTION.format(suggestion=suggestion) if suggestion else "")
            )
        return name

    def clean_description(self) -> str:
        description = self.cleaned_data["description"]
        if not description.strip():
            raise forms.ValidationError(DESCRIPTION_REQUIRED)
        return description

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        host = PLACEHOLDER_RE.sub("x", url)
        if not re.match(r"^https?://[^/?#\s]", host, re.IGNORECASE) or re.search(r"\s", url):
            raise forms.ValidationError(URL_INVALID)
        return url

    def clean_body_template(self) -> str:
        body = self.cleaned_data["body_template"]
        if body.strip():
            problem = body_problem(body)
            if problem:
                raise forms.ValidationError(problem)
        return body

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not all([formset.is_valid() for formset in self.formsets.values()]):
            self.add_error(None, ROWS_NEED_A_LOOK)
        return data

    def to_value(self) -> dict[str, Any]:
        """The tool as Revox stores it."""
        data = self.cleaned_data
        body: str | None = data["body_template"]
        if not body.strip():
            try:
                stored = json.loads(data.get("stored_body") or "null")
            except ValueError:
                stored = None
            body = (
                stored
                if stored is None or (isinstance(stored, str) and not stored.strip())
                else None
            )
        return {
            "name": data["name"],
            "description": data["description"],
            "url": data["url"],
            "method": data["method"],
            "headers": self._pairs("headers"),
            "query_params": self._pairs("query"),
            "body_template": body,
            "input_schema": [schema_row(row) for row in live_rows(self.formsets["schema"])],
        }

    def _pairs(self, name: str) -> list[dict[str, str]]:
        return [
            {"key": row["key"], "value": row["value"]} for row in live_rows(self.formsets[name])
        ]

    # What the page shows beside the fields ----------------------------------------------------

    @property
    def schema_rows_with_names(self) -> list[forms.Form]:
        """Input-parameter rows that have a name: one sample value box each in the preview."""
        return [
            row for row in self.formsets["schema"].forms
            if (row["name"].value() or "").strip() and not (row.is_bound and row["DELETE"].value())
        ]  # fmt: skip

    @property
    def warnings(self) -> list[str]:
        tool = self._as_typed()
        unknown = undeclared_variables(tool)
        if not unknown:
            return []
        many = len(unknown) > 1
        return [UNDECLARED_VARIABLES.format(
            variables=", ".join(f"{{{{{name}}}}}" for name in unknown),
            verb="are" if many else "is", pronoun="them" if many else "it",
        )]  # fmt: skip

    def _as_typed(self) -> dict[str, Any]:
        """The tool as currently typed (valid or not), for warnings."""

        def value(form: forms.Form, name: str) -> str:
            return form[name].value() or ""

        def rows(name: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
            return [
                {f: value(row, f) for f in fields} for row in self.formsets[name].forms
                if not (row.is_bound and row["DELETE"].value())
            ]  # fmt: skip

        return {
            "url": value(self, "url"),
            "body_template": value(self, "body_template"),
            "headers": rows("headers", ("key", "value")),
            "query_params": rows("query", ("key", "value")),
            "input_schema": [{"name": r["name"].strip()} for r in rows("schema", ("name",))],
        }

    def build_preview(self) -> None:
        if not self.is_valid():
            self.preview_error = PREVIEW_NEEDS_VALID_TOOL
            return
        values = {
            row.cleaned_data["name"]: row.cleaned_data.get("sample") or ""
            for row in live_row_forms(self.formsets["schema"])
        }
        self.preview = request_preview(self.to_value(), values)

    def disable(self) -> None:
        for formset in self.formsets.values():
            disable_formset(formset)


class BaseToolFormSet(BaseFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            name = form.cleaned_data.get("name")
            if name and name in seen:
                form.add_error("name", NAME_DUPLICATE.format(name=name))
            elif name:
                seen.add(name)


ToolFormSet = formset_factory(ToolForm, formset=BaseToolFormSet, extra=1, can_delete=True)


class ToolsForm(GroupForm):
    formset_classes = {"tools": ToolFormSet}

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        tools = data.get("custom_tools")
        tools = [t for t in tools if isinstance(t, dict)] if isinstance(tools, list) else []
        return {"tools": [ToolForm.initial_from(tool) for tool in tools]}

    @property
    def tool_forms(self) -> list[ToolForm]:
        return self.formsets["tools"].forms

    def is_valid(self) -> bool:
        valid = super().is_valid()
        target = self.data.get("preview") if self.is_bound else None
        if not target:
            return valid
        for tool in self.tool_forms:
            if tool.prefix == target:
                tool.build_preview()
        # A preview only shows the form again: it never saves, valid or not.
        return False

    @property
    def has_any_errors(self) -> bool:
        return super().has_any_errors or any(
            tool.errors for tool in self.tool_forms if tool.is_bound
        )

    def disable(self) -> None:
        super().disable()
        for tool in self.tool_forms:
            tool.disable()

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        tools = [tool.to_value() for tool in live_row_forms(self.formsets["tools"])]
        stored = current.get("custom_tools")
        value = stored_if_same(tools, stored) if tools else (stored if stored == [] else None)
        if "custom_tools" not in current and value is None:
            return {}  # an older assistant without tools: nothing to say
        return {"custom_tools": value}

    def _place_error(self, path: str, messages: list[str]) -> bool:
        match = re.fullmatch(r"custom_tools\.(\d+)(?:\.(\w+)(?:\.(\d+)(?:\.(\w+))?)?.*)?", path)
        if not match:
            return super()._place_error(path, messages)
        tools = live_row_forms(self.formsets["tools"])
        index, key, row_index, row_field = match.groups()
        if int(index) >= len(tools):
            return False
        tool = tools[int(index)]
        nested = next(((name, spec) for name, spec in NESTED.items() if spec[1] == key), None)
        if nested and row_index is not None:
            name, (_, _, _, row_fields) = nested
            rows = live_row_forms(tool.formsets[name])
            if int(row_index) < len(rows):
                place_row_error(rows[int(row_index)], row_field, messages, row_fields)
                return True
        for message in messages:
            tool.add_error(TOOL_FIELDS.get(key or "") if key in TOOL_FIELDS else None, message)
        return True
