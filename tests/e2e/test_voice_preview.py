"""An Editor listens to a voice before saving it: the voice editor's "Listen" plays the chosen
voice at the chosen speed, saying the text in the box, through the dashboard (the key stays on
the server), from Revox once per distinct preview."""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from assistants.cache.services import assistants_sync
from tests.conftest import make_user
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

OPENING = "Hello, this is Katie at Brightsmile Dental."
LONGER = OPENING + " How can I help you today? I can book, move or cancel an appointment."


def previews(revox) -> list[dict]:
    return [r for r in revox.requests("POST") if r["path"] == "/voices/preview"]


def listen_and_measure(page, text: str, speed: str = "1.0") -> float:
    """Click Listen; once the player holds that preview and has loaded it, its duration."""
    page.get_by_role("button", name="Listen").click()
    player = page.locator("#voice-player")
    # The player's source changes only once the dashboard answered: wait for this preview's
    # URL, then for the audio itself (HAVE_ENOUGH_DATA), so the duration read is the new one's.
    query = urlencode({"text": text, "speed": speed})
    expect(player).to_have_attribute(
        "src", re.compile(re.escape(query.split("&")[0]) + ".*" + re.escape(query.split("&")[1]))
    )
    expect(player).to_have_js_property("readyState", 4)
    duration = player.evaluate("audio => audio.duration")
    assert math.isfinite(duration) and duration > 0
    return duration


@pytest.fixture
def voice_editor(page, live, revox):
    created = revox.create(name="Front desk", first_sentence=OPENING, first_sentence_mode="static")
    assistants_sync()
    make_user("ed", "Editor")
    login(page, live, "ed")
    page.goto(f"{live}/assistants/{created['id']}/edit/voice/")
    return created


def test_listen_plays_the_voice_at_the_speed_set_saying_the_text(page, revox, voice_editor):
    text = page.get_by_label("Listen before saving")
    expect(text).to_have_value(OPENING)  # the assistant's first sentence, to start with
    player = page.locator("#voice-player")
    expect(player).to_have_attribute("preload", "none")  # opening the page asks Revox nothing
    revox.clear_requests()

    short = listen_and_measure(page, OPENING)
    text.fill(LONGER)
    longer = listen_and_measure(page, LONGER)
    assert longer > short * 1.5

    slider = page.get_by_role("slider", name="Speed")
    slider.focus()
    page.keyboard.press("End")  # Cartesia's fastest: 1.5×
    expect(page.locator('[data-slider-output="id_speed"]')).to_have_text("1.50×")
    faster = listen_and_measure(page, LONGER, speed="1.5")
    assert faster < longer * 0.8
    shot(page, "voice-preview-playing")
    assert len(previews(revox)) == 3

    # Listening again to what was just heard is answered from the dashboard's cache.
    page.get_by_role("button", name="Listen").click()
    expect(page.get_by_role("button", name="Listen")).to_be_enabled()
    expect(player).to_have_js_property("readyState", 4)
    assert len(previews(revox)) == 3
    assert revox.requests("PATCH") == []  # listening saves nothing
    assert "Katie" in page.locator("[data-voice-chosen]").inner_text()


@pytest.mark.allow_failed_loads(502)  # the dashboard answers 502 when Revox refuses a preview
def test_a_refused_preview_is_said_next_to_the_button(page, revox, voice_editor):
    revox.faults({"path": "/voices/preview", "status": 400,
                  "errors": {"speed": "must be between 0.6 and 1.5 for cartesia"}})  # fmt: skip
    page.get_by_role("button", name="Listen").click()
    error = page.locator("#voice-preview-error")
    expect(error).to_contain_text(
        "Revox couldn't make this preview: the speed must be between 0.6 and 1.5 for cartesia."
    )
    page.locator("[data-voice-tuning]").screenshot(path=str(shot(page, "voice-preview-refused")))

    revox.faults({"path": "/voices/preview", "status": 503})
    page.get_by_role("button", name="Listen").click()
    expect(error).to_contain_text("Revox had an internal problem (503)")

    revox.clear_faults()
    page.get_by_role("button", name="Listen").click()
    expect(error).to_be_hidden()
    expect(page.locator("#voice-player")).to_have_js_property("readyState", 4)
