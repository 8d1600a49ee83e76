"""The sounds editor: background noise and the thinking sound, with their levels."""

from __future__ import annotations

import pytest

from assistants.editors.groups import GROUPS
from assistants.editors.groups.sounds import form as sounds
from assistants.models import Change
from tests.editors.conftest import open_editor, save
from tests.editors.group_support import (
    FLOW_DATA,
    group_changes_only,
    older_shape_patch,
    untouched_saves_send_nothing,
)
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db
SOUNDS = set(GROUPS["sounds"].fields)
OFFICE = {
    "background_sound": "audio/office.ogg",
    "background_sound_volume": 0.2,
    "thinking_sound": "keyboard-typing.ogg",
    "thinking_sound_probability": 0.4,
    "thinking_sound_volume": 0.25,
}


def test_an_untouched_save_sends_nothing_for_every_demo_assistant(synced, editor_client):
    untouched_saves_send_nothing(editor_client, synced, "sounds")


def test_an_untouched_save_sends_nothing_for_a_bare_assistant(cached, revox, editor_client):
    cached()
    untouched_saves_send_nothing(editor_client, revox, "sounds")


@pytest.mark.parametrize(
    "data",
    [
        {"id": "old", "name": "Older API"},  # no sound field at all
        {"id": "odd", "background_sound": None, "background_sound_volume": 0.333,
         "thinking_sound": "", "thinking_sound_probability": 1, "thinking_sound_volume": 0},
        {"id": "new", "thinking_sound": "rain.ogg", "background_sound": "audio/cafe.ogg"},
    ],
)  # fmt: skip
def test_an_untouched_form_keeps_what_any_shape_of_assistant_holds(data):
    patch = older_shape_patch("sounds", data)
    assert all(data.get(key) == value for key, value in patch.items()), patch
    assert set(patch) <= set(data)


def test_the_page_names_the_clips_and_shows_levels_in_percent(cached, editor_client):
    created = cached(**OFFICE)
    response, data = open_editor(editor_client, created["id"], "sounds")
    page = response.content.decode()
    assert ">Keyboard typing</option>" in page and "None (silence)" in page
    assert ">20%</output>" in page and ">40% of turns</output>" in page and ">25%</output>" in page
    assert data["thinking_sound"] == "keyboard-typing.ogg" and data["background_on"] == "on"


def test_it_saves_only_the_sound_fields(cached, revox, editor_client, editor):
    created = cached(**FLOW_DATA)
    _, data = open_editor(editor_client, created["id"], "sounds")
    revox.clear_requests()

    response = save(
        editor_client, created["id"], "sounds", data,
        background_on="on", background_sound_volume="0.45", thinking_sound="hold_music.ogg",
        thinking_sound_probability="1", thinking_sound_volume="0.1",
    )  # fmt: skip

    assert response.status_code == 302, response.content[-3000:]
    after = revox.get(created["id"])
    assert after["background_sound"] == "audio/office.ogg"
    assert after["background_sound_volume"] == 0.45
    assert after["thinking_sound"] == "hold_music.ogg"
    assert (after["thinking_sound_probability"], after["thinking_sound_volume"]) == (1, 0.1)
    group_changes_only(created, after, "sounds")
    assert {k: after[k] for k in FLOW_DATA} == FLOW_DATA
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) <= SOUNDS
    change = Change.objects.get()
    assert (change.group, change.actor) == ("sounds", editor)


def test_switching_sounds_off_sends_null_and_keeps_the_levels(cached, revox, editor_client):
    created = cached(**OFFICE)
    _, data = open_editor(editor_client, created["id"], "sounds")
    revox.clear_requests()
    data.pop("background_on")  # an unticked box is not sent

    save(editor_client, created["id"], "sounds", data, thinking_sound="")

    after = revox.get(created["id"])
    assert after["background_sound"] is None and after["thinking_sound"] is None
    assert after["background_sound_volume"] == 0.2 and after["thinking_sound_probability"] == 0.4
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) <= SOUNDS


def test_a_slider_snapped_to_the_nearest_percent_is_not_a_change(cached, revox, editor_client):
    created = cached(background_sound_volume=0.333)
    _, data = open_editor(editor_client, created["id"], "sounds")
    revox.clear_requests()
    # A browser's range input rounds its value to the step (0.01).
    response = save(editor_client, created["id"], "sounds", data, background_sound_volume="0.33")
    assert response.status_code == 302
    assert revox.requests("PATCH") == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"background_sound_volume": "1.5"}, "background_sound_volume", sounds.LEVEL_RANGE_MESSAGE),
        ({"background_sound_volume": "-0.1"}, "background_sound_volume", sounds.LEVEL_RANGE_MESSAGE),
        ({"thinking_sound_probability": "2"}, "thinking_sound_probability", sounds.LEVEL_RANGE_MESSAGE),
        ({"thinking_sound_volume": ""}, "thinking_sound_volume", sounds.LEVEL_RANGE_MESSAGE),
        ({"thinking_sound_volume": "loud"}, "thinking_sound_volume", "Enter a number"),
        ({"thinking_sound": "rain.ogg"}, "thinking_sound", "valid choice"),
    ],
)  # fmt: skip
def test_it_validates_before_calling_revox(cached, revox, editor_client, changes, field, message):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "sounds")
    revox.clear_requests()

    response = save(editor_client, created["id"], "sounds", data, **changes)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert revox.requests() == []


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, revox, editor_client):
    created = cached(**OFFICE)
    _, data = open_editor(editor_client, created["id"], "sounds")
    revox.patch(created["id"], thinking_sound="forest-ambience.ogg")
    revox.clear_requests()

    response = save(editor_client, created["id"], "sounds", data, thinking_sound_volume="0.9")

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone changed sounds since you opened it" in page and "forest-ambience.ogg" in page
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["thinking_sound_volume"] == 0.25

    response = save(editor_client, created["id"], "sounds", form_fields(response.content))
    assert response.status_code == 302
    after = revox.get(created["id"])
    assert (
        after["thinking_sound_volume"] == 0.9 and after["thinking_sound"] == "keyboard-typing.ogg"
    )


def test_a_revox_validation_error_lands_on_its_field(cached, revox, editor_client):
    created = cached(**OFFICE)
    _, data = open_editor(editor_client, created["id"], "sounds")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 400,
                  "errors": {"thinking_sound": ["is not available on your plan"]}})  # fmt: skip

    response = save(editor_client, created["id"], "sounds", data, thinking_sound="hold_music.ogg")

    form = response.context["form"]
    assert form.errors["thinking_sound"] == ["is not available on your plan"]
    assert '<option value="hold_music.ogg" selected>' in response.content.decode()


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editor_client):
    created = cached(**OFFICE)
    _, data = open_editor(editor_client, created["id"], "sounds")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 503})

    response = save(editor_client, created["id"], "sounds", data, background_sound_volume="0.8")

    assert response.status_code == 200
    assert 'value="0.8"' in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert revox.get(created["id"])["background_sound_volume"] == 0.2
    assert not Change.objects.exists()


def test_viewers_see_it_read_only_and_cannot_save(cached, revox, viewer_client):
    created = cached(**OFFICE)
    response, data = open_editor(viewer_client, created["id"], "sounds")
    assert "You can look but not change" in response.content.decode()
    assert b'id="save-button"' not in response.content
    response = save(viewer_client, created["id"], "sounds", data, thinking_sound="")
    assert response.status_code == 403
