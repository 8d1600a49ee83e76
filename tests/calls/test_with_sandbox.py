"""Test calls against the sandbox: a call lives through its statuses to the end, a double
submit places one call (the sandbox's request log), the saved assistant never changes."""

from __future__ import annotations

import time

from assistants.calls.models import TestCall
from assistants.models import Assistant
from tests.calls.test_place import NUMBER, overview_form, place
from tests.editors.conftest import editor_url
from tests.html_forms import form_fields


def poll(client, url: str, *, until: str, seconds: float) -> str:
    """GET the call's page as the browser polls it, until it shows `until` or time is up."""
    deadline, page = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        page = client.get(url).content.decode()
        if until in page:
            break
        time.sleep(0.1)
    return page


def dental() -> Assistant:
    return Assistant.objects.get(name__startswith="Brightsmile Dental")


def test_a_double_submit_places_one_call(synced, editor_client):
    assistant = dental()
    data = overview_form(editor_client, assistant.revox_id)
    synced.clear_requests()
    first = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    second = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert len([r for r in synced.requests("POST") if r["path"] == "/call"]) == 1


def test_a_voice_change_is_heard_and_the_saved_assistant_stays(synced, editor_client):
    assistant = dental()
    before = synced.get(assistant.revox_id)
    synced.script_call(NUMBER, duration_ms=300, outcome="interested", missing_fields=["reason"])
    data = form_fields(editor_client.get(editor_url(assistant.revox_id, "voice")).content)
    speed = "1.1" if data["speed"] != "1.1" else "0.9"
    response = place(editor_client, assistant.revox_id, data, **{
        "speed": speed, "call-phone_number": NUMBER, "call-try": "changes"})  # fmt: skip
    assert response.status_code == 302, response.content[-3000:]
    url = response["Location"]
    call_id = TestCall.objects.get().revox_call_id
    assert synced.get_call(call_id)["assistant"]["voice"]["speed"] == float(speed)
    # Polled until it ends, as the page does.
    page = poll(editor_client, url, until='data-status="completed"', seconds=10)
    assert 'data-status="completed"' in page, page[-3000:]
    assert "hx-trigger" not in page
    assert 'id="call-recording"' in page and 'id="call-outcome"' in page
    assert 'id="call-transcript"' in page and 'id="call-extracted"' in page
    assert page.count("missing-required") == 1
    assert "<code>reason</code>" in page[page.index("missing-required") :][:300]
    recording = editor_client.get(f"/calls/{call_id}/recording/")
    assert recording.status_code == 200 and recording.content[:4] == b"RIFF"
    assert recording["Content-Type"].startswith("audio/")
    after = synced.get(assistant.revox_id)
    assert after == before


def test_a_busy_number_is_retried_as_the_plan_says(synced, editor_client):
    assistant = dental()
    synced.script_call(NUMBER, attempts=["busy", "answered"], duration_ms=300)
    data = overview_form(editor_client, assistant.revox_id)
    response = place(editor_client, assistant.revox_id, data, **{
        "call-phone_number": NUMBER, "call-skip_calling_window": "on"})  # fmt: skip
    url = response["Location"]
    page = poll(editor_client, url, until="Busy", seconds=5)
    assert "Busy" in page


def test_the_sandbox_refusing_the_number_says_so_at_the_field(synced, editor_client):
    assistant = dental()
    synced.faults({"method": "POST", "path": "/call", "status": 400,
                   "errors": {"phone_number": ["not a number we can call"]}})  # fmt: skip
    data = overview_form(editor_client, assistant.revox_id)
    response = place(editor_client, assistant.revox_id, data, **{"call-phone_number": NUMBER})
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a number we can call" in page and "is-invalid" in page
    assert form_fields(page, "test-call-form")["call-phone_number"] == NUMBER


def test_a_test_of_unsaved_changes_is_filed_under_its_assistant_not_counted_as_a_version(
    synced, editor_client
):
    """Revox runs an inline configuration as an assistant of a new id; the call record files it
    under the assistant it tried, marks it, and keeps it out of that assistant's outcomes."""
    from assistants.calls.models import Call
    from assistants.calls.outcomes import assistant_outcomes

    assistant = dental()
    synced.script_call(NUMBER, duration_ms=300, outcome="interested")
    data = form_fields(editor_client.get(editor_url(assistant.revox_id, "voice")).content)
    speed = "1.1" if data["speed"] != "1.1" else "0.9"
    place(editor_client, assistant.revox_id, data, **{
        "speed": speed, "call-phone_number": NUMBER, "call-try": "changes"})  # fmt: skip
    call_id = TestCall.objects.get().revox_call_id
    assert synced.get_call(call_id)["assistant"]["id"] != assistant.revox_id  # ran inline

    record = Call.objects.get(revox_id=call_id)
    assert (record.assistant_revox_id, record.assistant_name) == (
        assistant.revox_id, assistant.name)  # fmt: skip
    assert record.tried_changes
    page = editor_client.get(f"/assistants/{assistant.revox_id}/calls/").content.decode()
    row = page[page.index(f"/calls/{call_id}/") :][:600]
    assert "Test of unsaved changes" in row
    counted = sum(v.calls for v in assistant_outcomes(revox_id=assistant.revox_id).versions)
    assert counted == Call.objects.filter(assistant_revox_id=assistant.revox_id).count() - 1
