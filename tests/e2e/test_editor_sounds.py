"""Chromium sets the sounds as an Editor: background noise and its volume, thinking sounds."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import save_and_wait, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_sets_sounds(page, revox, editing):
    created = editing("sounds")
    volume_row = page.locator("[data-sound-detail]").first
    expect(volume_row).to_be_hidden()  # background noise is off
    page.get_by_label("Play office background noise").check()
    expect(volume_row).to_be_visible()
    page.locator("#id_background_sound_volume").fill("0.45")
    expect(page.locator('output[data-level-for="id_background_sound_volume"]')).to_have_text("45%")
    page.get_by_label("Sound while thinking").select_option(label="Hold music")
    page.locator("#id_thinking_sound_probability").fill("0.8")
    expect(page.locator('output[data-level-for="id_thinking_sound_probability"]')).to_have_text(
        "80% of turns"
    )

    save_and_wait(page)
    shot(page, "editor-sounds")

    after = revox.get(created["id"])
    assert after["background_sound"] == "audio/office.ogg"
    assert after["background_sound_volume"] == 0.45
    assert after["thinking_sound"] == "hold_music.ogg"
    assert after["thinking_sound_probability"] == 0.8
    assert after["thinking_sound_volume"] == created["thinking_sound_volume"]
