"""The sounds editor: background noise and the thinking sound, with their levels."""

from __future__ import annotations

import pytest

from assistants.editors.groups import GROUPS
from assistants.editors.groups.sounds import form as sounds
from tests.editors.conftest import open_editor
from tests.editors.group_support import FLOW_DATA, GroupEditing, assert_untouched_form_keeps

pytestmark = pytest.mark.django_db
SOUNDS = set(GROUPS["sounds"].fields)
OFFICE = {
    "background_sound": "audio/office.ogg",
    "background_sound_volume": 0.2,
    "thinking_sound": "keyboard-typing.ogg",
    "thinking_sound_probability": 0.4,
    "thinking_sound_volume": 0.25,
}


editing = GroupEditing.fixture("sounds")


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
    assert_untouched_form_keeps("sounds", data)


def test_the_page_names_the_clips_and_shows_levels_in_percent(cached, editor_client):
    created = cached(**OFFICE)
    response, data = open_editor(editor_client, created["id"], "sounds")
    page = response.content.decode()
    assert ">Keyboard typing</option>" in page and "None (silence)" in page
    assert ">20%</output>" in page and ">40% of turns</output>" in page and ">25%</output>" in page
    assert data["thinking_sound"] == "keyboard-typing.ogg" and data["background_on"] == "on"


def test_it_saves_only_the_sound_fields(cached, editing, editor):
    created = cached(**FLOW_DATA)

    response = editing.save(
        created["id"], background_on="on", background_sound_volume="0.45",
        thinking_sound="hold_music.ogg", thinking_sound_probability="1", thinking_sound_volume="0.1",
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    assert after["background_sound"] == "audio/office.ogg"
    assert after["background_sound_volume"] == 0.45
    assert after["thinking_sound"] == "hold_music.ogg"
    assert (after["thinking_sound_probability"], after["thinking_sound_volume"]) == (1, 0.1)
    assert {k: after[k] for k in FLOW_DATA} == FLOW_DATA


def test_switching_sounds_off_sends_null_and_keeps_the_levels(cached, revox, editing):
    created = cached(**OFFICE)

    editing.save(created["id"], untick=["background_on"], thinking_sound="")

    after = revox.get(created["id"])
    assert after["background_sound"] is None and after["thinking_sound"] is None
    assert after["background_sound_volume"] == 0.2 and after["thinking_sound_probability"] == 0.4
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) <= SOUNDS


def test_a_slider_snapped_to_the_nearest_percent_is_not_a_change(cached, revox, editing):
    created = cached(background_sound_volume=0.333)
    # A browser's range input rounds its value to the step (0.01).
    response = editing.save(created["id"], background_sound_volume="0.33")
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
def test_it_validates_before_calling_revox(cached, editing, changes, field, message):
    created = cached()
    response = editing.save(created["id"], **changes)
    editing.assert_refused_before_revox(response, field, message)


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, revox, editing):
    created = cached(**OFFICE)

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"thinking_sound": "forest-ambience.ogg"}, thinking_sound_volume="0.9",
        shows=["Someone changed sounds since you opened it", "forest-ambience.ogg"],
    )  # fmt: skip

    assert revox.get(created["id"])["thinking_sound_volume"] == 0.25
    after = editing.keep_mine(created["id"], conflict)
    assert after["thinking_sound_volume"] == 0.9
    assert after["thinking_sound"] == "keyboard-typing.ogg"


def test_a_revox_validation_error_lands_on_its_field(cached, editing):
    created = cached(**OFFICE)
    errors = {"thinking_sound": ["is not available on your plan"]}

    response = editing.save_refused_by_revox(created["id"], errors, thinking_sound="hold_music.ogg")

    assert response.context["form"].errors["thinking_sound"] == ["is not available on your plan"]
    assert '<option value="hold_music.ogg" selected>' in response.content.decode()


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editing):
    created = cached(**OFFICE)

    response = editing.save_while_revox_fails(created["id"], background_sound_volume="0.8")

    assert 'value="0.8"' in response.content.decode()
    assert revox.get(created["id"])["background_sound_volume"] == 0.2


def test_viewers_see_it_read_only_and_cannot_save(cached, editing, viewer_client):
    created = cached(**OFFICE)
    editing.assert_read_only_for(viewer_client, created["id"], thinking_sound="")
