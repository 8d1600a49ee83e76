"""Deleted assistants: their history stays, with the last configuration; an Admin recreates one."""

from __future__ import annotations

import pytest

from assistants.cache.services import assistants_sync
from assistants.history.services import CUSTOM_LLM_FALLBACK
from assistants.models import Assistant, Change
from tests.history.conftest import CANARY, CUSTOM_LLM, history_url

pytestmark = pytest.mark.django_db

FAQ = [
    {"question": "Opening hours?", "answer": "9 to 5"},
    {"question": "Parking?", "answer": "Behind."},
]


def delete(client, created):
    response = client.post(
        f"/assistants/{created['id']}/delete/", {"confirm_name": created["name"]}
    )
    assert response.status_code == 302


def test_a_deleted_assistant_keeps_its_history_page(cached, admin_client_, viewer_client):
    created = cached(name="Old desk", prompt="Be kind.", faq_items=FAQ)
    delete(admin_client_, created)

    page = viewer_client.get(history_url(created["id"])).content.decode()

    assert (
        'id="deleted-badge"' in page and "This assistant was deleted" in page and "by Ada" in page
    )
    assert "Old desk" in page and "Be kind." in page  # the last configuration, as the cards say it
    assert "Recreate it" not in page  # viewers can't


def test_an_admin_recreates_it_with_its_faq_and_both_histories_link(
    cached, revox, admin_client_, admin_user
):
    created = cached(name="Old desk", prompt="Be kind.", faq_items=FAQ, sms_enabled=True,
                     voice={"provider": "cartesia", "id": "voice-a", "speed": 1.1})  # fmt: skip
    delete(admin_client_, created)
    page = admin_client_.get(history_url(created["id"])).content.decode()
    assert f'href="/assistants/{created["id"]}/recreate/"' in page

    response = admin_client_.post(f"/assistants/{created['id']}/recreate/", {})

    assert response.status_code == 302
    new = Assistant.objects.get()
    assert response["Location"] == f"/assistants/{new.revox_id}/"
    remote = revox.get(new.revox_id)
    for key in ("name", "prompt", "sms_enabled", "voice"):
        assert remote[key] == created[key], key
    assert [(i["question"], i["answer"]) for i in remote["faq_items"]] == [
        (f["question"], f["answer"]) for f in FAQ
    ]
    created_entry = Change.objects.get(assistant_revox_id=new.revox_id)
    assert (created_entry.kind, created_entry.related_revox_id, created_entry.actor) == (
        "create",
        created["id"],
        admin_user,
    )
    old_page = admin_client_.get(history_url(created["id"])).content.decode()
    assert f"/assistants/{new.revox_id}/" in old_page and "Recreated" in old_page
    new_page = admin_client_.get(history_url(new.revox_id)).content.decode()
    assert history_url(created["id"]) in new_page


def test_a_custom_llm_gets_the_key_typed_in(cached, revox, admin_client_):
    created = cached(llm_model=CUSTOM_LLM)
    delete(admin_client_, created)
    page = admin_client_.get(f"/assistants/{created['id']}/recreate/").content.decode()
    assert "API key for the custom language model" in page and CANARY not in page

    admin_client_.post(f"/assistants/{created['id']}/recreate/", {"api_key": "sk-new-key-42"})

    new = Assistant.objects.get()
    assert revox.get(new.revox_id)["llm_model"] == {**CUSTOM_LLM, "api_key": "sk-new-key-42"}


def test_without_the_key_it_falls_back_to_gpt_4_1_and_says_so(cached, revox, admin_client_):
    created = cached(llm_model=CUSTOM_LLM)
    delete(admin_client_, created)

    response = admin_client_.post(f"/assistants/{created['id']}/recreate/", {}, follow=True)

    new = Assistant.objects.get()
    assert revox.get(new.revox_id)["llm_model"] == {"type": "dedicated-instance", "name": "gpt-4.1"}
    assert CUSTOM_LLM_FALLBACK.format(model="house-model") in response.content.decode().replace(
        "&#x27;", "'"
    )


def test_one_deleted_outside_the_dashboard_can_be_recreated_too(cached, revox, admin_client_):
    created = cached(name="Gone elsewhere", faq_items=FAQ)
    revox.delete(created["id"])
    assistants_sync()
    page = admin_client_.get(history_url(created["id"])).content.decode()
    assert "outside the dashboard" in page and "Recreate it" in page
    admin_client_.post(f"/assistants/{created['id']}/recreate/", {})
    assert Assistant.objects.get().name == "Gone elsewhere"


def test_editors_cannot_recreate(cached, admin_client_, editor_client):
    created = cached()
    delete(admin_client_, created)
    assert editor_client.post(f"/assistants/{created['id']}/recreate/", {}).status_code == 403
    assert not Assistant.objects.exists()


def test_a_revox_failure_creates_nothing_and_says_why(cached, revox, admin_client_):
    created = cached()
    delete(admin_client_, created)
    revox.faults({"method": "POST", "path": "/assistants", "status": 503})
    response = admin_client_.post(f"/assistants/{created['id']}/recreate/", {})
    assert response.status_code == 200 and 'class="alert alert-danger"' in response.content.decode()
    assert not Assistant.objects.exists()
    assert not Change.objects.filter(kind="create").exists()
