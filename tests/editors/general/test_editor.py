"""The general editor, and through it the mechanism every group shares."""

from __future__ import annotations

import json

import pytest

from assistants.cache.services import assistants_sync
from assistants.editors.groups import GROUPS
from assistants.models import Assistant, Change
from tests.editors.conftest import editor_url, open_editor, save

pytestmark = pytest.mark.django_db
GENERAL = set(GROUPS["general"].fields)


def test_an_untouched_save_sends_nothing_for_every_demo_assistant(synced, editor_client):
    for assistant in Assistant.objects.all():
        _, data = open_editor(editor_client, assistant.revox_id, "general")
        synced.clear_requests()
        response = save(editor_client, assistant.revox_id, "general", data)
        assert response.status_code == 302, response.content[-1500:]
        assert synced.requests("PATCH") == [], assistant.name
    assert not Change.objects.exists()


def test_it_saves_only_the_general_fields(cached, revox, editor_client, editor):
    created = cached(name="Front desk", prompt="Be kind.", voicemail_message="Call us back")
    _, data = open_editor(editor_client, created["id"], "general")
    revox.clear_requests()

    response = save(
        editor_client, created["id"], "general", data,
        name="Front desk (weekend)", prompt="Be kind.\r\nBe brief.", voicemail_message="",
        max_minutes="2", max_seconds="30",
    )  # fmt: skip

    assert response.status_code == 302
    after = revox.get(created["id"])
    assert after["name"] == "Front desk (weekend)"
    assert after["prompt"] == "Be kind.\nBe brief."  # CRLF from the browser stored as LF
    assert after["voicemail_message"] is None  # empty means "hang up at once"
    assert after["max_call_duration_secs"] == 150
    untouched = {k: v for k, v in created.items() if k not in GENERAL | {"updated_at"}}
    assert {k: after[k] for k in untouched} == untouched
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) <= GENERAL
    cached_row = Assistant.objects.get(revox_id=created["id"])
    assert cached_row.name == "Front desk (weekend)"
    change = Change.objects.get()
    assert (change.group, change.actor, change.kind) == ("general", editor, "update")
    assert change.before["name"] == "Front desk" and change.after["name"] == "Front desk (weekend)"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"first_sentence_mode": "static", "first_sentence": ""},
            "first_sentence",
            "write the sentence",
        ),
        ({"max_duration_end_message": "x" * 151}, "max_duration_end_message", "at most 150"),
        ({"webhook_url": "ftp://files.example.com"}, "webhook_url", "https://"),
        ({"webhook_url": "not a url"}, "webhook_url", "valid URL"),
        ({"max_minutes": "0", "max_seconds": "0"}, "max_minutes", "at least one second"),
        (
            {"first_sentence_delay_ms": "-1"},
            "first_sentence_delay_ms",
            "greater than or equal to 0",
        ),
        ({"prompt": "   "}, "prompt", "can't be empty"),
        ({"name": " "}, "name", "required"),
        ({"stt_model": "stt-rt-v9"}, "stt_model", "valid choice"),
    ],
)
def test_it_validates_before_calling_revox(cached, revox, editor_client, changes, field, message):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "general")
    revox.clear_requests()

    response = save(editor_client, created["id"], "general", data, **changes)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert revox.requests() == []


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, revox, editor_client):
    created = cached(name="Original")
    _, data = open_editor(editor_client, created["id"], "general")
    revox.patch(created["id"], name="Renamed by a teammate")
    revox.clear_requests()

    response = save(editor_client, created["id"], "general", data, name="Mine")

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone changed general since you opened it" in page
    assert "Renamed by a teammate" in page and 'value="Mine"' in page
    assert revox.get(created["id"])["name"] == "Renamed by a teammate"
    assert revox.requests("PATCH") == []
    # The teammate's rename, made outside the dashboard, is history's; nothing of ours is.
    assert not Change.objects.exclude(kind=Change.Kind.EXTERNAL).exists()

    from tests.html_forms import form_fields

    keep_mine = form_fields(response.content)
    response = save(editor_client, created["id"], "general", keep_mine)
    assert response.status_code == 302
    assert revox.get(created["id"])["name"] == "Mine"


