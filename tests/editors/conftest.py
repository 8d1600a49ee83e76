"""Helpers for the field-group editor tests: open an editor as a browser would, save it."""

from __future__ import annotations

import pytest

from assistants.cache.services import assistants_sync
from tests.html_forms import as_post, form_fields


def editor_url(assistant_id: str, group: str) -> str:
    return f"/assistants/{assistant_id}/edit/{group}/"


def open_editor(client, assistant_id: str, group: str):
    """GET the editor and return (response, the untouched form data as a browser sends it)."""
    response = client.get(editor_url(assistant_id, group))
    assert response.status_code == 200, response.content[-2000:]
    return response, form_fields(response.content)


def save(client, assistant_id: str, group: str, data, **changes):
    return client.post(editor_url(assistant_id, group), as_post(data, **changes))


@pytest.fixture
def cached(revox, db):
    """Create an assistant in the sandbox with the given params and sync it into the cache.
    `older`: fields stored as an older Revox did (a key or a null today's API refuses)."""

    def make(older: dict | None = None, **params):
        created = revox.create(**params)
        if older:
            created = revox.plant(created["id"], **older)
        assistants_sync()
        return created

    return make
