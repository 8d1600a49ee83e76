"""The shape every field group's editor tests share: open the editor as a browser would, post
the form, read back from the sandbox what reached Revox, and check what history stored.

Each helper asserts what its name says and returns what the test goes on to check (the answer,
the page, or the assistant as Revox now holds it), so a test states only what is its group's own.
"""

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

# Sandbox faults (sandbox/README.md) for the PATCH a save sends.
REVOX_DOWN = {"method": "PATCH", "path": "/assistants/*", "status": 503}


def revox_refuses(errors: dict[str, list[str]]) -> dict[str, Any]:
    """The fault of a PATCH that Revox answers with a 400 naming `errors` by field path."""
    return {"method": "PATCH", "path": "/assistants/*", "status": 400, "errors": errors}


# -- untouched forms ------------------------------------------------------------------------


def untouched_saves_send_nothing(client, revox, slug: str) -> list[str]:
    """Open and save every cached assistant's `slug` editor without a change: no PATCH, no
    history. Returns the names of the assistants tried."""
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
    return names


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


def assert_untouched_form_sends_only_what_it_holds(slug: str, data: dict[str, Any]) -> None:
    """An untouched form of `slug` for an assistant shaped as `data` sends nothing Revox does
    not have, and what it sends is what Revox holds."""
    patch = untouched_patch(slug, data)
    assert all(data.get(key) == value for key, value in patch.items()), patch
    assert set(patch) <= set(data)


# -- saving -----------------------------------------------------------------------------------


def save_group(client, revox, assistant_id: str, slug: str, *, rows=None, untick=(), **changes):
    """Open `slug`'s editor on the assistant, forget the requests that took (what the sandbox
    logs afterwards is this save's alone) and post the form with `changes`. `rows`: how many
    rows to send per formset prefix, as the "Add" button makes; `untick`: boxes the user
    cleared (a browser does not send them). Returns the answer."""
    _, data = open_editor(client, assistant_id, slug)
    for prefix, count in (rows or {}).items():
        data.setlist(f"{prefix}-TOTAL_FORMS", [str(count)])
    for name in untick:
        data.pop(name)
    revox.clear_requests()
    return save(client, assistant_id, slug, data, **changes)


def save_with_fault(client, revox, assistant_id: str, slug: str, fault: dict, **changes):
    """Open the editor, then save `changes` while the sandbox answers the PATCH with `fault`."""
    _, data = open_editor(client, assistant_id, slug)
    revox.faults(fault)
    return save(client, assistant_id, slug, data, **changes)


def group_changes_only(before: dict[str, Any], after: dict[str, Any], slug: str) -> None:
    """Nothing outside the group moved (updated_at aside)."""
    owned = set(GROUPS[slug].fields) | {"updated_at"}
    untouched = {k: v for k, v in before.items() if k not in owned}
    assert {k: after.get(k) for k in untouched} == untouched


def assert_saved_only_the_group(response, revox, created: dict, slug: str, *, by) -> dict:
    """The save went through; one PATCH carried `slug`'s fields and no other, nothing outside
    the group moved in Revox, and history holds one change of the group by `by`. Returns the
    assistant as Revox now holds it."""
    assert response.status_code == 302, response.content[-3000:]
    after = revox.get(created["id"])
    group_changes_only(created, after, slug)
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) <= set(GROUPS[slug].fields)
    change = Change.objects.get()
    assert (change.group, change.actor) == (slug, by)
    return after


def assert_refused_before_revox(response, revox, field: str, message: str, *, row=None) -> None:
    """The form came back with `message` on `field` (of formset row `row`, a (prefix, index)
    pair, when given) and nothing reached Revox."""
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors if row is None else form.formsets[row[0]].forms[row[1]].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert revox.requests() == []


def assert_failed_and_nothing_stored(response) -> None:
    """A save Revox failed: the form came back with the reason above it, and history holds
    nothing."""
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Change.objects.exists()


# -- conflicts ------------------------------------------------------------------------------


def save_over_a_teammates_change(client, revox, assistant_id: str, slug: str, theirs: dict,
                                 **mine):  # fmt: skip
    """Open the editor, let a teammate PATCH `theirs` straight to Revox, then save `mine`: the
    answer is the conflict page and nothing was sent. Returns that answer."""
    _, data = open_editor(client, assistant_id, slug)
    revox.patch(assistant_id, **theirs)
    revox.clear_requests()
    response = save(client, assistant_id, slug, data, **mine)
    assert response.status_code == 409
    assert revox.requests("PATCH") == []
    return response


def keep_mine(client, revox, assistant_id: str, slug: str, conflict) -> dict:
    """Submit the conflict page's form as it stands ("keep mine"): the save goes through.
    Returns the assistant as Revox now holds it."""
    response = save(client, assistant_id, slug, form_fields(conflict.content))
    assert response.status_code == 302
    return revox.get(assistant_id)


# -- viewers --------------------------------------------------------------------------------


def assert_read_only_for_viewers(viewer_client, assistant_id: str, slug: str, **changes):
    """A viewer sees the editor read only, without a save button, and a save is refused.
    Returns (the page, the form data a browser would send)."""
    response, data = open_editor(viewer_client, assistant_id, slug)
    page = response.content.decode()
    assert "You can look but not change" in page
    assert 'id="save-button"' not in page
    assert save(viewer_client, assistant_id, slug, data, **changes).status_code == 403
    return page, data
