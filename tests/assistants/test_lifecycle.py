"""Create, clone and delete, end to end through the sandbox, and who may do them."""

from __future__ import annotations

import pytest

from assistants.models import Assistant, Change

pytestmark = pytest.mark.django_db


def test_an_admin_creates_an_assistant(revox, admin_client_, admin_user):
    response = admin_client_.post("/assistants/new/", {
        "name": "Night shift", "prompt": "Answer after hours.", "first_sentence": "Hello!",
        "voice": "", "llm_model": "ministral-3-8b-instruct",
    })  # fmt: skip
    (remote,) = revox.list()
    assert response.status_code == 302 and response["Location"] == f"/assistants/{remote['id']}/"
    assert remote["name"] == "Night shift" and remote["first_sentence"] == "Hello!"
    assert remote["llm_model"] == {"type": "dedicated-instance", "name": "ministral-3-8b-instruct"}
    assert Assistant.objects.get(revox_id=remote["id"]).name == "Night shift"
    change = Change.objects.get()
    assert (change.kind, change.actor, change.after["name"]) == (
        "create",
        admin_user,
        "Night shift",
    )


def test_create_with_a_voice_from_the_catalogue(synced, admin_client_):
    from assistants.models import Voice

    voice = Voice.objects.filter(provider="elevenlabs").first()
    admin_client_.post(
        "/assistants/new/",
        {"name": "Voiced", "prompt": "p", "voice": f"elevenlabs:{voice.voice_id}"},
    )
    remote = next(a for a in synced.list() if a["name"] == "Voiced")
    assert remote["voice"]["id"] == voice.voice_id and remote["voice"]["provider"] == "elevenlabs"


def test_create_validates_before_calling_revox(revox, admin_client_):
    response = admin_client_.post("/assistants/new/", {"name": "", "prompt": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "prompt"}
    assert revox.requests("POST") == []


@pytest.mark.parametrize(
    "fault", [{"status": 503}, {"drop": True}, {"status": 400, "errors": {"name": ["taken"]}}]
)
def test_a_failed_create_keeps_the_form_and_creates_nothing(revox, admin_client_, fault):
    revox.faults({"method": "POST", "path": "/assistants", **fault})
    response = admin_client_.post("/assistants/new/", {"name": "Kept", "prompt": "Typed prompt"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Kept"' in page and "Typed prompt" in page
    assert revox.list() == [] and not Assistant.objects.exists() and not Change.objects.exists()
    if "errors" in fault:
        assert response.context["form"].errors["name"] == ["taken"]


def test_an_admin_clones_an_assistant(synced, admin_client_):
    original = Assistant.objects.order_by("name").first()
    response = admin_client_.post(f"/assistants/{original.revox_id}/clone/")
    copy = Assistant.objects.get(name=f"{original.name} (Copy)")
    assert response["Location"] == f"/assistants/{copy.revox_id}/"
    remote = synced.get(copy.revox_id)
    assert [i["question"] for i in remote["faq_items"]] == [
        i["question"] for i in original.data["faq_items"]
    ]
    assert Change.objects.get(kind="clone").related_revox_id == original.revox_id


def test_delete_needs_the_name_typed(synced, admin_client_):
    target = Assistant.objects.order_by("name").first()
    response = admin_client_.post(
        f"/assistants/{target.revox_id}/delete/", {"confirm_name": "wrong"}
    )
    assert response.status_code == 200 and "not the assistant" in response.content.decode()
    assert synced.get_status(target.revox_id) == 200


def test_an_admin_deletes_an_assistant(synced, admin_client_):
    target = Assistant.objects.order_by("name").first()
    response = admin_client_.post(
        f"/assistants/{target.revox_id}/delete/", {"confirm_name": target.name}
    )
    assert response["Location"] == "/assistants/"
    assert synced.get_status(target.revox_id) == 404
    assert not Assistant.objects.filter(revox_id=target.revox_id).exists()
    change = Change.objects.get(kind="delete")
    assert change.before["prompt"] == target.data["prompt"]  # the last configuration is kept


def test_deleting_one_already_deleted_elsewhere_still_succeeds(synced, admin_client_):
    target = Assistant.objects.order_by("name").first()
    synced.delete(target.revox_id)
    response = admin_client_.post(
        f"/assistants/{target.revox_id}/delete/", {"confirm_name": target.name}
    )
    assert response["Location"] == "/assistants/"
    assert not Assistant.objects.filter(revox_id=target.revox_id).exists()


def test_a_failed_delete_keeps_the_assistant(synced, admin_client_):
    target = Assistant.objects.order_by("name").first()
    synced.faults({"method": "DELETE", "path": "/assistants/*", "status": 503})
    response = admin_client_.post(
        f"/assistants/{target.revox_id}/delete/", {"confirm_name": target.name}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Assistant.objects.filter(revox_id=target.revox_id).exists()
    assert not Change.objects.filter(kind="delete").exists()


@pytest.mark.parametrize(
    "url", ["/assistants/new/", "/assistants/{id}/clone/", "/assistants/{id}/delete/"]
)
@pytest.mark.parametrize("who", ["viewer_client", "editor_client"])
def test_only_admins_create_clone_and_delete(synced, request, url, who):
    client = request.getfixturevalue(who)
    target = Assistant.objects.first()
    assert client.get(url.format(id=target.revox_id)).status_code == 403
    assert (
        client.post(
            url.format(id=target.revox_id),
            {"name": "x", "prompt": "y", "confirm_name": target.name},
        ).status_code
        == 403
    )
    assert len(synced.list()) == Assistant.objects.count()
