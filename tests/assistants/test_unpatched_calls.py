"""Calls already scheduled: when Revox answers a PATCH with unpatchedCallsNotice, whoever saved
is told how many scheduled calls keep their old settings and which variables kept them, on
every path that PATCHes."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages

from assistants.cache.services import assistants_sync
from assistants.editors.words import unpatched_calls
from assistants.models import Change
from assistants.revox import UnpatchedCalls
from tests.editors.conftest import editor_url, open_editor, save
from tests.faq_review.conftest import after_job, job_report
from tests.html_forms import as_post, form_fields

pytestmark = pytest.mark.django_db

THREE = "3 calls already scheduled keep their old settings, because of the variables {{first_name}} and {{appointment_time}}."
ONE = "1 call already scheduled keeps its old settings, because of the variable {{first_name}}."


@pytest.mark.parametrize(
    ("notice", "words"),
    [
        (UnpatchedCalls(3, ["first_name", "appointment_time"]), THREE),
        (UnpatchedCalls(1, ["first_name"]), ONE),
        (UnpatchedCalls(2, []), "2 calls already scheduled keep their old settings."),
        (UnpatchedCalls(4, ["a", "b", "c"]), "because of the variables {{a}}, {{b}} and {{c}}."),
        (UnpatchedCalls(1200, ["x"]), "1,200 calls already scheduled keep their"),
        (None, ""),
    ],
)
def test_the_sentence_counts_right(notice, words):
    assert words in unpatched_calls(notice)


@pytest.fixture
def scheduled(revox, db):
    created = revox.create(name="Reminders", first_sentence="Hi {{first_name}}")
    revox.schedule_calls(created["id"], 3, ["first_name", "appointment_time"])
    assistants_sync()
    return created


def test_a_group_save_says_it(scheduled, editor_client):
    _, data = open_editor(editor_client, scheduled["id"], "general")
    response = save(editor_client, scheduled["id"], "general", data, name="Reminders v2")
    assert response.status_code == 302
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "warning" and "sticky" in message.extra_tags
    assert str(message).startswith("General saved to Revox. " + THREE)

    page = editor_client.get(response["Location"]).content.decode()
    assert "data-sticky" in page  # stays on screen until closed


def test_an_inline_save_says_it_in_the_editor_and_in_a_toast_that_stays(scheduled, editor_client):
    _, data = open_editor(editor_client, scheduled["id"], "voice")
    response = editor_client.post(
        editor_url(scheduled["id"], "voice"), as_post(data, speed="1.2"), HTTP_HX_REQUEST="true"
    )
    (toast,) = json.loads(response["HX-Trigger-After-Settle"])["revox:toast"]
    assert toast["sticky"] is True and THREE in toast["message"]
    page = response.content.decode()
    assert 'id="unpatched-calls"' in page and THREE in page


def test_a_save_without_scheduled_calls_says_nothing_of_them(revox, editor_client, db):
    created = revox.create()
    assistants_sync()
    _, data = open_editor(editor_client, created["id"], "general")
    response = save(editor_client, created["id"], "general", data, name="Plain")
    (message,) = get_messages(response.wsgi_request)
    assert str(message) == "General saved to Revox." and message.level_tag == "success"


def test_a_restore_says_it(scheduled, revox, editor_client):
    _, data = open_editor(editor_client, scheduled["id"], "general")
    save(editor_client, scheduled["id"], "general", data, name="Renamed")
    change = Change.objects.get(kind="update")
    history = editor_client.get(f"/assistants/{scheduled['id']}/history/").content
    response = editor_client.post(
        f"/assistants/{scheduled['id']}/history/{change.pk}/restore/",
        {"side": "before", "fingerprint": form_fields(history, None)["fingerprint"]},
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("General restored. " + THREE) for m in messages)


def test_the_faq_review_says_it_per_assistant(revox, editor_client, db):
    made = {}
    for name in ("Clinic", "Garage"):
        created = revox.create(name=name, faq_items=[{"question": "Hours?", "answer": "9-5"}])
        revox.suggest_faq(created["id"], "Parking?", "Yes.")
        revox.schedule_calls(created["id"], 1, ["first_name"])
        made[name] = created["id"]
    assistants_sync()
    rows = editor_client.get("/faq-review/").context["rows"]
    clinic = next(r for r in rows if r.revox_id == made["Clinic"])
    garage = [r for r in rows if r.revox_id == made["Garage"]]

    response = editor_client.post("/faq-review/item/", {
        "assistant": clinic.revox_id, "upstream_id": clinic.upstream_id,
        "question": clinic.question, "answer": clinic.answer, "action": "approve",
        "source": clinic.source, "pending": "True", "assistant_name": clinic.assistant_name,
    }, HTTP_HX_REQUEST="true")  # fmt: skip
    (toast,) = json.loads(response["HX-Trigger-After-Settle"])["revox:toast"]
    assert toast == {"level": "warning", "message": "FAQ saved. " + ONE + " Calls scheduled from "
                     "now on use the new ones.", "sticky": True}  # fmt: skip

    bulk = after_job(editor_client, editor_client.post("/faq-review/bulk/", {
        "action": "approve", "item": [r.key for r in garage],
        **{f"question:{r.key}": r.question for r in garage},
    }))  # fmt: skip
    (item,) = job_report(bulk)
    assert ONE in item.detail["unpatched_calls"]
    assert ONE in bulk.content.decode()  # in the report, under the assistant
