"""Checks every field group of issue 7 shares: untouched saves send nothing (demo assistants, an
older API's shape), and the flow editor's data survives a save."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from assistants.editors.groups import GROUPS
from assistants.models import Assistant, Change
from tests.editors.conftest import open_editor, save
from tests.html_forms import form_fields

# The flow editor's data, in shapes the sandbox accepts: a save must carry it through untouched.
FLOW_DATA = {
    "prompt_flow": {
        "nodes": [
            {"id": "n-1", "type": "promptBlock", "position": {"x": 0, "y": 0},
             "data": {"title": "Welcome", "body": "Greet the caller."}},
            {"id": "n-2", "type": "promptBlock", "position": {"x": 320, "y": 40},
             "data": {"title": "Book", "body": "Book a slot."}},
        ],
        "edges": [{"id": "e-1", "source": "n-1", "target": "n-2"}],
    },
    "position": {"x": 12.5, "y": -40},
    "logo_url": "https://cdn.example.com/brand/logo.png",
}  # fmt: skip


def untouched_saves_send_nothing(client, revox, slug: str) -> None:
    """Open and save every cached assistant's `slug` editor without a change: no PATCH, no
    history."""
    names = []
    for assistant in Assistant.objects.all():
        _, data = open_editor(client, assistant.revox_id, slug)
        revox.clear_requests()
        response = save(client, assistant.revox_id, slug, data)
        assert response.status_code == 302, (assistant.name, response.content[-3000:])
        assert revox.requests("PATCH") == [], assistant.name
        names.append(assistant.name)
    assert names, "no assistant was tried"
    assert not Change.objects.exists()


def older_shape_patch(slug: str, data: dict[str, Any]) -> dict[str, Any]:
    """What an untouched save of `slug` would send for an assistant shaped as `data` (say, one
    from an older API that lacks the group's fields): render the fields, submit them as a
    browser would, and build the patch."""
    group = GROUPS[slug]
    form = group.form_for(data)
    html = render_to_string(group.template, {"form": form})
    submitted = form_fields(f'<form id="group-form">{html}</form>')
    bound = group.bound_form(submitted, assistant=data)
    assert bound.is_valid(), (bound.errors, [fs.errors for fs in bound.formsets.values()])
    return group.patch(bound, data)


def group_changes_only(before: dict[str, Any], after: dict[str, Any], slug: str) -> None:
    """Nothing outside the group moved (updated_at aside)."""
    owned = set(GROUPS[slug].fields) | {"updated_at"}
    untouched = {k: v for k, v in before.items() if k not in owned}
    assert {k: after.get(k) for k in untouched} == untouched
