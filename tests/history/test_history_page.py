"""/assistants/<id>/history/: every entry, newest first, who/when/group/kind, readable diffs."""

from __future__ import annotations

import re

import pytest

from assistants.cache.services import assistants_sync
from assistants.history_entries import change_record
from assistants.models import Change
from tests.editors.conftest import open_editor, save
from tests.history.conftest import CANARY, CUSTOM_LLM, history_url

pytestmark = pytest.mark.django_db


def entry_kinds(page: str) -> list[str]:
    return re.findall(r'<article class="history-entry kind-([a-z_]+)"', page)


def test_it_shows_every_kind_of_entry_newest_first(revox, admin_client_, admin_user):
    response = admin_client_.post("/assistants/new/", {"name": "Front desk", "prompt": "Be kind."})
    assert response.status_code == 302
    revox_id = response["Location"].strip("/").split("/")[-1]
    _, data = open_editor(admin_client_, revox_id, "general")
    save(admin_client_, revox_id, "general", data, name="Front desk 2")
    # A FAQ review action, as the review queue records it.
    current = revox.get(revox_id)
    change_record(user=admin_user, kind=Change.Kind.FAQ_REVIEW, assistant=current, group="faq",
                  before={"faq_items": []}, after={"faq_items": [{"question": "Q?", "answer": "A"}]},
                  summary="Approved 1 answer")  # fmt: skip
    revox.patch(revox_id, sms_enabled=True)
    assistants_sync()
    restore = Change.objects.get(kind="update")
    admin_client_.post(f"{history_url(revox_id)}{restore.pk}/restore/",
                       {"side": "before", "fingerprint": _fingerprint(revox_id, "general")})  # fmt: skip
    clone = admin_client_.post(f"/assistants/{revox_id}/clone/")
    assert clone.status_code == 302

    page = admin_client_.get(history_url(revox_id)).content.decode()

    assert entry_kinds(page) == ["restore", "external", "faq_review", "update", "create"]
    assert "Ada" in page  # who
    assert "Changed in Revox" in page and "Outside the dashboard" in page
    assert "Approved 1 answer" in page
    # The clone is the copy's history, linking back.
    copy_id = clone["Location"].strip("/").split("/")[-1]
    copy_page = admin_client_.get(history_url(copy_id)).content.decode()
    assert entry_kinds(copy_page) == ["clone"] and history_url(revox_id) in copy_page


def _fingerprint(revox_id: str, group: str) -> str:
    from assistants.editors.groups import GROUPS
    from assistants.models import Assistant
    from assistants.snapshot import group_fingerprint

    return group_fingerprint(GROUPS[group].values(Assistant.objects.get(revox_id=revox_id).data))


def test_a_group_save_reads_in_plain_words_and_field_by_field(cached, editor_client):
    created = cached(prompt="Greet the caller.\nAsk for their name.\nBe brief.")
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data,
         prompt="Greet the caller warmly.\r\nAsk for their name.\r\nBe brief.", voicemail_message="Call us back")  # fmt: skip

    page = editor_client.get(history_url(created["id"])).content.decode()

    assert "Edited" in page and "General" in page and "Ed" in page
    # The overview's words, before and after.
    assert re.search(
        r"<th scope=\"row\">Voicemail</th><td class=\"plain-before\"><bdi>Hang up at once</bdi></td>"
        r"<td class=\"plain-after\"><bdi>Call us back</bdi></td>",
        page,
    )
    # The prompt as a line diff, the new word marked.
    assert '<div class="td-line td-removed"' in page
    assert "Greet the caller<mark> warmly</mark>." in page
    assert "<details" in page  # collapsed until opened


def test_text_from_an_assistant_is_shown_as_text_never_as_markup(cached, editor_client):
    created = cached(name="Desk")
    _, data = open_editor(editor_client, created["id"], "general")
    save(
        editor_client, created["id"], "general", data, name='<script>alert("x")</script><b>Desk</b>'
    )
    page = editor_client.get(history_url(created["id"])).content.decode()
    assert "<script>alert" not in page and "<b>Desk</b>" not in page
    assert "&lt;script&gt;alert" in page


def test_it_pages_fifty_at_a_time(cached, viewer_client):
    created = cached()
    Change.objects.bulk_create([
        Change(assistant_revox_id=created["id"], assistant_name="X", kind="update", group="general",
               before={"name": f"n{i}"}, after={"name": f"n{i + 1}"}) for i in range(60)
    ])  # fmt: skip
    page = viewer_client.get(history_url(created["id"])).content.decode()
    assert len(entry_kinds(page)) == 50 and "Page 1 of 2" in page
    page2 = viewer_client.get(history_url(created["id"]) + "?page=2").content.decode()
    assert len(entry_kinds(page2)) == 10


def test_an_unknown_assistant_is_404(revox, viewer_client):
    assert viewer_client.get(history_url("nope")).status_code == 404


def test_viewers_read_history_but_get_no_restore_button_and_cannot_restore(
    cached, editor_client, viewer_client
):
    created = cached(name="Desk")
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data, name="Desk 2")
    change = Change.objects.get()

    page = viewer_client.get(history_url(created["id"])).content.decode()
    assert "Desk 2" in page and "Restore" not in page
    response = viewer_client.post(
        f"{history_url(created['id'])}{change.pk}/restore/", {"side": "before"}
    )
    assert response.status_code == 403
    assert created["id"] and Change.objects.count() == 1


def test_the_custom_llm_key_never_reaches_a_history_page(
    cached, revox, editor_client, admin_client_
):
    created = cached(llm_model={**CUSTOM_LLM, "api_key": "sk-canary-llm-first-0000"})
    revox.patch(created["id"], llm_model=CUSTOM_LLM)
    assistants_sync()  # an outside change of the key
    admin_client_.post(f"/assistants/{created['id']}/delete/", {"confirm_name": created["name"]})

    pages = [admin_client_.get(history_url(created["id"])), admin_client_.get("/activity/"),
             admin_client_.get(f"/assistants/{created['id']}/recreate/")]  # fmt: skip
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert CANARY not in body and "sk-canary-llm-first" not in body and "secret:" not in body
    history = pages[0].content.decode()
    assert "The API key was changed. It is never shown." in history
    stored = repr(list(Change.objects.values()))
    assert CANARY not in stored and "sk-canary-llm-first" not in stored


def test_history_is_append_only(cached, admin_client_, editor_client):
    created = cached(name="Desk")
    _, data = open_editor(editor_client, created["id"], "general")
    save(editor_client, created["id"], "general", data, name="Desk 2")
    before = list(Change.objects.values())
    for method in ("post", "put", "patch", "delete"):
        assert getattr(admin_client_, method)(history_url(created["id"])).status_code == 405
        assert getattr(admin_client_, method)("/activity/").status_code == 405
    assert list(Change.objects.values()) == before
