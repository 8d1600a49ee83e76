"""Calls of an assistant whose text holds NUL characters (U+0000), which Revox accepts (issue 24).

PostgreSQL stores a NUL in neither a text column nor a jsonb document: the call record and the
test calls keep each as U+2400, as the cache and the history do (snapshot.without_nul), so that
one such call or assistant does not stop the calls from being kept at all."""

from __future__ import annotations

import pytest

from assistants.cache.services import assistants_sync
from assistants.calls.models import Call, CallConfiguration, TestCall
from assistants.calls.refresh import calls_store
from tests.calls.conftest import attempt_json
from tests.calls.test_place import NUMBER, overview_form, place
from tests.editors.conftest import editor_url
from tests.html_forms import form_fields

NUL_NAME = "Refund\x00desk"
NUL_PROMPT = "Be kind.\x00\nAnswer refunds."
SHOWN = "\u2400"  # SYMBOL FOR NULL, as the cache shows a NUL


def test_a_call_holding_nul_is_kept_with_a_stand_in(db, viewer_client):
    call = {
        "id": "nul-call", "status": "completed", "outcome": "completed",
        "outcome_summary": "Said\x00hi",
        "assistant": {"id": "asst-nul", "name": NUL_NAME, "prompt": NUL_PROMPT},
        "last_call_attempt": {
            "id": "att-1", "status": "completed", "result": "human",
            "transcript": [{"role": "user", "content": "he\x00llo"}],
        },
    }  # fmt: skip
    added, _ = calls_store([call])
    assert added == 1
    stored = Call.objects.get(revox_id="nul-call")
    assert stored.summary == f"Said{SHOWN}hi" and stored.assistant_name == f"Refund{SHOWN}desk"
    assert CallConfiguration.objects.get().data["prompt"] == f"Be kind.{SHOWN}\nAnswer refunds."

    page = viewer_client.get("/calls/nul-call/").content.decode()
    assert f"he{SHOWN}llo" in page and f"Said{SHOWN}hi" in page and "\x00" not in page


@pytest.fixture
def nul_assistant(revox, db):
    created = revox.create(name=NUL_NAME, prompt=NUL_PROMPT)
    assistants_sync()
    return created


def test_a_test_call_of_an_assistant_named_with_nul_is_placed_and_followed(
    nul_assistant, editor_client, fake_calls
):
    rid = nul_assistant["id"]
    data = overview_form(editor_client, rid)
    response = place(editor_client, rid, data, **{"call-phone_number": NUMBER})
    assert response.status_code == 302, response.content.decode()[-2000:]
    [sent] = fake_calls.created
    assert sent["assistant_id"] == rid
    test_call = TestCall.objects.get()
    assert test_call.assistant_name == f"Refund{SHOWN}desk"

    # Revox describes the call with the assistant as it holds it, NULs and all.
    attempt = attempt_json("completed", transcript=[{"role": "user", "content": "he\x00llo"}])
    fake_calls.calls["call_1"].update(
        status="completed", outcome="completed", outcome_summary="Said\x00hi",
        assistant={"id": rid, "name": NUL_NAME, "prompt": NUL_PROMPT},
        last_call_attempt=attempt, call_attempts=[attempt], calls_count=1,
    )  # fmt: skip
    page = editor_client.get("/calls/call_1/")
    assert page.status_code == 200
    test_call.refresh_from_db()
    assert test_call.call["outcome_summary"] == f"Said{SHOWN}hi"
    shown = page.content.decode()
    assert f"Said{SHOWN}hi" in shown and f"he{SHOWN}llo" in shown and "\x00" not in shown
    # And into the call record, as every call Revox describes.
    assert Call.objects.get(revox_id="call_1").summary == f"Said{SHOWN}hi"


def test_unsaved_changes_of_an_assistant_holding_nul_are_tried(
    nul_assistant, editor_client, fake_calls
):
    rid = nul_assistant["id"]
    data = form_fields(editor_client.get(editor_url(rid, "general")).content, "group-form")
    response = place(editor_client, rid, data, **{
        "end_of_call_sentence": "Goodbye.", "call-phone_number": NUMBER, "call-try": "changes",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    [sent] = fake_calls.created
    # Revox is sent the assistant as it holds it: the NULs, not their stand-in.
    assert sent["assistant"]["prompt"] == NUL_PROMPT
    assert sent["assistant"]["end_of_call_sentence"] == "Goodbye."
    test_call = TestCall.objects.get()
    assert test_call.group == "general"
    assert test_call.after["end_of_call_sentence"] == "Goodbye."
    assert "\x00" not in str(test_call.before) + str(test_call.after)
