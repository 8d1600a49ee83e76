"""Voice previews: voices/preview/ proxies Revox's POST /voices/preview (the key stays here),
caches each distinct preview, and says plainly what went wrong; "Listen" in the voice editor
works without JavaScript too."""

from __future__ import annotations

import io
import wave

import pytest

from assistants.editors.groups.voice.limits import speed_out_of_range
from assistants.editors.groups.voice.preview import (
    DEFAULT_PREVIEW_TEXT,
    PREVIEW_TEXT_MAX,
    PREVIEW_TEXT_TOO_LONG,
)
from assistants.editors.listen import PREVIEW_NEEDS_VOICE
from assistants.models import Change
from assistants.revox import UNAVAILABLE_MESSAGE
from tests.editors.conftest import editor_url, open_editor, save

pytestmark = pytest.mark.django_db

KATIE = "6513270e-269e-4d37-b2a7-4de452e6b438"
QUERY = {"provider": "cartesia", "voice_id": KATIE, "speed": "1.1", "text": "Hello there."}


def previews(revox) -> list[dict]:
    return [r for r in revox.requests("POST") if r["path"] == "/voices/preview"]


def seconds(response) -> float:
    with wave.open(io.BytesIO(response.content)) as sound:
        return sound.getnframes() / sound.getframerate()


def test_it_answers_audio_and_replays_from_the_cache(revox, viewer_client):
    response = viewer_client.get("/voices/preview/", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav" and seconds(response) > 0.3
    assert "private" in response["Cache-Control"]
    again = viewer_client.get("/voices/preview/", QUERY)
    assert again.content == response.content
    assert len(previews(revox)) == 1  # the replay cost no Revox call
    viewer_client.get("/voices/preview/", {**QUERY, "speed": "1.3"})
    viewer_client.get("/voices/preview/", {**QUERY, "text": "Something else."})
    assert len(previews(revox)) == 3  # each distinct preview is asked once


def test_volume_and_model_only_count_for_cartesia(revox, viewer_client):
    query = {"provider": "gradium", "voice_id": "emma-en", "text": "Hi."}
    viewer_client.get("/voices/preview/", query)
    viewer_client.get("/voices/preview/", {**query, "volume": "1.5", "model": "sonic-3.5"})
    (request,) = previews(revox)  # the same preview: Gradium ignores both
    assert request["body_keys"] == ["provider", "text", "voiceId"]


def test_blank_text_says_a_default_greeting(revox, viewer_client):
    blank = viewer_client.get("/voices/preview/", {**QUERY, "text": "  "})
    default = viewer_client.get("/voices/preview/", {**QUERY, "text": DEFAULT_PREVIEW_TEXT})
    assert blank.content == default.content and len(previews(revox)) == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({**QUERY, "speed": "1.6"}, speed_out_of_range("cartesia")),
        ({**QUERY, "text": "x" * (PREVIEW_TEXT_MAX + 1)}, PREVIEW_TEXT_TOO_LONG),
        ({**QUERY, "provider": "azure"}, "Provider:"),
        ({**QUERY, "voice_id": ""}, "Voice id:"),
        ({**QUERY, "speed": "fast"}, "Enter a number"),
    ],
)
def test_bad_input_is_refused_before_calling_revox(revox, viewer_client, query, message):
    response = viewer_client.get("/voices/preview/", query)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert previews(revox) == []


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"status": 400, "errors": {"voiceId": "no such cartesia voice"}},
         "Revox couldn't make this preview: the voice no such cartesia voice."),
        ({"status": 404}, "Revox doesn't know this voice"),
        ({"status": 503}, "Revox had an internal problem (503)"),
        ({"drop": True}, UNAVAILABLE_MESSAGE),
        ({"status": 200, "json": {"not": "audio"}}, "Revox sent an answer we could not read"),
        ({"status": 401}, "Revox rejected our API key"),
    ],
)  # fmt: skip
def test_a_revox_failure_is_said_plainly_never_a_500(revox, viewer_client, fault, message):
    revox.faults({"path": "/voices/preview", **fault})
    response = viewer_client.get("/voices/preview/", QUERY)
    assert response.status_code == 502
    assert message in response.json()["error"]
    revox.clear_faults()
    assert viewer_client.get("/voices/preview/", QUERY).status_code == 200  # not cached


def test_a_timeout_says_so(revox, viewer_client, settings):
    settings.REVOX_READ_TIMEOUT = 0.3
    revox.faults({"path": "/voices/preview", "delay_ms": 1000})
    response = viewer_client.get("/voices/preview/", QUERY)
    assert (
        response.json()["error"]
        == "Revox took too long to make the preview. Try again in a moment."
    )


def test_the_editor_starts_with_the_first_sentence_and_a_silent_player(cached, editor_client):
    created = cached(first_sentence="Hi {{first_name}}, it's Katie!", voice={"id": KATIE,
                     "provider": "cartesia", "speed": 1.2})  # fmt: skip
    response, data = open_editor(editor_client, created["id"], "voice")
    assert data["preview_text"] == "Hi first name, it's Katie!"  # variables read as words
    player = response.context["form"].player_url
    assert (
        player.startswith("/voices/preview/?provider=cartesia&voice_id=") and "speed=1.2" in player
    )
    page = response.content.decode()
    assert 'preload="none"' in page and 'id="voice-listen"' in page


def test_listen_without_javascript_plays_what_the_form_sets_and_saves_nothing(
    cached, revox, editor_client
):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.clear_requests()

    response = save(editor_client, created["id"], "voice", data, voice="gradium:emma-en",
                    speed="1.3", preview_text="Good morning!", preview="listen")  # fmt: skip

    assert response.status_code == 200
    form = response.context["form"]
    assert form.preview == {"provider": "gradium", "voice_id": "emma-en", "text": "Good morning!",
                            "speed": 1.3}  # fmt: skip
    page = response.content.decode()
    assert (
        "autoplay" in page and 'src="/voices/preview/?provider=gradium&amp;voice_id=emma-en' in page
    )
    assert revox.requests("PATCH") == [] and not Change.objects.exists()
    assert len(previews(revox)) == 1
    # The player then reads it from the cache: no second Revox call.
    assert editor_client.get(form.player_url).status_code == 200
    assert len(previews(revox)) == 1


def test_listen_without_javascript_shows_why_it_failed(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.faults({"path": "/voices/preview", "status": 503})
    response = save(editor_client, created["id"], "voice", data, preview="listen")
    assert response.status_code == 200
    assert "Revox had an internal problem (503)" in response.content.decode()
    assert response.context["form"]["voice"].value() == data["voice"]


def test_listen_needs_a_voice(cached, editor_client):
    created = cached(older={"voice": None})
    _, data = open_editor(editor_client, created["id"], "voice")
    response = save(editor_client, created["id"], "voice", data, preview="listen")
    assert response.context["form"].errors["voice"] == [PREVIEW_NEEDS_VOICE]


def test_viewers_may_listen_but_not_through_the_editor_form(cached, revox, viewer_client):
    created = cached()
    response, _ = open_editor(viewer_client, created["id"], "voice")
    assert response.context["form"].player_url  # the player of the saved voice works
    assert viewer_client.get(response.context["form"].player_url).status_code == 200
    post = viewer_client.post(editor_url(created["id"], "voice"), {"preview": "listen"})
    assert post.status_code == 403
