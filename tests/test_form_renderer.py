"""revox_admin/form_renderer.py renders the input, textarea and select widgets, and each radio
button or checkbox of a choice widget, in Python: its markup must be exactly what Django's own
widget templates give, for every field (and every option) of every editor and for the edge
cases (escaping, booleans, option groups)."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.boundfield import BoundWidget
from django.forms.renderers import DjangoTemplates

from assistants.editors.groups import GROUPS
from revox_admin.form_renderer import FormRenderer

DJANGO = DjangoTemplates()
OURS = FormRenderer()


def _both(widget: forms.Widget, name: str, value, attrs=None) -> tuple[str, str]:
    return (
        widget.render(name, value, attrs=attrs, renderer=DJANGO),
        widget.render(name, value, attrs=attrs, renderer=OURS),
    )


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (
            forms.TextInput(attrs={"placeholder": 'Say "hi" <b>', "maxlength": 50}),
            "O'Brien & <Sons>",
        ),
        (forms.TextInput(), None),
        (forms.TextInput(), ""),
        (forms.NumberInput(attrs={"min": 0, "step": 0.5}), 0),
        (forms.URLInput(), "https://example.com/?a=1&b=2"),
        (forms.EmailInput(attrs={"required": True, "disabled": False}), "a@b.example"),
        (forms.HiddenInput(), "fingerprint-123"),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.Textarea(attrs={"rows": 4}), "Line one\n<script>alert(1)</script>"),
        (forms.Textarea(), ""),
        (forms.Textarea(), None),
        (forms.Select(choices=[("", "—"), ("a", "A & B"), ("b", "<B>")]), "a"),
        (
            forms.Select(choices=[("EU", [("fr", "French"), ("de", "German")]), ("x", "Other")]),
            "de",
        ),
        (forms.Select(choices=[(1, "One"), (2, "Two")]), 2),
        (forms.SelectMultiple(choices=[("a", "A"), ("b", "B")]), ["a", "b"]),
        (forms.RadioSelect(choices=[("a", "A"), ("b", "B")]), "b"),
    ],
)
def test_each_widget_renders_as_djangos_templates_do(widget, value):
    theirs, ours = _both(widget, "field", value, attrs={"id": "id_field", "class": "form-control"})
    assert ours == theirs


def _options_both(widget: forms.Widget, name: str, value, attrs, *, wrap_label: bool):
    """Each option of a radio or checkbox widget as `{{ choice.tag }}` (or `{{ choice }}`, with
    its label) renders it, by Django's templates and by ours."""
    return [
        tuple(BoundWidget(widget, data, renderer).tag(wrap_label=wrap_label)
              for renderer in (DJANGO, OURS))
        for data in widget.subwidgets(name, value, attrs)
    ]  # fmt: skip


@pytest.mark.parametrize("wrap_label", [False, True])
@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.RadioSelect(choices=[("a", "A & <B>"), ("b", 'Say "b"')]), "b"),
        (forms.RadioSelect(choices=[(1, "One"), (2, "Two")]), None),
        (forms.CheckboxSelectMultiple(choices=[("x", "X"), ("y", "<Y>")]), ["x", "y"]),
        (
            forms.RadioSelect(
                attrs={"class": "btn-check", "disabled": True},
                choices=[("EU", [("fr", "French")]), ("x", "Other")],
            ),
            "fr",
        ),
    ],
)
def test_each_option_renders_as_djangos_templates_do(widget, value, wrap_label):
    for attrs in ({"id": 'id_"field"'}, {}):
        options = _options_both(widget, "field", value, attrs, wrap_label=wrap_label)
        assert options
        for theirs, ours in options:
            assert ours == theirs


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(GROUPS))
def test_every_editor_renders_as_djangos_templates_do(slug, settings):
    from sandbox.seeds import build
    from sandbox.validation.engine import Errors

    group = GROUPS[slug]
    if group.form_class is None:
        pytest.skip("no form")
    for data in build("demo", Errors(), "seed"):
        form = group.form_class(initial=group.form_class.initial_from(data), assistant=data)
        for bound in form:
            widget, value = bound.field.widget, bound.value()
            attrs = bound.build_widget_attrs({"id": bound.auto_id})
            assert widget.render(bound.html_name, value, attrs, renderer=OURS) == widget.render(
                bound.html_name, value, attrs, renderer=DJANGO
            ), (slug, bound.name)
            for wrap_label in (False, True):
                for theirs, ours in _options_both(
                    widget, bound.html_name, value, attrs, wrap_label=wrap_label
                ):
                    assert ours == theirs, (slug, bound.name)
