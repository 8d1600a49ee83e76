"""The FAQ editor: rows, AI suggestions waiting for review, and the merge-safe save."""

from __future__ import annotations

import pytest

from assistants.editors.groups.faq import form as faq_form
from assistants.editors.groups.faq.form import FaqForm
from assistants.models import Assistant, Change
from tests.editors.conftest import open_editor, save
from tests.editors.group_support import GroupEditing
from tests.html_forms import as_post

pytestmark = pytest.mark.django_db

HOURS = {"question": "What are your opening hours?", "answer": "9am to 5pm, Monday to Friday."}
PARKING = {"question": "Where can I park?", "answer": "Behind the building."}
PETS = {"question": "Can I bring my dog?", "answer": "Only guide dogs."}


editing = GroupEditing.fixture("faq")


def rows(data) -> int:
    return int(data["items-TOTAL_FORMS"])


def faq_of(revox, assistant_id: str) -> list[tuple[str, str, bool]]:
    return [
        (i["question"], i["answer"], i["needs_human_answer"])
        for i in revox.get(assistant_id)["faq_items"]
    ]


# -- round trips ------------------------------------------------------------------------------


def test_the_demo_holds_suggestions_for_the_untouched_save_check(synced):
    # test_untouched_saves.py saves every demo assistant's FAQ untouched: drafts and blank
    # answers waiting for review must be among them.
    assert Assistant.objects.filter(pending_faq_count__gt=0).exists()


@pytest.mark.parametrize("stored", [{}, {"faq_items": None}])
def test_an_assistant_without_faq_items_round_trips(stored):
    """Older API answers lack the field or hold null: an untouched form has no opinion."""
    assistant = {"id": "a1", **stored}
    form = FaqForm(as_post_from_initial(FaqForm.initial_from(assistant)), assistant=assistant)
    assert form.is_valid(), form.formsets["items"].errors
    assert form.to_patch(assistant) == {"faq_items": stored.get("faq_items")}


def as_post_from_initial(initial):
    data = {
        "items-TOTAL_FORMS": str(len(initial["items"]) + 1),
        "items-INITIAL_FORMS": str(len(initial["items"])),
    }
    for index, row in enumerate(initial["items"]):
        for key, value in row.items():
            data[f"items-{index}-{key}"] = value
        data[f"items-{index}-ORDER"] = str(index + 1)
    return data


def test_it_edits_adds_removes_and_reorders_and_sends_only_the_faq(
    cached, revox, editor_client, editor
):
    created = cached(name="Front desk", faq_items=[HOURS, PARKING, PETS])
    _, data = open_editor(editor_client, created["id"], "faq")
    assert rows(data) == 4  # three items and a blank one to add
    revox.clear_requests()

    response = save(
        editor_client, created["id"], "faq", data,
        **{"items-0-answer": "8am to 6pm.\r\nClosed on Sundays.",  # edited
           "items-1-DELETE": "on",  # parking removed
           "items-2-ORDER": "0",  # pets moved to the top
           "items-3-question": "Do you have Wi-Fi?", "items-3-answer": "Yes, ask at the desk."},
    )  # fmt: skip

    assert response.status_code == 302, response.content[-2000:]
    assert faq_of(revox, created["id"]) == [
        (PETS["question"], PETS["answer"], False),
        (HOURS["question"], "8am to 6pm.\nClosed on Sundays.", False),
        ("Do you have Wi-Fi?", "Yes, ask at the desk.", False),
    ]
    (patch,) = revox.requests("PATCH")
    assert patch["body_keys"] == ["faq_items"]
    after = revox.get(created["id"])
    untouched = {
        k: v
        for k, v in created.items()
        if k not in {"faq_items", "updated_at", "pending_faq_count"}
    }
    assert {k: after[k] for k in untouched} == untouched
    assert Assistant.objects.get(revox_id=created["id"]).faq_count == 3
    change = Change.objects.get(kind=Change.Kind.UPDATE)
    assert (change.group, change.actor, change.kind) == ("faq", editor, "update")
    assert [i["question"] for i in change.before["faq_items"]] == [
        i["question"] for i in (HOURS, PARKING, PETS)
    ]


def test_the_blank_row_numbered_by_the_row_editor_is_ignored(cached, editing, revox):
    created = cached(faq_items=[HOURS])
    # formset.js numbers every row, the blank one included.
    assert editing.save(created["id"], **{"items-1-ORDER": "2"}).status_code == 302
    assert revox.requests("PATCH") == []


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"items-0-question": "  "}, "question", faq_form.QUESTION_REQUIRED),
        ({"items-0-answer": ""}, "answer", faq_form.ANSWER_REQUIRED),
        ({"items-2-question": "Anything else?"}, "answer", faq_form.ANSWER_REQUIRED),
        (
            {"items-2-answer": "An answer without a question"},
            "question",
            faq_form.QUESTION_REQUIRED,
        ),
        (
            {"items-1-question": "  what are your OPENING   hours? "},
            "question",
            "already asked in #1",
        ),
    ],
)
def test_it_validates_before_calling_revox(cached, editing, revox, changes, field, message):
    created = cached(faq_items=[HOURS, PARKING])

    response = editing.save(created["id"], **changes)

    assert response.status_code == 200
    formset = response.context["form"].formsets["items"]
    errors = [e for form in formset.forms for e in form.errors.get(field, [])]
    assert any(message in e for e in errors), formset.errors
    assert "Some fields need a look" in response.content.decode()
    assert revox.requests() == []


