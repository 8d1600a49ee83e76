"""Placing a test call: from the overview (the saved version) and from an editor ("Try these
changes"), once per form, for Editors and Admins only, within the hourly limit, with Revox's
refusals and failures said at the right place."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from assistants.calls import services
from assistants.calls.models import TestCall
from assistants.models import Assistant, Change
from assistants.phones import NOT_A_NUMBER
from assistants.revox import RevoxTimeout, RevoxUnavailable, RevoxValidationError
from tests.conftest import _client_for, make_user
from tests.editors.conftest import editor_url
from tests.html_forms import as_post, form_fields

NUMBER = "+14155550123"


def insurance() -> Assistant:
    return Assistant.objects.get(name__startswith="Evergreen Insurance")


def overview_form(client, revox_id: str):
    response = client.get(f"/assistants/{revox_id}/")
    assert response.status_code == 200
    return form_fields(response.content, "test-call-form")


def place(client, revox_id: str, data, **changes):
    return client.post(f"/assistants/{revox_id}/test-call/", as_post(data, **changes))


def test_an_editor_calls_the_saved_version_from_the_overview(synced, editor_client, fake_calls):
    assistant = insurance()
    data = overview_form(editor_client, assistant.revox_id)
    assert "call-variable:first_name" in data and "call-variable:policy_number" in data
    response = place(editor_client, assistant.revox_id, data, **{
        "call-phone_number": "+1 (415) 555-0123", "call-variable:first_name": "Ada",
        "call-skip_calling_window": "on",
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/calls/call_1/"
    [sent] = fake_calls.created
    assert sent["phone_number"] == NUMBER
    assert sent["assistant_id"] == assistant.revox_id and "assistant" not in sent
    assert sent["prompt_variables"] == {"first_name": "Ada"}  # empty ones are not sent
    assert sent["skip_calling_window"] is True
    call = TestCall.objects.get()
    assert call.revox_call_id == "call_1" and call.state == TestCall.State.PLACED
    entry = Change.objects.get(kind=Change.Kind.TEST_CALL)
    assert entry.assistant_revox_id == assistant.revox_id and entry.actor.username == "ed"
    assert entry.related_revox_id == "call_1"
    assert "the saved version" in entry.summary and "0123" not in entry.summary


def test_the_number_is_remembered_for_its_caller_only(synced, editor_client, fake_calls):
    assistant = insurance()
    data = overview_form(editor_client, assistant.revox_id)
    place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    again = overview_form(editor_client, assistant.revox_id)
    assert again["call-phone_number"] == "+1 415-555-0123"
    other = _client_for(make_user("eve", "Editor"))
    assert overview_form(other, assistant.revox_id)["call-phone_number"] == ""


def test_a_viewer_sees_no_button_and_is_refused_by_url(synced, viewer_client, fake_calls):
    assistant = insurance()
    page = viewer_client.get(f"/assistants/{assistant.revox_id}/").content.decode()
    assert 'id="test-call"' not in page and "Call me" not in page
    editor = viewer_client.get(editor_url(assistant.revox_id, "voice")).content.decode()
    assert "Try these changes" not in editor
    url = f"/assistants/{assistant.revox_id}/test-call/"
    assert viewer_client.get(url).status_code == 403
    response = viewer_client.post(url, {"call-phone_number": NUMBER, "call-token": "x" * 32})
    assert response.status_code == 403
    assert fake_calls.created == [] and not TestCall.objects.exists()


def test_a_form_sent_twice_places_one_call(synced, editor_client, fake_calls):
    assistant = insurance()
    data = overview_form(editor_client, assistant.revox_id)
    first = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    second = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    assert len(fake_calls.created) == 1
    # The second lands on the call the first placed.
    assert first["Location"] == second["Location"] == "/calls/call_1/"
    assert TestCall.objects.count() == 1
    assert Change.objects.filter(kind=Change.Kind.TEST_CALL).count() == 1


def test_a_bad_number_is_said_at_the_field_and_nothing_is_sent(synced, editor_client, fake_calls):
    assistant = insurance()
    data = overview_form(editor_client, assistant.revox_id)
    response = place(editor_client, assistant.revox_id, data, **{
        "call-phone_number": "0612345678", "call-variable:first_name": "Ada"})  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_A_NUMBER in page
    kept = form_fields(page, "test-call-form")
    assert kept["call-phone_number"] == "0612345678" and kept["call-variable:first_name"] == "Ada"
    assert kept["call-token"] == data["call-token"]  # nothing was used up
    assert fake_calls.created == []


def test_revox_refusing_the_number_says_so_at_the_field(synced, editor_client, fake_calls):
    assistant = insurance()
    fake_calls.fail_create = RevoxValidationError(
        "refused", status=400,
        field_errors={"phone_number": ["This number can't be called from your trunk."]},
    )  # fmt: skip
    data = overview_form(editor_client, assistant.revox_id)
    response = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This number can&#x27;t be called from your trunk." in page
    assert 'class="form-control is-invalid"' in page
    kept = form_fields(page, "test-call-form")
    assert kept["call-phone_number"] == NUMBER
    # Nothing was placed, so a new try is a new call: a new token.
    assert kept["call-token"] != data["call-token"]
    assert TestCall.objects.get().state == TestCall.State.REFUSED
    assert not Change.objects.filter(kind=Change.Kind.TEST_CALL).exists()
    fake_calls.fail_create = None
    place(editor_client, assistant.revox_id, kept)
    assert len(fake_calls.created) == 2


def test_a_timeout_is_not_retried_and_keeps_the_token(synced, editor_client, fake_calls):
    assistant = insurance()
    fake_calls.fail_create = RevoxTimeout("slow", read_timeout=True)
    data = overview_form(editor_client, assistant.revox_id)
    response = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    page = response.content.decode()
    assert services.CALL_TIMEOUT.split(",")[0] in page
    kept = form_fields(page, "test-call-form")
    assert kept["call-token"] == data["call-token"]
    assert len(fake_calls.created) == 1
    # Sent again as it is: it may have been placed, so nothing more goes out.
    place(editor_client, assistant.revox_id, kept)
    assert len(fake_calls.created) == 1
    assert TestCall.objects.get().state == TestCall.State.UNCERTAIN
    assert "may have been placed" in Change.objects.get(kind=Change.Kind.TEST_CALL).summary


def test_revox_unreachable_places_nothing_and_says_so(synced, editor_client, fake_calls):
    assistant = insurance()
    fake_calls.fail_create = RevoxUnavailable("down", request_sent=False)
    data = overview_form(editor_client, assistant.revox_id)
    response = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    assert escape(services.CALL_UNAVAILABLE) in response.content.decode()
    assert form_fields(response.content, "test-call-form")["call-phone_number"] == NUMBER


def test_the_hourly_limit_answers_plainly(synced, editor_client, fake_calls, settings):
    settings.TEST_CALLS_PER_HOUR = 2
    assistant = insurance()
    for _ in range(2):
        data = overview_form(editor_client, assistant.revox_id)
        assert place(editor_client, assistant.revox_id, data,
                     **{"call-phone_number": NUMBER}).status_code == 302  # fmt: skip
    data = overview_form(editor_client, assistant.revox_id)
    response = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    assert response.status_code == 200
    assert "You have placed 2 test calls in the last hour" in response.content.decode()
    assert len(fake_calls.created) == 2
    # Someone else still may.
    other = _client_for(make_user("eve", "Editor"))
    data = overview_form(other, assistant.revox_id)
    assert (
        place(other, assistant.revox_id, data, **{"call-phone_number": NUMBER}).status_code == 302
    )


@pytest.mark.parametrize("button", ["changes", "saved"])
def test_an_editor_tries_unsaved_voice_changes(synced, editor_client, fake_calls, button):
    assistant = insurance()
    before = synced.get(assistant.revox_id)
    response = editor_client.get(editor_url(assistant.revox_id, "voice"))
    data = form_fields(response.content, "group-form")
    assert "call-token" in data and data["call-group"] == "voice"
    speed = "1.1" if data["speed"] != "1.1" else "0.9"
    synced.clear_requests()
    response = place(editor_client, assistant.revox_id, data, **{
        "speed": speed, "call-phone_number": NUMBER, "call-try": button})  # fmt: skip
    assert response.status_code == 302, response.content[-2000:]
    [sent] = fake_calls.created
    if button == "saved":
        assert sent["assistant_id"] == assistant.revox_id
        assert TestCall.objects.get().group == ""
        return
    assert "assistant_id" not in sent
    inline = sent["assistant"]
    assert inline["voice"]["speed"] == float(speed)
    assert "name" not in inline and inline["prompt"] == before["prompt"]
    assert "id" not in inline and "updated_at" not in inline
    # The saved assistant did not change: no write reached Revox.
    assert [r["method"] for r in synced.requests() if r["method"] != "GET"] == []
    assert synced.get(assistant.revox_id) == before
    call = TestCall.objects.get()
    assert call.group == "voice"
    assert call.before["voice"]["speed"] != call.after["voice"]["speed"] == float(speed)
    entry = Change.objects.get(kind=Change.Kind.TEST_CALL)
    assert entry.group == "voice" and "unsaved voice changes" in entry.summary


def test_changes_that_fail_their_own_checks_place_nothing(synced, editor_client, fake_calls):
    assistant = insurance()
    response = editor_client.get(editor_url(assistant.revox_id, "voice"))
    data = form_fields(response.content, "group-form")
    response = place(editor_client, assistant.revox_id, data, **{
        "speed": "9", "call-phone_number": NUMBER, "call-try": "changes"})  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "the changes don&#x27;t pass their own checks" in page
    assert "Speed" in page
    assert fake_calls.created == [] and not TestCall.objects.exists()


def test_revox_refusing_the_inline_configuration_says_where(synced, editor_client, fake_calls):
    assistant = insurance()
    fake_calls.fail_create = RevoxValidationError(
        "refused", status=422, field_errors={"assistant.voice.speed": ["Too fast for ElevenLabs."]}
    )
    response = editor_client.get(editor_url(assistant.revox_id, "voice"))
    data = form_fields(response.content, "group-form")
    response = place(editor_client, assistant.revox_id, data, **{
        "speed": "1.1", "call-phone_number": NUMBER, "call-try": "changes"})  # fmt: skip
    page = response.content.decode()
    assert "Revox refused the call" in page
    assert "Voice › speed: Too fast for ElevenLabs." in page
    # Without JavaScript the page carries the editor's fields, to try the same changes again.
    again = form_fields(page, "test-call-form")
    assert again["speed"] == "1.1" and again["call-group"] == "voice"


def test_another_test_call_brings_the_panel_back_for_the_editor(synced, editor_client):
    assistant = insurance()
    url = f"/assistants/{assistant.revox_id}/test-call/?group=voice"
    panel = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in panel and 'id="test-call"' in panel
    assert 'form="group-form"' in panel and "Try these changes" in panel
    # Without JavaScript, a page of its own; with no editor's fields to try, only the saved
    # version is offered.
    page = editor_client.get(url).content.decode()
    assert "<html" in page and 'id="test-call-form"' in page
    assert "Try these changes" not in page and "Call with the saved version" not in page


def test_a_stale_form_whose_call_was_refused_can_try_again(synced, editor_client, fake_calls):
    assistant = insurance()
    fake_calls.fail_create = RevoxValidationError("refused", status=400, non_field_errors=["No."])
    data = overview_form(editor_client, assistant.revox_id)
    place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    fake_calls.fail_create = None
    # The same form again (another tab, the Back button): refused before, so nothing was placed.
    response = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    assert "No." in response.content.decode()
    kept = form_fields(response.content, "test-call-form")
    assert kept["call-token"] != data["call-token"]
    assert len(fake_calls.created) == 1
    place(editor_client, assistant.revox_id, kept)
    assert len(fake_calls.created) == 2
