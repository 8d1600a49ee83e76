"""The shape every field group's editor tests share: open the editor as a browser would, post
the form, read back from the sandbox what reached Revox, and check what history stored.

Each helper asserts what its name says and returns what the test goes on to check (the answer,
the page, or the assistant as Revox now holds it), so a test states only what is its group's own.
"""

from __future__ import annotations

from typing import Any

import pytest
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

# The sandbox's fault (sandbox/README.md) for a PATCH that finds Revox down.
REVOX_DOWN = {"method": "PATCH", "path": "/assistants/*", "status": 503}


# -- untouched forms ------------------------------------------------------------------------


def untouched_patch(slug: str, data: dict[str, Any]) -> dict[str, Any]:
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


def assert_untouched_form_keeps(slug: str, data: dict[str, Any]) -> None:
    """An untouched form of `slug` for an assistant shaped as `data` sends nothing Revox does
    not have, and what it sends is what Revox holds."""
    patch = untouched_patch(slug, data)
    assert all(data.get(key) == value for key, value in patch.items()), patch
    assert set(patch) <= set(data)


def group_changes_only(before: dict[str, Any], after: dict[str, Any], slug: str) -> None:
    """Nothing outside the group moved (updated_at aside)."""
    owned = set(GROUPS[slug].fields) | {"updated_at"}
    untouched = {k: v for k, v in before.items() if k not in owned}
    assert {k: after.get(k) for k in untouched} == untouched


# -- one group's editor, driven as a browser would ------------------------------------------


class GroupEditing:
    """The editor of one field group, used by `client` (a signed-in editor unless said
    otherwise), with the sandbox `revox` to read back what reached Revox."""

    def __init__(self, client, revox, slug: str) -> None:
        self.client, self.revox, self.slug = client, revox, slug

    @staticmethod
    def fixture(slug: str):
        """The `editing` fixture of a group's test module, for the signed-in editor:
        `editing = GroupEditing.fixture("sounds")`."""

        @pytest.fixture
        def editing(editor_client, revox) -> GroupEditing:
            return GroupEditing(editor_client, revox, slug)

        return editing

    def assert_untouched_saves_send_nothing(self) -> list[str]:
        """Open and save every cached assistant's editor without a change: no PATCH, no
        history. Returns the names of the assistants tried."""
        names = []
        for assistant in Assistant.objects.all():
            self.assert_untouched_save_sends_nothing(assistant.revox_id, assistant.name)
            names.append(assistant.name)
        assert names, "no assistant was tried"
        assert not Change.objects.exists()
        return names

    def assert_untouched_save_sends_nothing(self, assistant_id: str, name: str = "") -> None:
        """Open the assistant's editor and save it without a change: it goes through, and no
        PATCH reaches Revox."""
        response = self.save(assistant_id)
        assert response.status_code == 302, (name, response.content[-3000:])
        assert self.revox.requests("PATCH") == [], name

    def open(self, assistant_id: str):
        """GET the editor: (the answer, the untouched form data as a browser sends it)."""
        return open_editor(self.client, assistant_id, self.slug)

    def save(self, assistant_id: str, *, rows=None, untick=(), **changes):
        """Open the editor, forget the requests that took (what the sandbox logs afterwards is
        this save's alone) and post the form with `changes`. `rows`: how many rows to send per
        formset prefix, as the "Add" button makes; `untick`: boxes the user cleared (a browser
        does not send them). Returns the answer."""
        _, data = self.open(assistant_id)
        for prefix, count in (rows or {}).items():
            data.setlist(f"{prefix}-TOTAL_FORMS", [str(count)])
        for name in untick:
            data.pop(name)
        self.revox.clear_requests()
        return save(self.client, assistant_id, self.slug, data, **changes)

    def save_with_fault(self, assistant_id: str, fault: dict[str, Any], **changes):
        """Open the editor, then save `changes` while the sandbox answers the PATCH with
        `fault` (sandbox/README.md). Returns the answer."""
        _, data = self.open(assistant_id)
        self.revox.faults(fault)
        return save(self.client, assistant_id, self.slug, data, **changes)

    def save_refused_by_revox(self, assistant_id: str, errors: dict[str, list[str]], **changes):
        """Save `changes` while Revox answers the PATCH with a 400 naming `errors` by field
        path. Returns the answer."""
        refusal = {"method": "PATCH", "path": "/assistants/*", "status": 400, "errors": errors}
        return self.save_with_fault(assistant_id, refusal, **changes)

    def save_while_revox_fails(self, assistant_id: str, fault=REVOX_DOWN, **changes):
        """Save `changes` while the PATCH fails with `fault`: the form comes back with the
        reason above it, and history holds nothing. Returns the answer."""
        response = self.save_with_fault(assistant_id, fault, **changes)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert not Change.objects.exists()
        return response

    def save_over_a_teammates_change(self, assistant_id: str, theirs: dict, *, shows=(), **mine):
        """Open the editor, let a teammate PATCH `theirs` straight to Revox, then save `mine`:
        the answer is the conflict page, showing each text in `shows`, and nothing was sent.
        Returns that answer."""
        _, data = self.open(assistant_id)
        self.revox.patch(assistant_id, **theirs)
        self.revox.clear_requests()
        response = save(self.client, assistant_id, self.slug, data, **mine)
        assert response.status_code == 409
        page = response.content.decode()
        assert all(text in page for text in shows), [t for t in shows if t not in page]
        assert self.revox.requests("PATCH") == []
        return response

    def keep_mine(self, assistant_id: str, conflict) -> dict[str, Any]:
        """Submit the conflict page's form as it stands ("keep mine"): the save goes through.
        Returns the assistant as Revox now holds it."""
        response = save(self.client, assistant_id, self.slug, form_fields(conflict.content))
        assert response.status_code == 302
        return self.revox.get(assistant_id)

    def assert_saved_only_the_group(self, response, created: dict[str, Any], *, by) -> dict:
        """The save went through; one PATCH carried this group's fields and no other, nothing
        outside the group moved in Revox, and history holds one change of the group by `by`.
        Returns the assistant as Revox now holds it."""
        assert response.status_code == 302, response.content[-3000:]
        after = self.revox.get(created["id"])
        group_changes_only(created, after, self.slug)
        (patch,) = self.revox.requests("PATCH")
        assert set(patch["body_keys"]) <= set(GROUPS[self.slug].fields)
        change = Change.objects.get()
        assert (change.group, change.actor) == (self.slug, by)
        return after

    def assert_refused_before_revox(self, response, field: str, message: str, *, row=None):
        """The form came back with `message` on `field` (of formset row `row`, a (prefix,
        index) pair, when given) and nothing reached Revox."""
        assert response.status_code == 200
        form = response.context["form"]
        errors = form.errors if row is None else form.formsets[row[0]].forms[row[1]].errors
        assert field in errors and message in " ".join(errors[field]), errors
        assert self.revox.requests() == []

    def assert_read_only_for(self, viewer_client, assistant_id: str, **changes):
        """A viewer sees the editor read only, without a save button, and a save of `changes`
        is refused. Returns (the page, the form data a browser would send)."""
        response, data = open_editor(viewer_client, assistant_id, self.slug)
        page = response.content.decode()
        assert "You can look but not change" in page
        assert 'id="save-button"' not in page
        assert save(viewer_client, assistant_id, self.slug, data, **changes).status_code == 403
        return page, data
