"""A voice outside the catalogue (one cloned in the provider's own studio) gets its name from
GET /voices/{id}: asked once, outside any transaction, misses remembered for a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assistants.cache.services import assistants_sync
from assistants.cache.voice_names import MAX_LOOKUPS_AT_ONCE
from assistants.models import Assistant, VoiceLookup
from sandbox import demo
from tests.editors.conftest import open_editor, save

pytestmark = pytest.mark.django_db

CLONE = "Jq8RkW2vYz5nTbL4cXm7"  # the demo win-back assistant's voice
CLONE_NAME = "George (Stackly clone)"


def lookups(revox) -> list[dict]:
    return [r for r in revox.requests("GET") if r["path"].startswith("/voices/")]


def test_a_sync_names_a_voice_outside_the_catalogue_once(demo_revox, viewer_client):
    assistants_sync()
    row = Assistant.objects.get(revox_id=demo.WIN_BACK)
    assert row.voice_name == CLONE_NAME
    (asked,) = lookups(demo_revox)
    assert asked["path"] == f"/voices/{CLONE}" and asked["query"] == "provider=elevenlabs"

    demo_revox.clear_requests()
    demo_revox.patch(demo.WIN_BACK, name="Win-back v2")
    assistants_sync()
    assert lookups(demo_revox) == []  # remembered: not asked again on every sync

    assert CLONE_NAME in viewer_client.get("/assistants/").content.decode()
    assert CLONE_NAME in viewer_client.get(f"/assistants/{demo.WIN_BACK}/").content.decode()


def test_the_voice_editor_shows_the_name_of_a_typed_id(demo_revox, editor_client):
    assistants_sync()
    response, data = open_editor(editor_client, demo.WIN_BACK, "voice")
    assert data["voice"] == "custom" and data["custom_voice_id"] == CLONE
    page = response.content.decode()
    assert f"Revox knows this voice as <strong>{CLONE_NAME}</strong>" in page
    assert f"{CLONE_NAME} (voice id {CLONE})" in page  # "Selected: …"


def test_a_voice_revox_does_not_know_is_remembered_as_such(revox, db):
    created = revox.create(voice={"id": "nobody-en", "provider": "gradium"})
    assistants_sync()
    assert Assistant.objects.get(revox_id=created["id"]).voice_name == ""
    assert VoiceLookup.objects.get(voice_id="nobody-en").found is False
    revox.clear_requests()
    assistants_sync()
    revox.patch(created["id"], name="Touched")
    assistants_sync()
    assert lookups(revox) == []
    # An hour later it is worth asking again.
    VoiceLookup.objects.update(checked_at=timezone.now() - timedelta(hours=2))
    assistants_sync()
    assert len(lookups(revox)) == 1


def test_a_name_found_later_reaches_rows_that_did_not_change(revox, db):
    created = revox.create(voice={"id": CLONE, "provider": "elevenlabs"})
    revox.faults({"method": "GET", "path": "/voices/*", "status": 503})
    assistants_sync()  # Revox failed to say: nothing remembered, nothing shown
    assert not VoiceLookup.objects.exists()
    assert Assistant.objects.get(revox_id=created["id"]).voice_name == ""
    revox.clear_faults()
    assistants_sync()  # the assistant itself did not change
    assert Assistant.objects.get(revox_id=created["id"]).voice_name == CLONE_NAME


def test_saving_a_typed_voice_id_names_it(revox, editor_client):
    created = revox.create()
    assistants_sync()
    _, data = open_editor(editor_client, created["id"], "voice")
    save(editor_client, created["id"], "voice", data, voice="custom", provider="elevenlabs",
         custom_voice_id=CLONE)  # fmt: skip
    assert Assistant.objects.get(revox_id=created["id"]).voice_name == CLONE_NAME


def test_many_unknown_voices_are_spread_over_several_syncs(revox, db):
    for index in range(MAX_LOOKUPS_AT_ONCE + 5):
        revox.create(name=f"A{index}", voice={"id": f"clone-{index:02d}", "provider": "gradium"})
    assistants_sync()
    assert len(lookups(revox)) == MAX_LOOKUPS_AT_ONCE
    revox.clear_requests()
    assistants_sync()
    assert len(lookups(revox)) == 5
