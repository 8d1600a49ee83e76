"""The general editor, and through it the mechanism every group shares."""

from __future__ import annotations

import json

import pytest

from assistants.cache.services import assistants_sync
from assistants.models import Assistant, Change
from tests.editors.conftest import editor_url, open_editor, save
from tests.editors.group_support import GroupEditing
from tests.html_forms import as_post

pytestmark = pytest.mark.django_db


editing = GroupEditing.fixture("general")


def test_it_saves_only_the_general_fields(cached, editing, editor):
    created = cached(name="Front desk", prompt="Be kind.", voicemail_message="Call us back")

    response = editing.save(
        created["id"], name="Front desk (weekend)", prompt="Be kind.\r\nBe brief.",
        voicemail_message="", max_minutes="2", max_seconds="30",
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    assert after["name"] == "Front desk (weekend)"
    assert after["prompt"] == "Be kind.\nBe brief."  # CRLF from the browser stored as LF
    assert after["voicemail_message"] is None  # empty means "hang up at once"
    assert after["max_call_duration_secs"] == 150
    cached_row = Assistant.objects.get(revox_id=created["id"])
    assert cached_row.name == "Front desk (weekend)"
    change = Change.objects.get()
    assert change.kind == "update"
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
def test_it_validates_before_calling_revox(cached, editing, changes, field, message):
    created = cached()
    response = editing.save(created["id"], **changes)
    editing.assert_refused_before_revox(response, field, message)


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, revox, editing):
    created = cached(name="Original")
    shown = ["Someone changed general since you opened it", "Renamed by a teammate", 'value="Mine"']

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"name": "Renamed by a teammate"}, name="Mine", shows=shown
    )

    assert revox.get(created["id"])["name"] == "Renamed by a teammate"
    # The teammate's rename, made outside the dashboard, is history's; nothing of ours is.
    assert not Change.objects.exclude(kind=Change.Kind.EXTERNAL).exists()
    assert editing.keep_mine(created["id"], conflict)["name"] == "Mine"


def test_a_revox_validation_error_lands_on_its_field(cached, editing):
    created = cached()
    errors = {"webhook_url": ["host does not resolve"], "mystery": ["odd"]}

    response = editing.save_refused_by_revox(
        created["id"], errors, webhook_url="https://nowhere.example"
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
def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editing, fault):
    created = cached(name="Steady")

    response = editing.save_while_revox_fails(created["id"], fault, name="Typed by hand")

    assert 'value="Typed by hand"' in response.content.decode()
    assert revox.get(created["id"])["name"] == "Steady"
    assert Assistant.objects.get(revox_id=created["id"]).name == "Steady"
    assert len(revox.requests("PATCH")) == 1  # never retried


def test_a_read_timeout_on_save_says_the_outcome_is_unknown(cached, editing, settings):
    settings.REVOX_READ_TIMEOUT = 0.5
    created = cached()
    slow = {"method": "PATCH", "path": "/assistants/*", "delay_ms": 2000}

    response = editing.save_with_fault(created["id"], slow, name="Slow")

    assert "whether the change was applied" in response.content.decode()


def test_htmx_saves_in_place_and_confirms_with_a_toast(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "general")

    response = editor_client.post(
        editor_url(created["id"], "general"), as_post(data, name="Inline"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert b"<html" not in response.content and b'id="group-form"' in response.content
    toasts = json.loads(response["HX-Trigger-After-Settle"])["revox:toast"]
    assert toasts == [{"level": "success", "message": "General saved to Revox."}]
    assert revox.get(created["id"])["name"] == "Inline"


def test_viewers_see_it_read_only_and_cannot_save(cached, editing, viewer_client):
    created = cached()
    editing.assert_read_only_for(viewer_client, created["id"], name="x")


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


def test_fields_a_newer_api_adds_survive_a_save(cached, revox, editing):
    created = cached()
    assistants_sync()
    editing.save(created["id"], name="Still here")
    (patch,) = revox.requests("PATCH")
    assert "prompt_flow" not in patch["body_keys"] and "position" not in patch["body_keys"]


def test_a_save_says_how_long_it_waited_for_revox(cached, editing, revox, client):
    """The Server-Timing header a browser's developer tools show: the two Revox calls of a save
    (the fresh read and the PATCH), with the latency Revox added, apart from the dashboard's."""
    created = cached(name="Front desk")
    revox.faults(latency_ms=60)

    response = editing.save(created["id"], name="Front desk (timed)")

    timing = dict(
        (part.split(";")[0].strip(), part) for part in response["Server-Timing"].split(",")
    )
    revox_ms = float(timing["revox"].split("dur=")[1].split(";")[0])
    app_ms = float(timing["app"].split("dur=")[1].split(";")[0])
    assert 'desc="Revox (2 calls)"' in timing["revox"]
    assert revox_ms >= 120  # two calls, 60 ms each at least
    assert 0 < app_ms < revox_ms
    assert "Server-Timing" not in client.get("/accounts/login/")  # told to no anonymous visitor
