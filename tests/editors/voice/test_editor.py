"""The voice editor: a voice from the catalogue or a typed id, speed, and Cartesia's extras."""

from __future__ import annotations

import json

import pytest

from assistants.editors.groups.voice.describe import describe
from assistants.editors.groups.voice.form import (
    CUSTOM_ID_REQUIRED,
    CUSTOM_PROVIDER_REQUIRED,
    NO_WAY_BACK_TO_DEFAULT,
    PICK_A_VOICE,
    VoiceForm,
)
from assistants.editors.groups.voice.limits import VOLUME_OUT_OF_RANGE, speed_out_of_range
from assistants.models import Assistant, Change, Voice
from tests.editors.conftest import editor_url, open_editor, save
from tests.html_forms import as_post, form_fields

pytestmark = pytest.mark.django_db

KATIE = "cartesia:6513270e-269e-4d37-b2a7-4de452e6b438"
GEORGE = "elevenlabs:sTy4Qwb8DwkNhFdnXsiV"
EMMA = "gradium:emma-en"
CLONED_ID = "my-cloned-voice-0001"


def choice(name: str) -> str:
    voice = Voice.objects.get(name=name)
    return f"{voice.provider}:{voice.voice_id}"


def test_an_untouched_save_sends_nothing_for_every_demo_assistant(synced, editor_client):
    for assistant in Assistant.objects.all():
        _, data = open_editor(editor_client, assistant.revox_id, "voice")
        synced.clear_requests()
        response = save(editor_client, assistant.revox_id, "voice", data)
        assert response.status_code == 302, (assistant.name, response.content[-1500:])
        assert synced.requests("PATCH") == [], assistant.name
    assert not Change.objects.filter(kind="update").exists()


@pytest.mark.parametrize(
    "voice",
    [
        None,  # Revox's default voice
        {"id": "pfKtHF4vUCsMehGAkWvj", "provider": "elevenlabs"},  # no speed at all
        {
            "id": "6513270e-269e-4d37-b2a7-4de452e6b438",
            "provider": "cartesia",
            "speed": 0.93,
        },  # off the slider's steps
        {
            "id": CLONED_ID,
            "provider": "cartesia",
            "speed": 1.2,
            "volume": 0.75,
            "model": "sonic-3.5",
        },
        {"id": "emma-en", "provider": "gradium", "speed": None},
    ],
)
def test_an_untouched_save_sends_nothing_whatever_the_stored_shape(
    cached, revox, editor_client, voice
):
    # Planted: Revox may answer null (no voice, no speed), which a client can't send.
    created = cached(older={"voice": voice})
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.clear_requests()

    response = save(editor_client, created["id"], "voice", data)

    assert response.status_code == 302
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["voice"] == voice


def test_a_bare_assistant_round_trips_untouched(cached, revox, editor_client):
    created = cached()  # only name and prompt: Revox fills its default voice in
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.clear_requests()
    save(editor_client, created["id"], "voice", data)
    assert revox.requests("PATCH") == []


def test_an_api_without_the_voice_field_is_left_alone(synced):
    # An older Revox answer with no `voice` key: the form shows the default and sends nothing.
    assistant: dict = {"id": "old", "name": "Old shape"}
    initial = VoiceForm.initial_from(assistant)
    form = VoiceForm(as_post_dict(initial), assistant=assistant)
    assert form.is_valid(), form.errors
    assert form.to_patch(assistant) == {}


def as_post_dict(initial: dict) -> dict:
    return {k: "" if v is None else str(v) for k, v in initial.items()}


