"""Revox answers GET /assistants/{id} with the assistant itself (the official SDK's
AssistantRetrieveResponse); some of its documentation pages show it wrapped in
{"assistant": …}. Every editor opens and saves against either."""

from __future__ import annotations

import pytest

from assistants.editors.groups import GROUPS
from assistants.models import Change
from sandbox import demo
from tests.editors.conftest import open_editor, save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("shape", ["flat", "wrapped"])
def test_every_editor_opens_and_saves_whatever_the_shape(synced, editor_client, shape):
    synced.retrieve_shape(shape)
    for slug in GROUPS:
        response, data = open_editor(editor_client, demo.HOTEL, slug)
        assert "can't be reached" not in response.content.decode(), slug
        synced.clear_requests()
        assert save(editor_client, demo.HOTEL, slug, data).status_code == 302, slug
        assert synced.requests("PATCH") == [], slug  # read right: nothing looked changed

    _, data = open_editor(editor_client, demo.HOTEL, "general")
    response = save(editor_client, demo.HOTEL, "general", data, name=f"Linden ({shape})")
    assert response.status_code == 302
    assert synced.get(demo.HOTEL)["name"] == f"Linden ({shape})"
    assert Change.objects.get(kind="update").after["name"] == f"Linden ({shape})"
