"""The AI's drafts that a save must blank in Revox are kept by the dashboard, shown again in the
queue, the editor and history, and approved exactly as the AI wrote them."""

from __future__ import annotations

import pytest

from assistants.cache.services import assistants_sync
from assistants.models import Change, FaqDraft, FaqItem
from tests.editors.conftest import open_editor, save
from tests.faq_review.conftest import faq_of, job_report, patches
from tests.faq_review.test_actions import act
from tests.faq_review.test_bulk import bulk

pytestmark = pytest.mark.django_db

DRAFTS = [
    ("Do you whiten teeth?", "Yes, from $199."),
    ("Is there parking?", "Possibly, within 5 miles of the clinic."),
    ("Do you see children?", "From age 3, with a parent."),
]


@pytest.fixture
def dental(make_assistant):
    return make_assistant("Dental", suggestions=DRAFTS)


def test_approving_one_of_three_keeps_the_other_two_drafts(dental, revox, editor_client, editor):
    act(editor_client, dental, DRAFTS[0][0], "approve")

    # Revox had to blank the other two to keep them waiting...
    assert faq_of(revox, dental["id"])[1:] == [
        (DRAFTS[0][0], DRAFTS[0][1], False),
        (DRAFTS[1][0], "", True),
        (DRAFTS[2][0], "", True),
    ]
    # ...and the queue still shows them as the AI's suggestions, ready to approve.
    page = editor_client.get("/faq-review/").content.decode()
    for question, draft in DRAFTS[1:]:
        assert question in page and draft in page
    assert page.count("AI suggestion") >= 2
    assert "The AI's suggested answer" in page
    assert {(i.question, i.answer, i.source) for i in FaqItem.objects.filter(
        needs_human_answer=True)} == {(q, a, "ai") for q, a in DRAFTS[1:]}  # fmt: skip
    # ...and so does the editor.
    editor_page, _ = open_editor(editor_client, dental["id"], "faq")
    text = editor_page.content.decode()
    assert all(draft in text for _, draft in DRAFTS[1:])
    assert text.count("data-faq-draft-note") == 2
    # ...and history does not show them lost.
    entry = Change.objects.get(kind=Change.Kind.FAQ_REVIEW)
    assert [(i["answer"], i["source"]) for i in entry.after["faq_items"][2:]] == [
        (DRAFTS[1][1], "ai"),
        (DRAFTS[2][1], "ai"),
    ]
    history = editor_client.get(f"/assistants/{dental['id']}/history/").content.decode()
    assert "(empty)" not in history and "1 answer approved" in history

    # Approving one of them sends exactly the AI's draft.
    revox.clear_requests()
    act(editor_client, dental, DRAFTS[1][0], "approve")
    assert len(patches(revox)) == 1
    assert faq_of(revox, dental["id"])[2] == (DRAFTS[1][0], DRAFTS[1][1], False)
    # The last one is still kept; the approved one is no longer.
    assert list(FaqDraft.objects.values_list("question", "answer")) == [DRAFTS[2]]


def test_bulk_approve_of_every_match_approves_the_kept_drafts(dental, revox, editor_client):
    act(editor_client, dental, DRAFTS[0][0], "delete")
    assert FaqDraft.objects.count() == 2

    # Without the page's script: no answer sent along, only "all matching".
    response = bulk(editor_client, "approve", [], scope="filter")

    assert not any(item.detail["failed"] for item in job_report(response))
    assert faq_of(revox, dental["id"])[1:] == [(q, a, False) for q, a in DRAFTS[1:]]
    assert not FaqDraft.objects.exists()


def test_an_editor_save_keeps_drafts_and_approving_there_publishes_them(
    dental, revox, editor_client
):
    _, data = open_editor(editor_client, dental["id"], "faq")
    save(editor_client, dental["id"], "faq", data, **{"items-0-answer": "9 to 5, always."})
    assert FaqDraft.objects.count() == 3
    assert Change.objects.get().summary == "1 answer edited"

    _, data = open_editor(editor_client, dental["id"], "faq")
    save(editor_client, dental["id"], "faq", data, **{"items-3-approve": "on"})

    assert faq_of(revox, dental["id"])[3] == (DRAFTS[2][0], DRAFTS[2][1], False)
    assert Change.objects.order_by("-id").first().summary == "1 answer approved"


def test_a_newer_draft_from_revox_wins(dental, revox, editor_client):
    act(editor_client, dental, DRAFTS[0][0], "approve")
    # A call suggests a new answer to a question already waiting: Revox's draft is the newer.
    revox.patch(
        dental["id"],
        faq_items=[
            {"question": q, "answer": a}
            for q, a, _ in faq_of(revox, dental["id"])
            if q != DRAFTS[1][0]
        ],
    )
    revox.suggest_faq(dental["id"], DRAFTS[1][0], "Yes, 20 free spaces.")
    assistants_sync()

    assert list(FaqDraft.objects.values_list("question", flat=True)) == [DRAFTS[2][0]]
    item = FaqItem.objects.get(question=DRAFTS[1][0])
    assert (item.answer, item.needs_human_answer) == ("Yes, 20 free spaces.", True)


def test_a_question_answered_outside_the_dashboard_drops_its_draft(dental, revox, editor_client):
    act(editor_client, dental, DRAFTS[0][0], "approve")
    revox.patch(
        dental["id"],
        faq_items=[
            {"question": q, "answer": a or "Answered in Revox."}
            for q, a, _ in faq_of(revox, dental["id"])
        ],
    )
    assistants_sync()

    assert not FaqDraft.objects.exists()
    assert not FaqItem.objects.filter(needs_human_answer=True).exists()
