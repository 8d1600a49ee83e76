"""Restore: a group put back as it was before (or after) an entry, through the editors'
conflict check, recorded as an entry of its own."""

from __future__ import annotations

import re

import pytest

from assistants.cache.services import assistants_sync
from assistants.editors.groups import GROUPS
from assistants.history.services import NOT_RESTORABLE, SECRET_NOT_RESTORABLE
from assistants.history.views import NOTHING_TO_RESTORE
from assistants.models import Change
from tests.editors.conftest import open_editor, save
from tests.history.conftest import CANARY, CUSTOM_LLM, history_url

pytestmark = pytest.mark.django_db


def restore_form(client, revox_id: str, change: Change, side: str = "before") -> dict[str, str]:
    """The restore form of one entry, as the history page renders it."""
    page = client.get(history_url(revox_id)).content.decode()
    action = f'action="{history_url(revox_id)}{change.pk}/restore/"'
    forms = re.findall(r"<form[^>]*" + re.escape(action) + r".*?</form>", page, re.S)
    for form in forms:
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
        if fields.get("side") == side:
            return fields
    raise AssertionError(f"no restore-{side} form for entry {change.pk}")


def restore(client, revox_id: str, change: Change, fields: dict[str, str]):
    return client.post(f"{history_url(revox_id)}{change.pk}/restore/", fields)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_it_puts_the_group_back_as_it_was_before(cached, revox, editor_client, editor):
    created = cached(name="Front desk", voicemail_message="Call back", prompt="Be kind.")
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data, name="Renamed", voicemail_message="")
    change = Change.objects.get()
    fields = restore_form(editor_client, created["id"], change)
    revox.clear_requests()

    response = restore(editor_client, created["id"], change, fields)

    assert response.status_code == 302 and response["Location"] == history_url(created["id"])
    assert "General restored." in messages_of(response)
    after = revox.get(created["id"])
    assert (after["name"], after["voicemail_message"]) == ("Front desk", "Call back")
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) == {"name", "voicemail_message"}
    assert set(patch["body_keys"]) <= set(GROUPS["general"].fields)
    entry = Change.objects.filter(kind="restore").get()
    assert (entry.actor, entry.group, entry.before["name"], entry.after["name"]) == (
        editor,
        "general",
        "Renamed",
        "Front desk",
    )
    assert entry.summary.startswith("General restored as it was before the change of")
    page = editor_client.get(history_url(created["id"])).content.decode()
    assert "Restored" in page


def test_it_can_apply_the_after_side_again(cached, revox, editor_client):
    created = cached(name="One")
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data, name="Two")
    first = Change.objects.get()
    restore(
        editor_client,
        created["id"],
        first,
        restore_form(editor_client, created["id"], first, "before"),
    )
    assert revox.get(created["id"])["name"] == "One"

    restore(
        editor_client,
        created["id"],
        first,
        restore_form(editor_client, created["id"], first, "after"),
    )

    assert revox.get(created["id"])["name"] == "Two"


def test_an_outside_change_can_be_undone(cached, revox, editor_client):
    created = cached(voice={"provider": "cartesia", "id": "voice-a"})
    revox.patch(created["id"], voice={"provider": "elevenlabs", "id": "voice-b"})
    assistants_sync()
    change = Change.objects.get(kind="external")

    restore(
        editor_client, created["id"], change, restore_form(editor_client, created["id"], change)
    )

    assert revox.get(created["id"])["voice"] == {"provider": "cartesia", "id": "voice-a"}


def test_a_change_made_since_the_page_was_loaded_is_a_conflict(cached, revox, editor_client):
    created = cached(name="One")
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data, name="Two")
    change = Change.objects.get()
    fields = restore_form(editor_client, created["id"], change)
    revox.patch(created["id"], name="Three, from a teammate")
    revox.clear_requests()

    response = restore(editor_client, created["id"], change, fields)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone changed general since you opened the history" in page
    assert "Three, from a teammate" in page and "One" in page
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["name"] == "Three, from a teammate"
    assert not Change.objects.filter(kind="restore").exists()

    # "Restore anyway" carries the fingerprint of what the user has now seen.
    anyway = dict(
        re.findall(
            r'name="(\w+)" value="([^"]*)"', page.split("Restore anyway")[0].rsplit("<form", 1)[1]
        )
    )
    response = restore(editor_client, created["id"], change, anyway)
    assert response.status_code == 302
    assert revox.get(created["id"])["name"] == "One"


def test_restoring_what_is_already_there_sends_nothing(cached, revox, editor_client):
    created = cached(name="One")
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data, name="Two")
    change = Change.objects.get(kind="update")
    revox.patch(created["id"], name="One")  # someone already put it back, elsewhere
    assistants_sync()
    page = editor_client.get(history_url(created["id"])).content.decode()
    assert f"restore-{change.pk}-before" not in page  # shown as the current state instead
    assert "General is now as before this change" in page
    fields = restore_form(editor_client, created["id"], change, "after")
    revox.clear_requests()

    response = restore(editor_client, created["id"], change, {**fields, "side": "before"})

    assert NOTHING_TO_RESTORE.format(group="General") in messages_of(response)
    assert revox.requests("PATCH") == []


