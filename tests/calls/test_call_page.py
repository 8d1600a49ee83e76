"""A test call's page (/calls/<id>/) and the panel: live while it goes (polling stops when it
ends), and what it did when it ended — recording, transcript, data extracted against the
config, outcome, end reason, the configuration it ran with."""

from __future__ import annotations

import pytest

from assistants.calls.models import TestCall
from assistants.models import Assistant
from assistants.revox import RevoxUnavailable
from tests.calls.conftest import attempt_json
from tests.calls.test_place import NUMBER, overview_form, place
from tests.editors.conftest import editor_url
from tests.html_forms import form_fields

CONFIG = [
    {"name": "policy_number", "type": "string", "required": True},
    {"name": "wants_renewal", "type": "boolean", "required": True},
    {"name": "callback_time", "type": "datetime", "required": False},
]


@pytest.fixture
def placed(synced, editor_client, fake_calls):
    """A test call of the insurance assistant, placed by the Editor with a voice change."""
    assistant = Assistant.objects.get(name__startswith="Evergreen Insurance")
    data = form_fields(editor_client.get(editor_url(assistant.revox_id, "voice")).content)
    speed = "1.1" if data["speed"] != "1.1" else "0.9"
    response = place(editor_client, assistant.revox_id, data, **{
        "speed": speed, "call-phone_number": NUMBER, "call-try": "changes"})  # fmt: skip
    assert response.status_code == 302
    fake_calls.calls["call_1"]["assistant"]["structured_output_config"] = CONFIG
    return TestCall.objects.get()


def test_a_ringing_call_polls_and_can_be_cancelled(placed, editor_client, fake_calls):
    fake_calls.set("call_1", status="calling",
                   call_attempts=[attempt_json("ringing")],
                   last_call_attempt=attempt_json("ringing"))  # fmt: skip
    page = editor_client.get("/calls/call_1/").content.decode()
    assert "Calling" in page and "Ringing" in page
    assert 'hx-trigger="every 2s"' in page
    assert 'id="call-cancel"' in page
    assert "The conversation will show here as it happens." in page
    response = editor_client.post("/calls/call_1/cancel/")
    assert response.status_code == 302 and fake_calls.cancelled == ["call_1"]
    page = editor_client.get("/calls/call_1/").content.decode()
    assert "Cancelled" in page and "hx-trigger" not in page and 'id="call-cancel"' not in page


