"""Every field group is one folder and one line of the registry (assistants/fields.py), and
offers the same interface (assistants/editors/group.py)."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import get_template

from assistants.editors.group import Group
from assistants.editors.groups import GROUPS
from assistants.fields import GROUP_FIELDS

FOLDERS = Path(__file__).resolve().parents[2] / "assistants" / "editors" / "groups"


def test_every_registered_group_has_its_folder_and_every_folder_is_registered():
    folders = {p.name for p in FOLDERS.iterdir() if (p / "__init__.py").exists()}
    assert folders == {slug.replace("-", "_") for slug in GROUP_FIELDS}
    assert list(GROUPS) == list(GROUP_FIELDS)  # the registry's order is the pages' order


def test_every_group_offers_the_interface_from_its_folder():
    for slug, group in GROUPS.items():
        assert isinstance(group, Group) and group.slug == slug
        assert group.fields == GROUP_FIELDS[slug].fields
        folder = FOLDERS / group.package
        for part in ("form.py", "describe.py", "fields.html"):
            assert (folder / part).exists(), (slug, part)
        get_template(group.template)
        assert group.form_class.__module__.startswith(f"assistants.editors.groups.{group.package}")


def test_every_group_describes_an_empty_assistant_in_words():
    for group in GROUPS.values():
        rows = group.describe({"id": "x"}, voice_name="")
        assert rows and all(isinstance(label, str) and isinstance(v, str) for label, v in rows)


def test_a_group_applies_its_form_to_the_saved_assistant_and_nothing_else():
    saved = {"id": "x", "name": "Front desk", "prompt": "Hello", "voice": None}
    group = GROUPS["general"]
    shown = group.form_for(saved)
    data = {name: shown[name].value() for name in shown.fields}
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    form = group.bound_form({**data, "name": "Reception"}, assistant=saved)
    assert form.is_valid(), form.errors
    applied = group.applied(form, saved)
    assert applied["name"] == "Reception" and applied["voice"] is None
    assert saved["name"] == "Front desk"  # the saved assistant is not changed
    assert set(group.patch(form, saved)) <= set(group.fields)