def test_approving_a_suggestion_needs_an_answer(cached, editing, revox):
    created = cached(faq_items=[HOURS])
    revox.suggest_faq(created["id"], "Do you sell gift cards?")

    response = editing.save(created["id"], **{"items-1-approve": "on"})

    errors = response.context["form"].formsets["items"].forms[1].errors
    assert errors["answer"] == [faq_form.APPROVE_NEEDS_ANSWER]
    assert revox.requests("PATCH") == []


# -- AI suggestions ---------------------------------------------------------------------------


def test_suggestions_are_highlighted_with_an_approve_toggle(cached, revox, editor_client):
    created = cached(faq_items=[HOURS])
    revox.suggest_faq(created["id"], "Do you sell gift cards?", "Yes, from $25.")
    revox.suggest_faq(created["id"], "Is there a lift?")

    response, _ = open_editor(editor_client, created["id"], "faq")

    page = response.content.decode()
    assert page.count("faq-row-pending") == 2
    assert page.count("data-faq-approve") == 2  # an Approve toggle on each suggestion
    assert "2 waiting for review" in page
    # One calm sentence: what happens and what to do (not "it is cleared").
    assert (
        "The AI's suggested answer: approve it as it is, or edit it, to publish it. Until then "
        "the question waits for review, with this suggestion kept."
    ) in page
    assert "cleared" not in page
    assert "Yes, from $25." in page


def test_approving_a_draft_makes_it_live(cached, revox, editor_client):
    created = cached(faq_items=[HOURS])
    revox.suggest_faq(created["id"], "Do you sell gift cards?", "Yes, from $25.")
    _, data = open_editor(editor_client, created["id"], "faq")

    url = f"/assistants/{created['id']}/edit/faq/"
    response = editor_client.post(
        url, as_post(data, **{"items-1-approve": "on"}), HTTP_HX_REQUEST="true"
    )

    assert faq_of(revox, created["id"])[1] == ("Do you sell gift cards?", "Yes, from $25.", False)
    # The navigation's count of answers to review follows, out of band: none left.
    assert (
        '<span id="nav-pending-slot" hx-swap-oob="innerHTML"></span>' in response.content.decode()
    )


def test_typing_an_answer_to_a_suggestion_answers_it(cached, revox, editor_client):
    created = cached(faq_items=[HOURS])
    revox.suggest_faq(created["id"], "Is there a lift?")
    _, data = open_editor(editor_client, created["id"], "faq")

    save(editor_client, created["id"], "faq", data, **{"items-1-answer": "Yes, by the stairs."})

    assert faq_of(revox, created["id"])[1] == ("Is there a lift?", "Yes, by the stairs.", False)


def test_a_save_keeps_unapproved_suggestions_waiting(cached, revox, editor_client):
    """Sending a draft back would approve it: an unapproved one is sent blank and keeps waiting."""
    created = cached(faq_items=[HOURS])
    revox.suggest_faq(created["id"], "Do you sell gift cards?", "Yes, from $25.")
    revox.suggest_faq(created["id"], "Is there a lift?")
    _, data = open_editor(editor_client, created["id"], "faq")

    save(editor_client, created["id"], "faq", data, **{"items-0-answer": "Always open."})

    assert faq_of(revox, created["id"]) == [
        (HOURS["question"], "Always open.", False),
        ("Do you sell gift cards?", "", True),  # still waiting; Revox can't keep the draft
        ("Is there a lift?", "", True),
    ]
    change = Change.objects.get(kind=Change.Kind.UPDATE)
    assert change.before["faq_items"][1]["answer"] == "Yes, from $25."  # the draft is in history
    # ...and not shown as lost: the dashboard kept it, still the AI's.
    assert change.after["faq_items"][1]["answer"] == "Yes, from $25."
    assert change.after["faq_items"][1]["source"] == "ai"
    assert change.summary == "1 answer edited"
    # The editor shows it again as the AI's suggestion, ready to approve.
    response, data = open_editor(editor_client, created["id"], "faq")
    page = response.content.decode()
    assert "Yes, from $25." in page and "data-faq-draft-note" in page
    save(editor_client, created["id"], "faq", data, **{"items-1-approve": "on"})
    assert faq_of(revox, created["id"])[1] == ("Do you sell gift cards?", "Yes, from $25.", False)
    assert Change.objects.order_by("-id").first().summary == "1 answer approved"


# -- merging with Revox -----------------------------------------------------------------------


