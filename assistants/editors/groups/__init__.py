"""The field groups' editors, one folder each: `groups/<slug>/` (dashes as underscores) holds the
group's form, its description, its template (`fields.html`), and its script (`script.js`) and
stylesheet (`style.css`) where it needs them; its `__init__.py` makes the group's `GROUP`
(assistants/editors/group.py says what a group offers).

The registry is assistants/fields.py: a group listed there is loaded from its folder here, so
adding a group is its folder and its line there.
"""

from __future__ import annotations

from importlib import import_module

from assistants.editors.group import Group
from assistants.fields import GROUP_FIELDS


def _load(slug: str) -> Group:
    return import_module(f"{__name__}.{slug.replace('-', '_')}").GROUP


GROUPS: dict[str, Group] = {slug: _load(slug) for slug in GROUP_FIELDS}


def get_group(slug: str) -> Group | None:
    return GROUPS.get(slug)
