"""An Editor picks a voice by searching the catalogue, moves the speed slider, and saves."""

import pytest

from assistants.cache.services import assistants_sync
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_searches_picks_a_voice_and_sets_its_speed(page, live, revox):
    created = revox.create(name="Front desk")  # Revox's default: Katie, Cartesia
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{created['id']}/edit/voice/")
    shot(page, "editor-voice-open")

    # Cartesia's volume only shows for Cartesia; the list shows Cartesia's voices only.
    assert page.get_by_role("slider", name="Volume").is_visible()
    assert not page.get_by_text("George", exact=True).is_visible()

    page.locator("[data-voice-provider] label", has_text="ElevenLabs").click()
    assert not page.get_by_role("slider", name="Volume").is_visible()
    assert page.locator("[data-speed-max]").inner_text() == "1.2"

    page.get_by_placeholder("Search by name, language, accent…").fill("british")
    page.get_by_label("Gender").select_option("male")
    cards = page.locator("[data-voice-option][data-provider]:visible")
    assert cards.count() == 1  # George: ElevenLabs, British, male
    cards.first.click()
    assert page.locator("[data-voice-chosen]").inner_text() == "George (ElevenLabs)"

    slider = page.get_by_role("slider", name="Speed")
    slider.focus()
    page.keyboard.press("End")  # the far right: ElevenLabs' fastest, 1.2
    page.keyboard.press("ArrowLeft")
    assert page.locator('[data-slider-output="id_speed"]').inner_text() == "1.15×"
    shot(page, "editor-voice-picked")

    page.get_by_role("button", name="Save voice").click()
    page.get_by_text("Voice saved to Revox.").wait_for()
    shot(page, "editor-voice-saved")

    assert revox.get(created["id"])["voice"] == {
        "id": "sTy4Qwb8DwkNhFdnXsiV", "provider": "elevenlabs", "speed": 1.15,
    }  # fmt: skip
