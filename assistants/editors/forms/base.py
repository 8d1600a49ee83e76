"""What every field-group form shares.

A group form maps an assistant's JSON to its fields (`initial_from`) and its cleaned data back to
a PATCH body holding only the group's fields (`to_patch`). Row-based groups (calling windows, FAQ,
structured output…) keep formsets in `self.formsets`; validity, disabling and error mapping
cover them too.

Round-trip rule: for an untouched form, `to_patch(current)` must equal the group's values in
`current`, so that saving without a change sends nothing. Where a form shows a value normalised
(e.g. '6pm' as '18:00'), it gives back the stored spelling when the meaning did not change.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms
from django.core import validators
from django.forms.formsets import BaseFormSet

from assistants.snapshot import NUL, NUL_STAND_IN, strings_hold, with_nul

E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")
E164_MESSAGE = "Enter the number in international format, like +14155550123."

REPLACEMENT = "\ufffd"  # what a browser shows and sends in place of each NUL
NUL_TYPED = (
    "This text contains a NUL character (U+0000, invisible), which can't be saved. Delete it and "
    "save again."
)
NUL_SHOWN_AS_REPLACEMENT = (
    "The text Revox holds contains invisible NUL characters (U+0000), shown here as “\ufffd”. "
    "Saving would store “\ufffd” in their place: delete each “\ufffd”, then save again."
)


class GroupForm(forms.Form):
    # Map API error paths to form fields: {"voice.speed": "speed"}. For formsets:
    # {"call_retry_config.calling_windows": ("windows", {"calling_window_start_time": "start"})}.
    field_map: ClassVar[dict[str, Any]] = {}

    # Row editors: {"windows": WindowFormSet}. Each is built with prefix = its name, bound to
    # the same data, and with `initial_from(...)[name]` (a list of row dicts) as its initial.
    formset_classes: ClassVar[dict[str, type[BaseFormSet]]] = {}

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, assistant: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The assistant as loaded (fresh from Revox on GET; the cache on POST): context only.
        self.assistant = assistant
        self.formsets: dict[str, BaseFormSet] = {
            name: formset_class(
                data=self.data if self.is_bound else None,
                initial=self.initial.get(name),
                prefix=name,
                form_kwargs=self.row_kwargs(name),
            )
            for name, formset_class in self.formset_classes.items()
        }
        self._untouched_nul_texts: set[str] = set()
        self._nul_texts: dict[str, str] = {}
        if self.is_bound:
            self._keep_untouched_nul_texts()

    # -- to implement per group ---------------------------------------------------------------

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        """The PATCH body: this group's fields only, from cleaned data. `current` is the
        assistant as Revox holds it right now (to keep a secret, or a stored spelling)."""
        raise NotImplementedError

    @property
    def preview_requested(self) -> bool:
        """The submit asked to hear the voice ("Listen"), or to see the form changed by the
        server (transfer's "Convert"), not to save: a form offering it says so (and for Listen
        gives `preview_params()`, editors/listen.py)."""
        return False

    def row_kwargs(self, formset_name: str) -> dict[str, Any]:
        """Extra keyword arguments for each row form of a formset (override when needed)."""
        return {}

    # -- text holding NUL characters -----------------------------------------------------------

    def _keep_untouched_nul_texts(self) -> None:
        """Revox takes NUL characters (U+0000) in text; a browser shows each as U+FFFD and sends
        that back, and Django refuses a NUL outright. So a name or prompt holding one would be
        rewritten (NUL → U+FFFD) by a save of another field, or refused with a message about a
        field the user never touched. A text field sent back as it was shown (with the NULs, or
        with U+FFFD in their place) is taken as untouched: its stored value, NULs included, is
        what the form cleans, so the PATCH leaves it alone. A field the user did touch gets a
        plain message instead (here for a NUL typed, `_clean_nul_texts` for a U+FFFD kept)."""
        self._nul_texts = self._stored_texts_with_nul()
        replaced = {}
        for name, stored in self._nul_texts.items():
            sent = self.data.get(self.add_prefix(name))
            if not isinstance(sent, str):
                continue
            sent = sent.replace("\r\n", "\n").replace("\r", "\n")
            if sent.replace(NUL, REPLACEMENT) == stored.replace(NUL, REPLACEMENT):
                replaced[self.add_prefix(name)] = stored
                self._untouched_nul_texts.add(name)
        if replaced:
            self.data = self.data.copy()
            for key, value in replaced.items():
                self.data[key] = value
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            field.validators = [
                v for v in field.validators
                if not isinstance(v, validators.ProhibitNullCharactersValidator)
            ]  # fmt: skip
            if name not in self._untouched_nul_texts:
                field.validators.append(validators.ProhibitNullCharactersValidator(NUL_TYPED))

    def _stored_texts_with_nul(self) -> dict[str, str]:
        """The group's text fields as Revox holds them, those holding a NUL. The form is bound
        to the cached copy, which keeps each NUL as U+2400 (snapshot.without_nul): they are
        put back here."""
        if not self.assistant:
            return {}
        if not strings_hold(self.assistant, NUL) and not strings_hold(self.assistant, NUL_STAND_IN):
            return {}  # most assistants: nothing to recognise
        try:
            shown = self.initial_from(with_nul(self.assistant))
        except Exception:  # an odd stored shape: no untouched text to recognise
            return {}
        return {
            name: value for name, value in shown.items()
            if isinstance(self.fields.get(name), forms.CharField)
            and isinstance(value, str) and NUL in value
        }  # fmt: skip

    def _clean_nul_texts(self) -> None:
        """A touched text that still holds the U+FFFD a browser showed for a stored NUL."""
        for name, stored in self._nul_texts.items():
            value = self.cleaned_data.get(name)
            if name in self._untouched_nul_texts or not isinstance(value, str):
                continue
            if value.count(REPLACEMENT) > stored.count(REPLACEMENT):
                self.add_error(name, NUL_SHOWN_AS_REPLACEMENT)

    def _post_clean(self) -> None:
        super()._post_clean()
        self._clean_nul_texts()

    # -- shared behaviour ---------------------------------------------------------------------

    def left_blank(self, name: str) -> bool:
        """Whether the text field `name` was left empty, for a `clean` that requires it: not
        when the field refused text that was typed (a NUL in it), which is not missing."""
        if (self.cleaned_data.get(name) or "").strip():
            return False
        typed = self[name].value() if name in self.errors else ""
        return not (typed if isinstance(typed, str) else "").strip()

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid

    @property
    def has_any_errors(self) -> bool:
        return bool(self.errors) or any(
            fs.total_error_count() for fs in self.formsets.values() if fs.is_bound
        )

    def disable(self) -> None:
        """Read-only: every field and row disabled, nothing can be submitted."""
        for field in self.fields.values():
            field.disabled = True
        for formset in self.formsets.values():
            disable_formset(formset)

    def apply_revox_errors(self, field_errors: dict[str, list[str]], general: list[str]) -> None:
        """Errors Revox returned: on the field (or row field) they name, the rest above."""
        for path, messages in field_errors.items():
            placed = self._place_error(path, messages)
            if not placed:
                for message in messages:
                    self.add_error(None, f"{humanize_path(path)}: {message}")
        for message in general:
            self.add_error(None, message)

    def _place_error(self, path: str, messages: list[str]) -> bool:
        for prefix in sorted(self.field_map, key=len, reverse=True):
            if path != prefix and not path.startswith(prefix + "."):
                continue
            target = self.field_map[prefix]
            if isinstance(target, str):
                for message in messages:
                    self.add_error(target, message)
                return True
            formset_name, row_fields = target
            rest = path[len(prefix) + 1 :].split(".")
            formset = self.formsets.get(formset_name)
            if not formset or not rest or not rest[0].isdigit():
                return False
            index = int(rest[0])
            # The rows in the order the patch listed them, so that Revox's row N is found even
            # after the user reordered rows.
            live_forms = live_row_forms(formset)
            if index >= len(live_forms):
                return False
            row = live_forms[index]
            field_name = row_fields.get(rest[1]) if len(rest) > 1 else None
            for message in messages:
                row.add_error(field_name if field_name in row.fields else None, message)
            return True
        return False


def formsets_of(form: forms.Form) -> dict[str, BaseFormSet]:
    """The row editors a form holds, by name: a group form's `formsets`, and a row form's own
    when it has rows inside (a tool's headers, query parameters and input schema, also named
    `formsets`); none for a plain row."""
    return getattr(form, "formsets", None) or {}


def disable_formset(formset: BaseFormSet) -> None:
    """Every row's fields disabled, and no row to add or remove."""
    formset.can_delete = False
    formset.extra = 0
    for form in formset.forms:
        for field in form.fields.values():
            field.disabled = True


