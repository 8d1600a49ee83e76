"""Chromium adds words for the transcriber to listen for, as an Editor."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import save_and_wait, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_adds_words_to_listen_for(page, revox, editing):
    created = editing("speech", stt_context={"general": [], "terms": ["Cityline"]})
    entry = page.get_by_label("Add a word to listen for")
    entry.press_sequentially("breaker")
    entry.press("Enter")
    entry.press_sequentially("transformer, feeder,")
    tags = page.locator(".tags-input .tag")
    expect(tags).to_have_text(["Cityline", "breaker", "transformer", "feeder"])
    page.get_by_role("button", name="Remove feeder").click()
    entry.press_sequentially("substation")  # typed but not yet turned into a tag
    page.locator("#id_stt_general-0-key").fill("topic")
    page.locator("#id_stt_general-0-value").fill("power outages")
    page.get_by_label("Cartesia pronunciation dictionary").fill("pdict_city")

    save_and_wait(page)
    shot(page, "editor-speech")

    after = revox.get(created["id"])
    assert after["stt_context"] == {
        "general": [{"key": "topic", "value": "power outages"}],
        "terms": ["Cityline", "breaker", "transformer", "substation"],
    }
    assert after["cartesia_dictionary_pronunciation_id"] == "pdict_city"
    expect(page.locator(".tags-input .tag")).to_have_count(4)