def test_a_revox_validation_error_lands_on_its_field(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "general")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 400,
                  "errors": {"webhook_url": ["host does not resolve"], "mystery": ["odd"]}})  # fmt: skip

    response = save(
        editor_client, created["id"], "general", data, webhook_url="https://nowhere.example"
    )

    form = response.context["form"]
    assert form.errors["webhook_url"] == ["host does not resolve"]
    assert any("Mystery" in e and "odd" in e for e in form.non_field_errors())
    assert 'value="https://nowhere.example"' in response.content.decode()


@pytest.mark.parametrize(
    "fault",
    [
        {"method": "PATCH", "path": "/assistants/*", "status": 503},
        {"method": "PATCH", "path": "/assistants/*", "status": 429, "retry_after": 3},
        {"method": "PATCH", "path": "/assistants/*", "drop": True},
        {
            "method": "PATCH",
            "path": "/assistants/*",
            "body": "<html>Bad gateway</html>",
            "status": 502,
        },
    ],
)
def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editor_client, fault):
    created = cached(name="Steady")
    _, data = open_editor(editor_client, created["id"], "general")
    revox.faults(fault)

    response = save(editor_client, created["id"], "general", data, name="Typed by hand")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Typed by hand"' in page
    assert response.context["form"].non_field_errors()
    assert revox.get(created["id"])["name"] == "Steady"
    assert Assistant.objects.get(revox_id=created["id"]).name == "Steady"
    assert not Change.objects.exists()
    assert len(revox.requests("PATCH")) == 1  # never retried


def test_a_read_timeout_on_save_says_the_outcome_is_unknown(cached, revox, editor_client, settings):
    settings.REVOX_READ_TIMEOUT = 0.5
    created = cached()
    _, data = open_editor(editor_client, created["id"], "general")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "delay_ms": 2000})

    response = save(editor_client, created["id"], "general", data, name="Slow")

    assert "whether the change was applied" in response.content.decode()


def test_htmx_saves_in_place_and_confirms_with_a_toast(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "general")

    from tests.html_forms import as_post

    response = editor_client.post(
        editor_url(created["id"], "general"), as_post(data, name="Inline"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert b"<html" not in response.content and b'id="group-form"' in response.content
    toasts = json.loads(response["HX-Trigger-After-Settle"])["revox:toast"]
    assert toasts == [{"level": "success", "message": "General saved to Revox."}]
    assert revox.get(created["id"])["name"] == "Inline"


def test_viewers_see_it_read_only_and_cannot_save(cached, revox, viewer_client):
    created = cached()
    response, data = open_editor(viewer_client, created["id"], "general")
    assert "You can look but not change" in response.content.decode()
    assert b'id="save-button"' not in response.content
    response = save(viewer_client, created["id"], "general", data, name="x")
    assert response.status_code == 403


def test_with_revox_down_it_shows_the_cached_copy_read_only(cached, revox, editor_client, settings):
    created = cached(name="Cached one")
    revox.faults({"path": "/assistants/*", "drop": True})

    response = editor_client.get(editor_url(created["id"], "general"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Revox can't be reached" in page and 'value="Cached one"' in page
    assert b'id="save-button"' not in response.content


def test_an_assistant_deleted_meanwhile_sends_the_user_back_to_the_list(
    cached, revox, editor_client
):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "general")
    revox.delete(created["id"])

    response = save(editor_client, created["id"], "general", data, name="Too late")

    assert response.status_code == 302 and response["Location"] == "/assistants/"
    assert not Assistant.objects.filter(revox_id=created["id"]).exists()


def test_fields_a_newer_api_adds_survive_a_save(cached, revox, editor_client):
    created = cached()
    assistants_sync()
    _, data = open_editor(editor_client, created["id"], "general")
    revox.clear_requests()
    save(editor_client, created["id"], "general", data, name="Still here")
    (patch,) = revox.requests("PATCH")
    assert "prompt_flow" not in patch["body_keys"] and "position" not in patch["body_keys"]