def test_the_page_shows_the_catalogue_and_the_chosen_voice(cached, editor_client):
    created = cached(voice={"id": "sTy4Qwb8DwkNhFdnXsiV", "provider": "elevenlabs", "speed": 1.05})
    response, data = open_editor(editor_client, created["id"], "voice")
    page = response.content.decode()
    assert data["voice"] == GEORGE and data["provider"] == "elevenlabs"
    assert data["speed"] == "1.05"
    assert "George (ElevenLabs)" in page  # "Selected: …"
    assert 'min="0.7"' in page and 'max="1.2"' in page  # the slider follows the provider
    # Revox takes no voice back to its default once one is set: no such choice is offered.
    assert page.count('name="voice"') == Voice.objects.count() + 1  # + typed id
    assert "Revox default voice" not in page
    assert "Nadia (clone)" in page and "Cloned" in page


def test_revox_default_voice_is_shown_as_such(cached, editor_client):
    created = cached(older={"voice": None})
    response, data = open_editor(editor_client, created["id"], "voice")
    assert data["voice"] == "default"
    assert "Selected: <strong" in response.content.decode()
    assert "Revox default voice" in response.content.decode()


def test_it_saves_only_the_voice(cached, revox, editor_client, editor):
    created = cached(name="Support line")
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.clear_requests()

    response = save(editor_client, created["id"], "voice", data, voice=GEORGE, provider="elevenlabs",
                    speed="1.1")  # fmt: skip

    assert response.status_code == 302
    after = revox.get(created["id"])
    # Volume and model are Cartesia's: the Cartesia values the form still carried are dropped.
    assert after["voice"] == {"id": "sTy4Qwb8DwkNhFdnXsiV", "provider": "elevenlabs", "speed": 1.1}
    untouched = {k: v for k, v in created.items() if k not in {"voice", "updated_at"}}
    assert {k: after[k] for k in untouched} == untouched
    (patch,) = revox.requests("PATCH")
    assert patch["body_keys"] == ["voice"]
    row = Assistant.objects.get(revox_id=created["id"])
    assert (row.voice_provider, row.voice_name) == ("elevenlabs", "George")
    change = Change.objects.get(kind="update")
    assert (change.group, change.actor) == ("voice", editor)
    assert change.after["voice"]["id"] == "sTy4Qwb8DwkNhFdnXsiV"
    overview = editor_client.get(f"/assistants/{created['id']}/").content.decode()
    assert "George" in overview


def test_cartesia_volume_and_model_are_saved(cached, revox, editor_client):
    created = cached(voice={"id": "9531985d-5d9d-49f8-9818-e811892f902b", "provider": "cartesia"})
    _, data = open_editor(editor_client, created["id"], "voice")

    save(editor_client, created["id"], "voice", data, volume="1.5", model="sonic-3.5")

    # Speed was left alone and Revox had none: it stays absent.
    assert revox.get(created["id"])["voice"] == {
        "id": "9531985d-5d9d-49f8-9818-e811892f902b", "provider": "cartesia",
        "volume": 1.5, "model": "sonic-3.5",
    }  # fmt: skip


def test_picking_another_voice_keeps_an_untouched_speed(cached, revox, editor_client):
    created = cached(voice={"id": "6513270e-269e-4d37-b2a7-4de452e6b438", "provider": "cartesia",
                            "speed": 0.85, "volume": 1.2})  # fmt: skip
    _, data = open_editor(editor_client, created["id"], "voice")

    save(editor_client, created["id"], "voice", data, voice=choice("Sophie"))

    assert revox.get(created["id"])["voice"] == {
        "id": "6b0d549b-6f03-475a-9600-a35a099950d8", "provider": "cartesia", "speed": 0.85, "volume": 1.2,
    }  # fmt: skip


