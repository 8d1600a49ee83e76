"""Changes made outside the dashboard: found by a sync or a fresh read, recorded once, with the
diff from the cached version and no person attached."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistants.cache.services import SYNC_BATCH_SIZE, assistants_sync
from assistants.models import Assistant, Change
from assistants.services import assistant_fetch
from tests.editors.conftest import open_editor, save

pytestmark = pytest.mark.django_db


def test_a_change_made_directly_in_revox_appears_after_a_sync(revox, viewer_client):
    created = revox.create(name="Front desk", voice={"provider": "cartesia", "id": "voice-a"})
    assistants_sync()
    assert not Change.objects.exists()  # the first sight of an assistant is no change

    revox.patch(created["id"], voice={"provider": "cartesia", "id": "voice-b", "speed": 1.2})
    result = assistants_sync()

    assert result.changed_ids == [created["id"]]
    change = Change.objects.get()
    assert (change.kind, change.group, change.actor, change.actor_name) == (
        "external",
        "voice",
        None,
        "",
    )
    assert change.before == {"voice": {"provider": "cartesia", "id": "voice-a"}}
    assert change.after == {"voice": {"provider": "cartesia", "id": "voice-b", "speed": 1.2}}
    page = viewer_client.get(f"/assistants/{created['id']}/history/").content.decode()
    assert "Changed in Revox" in page and "voice-a" in page and "voice-b" in page

    # Seen once, recorded once.
    assistants_sync()
    assert Change.objects.count() == 1


def test_a_change_touching_two_groups_is_two_entries(revox):
    created = revox.create(name="Desk", prompt="Be kind.")
    assistants_sync()
    revox.patch(created["id"], prompt="Be kind.\nBe brief.", sms_enabled=True)
    assistants_sync()
    assert sorted(Change.objects.values_list("group", flat=True)) == ["general", "messages"]


def test_faq_suggested_by_calls_is_an_outside_change(revox):
    created = revox.create(faq_items=[{"question": "Opening hours?", "answer": "9 to 5"}])
    assistants_sync()
    revox.suggest_faq(created["id"], "Do you deliver?")
    assistants_sync()
    change = Change.objects.get()
    assert (change.kind, change.group) == ("external", "faq")
    assert change.summary == "1 FAQ question suggested by calls"
    assert [i["question"] for i in change.after["faq_items"]] == [
        "Opening hours?",
        "Do you deliver?",
    ]


def test_the_dashboards_own_saves_are_not_outside_changes(revox, editor_client):
    created = revox.create(name="Desk")
    assistants_sync()
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data, name="Desk 2")
    assistants_sync()
    assert list(Change.objects.values_list("kind", flat=True)) == ["update"]


def test_a_fresh_read_for_an_editor_finds_it_too(revox):
    created = revox.create(name="Desk")
    assistants_sync()
    revox.patch(created["id"], name="Renamed elsewhere")
    assistant_fetch(revox_id=created["id"])
    change = Change.objects.get()
    assert (change.kind, change.group, change.after["name"]) == (
        "external",
        "general",
        "Renamed elsewhere",
    )
    assistants_sync()
    assert Change.objects.count() == 1


def test_a_save_after_an_outside_change_keeps_the_two_apart(revox, editor_client, editor):
    created = revox.create(name="Desk", sms_enabled=False)
    assistants_sync()
    revox.patch(created["id"], sms_enabled=True)
    _, data = open_editor(editor_client, created["id"], "general")
    # The editor's fresh read already saw the outside change.
    assert Change.objects.get().group == "messages"

    save(editor_client, created["id"], "general", data, name="Desk 2")

    update = Change.objects.get(kind="update")
    assert update.actor == editor and set(update.after) == set(update.before)
    assert update.before["name"] == "Desk" and update.after["name"] == "Desk 2"
    assert Change.objects.count() == 2


def test_an_assistant_deleted_in_revox_keeps_its_last_configuration(revox):
    created = revox.create(
        name="Gone soon", prompt="Say hi.", faq_items=[{"question": "Q?", "answer": "A"}]
    )
    assistants_sync()
    revox.delete(created["id"])
    result = assistants_sync()
    assert result.deleted == 1
    change = Change.objects.get()
    assert (change.kind, change.after) == ("external", None)
    assert change.before["prompt"] == "Say hi." and change.before["faq_items"] == [
        {"question": "Q?", "answer": "A"}
    ]
    assert "id" not in change.before


def test_the_custom_llm_key_is_never_stored(revox):
    canary = "sk-canary-llm-external-0001"
    created = revox.create(
        llm_model={
            "type": "custom",
            "api_url": "https://llm.example/v1",
            "api_key": "sk-canary-llm-first",
            "model_name": "m",
        }
    )
    assistants_sync()
    revox.patch(
        created["id"],
        llm_model={
            "type": "custom",
            "api_url": "https://llm.example/v1",
            "api_key": canary,
            "model_name": "m",
        },
    )
    assistants_sync()
    revox.delete(created["id"])
    assistants_sync()
    stored = repr(list(Change.objects.values("before", "after", "summary")))
    assert Change.objects.count() == 2
    assert canary not in stored and "sk-canary-llm-first" not in stored


def test_a_sync_of_2000_assistants_with_outside_changes_does_only_what_changed(revox):
    revox.reset({"assistants": 2000, "faqs_per_assistant": 3, "prompt_bytes": 500})
    assistants_sync()
    ids = list(Assistant.objects.values_list("revox_id", flat=True)[:40])
    for revox_id in ids[:30]:
        revox.patch(revox_id, sms_enabled=True)
    for revox_id in ids[30:]:
        revox.suggest_faq(revox_id, "Is there parking?")

    # The work it does, not the seconds it takes (a busy machine makes any wall-clock limit
    # flaky; bench/ measures the time): one query per batch of unchanged assistants, a fixed
    # number more for each batch with changes, and the old version of the 40 changed rows only.
    listed = [a["id"] for a in revox.list()]
    batches_with_changes = len({listed.index(revox_id) // SYNC_BATCH_SIZE for revox_id in ids})
    with CaptureQueriesContext(connection) as queries:
        result = assistants_sync(with_voices=False)

    assert result.updated == 40
    assert Change.objects.filter(kind="external").count() == 40
    batches = -(-2000 // SYNC_BATCH_SIZE)
    most = 12 + batches + 11 * batches_with_changes  # the drafts kept (cache/drafts.py): one more
    assert len(queries) <= most, [q["sql"][:120] for q in queries]
    old_versions = [q["sql"] for q in queries if '"assistants_assistant"."data" AS' in q["sql"]]
    assert sum(sql.split(" IN (")[1].count(",") + 1 for sql in old_versions) == 40
