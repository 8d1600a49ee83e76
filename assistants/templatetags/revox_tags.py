from __future__ import annotations

import json
import re
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from assistants import list_rows, snapshot
from assistants.fields import label_for

register = template.Library()


@register.filter
def pretty_value(value: Any) -> str:
    """A value from an assistant's JSON, readable in a conflict or a diff."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


@register.filter
def field_label(name: str) -> str:
    """A field's one name (assistants/fields.py), as history and the diffs say it too."""
    return label_for(name)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def bdi(value: Any) -> SafeString:
    """Text from Revox (a name, a question) isolated from what surrounds it: a name ending in a
    right-to-left override ("Refund\u202egnp.exe") must not reverse the text or the icons after
    it. `<bdi>` for page content; `isolated` for plain-text places (the window title)."""
    return format_html("<bdi>{}</bdi>", "" if value is None else value)


register.filter("isolated", snapshot.isolated)


@register.simple_tag
def copy_id(value: str, *, of: str, text: str = "") -> SafeString:
    """The "copy id" control of assistants/list_rows.py, for templates."""
    return SafeString(list_rows.copy_id(value, of=of, text=text))


@register.simple_tag
def field(bound, **attrs):
    """A form field as Bootstrap 5 markup: label, widget, help text, errors.

    The same markup crispy-forms' `as_crispy_field` gives, built in Python: an editor renders a
    dozen or more fields on every htmx save, and crispy's nested templates were the largest
    part of a save's own time (bench/, issue 9).
    """
    from django import forms
    from django.utils.html import conditional_escape, format_html_join
    from django.utils.safestring import mark_safe

    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # One control per option, each laid out by crispy's template: rarer, keep its markup.
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound)
    checkbox = isinstance(widget, forms.CheckboxInput)
    css = (
        "form-check-input"
        if checkbox
        else "form-select"
        if isinstance(widget, forms.Select)
        else "form-control"
    )
    classes = " ".join(c for c in (widget.attrs.get("class", ""), attrs.pop("class", ""), css,
                                   "is-invalid" if bound.errors else "") if c)  # fmt: skip
    help_id = f"{bound.auto_id}_helptext"
    if bound.help_text:
        attrs["aria-describedby"] = help_id
    control = bound.as_widget(attrs={**attrs, "class": classes})
    required = (
        '<span class="asteriskField">*</span>' if bound.field.required and not checkbox else ""
    )
    label = (
        f'<label for="{conditional_escape(bound.id_for_label)}" class="{"form-check-label" if checkbox else "form-label"}">'
        f"{conditional_escape(bound.label)}{required}</label>"
    )
    help_text = (f'<div id="{help_id}" class="form-text">{conditional_escape(bound.help_text)}</div>'
                 if bound.help_text else "")  # fmt: skip
    errors = format_html_join("", '<div class="invalid-feedback d-block"><strong>{}</strong></div>',
                              ((e,) for e in bound.errors))  # fmt: skip
    if checkbox:
        body = f'<div class="form-check">{control}{label}{help_text}{errors}</div>'
    else:
        body = f"{label}{control}{errors}{help_text}"
    return mark_safe(f'<div id="div_{bound.auto_id}" class="mb-3">{body}</div>')  # noqa: S308 (parts escaped above)


CHANGE_SET_SUMMARY = re.compile(r"^Change set #(\d+)\b")


@register.filter
def change_set_link(summary: str) -> str:
    """A history entry's summary, its change set (“Change set #12 applied: …”) a link to the
    set's page; the rest as text."""
    match = CHANGE_SET_SUMMARY.match(summary or "")
    if not match:
        return summary
    url = reverse("changes:detail", args=[int(match[1])])
    return format_html('<a href="{}">{}</a>{}', url, match[0], summary[match.end() :])
