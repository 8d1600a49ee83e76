"""The preview's fourth category: assistants the change lands on but that deserve a look first,
each with its reason in plain words on the preview page (the page an approver reads) — and a
find-and-replace whose result the editor's form would refuse, which cannot take it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assistants.cache.services import assistants_sync
from assistants.changes.models import ChangeSet, ChangeSetItem
from assistants.editors.groups.general.form import END_MESSAGE_MAX
from assistants.models import Assistant, Change, FaqDraft, SyncState
from tests.changes.conftest import (
    GPT41,
    MINISTRAL,
    TO_OPENROUTER,
    apply,
    fleet_on_models,
    items_by_name,
    say_change,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fleet(revox, db):
    return fleet_on_models(revox, alpha=GPT41, bravo=GPT41, delta=MINISTRAL)


def ids_of(fleet) -> list[str]:
    return [a["id"] for a in fleet.values()]


def notes(change_set: ChangeSet) -> dict[str, list[list[str]]]:
    return {i.assistant_name: i.notes for i in change_set.items.all()}


def row(page: str, revox_id: str) -> str:
    start = page.index(f'id="item-{revox_id}"')
    return page[start : page.index("</tr>", start)]


def test_an_assistant_unlike_most_of_the_selection_is_to_look_at_and_still_applied(
    editor_client, fleet, revox
):
    change_set = say_change(editor_client, ids_of(fleet), "llm", **TO_OPENROUTER)
    found = notes(change_set)
    assert found["Alpha"] == [] and found["Bravo"] == []
    [(about, reason)] = found["Delta"]
    assert about == "Language model"
    assert reason == (
        "Now model ministral-3-8b-instruct, where 2 of the 3 assistants have model gpt-4.1: "
        "check it is meant to change too."
    )

    page = editor_client.get(f"/changes/{change_set.pk}/").content.decode()
    assert "2 will change" in page and "1 will change: look first" in page
    assert "Look first" in row(page, fleet["delta"]["id"])
    assert "Look first" not in row(page, fleet["alpha"]["id"])
    assert "Apply to 3 assistants" in page  # it lands all the same

    apply(editor_client, change_set)
    assert revox.get(fleet["delta"]["id"])["llm_model"]["type"] == "openrouter"


def test_a_stale_local_copy_is_to_look_at_unless_read_since(editor_client, fleet, settings):
    settings.REVOX_CACHE_MAX_AGE = 300
    long_ago = timezone.now() - timedelta(hours=2)
    SyncState.objects.filter(pk=1).update(last_success_at=long_ago)
    Assistant.objects.update(synced_at=long_ago)
    # Alpha was saved through the dashboard a minute ago: its copy is fresh.
    Assistant.objects.filter(revox_id=fleet["alpha"]["id"]).update(
        synced_at=timezone.now() - timedelta(minutes=1)
    )
    change_set = say_change(editor_client, ids_of(fleet)[:2], "llm", **TO_OPENROUTER)
    found = notes(change_set)
    assert found["Alpha"] == []
    [(about, reason)] = found["Bravo"]
    assert about == "Local copy"
    assert "Read from Revox 2\xa0hours ago" in reason and "5\xa0minutes" in reason
    page = editor_client.get(f"/changes/{change_set.pk}/").content.decode()
    assert "Revox may hold something newer" in row(page, fleet["bravo"]["id"])

    assistants_sync()  # a whole sync confirms every copy, rewritten or not
    editor_client.post(f"/changes/{change_set.pk}/preview/")
    assert notes(change_set) == {"Alpha": [], "Bravo": []}


def test_a_change_made_outside_the_dashboard_is_to_look_at(editor_client, fleet, revox):
    revox.patch(fleet["bravo"]["id"], llm_model={**GPT41, "name": "gpt-4.1"}, name="Bravo")
    revox.patch(fleet["bravo"]["id"], llm_model=MINISTRAL)
    assistants_sync()  # finds it, and records it as changed in Revox
    revox.patch(fleet["alpha"]["id"], prompt="Someone edited the prompt in Revox.")
    assistants_sync()  # another group: not what this set touches
    change_set = say_change(
        editor_client, [fleet["alpha"]["id"], fleet["bravo"]["id"]], "llm", **TO_OPENROUTER
    )
    found = notes(change_set)
    assert found["Alpha"] == []
    [(about, reason)] = found["Bravo"]
    assert about == "Changed outside the dashboard"
    assert "Last changed in Revox directly" in reason


def test_find_and_replace_finding_nothing_where_most_have_it_says_so(editor_client, revox, db):
    made = [
        revox.create(name="One", prompt="Welcome to Acme Corp."),
        revox.create(name="Two", prompt="Acme Corp speaking."),
        revox.create(name="Three", prompt="Welcome to ACME Corporation."),
    ]
    assistants_sync()
    url = editor_client.post("/changes/new/", {
        "cs-group": "replace", "cs-step": "preview", "cs-ids": [a["id"] for a in made],
        "find": "Acme Corp", "replace": "Globex", "where": ["prompt"], "match_case": "1",
    }).url  # fmt: skip
    change_set = ChangeSet.objects.get()
    items = items_by_name(change_set)
    assert items["Three"].preview == ChangeSetItem.Preview.ALREADY
    [(about, reason)] = items["Three"].notes
    assert about == "Find" and "“Acme Corp” is not in its prompt" in reason
    assert "2 of the 3 assistants have it" in reason
    assert "is not in its prompt" in row(editor_client.get(url).content.decode(), made[2]["id"])


def test_answering_a_question_still_waiting_for_review_is_to_look_at(
    editor_client, revox, db, editor
):
    one = revox.create(name="One", faq_items=[{"question": "Parking?", "answer": "Yes."}])
    two = revox.create(name="Two", faq_items=[])
    three = revox.create(name="Three", faq_items=[])
    assistants_sync()
    revox.suggest_faq(two["id"], "Parking?", "There is a car park behind the shop.")
    revox.suggest_faq(three["id"], "Parking?")
    assistants_sync()
    # Calls suggesting questions is Revox filling the review queue, not an edit made outside.
    assert Change.objects.filter(assistant_revox_id=two["id"], kind=Change.Kind.EXTERNAL).exists()
    # A teammate's FAQ save blanked Three's AI draft in Revox; the dashboard keeps it for them.
    FaqDraft.objects.create(assistant_revox_id=three["id"], question_digest="-",
                            question="Parking?", answer="Free after 6 pm.", kept_by=editor)  # fmt: skip
    editor_client.post("/changes/new/", {
        "cs-group": "faq", "cs-step": "preview", "cs-ids": [one["id"], two["id"], three["id"]],
        "action": "answer", "question": "parking?", "answer": "Yes, free.",
    })  # fmt: skip
    found = notes(ChangeSet.objects.get())
    assert found["One"] == []
    [(about, reason)] = found["Two"]
    assert about == "Question" and "waiting for review" in reason
    assert "“There is a car park behind the shop.”" in reason and "answers it" in reason
    [(_, reason)] = found["Three"]
    assert "“Free after 6 pm.” kept for" in reason and editor.get_username() in reason


def test_moving_a_voice_off_cartesia_says_what_it_drops(editor_client, revox, db):
    katie = {"id": "6513270e-269e-4d37-b2a7-4de452e6b438", "provider": "cartesia"}
    one = revox.create(name="One", voice={**katie, "volume": 1.4, "model": "sonic-3"})
    two = revox.create(name="Two", voice=katie)
    assistants_sync()
    change_set = say_change(editor_client, [one["id"], two["id"]], "voice",
                            voice="elevenlabs:sTy4Qwb8DwkNhFdnXsiV", speed="1.0")  # fmt: skip
    found = notes(change_set)
    assert found["Two"] == []
    [(about, reason)] = found["One"]
    assert about == "Voice"
    assert reason == (
        "Moving the voice from Cartesia to ElevenLabs drops its Cartesia volume (1.4) and "
        "Cartesia model (sonic-3): ElevenLabs has no such setting."
    )


# -- find and replace through the editor's form ----------------------------------------------


def test_a_replace_the_editor_form_would_refuse_cannot_take_it_and_is_not_sent(
    editor_client, revox, db
):
    long_end = "Sorry, our time is up: " + "x" * (END_MESSAGE_MAX - 47) + " Goodbye from Acme."
    fine = revox.create(name="Fine", prompt="Acme helps.", max_duration_end_message="Bye, Acme.")
    empty = revox.create(name="Empty", prompt="Acme", max_duration_end_message="")
    longer = revox.create(name="Longer", prompt="Acme helps.", max_duration_end_message=long_end)
    assistants_sync()
    url = editor_client.post("/changes/new/", {
        "cs-group": "replace", "cs-step": "preview", "find": "Acme",
        "replace": "Globex International Holdings", "where": ["prompt", "max_duration_end_message"],
        "cs-ids": [fine["id"], empty["id"], longer["id"]],
    }).url  # fmt: skip
    items = items_by_name(ChangeSet.objects.get())
    assert items["Fine"].preview == ChangeSetItem.Preview.CHANGE
    assert items["Longer"].preview == ChangeSetItem.Preview.CANNOT
    [(label, message)] = items["Longer"].reasons
    assert label == "Message when time is up"
    assert f"at most {END_MESSAGE_MAX} characters" in message
    page = editor_client.get(url).content.decode()
    assert "Message when time is up" in row(page, longer["id"])

    # Replacing a whole prompt with nothing: the editor refuses an empty prompt.
    url2 = editor_client.post("/changes/new/", {
        "cs-group": "replace", "cs-step": "preview", "find": "Acme", "replace": "",
        "where": ["prompt"], "cs-ids": [empty["id"]], "match_case": "1",
    }).url  # fmt: skip
    [item] = ChangeSet.objects.get(pk=url2.split("/")[2]).items.all()
    assert item.preview == ChangeSetItem.Preview.CANNOT
    assert [
        "Prompt",
        "The prompt can't be empty: it is what the assistant follows.",
    ] in item.reasons
    assert {label for label, _ in item.reasons} == {"Prompt"}

    revox.clear_requests()
    apply(editor_client, ChangeSet.objects.get(pk=url.split("/")[2]))
    patched = sorted(p["path"] for p in revox.requests("PATCH"))
    assert patched == sorted(f"/assistants/{a['id']}" for a in (fine, empty))  # not Longer
    assert revox.get(longer["id"])["max_duration_end_message"] == long_end
    assert (
        revox.get(fine["id"])["max_duration_end_message"] == "Bye, Globex International Holdings."
    )
