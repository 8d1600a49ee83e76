"""One item at a time: Approve, Save answer, Delete, in place (htmx) or as a plain POST."""

from __future__ import annotations

import pytest

from assistants import faq
from assistants.models import Assistant, Change, FaqItem
from tests.faq_review.conftest import HOURS, faq_of, patches

pytestmark = pytest.mark.django_db


def act(client, assistant, question, action, answer=None, htmx=True, item=None, **extra):
    item = item or FaqItem.objects.get(assistant__revox_id=assistant["id"], question=question)
    data = {
        "action": action, "assistant": assistant["id"], "assistant_name": assistant["name"],
        "upstream_id": item.upstream_id, "question": question, "source": item.source,
        "answer": item.answer if answer is None else answer, "next": "/faq-review/?q=x", **extra,
    }  # fmt: skip
    if item.needs_human_answer:
        data["pending"] = "on"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post("/faq-review/item/", data, **headers)


def test_approve_keeps_the_suggested_answer_and_records_it(
    make_assistant, revox, editor_client, editor
):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "Yes, from $199.")])

    response = act(editor_client, made, "Do you whiten teeth?", "approve")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Approved" in page and "Yes, from $199." in page and "data-faq-done" in page
    assert b"<html" not in response.content
    # The navigation's count, out of band: nothing waits for review any more.
    assert '<span id="nav-pending-slot" hx-swap-oob="innerHTML"></span>' in page
    after = revox.get(made["id"])["faq_items"]
    assert [(i["question"], i["answer"], i["needs_human_answer"], i["source"]) for i in after] == [
        (HOURS["question"], HOURS["answer"], False, "human"),
        ("Do you whiten teeth?", "Yes, from $199.", False, "human"),
    ]
    assert patches(revox)[0]["body_keys"] == ["faq_items"]
    change = Change.objects.get(kind=Change.Kind.FAQ_REVIEW)
    assert (change.actor, change.group) == (editor, "faq")
    assert change.before["faq_items"][1]["needs_human_answer"] is True
    assert change.after["faq_items"][1]["answer"] == "Yes, from $199."
    assert Assistant.objects.get(revox_id=made["id"]).pending_faq_count == 0


def test_approve_takes_the_answer_as_edited_on_the_page(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "Yes.")])
    act(
        editor_client,
        made,
        "Do you whiten teeth?",
        "approve",
        answer="Yes, ask Dr. Alvarez.\r\nFrom $199.",
    )
    assert faq_of(revox, made["id"])[1] == (
        "Do you whiten teeth?",
        "Yes, ask Dr. Alvarez.\nFrom $199.",
        False,
    )


def test_approve_without_any_answer_is_refused_in_place(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "")])
    revox.clear_requests()

    response = act(editor_client, made, "Do you whiten teeth?", "approve")

    assert faq.NO_ANSWER in response.content.decode()
    assert b'name="answer"' in response.content  # still editable
    assert patches(revox) == []
    assert faq_of(revox, made["id"])[1] == ("Do you whiten teeth?", "", True)


def test_save_answer_writes_the_typed_answer(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Is there parking?", "")])
    response = act(
        editor_client, made, "Is there parking?", "answer", answer="Yes, behind the building."
    )
    assert "Answer saved" in response.content.decode()
    assert faq_of(revox, made["id"])[1] == ("Is there parking?", "Yes, behind the building.", False)


def test_save_answer_also_edits_an_answered_item(make_assistant, revox, editor_client):
    made = make_assistant("Dental")
    act(editor_client, made, HOURS["question"], "answer", answer="8am to 6pm.")
    assert faq_of(revox, made["id"]) == [(HOURS["question"], "8am to 6pm.", False)]


def test_save_answer_needs_an_answer(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Is there parking?", "")])
    revox.clear_requests()
    response = act(editor_client, made, "Is there parking?", "answer", answer="   ")
    assert faq.ANSWER_REQUIRED in response.content.decode()
    assert revox.requests() == []


def test_delete_removes_only_that_item(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Spam?", ""), ("Is there parking?", "")])
    response = act(editor_client, made, "Spam?", "delete")
    assert "Deleted" in response.content.decode()
    assert faq_of(revox, made["id"]) == [
        (HOURS["question"], HOURS["answer"], False),
        ("Is there parking?", "", True),
    ]


def test_a_suggestion_added_during_the_review_survives_a_save(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "Yes.")])
    editor_client.get("/faq-review/")
    revox.suggest_faq(made["id"], "Do you do implants?", "We refer you to a specialist.")

    act(editor_client, made, "Do you whiten teeth?", "approve")

    # Still there and still waiting (sent blank: sending its draft would approve it).
    assert faq_of(revox, made["id"]) == [
        (HOURS["question"], HOURS["answer"], False),
        ("Do you whiten teeth?", "Yes.", False),
        ("Do you do implants?", "", True),
    ]
    assert "Do you do implants?" in editor_client.get("/faq-review/").content.decode()


def test_an_item_already_answered_elsewhere_is_left_alone(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "Yes.")])
    # A teammate answered it meanwhile (their save renumbered every id).
    revox.patch(
        made["id"], faq_items=[HOURS, {"question": "Do you whiten teeth?", "answer": "No."}]
    )
    revox.clear_requests()

    response = act(editor_client, made, "Do you whiten teeth?", "approve")

    assert faq.ALREADY_ANSWERED in response.content.decode()
    assert patches(revox) == []
    assert faq_of(revox, made["id"])[1] == ("Do you whiten teeth?", "No.", False)


def test_it_finds_the_item_by_its_question_after_ids_changed(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "")])
    revox.patch(made["id"], faq_items=[HOURS, {"question": "Do you whiten teeth?", "answer": ""}])
    act(editor_client, made, "Do you whiten teeth?", "answer", answer="Yes.")
    assert faq_of(revox, made["id"])[1] == ("Do you whiten teeth?", "Yes.", False)


def test_a_deleted_item_is_reported_as_gone(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "")])
    item = FaqItem.objects.get(question="Do you whiten teeth?")
    revox.patch(made["id"], faq_items=[HOURS])
    answer = act(editor_client, made, item.question, "answer", answer="Y", item=item)
    assert faq.NOT_FOUND in answer.content.decode()
    delete = act(editor_client, made, item.question, "delete", item=item)
    assert faq.ALREADY_DELETED in delete.content.decode()


def test_a_revox_failure_keeps_the_typed_answer(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Is there parking?", "")])
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 503})

    response = act(editor_client, made, "Is there parking?", "answer", answer="Typed by hand.")

    page = response.content.decode()
    assert "Not saved" in page and "Typed by hand." in page and "is-invalid" in page
    assert faq_of(revox, made["id"])[1] == ("Is there parking?", "", True)
    assert not Change.objects.filter(kind=Change.Kind.FAQ_REVIEW).exists()


def test_without_javascript_it_redirects_back_with_a_message(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "Yes.")])
    response = act(editor_client, made, "Do you whiten teeth?", "approve", htmx=False)
    assert response.status_code == 302 and response["Location"] == "/faq-review/?q=x"
    page = editor_client.get("/faq-review/").content.decode()
    assert "Approved" in page


def test_it_rejects_get_and_foreign_redirects(make_assistant, editor_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "Yes.")])
    assert editor_client.get("/faq-review/item/").status_code == 405
    response = act(
        editor_client,
        made,
        "Do you whiten teeth?",
        "approve",
        htmx=False,
        next="https://evil.example/",
    )
    assert response["Location"] == "/faq-review/"