def test_the_transcript_grows_while_the_call_goes(placed, editor_client, fake_calls):
    talk = [{"role": "assistant", "content": "Hi Ada, this is Evergreen Insurance."}]
    ongoing = attempt_json("ongoing", transcript=talk)
    fake_calls.set("call_1", status="calling", call_attempts=[ongoing], last_call_attempt=ongoing)
    first = editor_client.get("/calls/call_1/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in first  # only the live part, for htmx to swap
    assert "Hi Ada, this is Evergreen Insurance." in first and "In conversation" in first
    talk.append({"role": "user", "content": "Oh hello, yes I have a minute."})
    second = editor_client.get("/calls/call_1/", headers={"HX-Request": "true"}).content.decode()
    assert "Oh hello, yes I have a minute." in second
    assert second.index("Hi Ada") < second.index("Oh hello")
    assert 'hx-trigger="every 2s"' in second


def ended(fake_calls, **attempt):
    done = attempt_json(
        "completed", result="human", end_reason="tool_end_call", ended_by="agent",
        recording_url="https://recordings.example.com/call_1.wav?sig=abc",
        transcript=[{"role": "assistant", "content": "Hello!"},
                    {"role": "user", "content": "My policy is EV-1234."}],
        structured_output={"policy_number": "EV-1234", "surprise": "kept"}, **attempt,
    )  # fmt: skip
    fake_calls.set("call_1", status="completed", call_attempts=[done], last_call_attempt=done,
                   outcome="interested", outcome_summary="Wants to renew; asked for a quote.")  # fmt: skip


def test_an_ended_call_shows_what_it_did(placed, editor_client, fake_calls):
    ended(fake_calls)
    page = editor_client.get("/calls/call_1/").content.decode()
    assert "Completed" in page and "hx-trigger" not in page
    assert 'src="/calls/call_1/recording/"' in page
    assert "recordings.example.com" not in page  # played through the dashboard
    assert "Interested" in page and "Wants to renew; asked for a quote." in page
    assert "The assistant ended the call" in page
    assert "My policy is EV-1234." in page
    # Extracted data against the config: a required field not captured stands out.
    assert "EV-1234" in page
    row = page[page.index("<code>wants_renewal</code>") :][:600]
    assert "Not captured" in row and "text-danger" in row
    assert page.count("missing-required") == 1
    assert "<code>surprise</code>" in page and "not asked for" in page
    # The configuration it ran with: the unsaved voice change, as a diff.
    assert "Unsaved changes" in page and "Voice" in page
    assert "The saved assistant was not changed." in page
    # A finished call is not asked about again.
    fake_calls.fail_get = RevoxUnavailable("down")
    assert editor_client.get("/calls/call_1/").status_code == 200


def test_the_recording_is_relayed(placed, editor_client, viewer_client, fake_calls):
    ended(fake_calls)
    editor_client.get("/calls/call_1/")
    response = viewer_client.get("/calls/call_1/recording/")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response.content == fake_calls.recording.audio
    assert fake_calls.recording_urls == ["https://recordings.example.com/call_1.wav?sig=abc"]


def test_no_recording_yet_is_a_404(placed, editor_client, fake_calls):
    assert editor_client.get("/calls/call_1/recording/").status_code == 404


def test_revox_down_shows_the_last_state_and_says_so(placed, editor_client, fake_calls):
    fake_calls.fail_get = RevoxUnavailable("Revox can't be reached right now.")
    page = editor_client.get("/calls/call_1/").content.decode()
    assert "Showing what Revox said last" in page and "Queued" in page


def test_others_see_the_number_masked(placed, editor_client, viewer_client):
    mine = editor_client.get("/calls/call_1/").content.decode()
    assert "+1 415-555-0123" in mine
    theirs = viewer_client.get("/calls/call_1/").content.decode()
    assert "415-555-0123" not in theirs and "+1 •••-•••-••23" in theirs
    assert 'id="call-cancel"' not in theirs  # Viewers can't cancel
    assert viewer_client.post("/calls/call_1/cancel/").status_code == 403


def test_the_history_links_to_the_call(placed, viewer_client):
    page = viewer_client.get(f"/assistants/{placed.assistant_revox_id}/history/").content.decode()
    assert "Test call" in page and 'href="/calls/call_1/"' in page
    assert "unsaved voice changes" in page
    assert "Restore" not in page[page.index("Test call to") :][:3000]
    activity = viewer_client.get("/activity/").content.decode()
    assert 'href="/calls/call_1/"' in activity and "415-555-0123" not in activity


def test_htmx_placement_answers_with_the_live_panel(synced, editor_client, fake_calls):
    assistant = Assistant.objects.get(name__startswith="Evergreen Insurance")
    data = overview_form(editor_client, assistant.revox_id)
    response = editor_client.post(
        f"/assistants/{assistant.revox_id}/test-call/",
        {**{k: data.getlist(k) for k in data}, "call-phone_number": NUMBER},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#test-call"
    body = response.content.decode()
    assert 'id="test-call"' in body and 'hx-get="/calls/call_1/?panel=1"' in body


def test_an_unknown_call_is_a_404(synced, editor_client):
    assert editor_client.get("/calls/nope/").status_code == 404


def test_the_overview_lists_recent_test_calls(placed, viewer_client, editor_client):
    page = editor_client.get(f"/assistants/{placed.assistant_revox_id}/").content.decode()
    recent = page[page.index('id="recent-test-calls"') :][:1000]
    assert 'href="/calls/call_1/"' in recent and "Ed" in recent and "unsaved changes" in recent
    # Viewers have no panel, so no list there; they find calls in the history.
    other = viewer_client.get(f"/assistants/{placed.assistant_revox_id}/").content.decode()
    assert "recent-test-calls" not in other