def test_a_suggestion_that_arrives_while_editing_is_kept_and_shown(cached, revox, editor_client):
    created = cached(faq_items=[HOURS, PARKING])
    _, data = open_editor(editor_client, created["id"], "faq")
    revox.suggest_faq(created["id"], "Do you validate parking tickets?")

    response = save(
        editor_client,
        created["id"],
        "faq",
        data,
        **{"items-1-answer": "Free, behind the building."},
    )

    assert response.status_code == 302
    assert faq_of(revox, created["id"]) == [
        (HOURS["question"], HOURS["answer"], False),
        (PARKING["question"], "Free, behind the building.", False),
        ("Do you validate parking tickets?", "", True),
    ]
    page = editor_client.get(response["Location"]).content.decode()
    assert "Do you validate parking tickets?" in page and "faq-row-pending" in page


def test_an_untouched_form_saved_after_a_suggestion_arrived_sends_nothing(
    cached, revox, editor_client
):
    created = cached(faq_items=[HOURS])
    _, data = open_editor(editor_client, created["id"], "faq")
    revox.suggest_faq(created["id"], "Is there a lift?", "I think so.")
    revox.clear_requests()

    assert save(editor_client, created["id"], "faq", data).status_code == 302
    assert revox.requests("PATCH") == []
    assert faq_of(revox, created["id"])[1] == (
        "Is there a lift?",
        "I think so.",
        True,
    )  # draft kept


def test_merge_after_a_teammate_saved_the_faq(cached, revox, editor_client):
    """A teammate's save renumbers every id; items are then recognised by their question."""
    created = cached(
        faq_items=[HOURS, PARKING, PETS, {"question": "Do you deliver?", "answer": "No."}]
    )
    _, data = open_editor(editor_client, created["id"], "faq")
    revox.patch(created["id"], faq_items=[
        {"question": HOURS["question"], "answer": "Teammate's hours."},  # edited by both: mine wins
        {"question": PARKING["question"], "answer": "Teammate's parking."},  # I delete it
        {"question": PETS["question"], "answer": "Teammate's pets."},  # only they edited it
        # "Do you deliver?" deleted by the teammate, untouched by me: stays deleted
        {"question": "Teammate's new question?", "answer": "Their answer."},
    ])  # fmt: skip

    response = save(editor_client, created["id"], "faq", data,
                    **{"items-0-answer": "My hours.", "items-1-DELETE": "on"})  # fmt: skip

    assert response.status_code == 302
    assert faq_of(revox, created["id"]) == [
        (HOURS["question"], "My hours.", False),
        (PETS["question"], "Teammate's pets.", False),
        ("Teammate's new question?", "Their answer.", False),
    ]


def test_a_suggestion_arriving_meanwhile_is_not_mistaken_for_a_deleted_row(
    cached, revox, editor_client
):
    created = cached(faq_items=[HOURS, PARKING])
    _, data = open_editor(editor_client, created["id"], "faq")
    revox.suggest_faq(created["id"], "Where can I park?")  # the same words as the row I delete

    save(editor_client, created["id"], "faq", data, **{"items-1-DELETE": "on"})

    assert faq_of(revox, created["id"]) == [
        (HOURS["question"], HOURS["answer"], False),
        ("Where can I park?", "", True),
    ]


# -- failures and roles -----------------------------------------------------------------------


def test_a_revox_validation_error_lands_on_its_row(cached, editing):
    created = cached(faq_items=[HOURS, PARKING])
    errors = {"faq_items.1.answer": ["contains a banned word"]}

    response = editing.save_refused_by_revox(
        created["id"], errors, **{"items-1-answer": "Nowhere, sorry."}
    )

    form = response.context["form"]
    assert form.formsets["items"].forms[1].errors["answer"] == ["contains a banned word"]
    assert "Nowhere, sorry." in response.content.decode()


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, editing, revox):
    created = cached(faq_items=[HOURS])

    response = editing.save_while_revox_fails(
        created["id"], **{"items-1-question": "Typed?", "items-1-answer": "By hand."}
    )

    page = response.content.decode()
    assert 'value="Typed?"' in page and "By hand." in page
    assert faq_of(revox, created["id"]) == [(HOURS["question"], HOURS["answer"], False)]


def test_viewers_see_it_read_only_and_cannot_save(cached, revox, viewer_client):
    created = cached(faq_items=[HOURS])
    response, data = open_editor(viewer_client, created["id"], "faq")
    assert "You can look but not change" in response.content.decode()
    assert b'id="save-button"' not in response.content
    data = {
        "items-TOTAL_FORMS": ["1"],
        "items-INITIAL_FORMS": ["0"],
        "items-0-question": ["x"],
        "items-0-answer": ["y"],
    }
    response = viewer_client.post(f"/assistants/{created['id']}/edit/faq/", data)
    assert response.status_code == 403
    assert faq_of(revox, created["id"]) == [(HOURS["question"], HOURS["answer"], False)]


def test_htmx_save_shows_the_merged_list_in_place(cached, revox, editor_client):
    created = cached(faq_items=[HOURS])
    _, data = open_editor(editor_client, created["id"], "faq")
    revox.suggest_faq(created["id"], "Is there a lift?")

    response = editor_client.post(
        f"/assistants/{created['id']}/edit/faq/",
        as_post(data, **{"items-0-answer": "Noon to midnight."}),
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert b"<html" not in response.content
    assert "Noon to midnight." in page and "Is there a lift?" in page
