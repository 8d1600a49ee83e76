"""The sounds editor: background noise and the thinking sound, with their levels."""

from __future__ import annotations

import pytest

from assistants.editors.groups import GROUPS
from assistants.editors.groups.sounds import form as sounds
from tests.editors.conftest import open_editor
from tests.editors.group_support import (
    FLOW_DATA,
    REVOX_DOWN,
    assert_failed_and_nothing_stored,
    assert_read_only_for_viewers,
    assert_refused_before_revox,
    assert_saved_only_the_group,
    assert_untouched_form_sends_only_what_it_holds,
    keep_mine,
    revox_refuses,
    save_group,
    save_over_a_teammates_change,
    save_with_fault,
)

pytestmark = pytest.mark.django_db
SOUNDS = set(GROUPS["sounds"].fields)
OFFICE = {
    "background_sound": "audio/office.ogg",
    "background_sound_volume": 0.2,
    "thinking_sound": "keyboard-typing.ogg",
    "thinking_sound_probability": 0.4,
    "thinking_sound_volume": 0.25,
}


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
    assert_untouched_form_sends_only_what_it_holds("sounds", data)


def test_the_page_names_the_clips_and_shows_levels_in_percent(cached, editor_client):
    created = cached(**OFFICE)
    response, data = open_editor(editor_client, created["id"], "sounds")
    page = response.content.decode()
    assert ">Keyboard typing</option>" in page and "None (silence)" in page
    assert ">20%</output>" in page and ">40% of turns</output>" in page and ">25%</output>" in page
    assert data["thinking_sound"] == "keyboard-typing.ogg" and data["background_on"] == "on"


def test_it_saves_only_the_sound_fields(cached, revox, editor_client, editor):
    created = cached(**FLOW_DATA)

    response = save_group(
        editor_client, revox, created["id"], "sounds",
        background_on="on", background_sound_volume="0.45", thinking_sound="hold_music.ogg",
        thinking_sound_probability="1", thinking_sound_volume="0.1",
    )  # fmt: skip

    after = assert_saved_only_the_group(response, revox, created, "sounds", by=editor)
    assert after["background_sound"] == "audio/office.ogg"
    assert after["background_sound_volume"] == 0.45
    assert after["thinking_sound"] == "hold_music.ogg"
    assert (after["thinking_sound_probability"], after["thinking_sound_volume"]) == (1, 0.1)
    assert {k: after[k] for k in FLOW_DATA} == FLOW_DATA


def test_switching_sounds_off_sends_null_and_keeps_the_levels(cached, revox, editor_client):
    created = cached(**OFFICE)

    save_group(editor_client, revox, created["id"], "sounds", untick=["background_on"],
               thinking_sound="")  # fmt: skip

    after = revox.get(created["id"])
    assert after["background_sound"] is None and after["thinking_sound"] is None
    assert after["background_sound_volume"] == 0.2 and after["thinking_sound_probability"] == 0.4
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) <= SOUNDS


def test_a_slider_snapped_to_the_nearest_percent_is_not_a_change(cached, revox, editor_client):
    created = cached(background_sound_volume=0.333)
    # A browser's range input rounds its value to the step (0.01).
    response = save_group(
        editor_client, revox, created["id"], "sounds", background_sound_volume="0.33"
    )
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
    response = save_group(editor_client, revox, created["id"], "sounds", **changes)
    assert_refused_before_revox(response, revox, field, message)


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, revox, editor_client):
    created = cached(**OFFICE)

    conflict = save_over_a_teammates_change(
        editor_client, revox, created["id"], "sounds",
        {"thinking_sound": "forest-ambience.ogg"}, thinking_sound_volume="0.9",
    )  # fmt: skip

    page = conflict.content.decode()
    assert "Someone changed sounds since you opened it" in page and "forest-ambience.ogg" in page
    assert revox.get(created["id"])["thinking_sound_volume"] == 0.25
    after = keep_mine(editor_client, revox, created["id"], "sounds", conflict)
    assert (
        after["thinking_sound_volume"] == 0.9 and after["thinking_sound"] == "keyboard-typing.ogg"
    )


def test_a_revox_validation_error_lands_on_its_field(cached, revox, editor_client):
    created = cached(**OFFICE)
    refusal = revox_refuses({"thinking_sound": ["is not available on your plan"]})

    response = save_with_fault(editor_client, revox, created["id"], "sounds", refusal,
                               thinking_sound="hold_music.ogg")  # fmt: skip

    assert response.context["form"].errors["thinking_sound"] == ["is not available on your plan"]
    assert '<option value="hold_music.ogg" selected>' in response.content.decode()


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editor_client):
    created = cached(**OFFICE)

    response = save_with_fault(editor_client, revox, created["id"], "sounds", REVOX_DOWN,
                               background_sound_volume="0.8")  # fmt: skip

    assert_failed_and_nothing_stored(response)
    assert 'value="0.8"' in response.content.decode()
    assert revox.get(created["id"])["background_sound_volume"] == 0.2


def test_viewers_see_it_read_only_and_cannot_save(cached, viewer_client):
    created = cached(**OFFICE)
    assert_read_only_for_viewers(viewer_client, created["id"], "sounds", thinking_sound="")