def test_a_voice_id_not_in_the_catalogue(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")

    save(editor_client, created["id"], "voice", data, voice="custom", custom_voice_id=f"  {CLONED_ID} ",
         provider="gradium", speed="1.5")  # fmt: skip

    assert revox.get(created["id"])["voice"] == {
        "id": CLONED_ID,
        "provider": "gradium",
        "speed": 1.5,
    }
    _, data = open_editor(editor_client, created["id"], "voice")
    assert data["voice"] == "custom" and data["custom_voice_id"] == CLONED_ID


def test_there_is_no_way_back_to_revox_default_voice(cached, revox, editor_client):
    # The official SDK types `voice` as an object: Revox takes no null back.
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.clear_requests()
    response = save(editor_client, created["id"], "voice", data, voice="default")
    assert response.context["form"].errors["voice"] == [NO_WAY_BACK_TO_DEFAULT]
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["voice"] == created["voice"]


def test_an_assistant_on_the_default_voice_can_get_one(cached, revox, editor_client):
    created = cached(older={"voice": None})
    _, data = open_editor(editor_client, created["id"], "voice")
    save(editor_client, created["id"], "voice", data, voice=GEORGE)
    # The speed slider left at 1.0 says nothing: Revox's own default applies.
    assert revox.get(created["id"])["voice"] == {
        "id": "sTy4Qwb8DwkNhFdnXsiV",
        "provider": "elevenlabs",
    }


def test_a_null_speed_is_left_out_not_sent_back_as_null(cached, revox, editor_client):
    created = cached(older={"voice": {"id": "emma-en", "provider": "gradium", "speed": None}})
    _, data = open_editor(editor_client, created["id"], "voice")
    save(editor_client, created["id"], "voice", data, voice="gradium:liam-en")
    assert revox.get(created["id"])["voice"] == {"id": "liam-en", "provider": "gradium"}


def test_the_voice_picked_decides_the_provider(cached, revox, editor_client):
    # Without JavaScript every voice shows: picking Emma while the switch says Cartesia means Gradium.
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    save(editor_client, created["id"], "voice", data, voice=EMMA, provider="cartesia")
    assert revox.get(created["id"])["voice"] == {
        "id": "emma-en",
        "provider": "gradium",
        "speed": 1.0,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"voice": GEORGE, "speed": "1.3"}, "speed", speed_out_of_range("elevenlabs")),
        ({"voice": GEORGE, "speed": "0.65"}, "speed", speed_out_of_range("elevenlabs")),
        ({"voice": KATIE, "speed": "1.55"}, "speed", speed_out_of_range("cartesia")),
        ({"voice": KATIE, "speed": "0.55"}, "speed", speed_out_of_range("cartesia")),
        ({"voice": EMMA, "speed": "1.6"}, "speed", speed_out_of_range("gradium")),
        ({"voice": KATIE, "speed": "fast"}, "speed", "Enter a number"),
        ({"voice": KATIE, "volume": "2.05"}, "volume", VOLUME_OUT_OF_RANGE),
        ({"voice": KATIE, "volume": "0.45"}, "volume", VOLUME_OUT_OF_RANGE),
        ({"voice": KATIE, "model": "sonic-4"}, "model", "valid choice"),
        ({"voice": "custom", "custom_voice_id": "  "}, "custom_voice_id", CUSTOM_ID_REQUIRED),
        (
            {"voice": "custom", "custom_voice_id": "abc", "provider": ""},
            "provider",
            CUSTOM_PROVIDER_REQUIRED,
        ),
        (
            {"voice": "custom", "custom_voice_id": "abc", "provider": "playht"},
            "provider",
            "valid choice",
        ),
        ({"voice": "cartesia:no-such-voice"}, "voice", "valid choice"),
        ({"voice": ""}, "voice", PICK_A_VOICE),
    ],
)
def test_it_validates_before_calling_revox(cached, revox, editor_client, changes, field, message):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.clear_requests()

    response = save(editor_client, created["id"], "voice", data, **changes)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert revox.requests() == []


