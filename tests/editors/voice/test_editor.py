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
from tests.editors.conftest import editor_url, open_editor
from tests.editors.group_support import GroupEditing
from tests.html_forms import as_post, form_fields

pytestmark = pytest.mark.django_db

KATIE = "cartesia:6513270e-269e-4d37-b2a7-4de452e6b438"
GEORGE = "elevenlabs:sTy4Qwb8DwkNhFdnXsiV"
EMMA = "gradium:emma-en"
CLONED_ID = "my-cloned-voice-0001"


editing = GroupEditing.fixture("voice")


def choice(name: str) -> str:
    voice = Voice.objects.get(name=name)
    return f"{voice.provider}:{voice.voice_id}"


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
def test_an_untouched_save_sends_nothing_whatever_the_stored_shape(cached, editing, revox, voice):
    # Planted: Revox may answer null (no voice, no speed), which a client can't send.
    created = cached(older={"voice": voice})
    editing.assert_untouched_save_sends_nothing(created["id"])
    assert revox.get(created["id"])["voice"] == voice


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


def test_it_saves_only_the_voice(cached, revox, editing, editor_client, editor):
    created = cached(name="Support line")

    response = editing.save(created["id"], voice=GEORGE, provider="elevenlabs", speed="1.1")

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    # Volume and model are Cartesia's: the Cartesia values the form still carried are dropped.
    assert after["voice"] == {"id": "sTy4Qwb8DwkNhFdnXsiV", "provider": "elevenlabs", "speed": 1.1}
    assert revox.requests("PATCH")[0]["body_keys"] == ["voice"]
    row = Assistant.objects.get(revox_id=created["id"])
    assert (row.voice_provider, row.voice_name) == ("elevenlabs", "George")
    change = Change.objects.get(kind="update")
    assert change.after["voice"]["id"] == "sTy4Qwb8DwkNhFdnXsiV"
    overview = editor_client.get(f"/assistants/{created['id']}/").content.decode()
    assert "George" in overview


def test_cartesia_volume_and_model_are_saved(cached, editing, revox):
    created = cached(voice={"id": "9531985d-5d9d-49f8-9818-e811892f902b", "provider": "cartesia"})

    editing.save(created["id"], volume="1.5", model="sonic-3.5")

    # Speed was left alone and Revox had none: it stays absent.
    assert revox.get(created["id"])["voice"] == {
        "id": "9531985d-5d9d-49f8-9818-e811892f902b", "provider": "cartesia",
        "volume": 1.5, "model": "sonic-3.5",
    }  # fmt: skip


def test_picking_another_voice_keeps_an_untouched_speed(cached, editing, revox):
    created = cached(voice={"id": "6513270e-269e-4d37-b2a7-4de452e6b438", "provider": "cartesia",
                            "speed": 0.85, "volume": 1.2})  # fmt: skip

    editing.save(created["id"], voice=choice("Sophie"))

    assert revox.get(created["id"])["voice"] == {
        "id": "6b0d549b-6f03-475a-9600-a35a099950d8", "provider": "cartesia", "speed": 0.85, "volume": 1.2,
    }  # fmt: skip


def test_a_voice_id_not_in_the_catalogue(cached, editing, revox):
    created = cached()

    editing.save(created["id"], voice="custom", custom_voice_id=f"  {CLONED_ID} ",
                 provider="gradium", speed="1.5")  # fmt: skip

    assert revox.get(created["id"])["voice"] == {
        "id": CLONED_ID,
        "provider": "gradium",
        "speed": 1.5,
    }
    _, data = editing.open(created["id"])
    assert data["voice"] == "custom" and data["custom_voice_id"] == CLONED_ID


def test_there_is_no_way_back_to_revox_default_voice(cached, editing, revox):
    # The official SDK types `voice` as an object: Revox takes no null back.
    created = cached()
    response = editing.save(created["id"], voice="default")
    assert response.context["form"].errors["voice"] == [NO_WAY_BACK_TO_DEFAULT]
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["voice"] == created["voice"]


