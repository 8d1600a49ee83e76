"""Issue 19.5: "Listen" beside the first sentence in the general editor, through the voice
editor's preview (voices/preview/, cached); it plays the sentence as typed, in the voice Revox
holds, and saves nothing."""

from __future__ import annotations

import pytest

from assistants.models import Change
from tests.editors.conftest import open_editor, save

pytestmark = pytest.mark.django_db

KATIE = "6513270e-269e-4d37-b2a7-4de452e6b438"


def previews(revox) -> list[dict]:
    return [r for r in revox.requests("POST") if r["path"] == "/voices/preview"]


def test_listen_plays_the_first_sentence_as_typed_and_saves_nothing(cached, revox, editor_client):
    created = cached(
        first_sentence="Hello!", voice={"id": KATIE, "provider": "cartesia", "speed": 1.2}
    )
    response, data = open_editor(editor_client, created["id"], "general")
    page = response.content.decode()
    assert 'id="first-sentence-listen-button"' in page and "<audio" not in page  # nothing yet
    revox.clear_requests()

    response = save(editor_client, created["id"], "general", data, first_sentence="Hi {{first_name}}, it's Katie!",
                    preview="listen")  # fmt: skip

    assert response.status_code == 200
    form = response.context["form"]
    assert form.preview == {"provider": "cartesia", "voice_id": KATIE, "speed": 1.2,
                            "text": "Hi first name, it's Katie!"}  # fmt: skip
    page = response.content.decode()
    assert (
        'id="first-sentence-player" controls autoplay src="/voices/preview/?provider=cartesia'
        in page
    )
    assert "Hi {{first_name}}, it&#x27;s Katie!" in page  # what was typed stays in the box
    assert revox.requests("PATCH") == [] and not Change.objects.exists()
    assert revox.get(created["id"])["first_sentence"] == "Hello!"
    assert len(previews(revox)) == 1
    assert editor_client.get(form.player_url).status_code == 200  # from the cache
    assert len(previews(revox)) == 1


def test_without_a_voice_it_says_to_choose_one(cached, revox, editor_client):
    created = cached(first_sentence="Hello!", older={"voice": None})
    created_voice = revox.get(created["id"]).get("voice")
    assert not created_voice
    response, data = open_editor(editor_client, created["id"], "general")
    page = response.content.decode()
    assert "Choose a voice under Voice to listen to this sentence." in page
    assert 'id="first-sentence-listen-button"' not in page
    response = save(editor_client, created["id"], "general", data, preview="listen")
    assert "Pick a voice first" in response.content.decode() and previews(revox) == []


def test_a_refused_preview_is_said_beside_the_button(cached, revox, editor_client):
    created = cached(voice={"id": KATIE, "provider": "cartesia"})
    _, data = open_editor(editor_client, created["id"], "general")
    revox.faults({"path": "/voices/preview", "status": 503})
    response = save(editor_client, created["id"], "general", data, preview="listen")
    page = response.content.decode()
    assert 'id="first-sentence-listen-error"' in page and "<audio" not in page
    assert revox.requests("PATCH") == []