def humanize_path(path: str) -> str:
    parts = []
    for part in path.split("."):
        parts.append(f"#{int(part) + 1}" if part.isdigit() else part.replace("_", " "))
    return " \u203a ".join(parts).capitalize()  # a single right-pointing angle quote


def live_rows(formset: BaseFormSet) -> list[dict[str, Any]]:
    """Cleaned data of the rows kept, in the order the user gave them (ORDER when the formset
    can order): not deleted, not left blank."""
    return [form.cleaned_data for form in live_row_forms(formset)]


def live_row_forms(formset: BaseFormSet) -> list[forms.Form]:
    """The row forms behind `live_rows`, in the same order."""
    forms_kept = [
        form for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]  # fmt: skip
    if getattr(formset, "can_order", False):
        forms_kept.sort(
            key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0)
        )
    return forms_kept


def optional_text(value: str | None) -> str | None:
    """A blank text box means null in Revox; anything else is kept exactly as typed."""
    return value if value and value.strip() else None


def blank_text(value: str | None) -> str:
    """A blank text box, for a field the SDK types as a plain string (no null): "" says "none"
    (first_sentence, end_of_call_sentence, webhook_url); anything else is kept as typed."""
    return value if value and value.strip() else ""


def without_nulls(value: Any) -> Any:
    """`value` with every null-valued key of every object in it left out."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def stored_if_same(built: Any, stored: Any) -> Any:
    """The stored value when `built` means the same, else `built`. Revox may answer null for a
    key it takes no null for (a voice's speed, a row's description): such keys are left out of
    what the form builds, and counted as "not set" on both sides, so an untouched form still
    gives back exactly what Revox holds (and sends nothing)."""
    return stored if without_nulls(built) == without_nulls(stored) else built


def same_or(stored: Any, new: Any) -> Any:
    """Keep the stored value when the form's value means the same (e.g. 3 and 3.0)."""
    return stored if stored == new else new


class MultilineField(forms.CharField):
    """Text as typed in a textarea. Browsers send CRLF line ends; Revox stores LF. Without
    folding them, saving an untouched prompt would count as a change."""

    def __init__(self, *args: Any, rows: int = 4, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class SwitchField(forms.BooleanField):
    """An on/off box drawn as a switch, never required. `marker` names a data attribute for
    the group's script to find it by."""

    def __init__(self, *args: Any, marker: str = "", **kwargs: Any) -> None:
        attrs = {"class": "form-check-input", "role": "switch"}
        if marker:
            attrs[marker] = ""
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxInput(attrs=attrs))
        super().__init__(*args, **kwargs)


class TextField(forms.CharField):
    """One line of text kept exactly as typed (surrounding spaces included), so that an
    untouched value round-trips; blank-only input still counts as empty."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return "" if not value.strip() else value