def test_an_assistant_on_the_default_voice_can_get_one(cached, editing, revox):
    created = cached(older={"voice": None})
    editing.save(created["id"], voice=GEORGE)
    # The speed slider left at 1.0 says nothing: Revox's own default applies.
    assert revox.get(created["id"])["voice"] == {
        "id": "sTy4Qwb8DwkNhFdnXsiV",
        "provider": "elevenlabs",
    }


def test_a_null_speed_is_left_out_not_sent_back_as_null(cached, editing, revox):
    created = cached(older={"voice": {"id": "emma-en", "provider": "gradium", "speed": None}})
    editing.save(created["id"], voice="gradium:liam-en")
    assert revox.get(created["id"])["voice"] == {"id": "liam-en", "provider": "gradium"}


def test_the_voice_picked_decides_the_provider(cached, editing, revox):
    # Without JavaScript every voice shows: picking Emma while the switch says Cartesia means Gradium.
    created = cached()
    editing.save(created["id"], voice=EMMA, provider="cartesia")
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
def test_it_validates_before_calling_revox(cached, editing, changes, field, message):
    created = cached()
    response = editing.save(created["id"], **changes)
    editing.assert_refused_before_revox(response, field, message)


def test_no_voice_at_all_is_refused(cached, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "voice")
    post = as_post(data)
    del post["voice"]  # no radio checked
    response = editor_client.post(editor_url(created["id"], "voice"), post)
    assert response.context["form"].errors["voice"] == [PICK_A_VOICE]
    assert PICK_A_VOICE.replace("'", "&#x27;") in response.content.decode()


def test_volume_out_of_range_is_ignored_for_other_providers(cached, editing, revox):
    # The volume slider is hidden for ElevenLabs and its value is not sent.
    created = cached()
    response = editing.save(created["id"], voice=GEORGE, volume="7")
    assert response.status_code == 302
    assert "volume" not in revox.get(created["id"])["voice"]


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, editing):
    created = cached()

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"voice": {"id": "emma-en", "provider": "gradium"}}, voice=GEORGE,
        shows=["Someone changed voice since you opened it", "emma-en"],
    )  # fmt: skip

    assert form_fields(conflict.content)["voice"] == GEORGE  # what the user picked is kept
    assert editing.keep_mine(created["id"], conflict)["voice"]["id"] == "sTy4Qwb8DwkNhFdnXsiV"


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
def test_a_revox_validation_error_lands_on_its_field(cached, editing, path, changes, field):
    created = cached()

    response = editing.save_refused_by_revox(created["id"], {path: ["not accepted"]}, **changes)

    assert response.context["form"].errors[field] == ["not accepted"]


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, editing, revox):
    created = cached()

    response = editing.save_while_revox_fails(created["id"], voice=GEORGE, speed="1.15")

    kept = form_fields(response.content)
    assert kept["voice"] == GEORGE and kept["speed"] == "1.15"
    assert revox.get(created["id"])["voice"] == created["voice"]


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


def test_viewers_see_it_read_only_and_cannot_save(cached, editing, viewer_client):
    created = cached()
    _, data = editing.assert_read_only_for(viewer_client, created["id"], voice=GEORGE)
    # Every control sits in the disabled fieldset.
    assert "voice" not in data and "speed" not in data


def test_the_overview_describes_a_voice_without_volume(cached, editor_client):
    created = cached(older={"voice": {"id": "6513270e-269e-4d37-b2a7-4de452e6b438",
                                      "provider": "cartesia", "volume": None}})  # fmt: skip
    page = editor_client.get(f"/assistants/{created['id']}/").content.decode()
    assert "Katie" in page
    assert "Volume</dt><dd><bdi>1.0× (default)</bdi></dd>" in page
    assert describe(created, voice_name="Katie")[3] == ("Volume", "1.0× (default)")