def test_faq_comes_back_as_questions_and_answers(cached, revox, editor_client):
    created = cached(faq_items=[{"question": "Parking?", "answer": "Yes, behind."}])
    revox.patch(created["id"], faq_items=[])
    assistants_sync()
    change = Change.objects.get()
    revox.clear_requests()

    restore(
        editor_client, created["id"], change, restore_form(editor_client, created["id"], change)
    )

    assert [(i["question"], i["answer"]) for i in revox.get(created["id"])["faq_items"]] == [
        ("Parking?", "Yes, behind.")
    ]
    (patch,) = revox.requests("PATCH")
    assert patch["body_keys"] == ["faq_items"]


def test_the_same_custom_llm_key_is_kept(cached, revox, editor_client):
    created = cached(llm_model=CUSTOM_LLM)
    revox.patch(created["id"], llm_model={**CUSTOM_LLM, "model_name": "other-model"})
    assistants_sync()
    change = Change.objects.get()

    restore(
        editor_client, created["id"], change, restore_form(editor_client, created["id"], change)
    )

    assert revox.get(created["id"])["llm_model"] == CUSTOM_LLM  # the key, which history never had


def test_a_different_custom_llm_key_is_refused_with_a_reason(cached, revox, editor_client):
    created = cached(llm_model=CUSTOM_LLM)
    revox.patch(created["id"], llm_model={**CUSTOM_LLM, "api_key": "sk-rotated-0001"})
    assistants_sync()
    change = Change.objects.get()
    revox.clear_requests()

    response = restore(
        editor_client, created["id"], change, restore_form(editor_client, created["id"], change)
    )

    assert SECRET_NOT_RESTORABLE in messages_of(response)
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["llm_model"]["api_key"] == "sk-rotated-0001"
    page = editor_client.get(history_url(created["id"]), follow=True).content.decode()
    assert CANARY not in page and "sk-rotated" not in page


def test_an_entry_about_the_whole_assistant_is_not_restorable(revox, admin_client_):
    response = admin_client_.post("/assistants/new/", {"name": "Desk", "prompt": "P"})
    revox_id = response["Location"].strip("/").split("/")[-1]
    change = Change.objects.get()
    page = admin_client_.get(history_url(revox_id)).content.decode()
    assert f"restore-{change.pk}-" not in page
    response = admin_client_.post(f"{history_url(revox_id)}{change.pk}/restore/", {"side": "after"})
    assert NOT_RESTORABLE in messages_of(response)


def test_it_rejects_get(cached, editor_client):
    created = cached()
    assert editor_client.get(f"{history_url(created['id'])}1/restore/").status_code == 405


def test_a_waiting_question_restored_keeps_waiting_with_its_draft(cached, revox, editor_client):
    """History shows the drafts the dashboard kept; putting such an entry back never approves
    a draft nobody approved: the question goes back waiting, its draft still kept."""
    created = cached(faq_items=[{"question": "Parking?", "answer": "Yes, behind."}])
    revox.suggest_faq(created["id"], "Do you see children?", "From age 3.")
    _, data = open_editor(editor_client, created["id"], "faq")
    save(editor_client, created["id"], "faq", data, **{"items-0-answer": "Yes, free."})
    change = Change.objects.get(kind="update")
    assert change.after["faq_items"][1]["answer"] == "From age 3."  # shown, not lost
    fields = restore_form(editor_client, created["id"], change, "before")

    restore(editor_client, created["id"], change, fields)

    assert [(i["question"], i["answer"], i["needs_human_answer"])
            for i in revox.get(created["id"])["faq_items"]] == [
        ("Parking?", "Yes, behind.", False),
        ("Do you see children?", "", True),
    ]  # fmt: skip
    _, data = open_editor(editor_client, created["id"], "faq")
    assert data["items-1-answer"] == "From age 3."


def test_a_text_never_set_is_restored_as_not_set(cached, revox, editor_client):
    # Revox answers null for an end-of-call sentence never set, and takes no null back.
    created = cached(name="Front desk", prompt="Be kind.")
    assert revox.get(created["id"])["end_of_call_sentence"] is None
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data, end_of_call_sentence="Bye now.")
    change = Change.objects.get()
    revox.clear_requests()

    response = restore(
        editor_client, created["id"], change, restore_form(editor_client, created["id"], change)
    )

    assert "General restored." in messages_of(response)
    (patch,) = revox.requests("PATCH")
    assert patch["body_keys"] == ["end_of_call_sentence"]
    assert revox.get(created["id"])["end_of_call_sentence"] == ""
    # Not set either way: restoring it once more finds nothing to send.
    again = Change.objects.filter(kind="restore").get()
    response = restore(
        editor_client, created["id"], change, restore_form(editor_client, created["id"], change)
    )
    assert NOTHING_TO_RESTORE.format(group="General") in messages_of(response)
    assert Change.objects.filter(kind="restore").get() == again


def test_a_calling_plan_never_set_is_restored_as_revoxs_defaults(cached, revox, editor_client):
    created = cached(name="Front desk", prompt="Be kind.")
    assert revox.get(created["id"]).get("call_retry_config") is None
    _, data = open_editor(editor_client, created["id"], "retry")
    save(editor_client, created["id"], "retry", data, custom="on", max_retry_attempts="5")
    change = Change.objects.get()
    assert change.before["call_retry_config"] is None

    response = restore(
        editor_client, created["id"], change, restore_form(editor_client, created["id"], change)
    )

    assert f"{GROUPS['retry'].title} restored." in messages_of(response)
    plan = revox.get(created["id"])["call_retry_config"]
    assert plan["max_retry_attempts"] == 3 and plan["timezone"] is None
    assert [(w["calling_window_start_time"], w["calling_window_end_time"])
            for w in plan["calling_windows"]] == [("10:00", "18:00")]  # fmt: skip
