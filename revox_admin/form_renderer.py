"""The form renderer: Django's, with the commonest widget templates written in Python.

An editor re-renders its whole form after every htmx save, a dozen or more widgets, and each
went through Django's template engine (an include for the input, another for its attributes,
one per option of a select): about a quarter of a save's own time (bench/, issue 25). The same
goes for each radio button or checkbox an editor lays out itself (`{{ choice.tag }}`: three
includes each). The markup is byte for byte what Django's templates give
(tests/test_form_renderer.py compares them widget by widget); every other template still goes
through them.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "checkbox",
                 "search", "tel", "color", "date", "datetime", "time")
)  # fmt: skip
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
SELECT_TEMPLATE = "django/forms/widgets/select.html"
# One option of a RadioSelect or CheckboxSelectMultiple, as BoundWidget.tag renders it.
INPUT_OPTION_TEMPLATES = frozenset(
    ("django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html")
)
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: str(), then escaped unless already safe."""
    return conditional_escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _input_option(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input_option.html, whose include keeps input.html's newline."""
    if not widget.get("wrap_label"):
        return _input(widget)
    label_for = f' for="{_text(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)}\n {_text(widget['label'])}</label>"


def _textarea(widget: dict[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None  # a custom option template: let Django render the whole select
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the included file's newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict):
            if template_name in INPUT_TEMPLATES:
                return _input(widget)
            if template_name in INPUT_OPTION_TEMPLATES:
                return _input_option(widget)
            if template_name == TEXTAREA_TEMPLATE:
                return _textarea(widget)
            if template_name == SELECT_TEMPLATE:
                rendered = _select(widget)
                if rendered is not None:
                    return rendered
        return super().render(template_name, context, request)
