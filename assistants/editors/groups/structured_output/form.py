"""Data to extract: the structured-output fields as rows (editors/forms/schema.py) and the
extraction prompt."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from assistants.editors.forms.base import (
    GroupForm,
    MultilineField,
    live_row_forms,
    live_rows,
    stored_if_same,
)
from assistants.editors.forms.schema import (
    PROMPT_UNKNOWN_VARIABLE,
    PROMPT_VARIABLES,
    SCHEMA_ROW_FIELDS,
    SchemaFieldForm,
    SchemaFieldFormSet,
    place_row_error,
    schema_row,
    unknown_variables,
)


class StructuredOutputForm(GroupForm):
    formset_classes = {"fields": SchemaFieldFormSet}
    field_map = {"structured_output_prompt": "prompt"}

    prompt = MultilineField(
        rows=5, required=False, label="Extraction prompt",
        help_text="How to read the call when filling in the fields. Empty: Revox's default prompt.",
    )  # fmt: skip

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        config = data.get("structured_output_config")
        rows = [r for r in config if isinstance(r, dict)] if isinstance(config, list) else []
        prompt = data.get("structured_output_prompt")
        return {
            "fields": [SchemaFieldForm.initial_from(row) for row in rows],
            "prompt": prompt if isinstance(prompt, str) else "",
        }

    @property
    def prompt_variables(self) -> dict[str, str]:
        return PROMPT_VARIABLES

    @property
    def unknown_prompt_variables(self) -> list[str]:
        """The {{variables}} of the prompt as typed that Revox can't fill in."""
        return unknown_variables(self["prompt"].value() or "", PROMPT_VARIABLES)

    def clean_prompt(self) -> str:
        prompt = self.cleaned_data["prompt"]
        unknown = unknown_variables(prompt, PROMPT_VARIABLES)
        if unknown:
            allowed = ", ".join(f"{{{{{name}}}}}" for name in PROMPT_VARIABLES)
            raise forms.ValidationError(
                PROMPT_UNKNOWN_VARIABLE.format(variables=", ".join(unknown), allowed=allowed)
            )
        return prompt

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        rows = [schema_row(row) for row in live_rows(self.formsets["fields"])]
        stored_config = current.get("structured_output_config")
        # No rows: "nothing extracted", which a client says with [] (the SDK takes no null);
        # an assistant that holds null already says it, and keeps it.
        config = (
            stored_if_same(rows, stored_config)
            if rows
            else ([] if stored_config else stored_config)
        )

        prompt = self.cleaned_data["prompt"]
        stored_prompt = current.get("structured_output_prompt")
        if not prompt.strip():
            prompt = stored_prompt if not (stored_prompt or "").strip() else None

        patch = {"structured_output_config": config, "structured_output_prompt": prompt}
        # An older assistant without these keys: send none the form has no opinion on.
        return {key: value for key, value in patch.items() if key in current or value is not None}

    def _place_error(self, path: str, messages: list[str]) -> bool:
        match = re.fullmatch(r"structured_output_config\.(\d+)(?:\.(\w+).*)?", path)
        if match:
            rows = live_row_forms(self.formsets["fields"])
            index = int(match.group(1))
            if index < len(rows):
                place_row_error(rows[index], match.group(2), messages, SCHEMA_ROW_FIELDS)
                return True
        return super()._place_error(path, messages)
