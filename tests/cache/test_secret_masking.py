"""The cache never keeps a custom model's API key in clear (issue 24).

Pages, history and exports already mask it; the cached JSON held it as Revox sent it. It now
holds the masked digest, and the dashboard still works without the key: a save leaves the key
Revox holds alone, and a key changed outside shows in history as "changed", never in clear.
"""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.db import connection

from assistants import snapshot
from assistants.cache.services import assistants_sync
from assistants.models import Assistant, Change
from tests.canary import CANARY_LLM_PREFIX
from tests.editors.conftest import open_editor, save

pytestmark = pytest.mark.django_db

KEY = CANARY_LLM_PREFIX + "cache-2b7e41d9"
CUSTOM = {"type": "custom", "api_url": "https://llm.example.com/v1", "api_key": KEY,
          "model_name": "house-model"}  # fmt: skip


def stored_text() -> str:
    """Every cached assistant and history entry as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM assistants_assistant")
        rows = [str(r[0]) for r in cursor.fetchall()]
    rows += [json.dumps([c.before, c.after]) for c in Change.objects.all()]
    return "\n".join(rows)


@pytest.fixture
def custom(revox):
    created = revox.create(name="House model", llm_model=CUSTOM)
    assistants_sync()
    return created


def test_a_sync_stores_the_key_masked(custom):
    assert KEY not in stored_text()
    llm = Assistant.objects.get(revox_id=custom["id"]).data["llm_model"]
    assert llm == {
        **CUSTOM,
        "api_key": snapshot.mask_secrets({"llm_model": CUSTOM})["llm_model"]["api_key"],
    }
    assert llm["api_key"].startswith(snapshot.SECRET_MASK_PREFIX)


def test_a_sync_with_the_key_unchanged_records_no_change(custom, revox):
    revox.patch(custom["id"], name="House model, renamed")
    assistants_sync()
    (entry,) = Change.objects.filter(kind=Change.Kind.EXTERNAL)
    assert entry.group == "general"


def test_a_key_changed_outside_shows_as_changed_never_in_clear(custom, revox, editor_client):
    new_key = CANARY_LLM_PREFIX + "rotated-77c0"
    revox.patch(custom["id"], llm_model={**CUSTOM, "api_key": new_key})
    assistants_sync()
    (entry,) = Change.objects.filter(kind=Change.Kind.EXTERNAL)
    assert entry.group == "llm" and entry.before != entry.after
    assert KEY not in stored_text() and new_key not in stored_text()


def test_saving_another_group_keeps_the_key_revox_holds(custom, revox, editor_client):
    _, data = open_editor(editor_client, custom["id"], "general")
    response = save(editor_client, custom["id"], "general", data, name="Renamed")
    assert response.status_code in (200, 302)
    assert revox.get(custom["id"])["llm_model"] == CUSTOM
    assert KEY not in stored_text()


def test_saving_the_llm_group_with_the_key_field_blank_keeps_the_key(custom, revox, editor_client):
    _, data = open_editor(editor_client, custom["id"], "llm")
    save(editor_client, custom["id"], "llm", data, model_name="house-model-2")
    assert revox.get(custom["id"])["llm_model"] == {**CUSTOM, "model_name": "house-model-2"}
    assert KEY not in stored_text()


def test_the_migration_masks_rows_cached_before(custom):
    Assistant.objects.filter(revox_id=custom["id"]).update(
        data={**Assistant.objects.get(revox_id=custom["id"]).data, "llm_model": CUSTOM}
    )
    assert KEY in stored_text()
    migration = importlib.import_module("assistants.migrations.0011_mask_llm_keys")
    migration.mask_cached_keys(apps, None)
    migration.mask_cached_keys(apps, None)  # twice: the second finds nothing to do
    assert KEY not in stored_text()
    cached = Assistant.objects.get(revox_id=custom["id"]).data
    assert cached["llm_model"] == snapshot.mask_secrets({"llm_model": CUSTOM})["llm_model"]
