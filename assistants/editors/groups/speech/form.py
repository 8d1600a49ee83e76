"""Speech: what helps the transcriber hear the call right, and how the voice says odd words."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet

from assistants.editors.forms.base import GroupForm, MultilineField, live_rows
from assistants.editors.forms.common import text_or_stored, without_absent_nulls

TERM_SEPARATORS_RE = re.compile(r"[\n,]")

KEY_REQUIRED = "Say what this is about, e.g. “topic” or “company”."
VALUE_REQUIRED = "Fill in the value, e.g. “dental practice”."
DUPLICATE_KEY = "This name is already used in another row."
DICTIONARY_FORMAT = "Paste the dictionary ID from Cartesia as it is, without spaces."


class ContextRowForm(forms.Form):
    key = forms.CharField(required=False, max_length=200, label="About",
                          widget=forms.TextInput(attrs={"placeholder": "e.g. topic"}))  # fmt: skip
    value = forms.CharField(required=False, max_length=2000, label="Details",
                            widget=forms.TextInput(attrs={"placeholder": "e.g. power outages"}))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("value") and not data.get("key"):
            self.add_error("key", KEY_REQUIRED)
        if data.get("key") and not data.get("value"):
            self.add_error("value", VALUE_REQUIRED)
        return data


class BaseContextFormSet(BaseFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            key = (data.get("key") or "").casefold()
            if key and not data.get("DELETE"):
                if key in seen:
                    form.add_error("key", DUPLICATE_KEY)
                seen.add(key)


ContextFormSet = formset_factory(
    ContextRowForm, formset=BaseContextFormSet, extra=1, can_delete=True, can_order=True
)


def split_terms(text: str) -> list[str]:
    """One term per line or between commas; blanks dropped, each term once."""
    terms: list[str] = []
    for part in TERM_SEPARATORS_RE.split(text or ""):
        part = part.strip()
        if part and part not in terms:
            terms.append(part)
    return terms


def _stored_terms(context: dict[str, Any]) -> list[Any]:
    terms = context.get("terms")
    return terms if isinstance(terms, list) else []


def _is_empty(context: Any) -> bool:
    """No context at all: null, missing, or both lists empty."""
    if not isinstance(context, dict):
        return context is None
    return not context.get("general") and not context.get("terms")


class SpeechForm(GroupForm):
    formset_classes = {"stt_general": ContextFormSet}
    field_map = {
        "stt_context.general": ("stt_general", {"key": "key", "value": "value"}),
        "stt_context.terms": "terms",
        "stt_context": "terms",
        "cartesia_dictionary_pronunciation_id": "cartesia_dictionary_pronunciation_id",
    }

    terms = MultilineField(
        rows=4, required=False, label="Words to listen for",
        help_text="Names, brands and jargon callers may say, so the transcriber spells them right. "
        "One per line, or separated by commas.",
        widget=forms.Textarea(attrs={"rows": 4, "data-tags": "", "placeholder": "Invisalign\nDr. Alvarez"}),
    )  # fmt: skip
    cartesia_dictionary_pronunciation_id = forms.CharField(
        required=False, max_length=200, label="Cartesia pronunciation dictionary",
        help_text="How the voice should say particular words, as a dictionary you keep in Cartesia. "
        "Its ID, e.g. pdict_7c1e9a0b42. Empty: none.",
        widget=forms.TextInput(attrs={"placeholder": "e.g. pdict_7c1e9a0b42", "autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        context = data.get("stt_context") if isinstance(data.get("stt_context"), dict) else {}
        general = context.get("general") if isinstance(context.get("general"), list) else []
        dictionary = data.get("cartesia_dictionary_pronunciation_id")
        return {
            "stt_general": [
                {"key": row.get("key") or "", "value": row.get("value") or ""}
                for row in general if isinstance(row, dict)
            ],
            "terms": "\n".join(t for t in _stored_terms(context) if isinstance(t, str)),
            "cartesia_dictionary_pronunciation_id": dictionary if isinstance(dictionary, str) else "",
        }  # fmt: skip

    def clean_cartesia_dictionary_pronunciation_id(self) -> str:
        value = self.cleaned_data["cartesia_dictionary_pronunciation_id"]
        if any(ch.isspace() for ch in value):
            raise forms.ValidationError(DICTIONARY_FORMAT)
        return value

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        stored = current.get("stt_context")
        stored_context = stored if isinstance(stored, dict) else {}

        general = [{"key": row["key"], "value": row["value"]}
                   for row in live_rows(self.formsets["stt_general"]) if row.get("key")]  # fmt: skip
        stored_general = stored_context.get("general")
        if isinstance(stored_general, list) and [
            (r.get("key"), r.get("value")) for r in stored_general if isinstance(r, dict)
        ] == [(r["key"], r["value"]) for r in general]:
            general = stored_general  # the same rows: keep how Revox holds them

        stored_terms = _stored_terms(stored_context)
        if data["terms"] == "\n".join(t for t in stored_terms if isinstance(t, str)):
            terms = stored_terms  # the box as the page showed it (even a term with a comma)
        else:
            terms = split_terms(data["terms"])

        if not general and not terms:
            context = stored if _is_empty(stored) else None
        else:
            context = {**stored_context, "general": general, "terms": terms}
            if context == stored:
                context = stored
        return without_absent_nulls(
            {
                "stt_context": context,
                "cartesia_dictionary_pronunciation_id": text_or_stored(
                    data["cartesia_dictionary_pronunciation_id"] or None,
                    current.get("cartesia_dictionary_pronunciation_id"),
                ),
            },
            current,
        )