def test_no_voice_at_all_is_refused(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    post = as_post(data)
    del post["voice"]  # no radio checked
    response = editor_client.post(editor_url(created["id"], "voice"), post)
    assert response.context["form"].errors["voice"] == [PICK_A_VOICE]
    assert PICK_A_VOICE.replace("'", "&#x27;") in response.content.decode()


def test_volume_out_of_range_is_ignored_for_other_providers(cached, revox, editor_client):
    # The volume slider is hidden for ElevenLabs and its value is not sent.
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    response = save(editor_client, created["id"], "voice", data, voice=GEORGE, volume="7")
    assert response.status_code == 302
    assert "volume" not in revox.get(created["id"])["voice"]


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.patch(created["id"], voice={"id": "emma-en", "provider": "gradium"})
    revox.clear_requests()

    response = save(editor_client, created["id"], "voice", data, voice=GEORGE)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone changed voice since you opened it" in page and "emma-en" in page
    assert form_fields(response.content)["voice"] == GEORGE  # what the user picked is kept
    assert revox.requests("PATCH") == []
    response = save(editor_client, created["id"], "voice", form_fields(response.content))
    assert response.status_code == 302
    assert revox.get(created["id"])["voice"]["id"] == "sTy4Qwb8DwkNhFdnXsiV"


@pytest.mark.parametrize(
    ("path", "changes", "field"),
    [
        ("voice.speed", {"voice": KATIE, "speed": "1.2"}, "speed"),
        ("voice.volume", {"voice": KATIE, "volume": "1.3"}, "volume"),
        ("voice.model", {"voice": KATIE, "model": "sonic-3.5"}, "model"),
        (
            "voice.provider",
            {"voice": "custom", "custom_voice_id": "x1", "provider": "gradium"},
            "provider",
        ),
        (
            "voice.id",
            {"voice": "custom", "custom_voice_id": "x1", "provider": "gradium"},
            "custom_voice_id",
        ),
        ("voice.id", {"voice": GEORGE}, "voice"),
    ],
)
def test_a_revox_validation_error_lands_on_its_field(
    cached, revox, editor_client, path, changes, field
):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.faults(
        {
            "method": "PATCH",
            "path": "/assistants/*",
            "status": 400,
            "errors": {path: ["not accepted"]},
        }
    )

    response = save(editor_client, created["id"], "voice", data, **changes)

    assert response.context["form"].errors[field] == ["not accepted"]


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 503})

    response = save(editor_client, created["id"], "voice", data, voice=GEORGE, speed="1.15")

    assert response.status_code == 200
    kept = form_fields(response.content)
    assert kept["voice"] == GEORGE and kept["speed"] == "1.15"
    assert response.context["form"].non_field_errors()
    assert revox.get(created["id"])["voice"] == created["voice"]
    assert not Change.objects.filter(kind="update").exists()


def test_htmx_saves_in_place(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    response = editor_client.post(editor_url(created["id"], "voice"), as_post(data, voice=EMMA),
                                  HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200 and b"<html" not in response.content
    assert (
        json.loads(response["HX-Trigger-After-Settle"])["revox:toast"][0]["message"]
        == "Voice saved to Revox."
    )
    assert form_fields(response.content)["voice"] == EMMA
    assert revox.get(created["id"])["voice"]["id"] == "emma-en"


def test_viewers_see_it_read_only_and_cannot_save(cached, revox, viewer_client):
    created = cached()
    response, data = open_editor(viewer_client, created["id"], "voice")
    assert "You can look but not change" in response.content.decode()
    assert b'id="save-button"' not in response.content
    assert (
        "voice" not in data and "speed" not in data
    )  # every control sits in the disabled fieldset
    response = save(viewer_client, created["id"], "voice", data, voice=GEORGE)
    assert response.status_code == 403


def test_the_overview_describes_a_voice_without_volume(cached, editor_client):
    created = cached(older={"voice": {"id": "6513270e-269e-4d37-b2a7-4de452e6b438",
                                      "provider": "cartesia", "volume": None}})  # fmt: skip
    page = editor_client.get(f"/assistants/{created['id']}/").content.decode()
    assert "Katie" in page
    assert "Volume</dt><dd>1.0× (default)</dd>" in page
    assert describe(created, voice_name="Katie")[3] == ("Volume", "1.0× (default)")
