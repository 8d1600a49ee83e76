"""Change sets as a user meets them: choose assistants, say the change with the group's form,
preview, apply as a job, read each assistant's result, roll back — with a teammate's change in
between reported and left alone, and Revox's faults recorded as they truly ended."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistants.cache.services import assistants_sync
from assistants.changes.models import ChangeSet, ChangeSetItem
from assistants.models import Assistant, Change
from tests.changes.conftest import (
    GPT41,
    MINISTRAL,
    OPENROUTER,
    TO_OPENROUTER,
    apply,
    fleet_on_models,
    roll_back,
    say_change,
)
from tests.jobs.inline import run_queued_jobs

pytestmark = pytest.mark.django_db

FORM = {"cs-group": "llm", "cs-step": "preview", **TO_OPENROUTER}


@pytest.fixture
def fleet(revox, db):
    """Four assistants: three on gpt-4.1 (one of them already moved), one on another model."""
    return fleet_on_models(revox, alpha=GPT41, bravo=GPT41, charlie=OPENROUTER, delta=MINISTRAL)


def preview(client, ids, **extra):
    data = {**FORM, "cs-ids": ids, **extra}
    return client.post("/changes/new/", data)


def test_the_change_page_opens_with_the_group_form_for_the_rows_ticked(editor_client, fleet):
    ids = [fleet["alpha"]["id"], fleet["bravo"]["id"]]
    page = editor_client.get("/changes/new/", {"cs-ids": ids, "cs-group": "llm"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Change 2 assistants at once" in text
    assert "Alpha" in text and "Bravo" in text and "Delta" not in text
    assert 'name="openrouter_model_id"' in text  # the editor's own form


def test_nothing_ticked_goes_back_to_the_list_with_a_message(editor_client, fleet):
    page = editor_client.get("/changes/new/", {"cs-group": "llm"}, follow=True)
    assert "Tick at least one assistant" in page.content.decode()


def test_an_invalid_change_is_refused_on_the_field_before_anything_exists(editor_client, fleet):
    page = preview(editor_client, [fleet["alpha"]["id"]], openrouter_model_id="not a model id")
    assert page.status_code == 200
    assert "Write the model id as vendor/model" in page.content.decode()
    assert not ChangeSet.objects.exists()


def test_preview_shows_the_diff_what_is_already_so_and_sends_nothing(editor_client, fleet, revox):
    revox.clear_requests()
    ids = [fleet[n]["id"] for n in ("alpha", "bravo", "charlie")]
    response = preview(editor_client, ids)
    change_set = ChangeSet.objects.get()
    assert response.status_code == 302 and response.url == f"/changes/{change_set.pk}/"
    page = editor_client.get(response.url).content.decode()
    assert "2 will change" in page and "1 already so" in page
    assert "openai/gpt-4.1-mini" in page and "gpt-4.1" in page  # the diff, as history shows it
    items = {i.assistant_name: i for i in change_set.items.all()}
    assert items["Charlie"].preview == ChangeSetItem.Preview.ALREADY
    assert items["Alpha"].before == {"llm_model": GPT41}
    assert items["Alpha"].after == {"llm_model": OPENROUTER}
    assert revox.requests() == []  # the preview is computed from the local copy


def test_all_matching_a_search_is_the_query_evaluated_at_preview(editor_client, fleet, revox):
    params = {**FORM, "cs-all": "1", "cs-llm": "dedicated-instance"}
    response = editor_client.post("/changes/new/", params)
    change_set = ChangeSet.objects.get()
    assert change_set.selection == {"query": {"llm": "dedicated-instance"}}
    names = sorted(change_set.items.values_list("assistant_name", flat=True))
    assert names == ["Alpha", "Bravo", "Delta"]
    # A new assistant matching the search joins at the next preview.
    revox.create(name="Echo", llm_model=GPT41)
    assistants_sync()
    editor_client.post(f"{response.url}preview/")
    names = sorted(change_set.items.values_list("assistant_name", flat=True))
    assert names == ["Alpha", "Bravo", "Delta", "Echo"]


def test_apply_runs_as_a_job_conflicts_are_reported_and_history_links_back(
    editor_client, fleet, revox
):
    ids = [fleet[n]["id"] for n in ("alpha", "bravo", "charlie")]
    url = preview(editor_client, ids).url
    change_set = ChangeSet.objects.get()
    # A teammate moves Bravo to another model after the preview.
    teammate = {"type": "dedicated-instance", "name": "ministral-3-8b-instruct"}
    revox.patch(fleet["bravo"]["id"], llm_model=teammate)
    revox.clear_requests()

    editor_client.post(f"{url}apply/")
    change_set.refresh_from_db()
    assert change_set.status == ChangeSet.Status.APPLYING  # queued: nothing sent yet
    assert revox.requests("PATCH") == []
    [job] = run_queued_jobs()
    assert job.status == "done" and job.done_count == 2 and job.conflict_count == 1

    assert revox.get(fleet["alpha"]["id"])["llm_model"] == OPENROUTER
    assert revox.get(fleet["bravo"]["id"])["llm_model"] == teammate  # untouched
    patches = revox.requests("PATCH")
    assert [p["path"] for p in patches] == [f"/assistants/{fleet['alpha']['id']}"]
    assert patches[0]["body_keys"] == ["llm_model"]  # only the group's key

    items = {i.assistant_name: i for i in change_set.items.all()}
    assert items["Alpha"].outcome == ChangeSetItem.Outcome.CHANGED
    assert items["Bravo"].outcome == ChangeSetItem.Outcome.CONFLICT
    assert items["Charlie"].outcome == ChangeSetItem.Outcome.ALREADY
    entry = items["Alpha"].history
    assert entry.assistant_revox_id == fleet["alpha"]["id"]
    assert f"Change set #{change_set.pk}" in entry.summary
    page = editor_client.get(url).content.decode()
    assert "Conflict" in page and "Changed by someone else" in page
    assert f"#change-{entry.pk}" in page


def test_roll_back_puts_back_what_it_changed_except_what_moved_since(editor_client, fleet, revox):
    ids = [fleet[n]["id"] for n in ("alpha", "bravo", "delta")]
    url = preview(editor_client, ids).url
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    # After the set, a teammate picks yet another model for Bravo.
    theirs = {**OPENROUTER, "openrouter_model_id": "anthropic/claude-sonnet-4"}
    revox.patch(fleet["bravo"]["id"], llm_model=theirs)
    revox.clear_requests()

    editor_client.post(f"{url}rollback/")
    [job] = run_queued_jobs()
    assert job.status == "done"
    assert revox.get(fleet["alpha"]["id"])["llm_model"] == GPT41
    assert revox.get(fleet["delta"]["id"])["llm_model"]["name"] == "ministral-3-8b-instruct"
    assert revox.get(fleet["bravo"]["id"])["llm_model"] == theirs  # not overwritten
    assert len(revox.requests("PATCH")) == 2
    change_set = ChangeSet.objects.get()
    assert change_set.status == ChangeSet.Status.ROLLED_BACK
    items = {i.assistant_name: i for i in change_set.items.all()}
    assert items["Bravo"].rollback == ChangeSetItem.Rollback.CONFLICT
    assert items["Alpha"].rollback == ChangeSetItem.Rollback.RESTORED
    assert items["Alpha"].rollback_history.kind == Change.Kind.RESTORE
    page = editor_client.get(url).content.decode()
    assert "Changed since: kept" in page


def test_revox_refusing_or_failing_some_records_their_true_state_and_resume_finishes(
    editor_client, fleet, revox, quick_give_up
):
    ids = [fleet[n]["id"] for n in ("alpha", "bravo", "delta")]
    url = preview(editor_client, ids).url
    revox.faults(
        {"method": "PATCH", "path": f"/assistants/{fleet['alpha']['id']}", "status": 422,
         "errors": {"llm_model": ["model not allowed here"]}},
        {"method": "PATCH", "path": f"/assistants/{fleet['bravo']['id']}", "status": 503},
    )  # fmt: skip
    editor_client.post(f"{url}apply/")
    [job] = run_queued_jobs()
    assert job.failed_count == 2 and job.done_count == 1
    items = {i.assistant_name: i for i in ChangeSet.objects.get().items.all()}
    assert items["Alpha"].outcome == ChangeSetItem.Outcome.CANNOT
    assert items["Bravo"].outcome == ChangeSetItem.Outcome.FAILED
    assert "Not saved" in items["Bravo"].detail
    assert items["Delta"].outcome == ChangeSetItem.Outcome.CHANGED
    # What Revox holds matches what is recorded: nothing claimed that did not happen.
    assert revox.get(fleet["alpha"]["id"])["llm_model"] == GPT41
    assert revox.get(fleet["bravo"]["id"])["llm_model"] == GPT41
    assert Change.objects.filter(assistant_revox_id=fleet["bravo"]["id"], group="llm").count() == 0
    page = editor_client.get(url).content.decode()
    assert "Resume: try the 1 not saved again" in page

    revox.clear_faults()
    revox.clear_requests()
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert [p["path"] for p in revox.requests("PATCH")] == [f"/assistants/{fleet['bravo']['id']}"]
    assert revox.get(fleet["bravo"]["id"])["llm_model"] == OPENROUTER
    items = {i.assistant_name: i for i in ChangeSetItem.objects.all()}
    assert items["Bravo"].outcome == ChangeSetItem.Outcome.CHANGED


def test_viewers_see_change_sets_but_cannot_make_or_apply_them(editor_client, viewer_client, fleet):
    url = preview(editor_client, [fleet["alpha"]["id"]]).url
    assert viewer_client.get(url).status_code == 200
    assert "apply-button" not in viewer_client.get(url).content.decode()
    assert viewer_client.post(f"{url}apply/").status_code == 403
    assert viewer_client.post("/changes/new/", {**FORM, "cs-ids": "x"}).status_code == 403
    assert ChangeSet.objects.get().status == ChangeSet.Status.DRAFT


def test_the_list_page_offers_the_selection_to_editors_only(editor_client, viewer_client, fleet):
    editor_page = editor_client.get("/assistants/?llm=dedicated-instance").content.decode()
    assert 'name="cs-ids"' in editor_page and "Change all 3 matching this search" in editor_page
    assert 'name="cs-llm" value="dedicated-instance"' in editor_page
    assert 'name="cs-ids"' not in viewer_client.get("/assistants/").content.decode()
    assert Assistant.objects.count() == 4


def test_a_group_of_many_fields_sets_only_the_fields_ticked(editor_client, revox, db):
    """The notification address on several assistants: their own SMS texts stay theirs."""
    from tests.html_forms import as_post, form_fields

    outcomes = ["completed"]
    one = revox.create(name="One", sms_template="One's text", email_notification_outcomes=outcomes)
    two = revox.create(name="Two", sms_template="Two's text", email_notification_outcomes=outcomes)
    assistants_sync()
    ids = [one["id"], two["id"]]
    page = editor_client.get("/changes/new/", {"cs-ids": ids, "cs-group": "messages"})
    assert "Tick the fields to set" in page.content.decode()
    fields = form_fields(page.content, "change-form")
    missing = as_post(fields, email_notification_address="ops@example.com")
    assert (
        "Tick at least one field" in editor_client.post("/changes/new/", missing).content.decode()
    )

    data = as_post(
        fields,
        email_notification_address="ops@example.com",
        **{"cs-touch": ["email_notification_address"]},
    )
    url = editor_client.post("/changes/new/", data).url
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    for created, text in ((one, "One's text"), (two, "Two's text")):
        held = revox.get(created["id"])
        assert held["email_notification_address"] in ("ops@example.com", ["ops@example.com"])
        assert held["sms_template"] == text
    bodies = [p["body_keys"] for p in revox.requests("PATCH")]
    assert bodies == [["email_notification_address"], ["email_notification_address"]]


def test_the_history_entry_a_set_made_links_to_the_set(editor_client, fleet):
    url = preview(editor_client, [fleet["alpha"]["id"]]).url
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    history = editor_client.get(f"/assistants/{fleet['alpha']['id']}/history/").content.decode()
    change_set = ChangeSet.objects.get()
    assert f'<a href="/changes/{change_set.pk}/">Change set #{change_set.pk}</a> applied' in history


def test_over_the_admins_limit_a_second_person_approves_before_it_is_applied(
    editor_client, admin_client_, fleet, revox
):
    from assistants.changes.models import ChangeSetPolicy

    assert editor_client.get("/changes/settings/").status_code == 403
    saved = admin_client_.post("/changes/settings/", {"approval_over": "1"}, follow=True)
    assert "Saved." in saved.content.decode()
    assert ChangeSetPolicy.current().approval_over == 1

    url = preview(editor_client, [fleet["alpha"]["id"], fleet["bravo"]["id"]]).url
    page = editor_client.get(url).content.decode()
    assert "needs-approval" in page and "approve-button" not in page  # not its own maker
    refused = editor_client.post(f"{url}apply/", follow=True).content.decode()
    assert "needs a second person" in refused
    assert editor_client.post(f"{url}approve/", follow=True).status_code == 200
    assert not run_queued_jobs() and revox.get(fleet["alpha"]["id"])["llm_model"] == GPT41

    assert "approve-button" in admin_client_.get(url).content.decode()  # sees the preview
    admin_client_.post(f"{url}approve/")
    change_set = ChangeSet.objects.get()
    assert change_set.approved_by_name and change_set.approved_at
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert revox.get(fleet["alpha"]["id"])["llm_model"] == OPENROUTER


def test_a_set_within_the_limit_needs_no_approval(editor_client, admin_client_, fleet, revox):
    admin_client_.post("/changes/settings/", {"approval_over": "5"})
    url = preview(editor_client, [fleet["alpha"]["id"]]).url
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert revox.get(fleet["alpha"]["id"])["llm_model"] == OPENROUTER
    assert admin_client_.post("/changes/settings/", {"approval_over": "0"}).status_code == 200


def test_revox_going_down_half_way_leaves_the_rest_to_resume(editor_client, fleet, revox):
    names = ("alpha", "bravo", "delta")
    url = preview(editor_client, [fleet[n]["id"] for n in names]).url
    # Alpha goes through; then Revox stops answering (Bravo and Delta, in name order).
    revox.faults(*({"path": f"/assistants/{fleet[n]['id']}", "drop": True} for n in names[1:]))
    editor_client.post(f"{url}apply/")
    [job] = run_queued_jobs()
    assert job.status == "done" and job.done_count == 1 and job.failed_count == 2
    outcomes = dict(ChangeSetItem.objects.values_list("assistant_name", "outcome"))
    assert outcomes == {"Alpha": "changed", "Bravo": "failed", "Delta": "failed"}
    revox.clear_faults()
    assert revox.get(fleet["bravo"]["id"])["llm_model"] == GPT41
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    outcomes = dict(ChangeSetItem.objects.values_list("assistant_name", "outcome"))
    assert set(outcomes.values()) == {"changed"}
    assert all(revox.get(fleet[n]["id"])["llm_model"] == OPENROUTER for n in names)
    assert Change.objects.filter(summary__startswith="Change set #").count() == 3


def test_a_429_is_waited_out_as_revox_asks(editor_client, fleet, revox):
    url = preview(editor_client, [fleet["alpha"]["id"]]).url
    revox.faults({"method": "PATCH", "path": f"/assistants/{fleet['alpha']['id']}",
                  "status": 429, "retry_after": 1, "times": 1})  # fmt: skip
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert ChangeSetItem.objects.get().outcome == ChangeSetItem.Outcome.CHANGED
    patches = revox.requests("PATCH")
    assert [p["status"] for p in patches] == [429, 200]
    started = datetime.fromisoformat(patches[0]["at"].replace("Z", "+00:00"))
    retried = datetime.fromisoformat(patches[1]["at"].replace("Z", "+00:00"))
    assert (retried - started).total_seconds() >= 1  # Retry-After honoured
    assert revox.get(fleet["alpha"]["id"])["llm_model"] == OPENROUTER


def test_find_and_replace_counts_matches_and_changes_only_the_text_found(editor_client, revox, db):
    one = revox.create(name="One", prompt="Call Acme Corp. Acme Corp is open.", first_sentence="Hi")
    two = revox.create(name="Two", prompt="Nothing here.", first_sentence="Acme corp speaking")
    three = revox.create(name="Three", prompt="ACME CORP rules", sms_template="Acme Corp")
    assistants_sync()
    ids = [one["id"], two["id"], three["id"]]
    form = {"cs-group": "replace", "cs-step": "preview", "cs-ids": ids, "find": "Acme Corp",
            "replace": "Globex", "where": ["prompt", "first_sentence"]}  # fmt: skip
    mixed = editor_client.post("/changes/new/", {**form, "where": ["prompt", "sms_template"]})
    assert "Choose fields of one kind at a time" in mixed.content.decode()
    url = editor_client.post("/changes/new/", form).url
    page = editor_client.get(url).content.decode()
    matches = dict(ChangeSetItem.objects.values_list("assistant_name", "matches"))
    assert matches == {"One": 2, "Two": 1, "Three": 1}  # any case, unless "match case"
    assert "4 matches in all" in page

    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert revox.get(one["id"])["prompt"] == "Call Globex. Globex is open."
    assert revox.get(two["id"])["first_sentence"] == "Globex speaking"
    assert revox.get(three["id"])["prompt"] == "Globex rules"
    assert revox.get(three["id"])["sms_template"] == "Acme Corp"  # not asked for
    assert all(p["body_keys"] in (["prompt"], ["first_sentence"]) for p in revox.requests("PATCH"))

    editor_client.post(f"{url}rollback/")
    run_queued_jobs()
    assert revox.get(one["id"])["prompt"] == "Call Acme Corp. Acme Corp is open."
    assert revox.get(two["id"])["first_sentence"] == "Acme corp speaking"


def test_faq_operations_over_several_assistants(editor_client, revox, db):
    hours = {"question": "What are your hours?", "answer": "9 to 5."}
    one = revox.create(name="One", faq_items=[hours])
    two = revox.create(name="Two", faq_items=[{"question": "Where are you?", "answer": "Paris."}])
    assistants_sync()
    ids = [one["id"], two["id"]]
    base = {"cs-group": "faq", "cs-step": "preview", "cs-ids": ids}

    page = editor_client.post("/changes/new/", {**base, "action": "add", "question": "Parking?"})
    assert "Type the answer the assistant should give." in page.content.decode()

    # Change the answer wherever the question appears (its case and spacing aside).
    url = editor_client.post("/changes/new/", {
        **base, "action": "answer", "question": "what are your  HOURS?", "answer": "8 to 6.",
    }).url  # fmt: skip
    items = {
        i.assistant_name: i for i in ChangeSetItem.objects.filter(change_set__pk=url.split("/")[2])
    }
    assert items["One"].preview == ChangeSetItem.Preview.CHANGE
    assert items["Two"].reasons == [["Question", "This question is not in its FAQ."]]
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert [(i["question"], i["answer"]) for i in revox.get(one["id"])["faq_items"]] == [
        ("What are your hours?", "8 to 6.")
    ]

    # Add a question to both; then remove it from both.
    url = editor_client.post("/changes/new/", {
        **base, "action": "add", "question": "Is there parking?", "answer": "Yes, free.",
    }).url  # fmt: skip
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    for created in (one, two):
        assert revox.get(created["id"])["faq_items"][-1]["question"] == "Is there parking?"
    url = editor_client.post("/changes/new/", {
        **base, "action": "remove", "question": "Is there parking?",
    }).url  # fmt: skip
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert [i["question"] for i in revox.get(two["id"])["faq_items"]] == ["Where are you?"]
    assert [i["question"] for i in revox.get(one["id"])["faq_items"]] == ["What are your hours?"]


def test_roll_back_puts_a_text_never_set_back_as_not_set(editor_client, revox, db):
    # Revox answers null for an end-of-call sentence never set, and takes no null back.
    made = [revox.create(name=name) for name in ("Echo", "Foxtrot")]
    assistants_sync()
    ids = [a["id"] for a in made]
    change_set = say_change(editor_client, ids, "general", touch=["end_of_call_sentence"],
                            end_of_call_sentence="Bye now.")  # fmt: skip
    apply(editor_client, change_set)
    assert [revox.get(i)["end_of_call_sentence"] for i in ids] == ["Bye now."] * 2

    roll_back(editor_client, change_set)

    assert [revox.get(i)["end_of_call_sentence"] for i in ids] == ["", ""]
    rollbacks = {i.assistant_name: (i.rollback, i.rollback_detail) for i in change_set.items.all()}
    assert rollbacks == {
        name: (ChangeSetItem.Rollback.RESTORED, "") for name in ("Echo", "Foxtrot")
    }


def test_roll_back_of_a_faq_change_leaves_a_waiting_question_waiting(editor_client, revox, db):
    one = revox.create(name="One", faq_items=[{"question": "Hours?", "answer": "9 to 5."}])
    revox.suggest_faq(one["id"], "Do you deliver?", "Maybe.")  # a call's draft, waiting
    assistants_sync()
    url = editor_client.post("/changes/new/", {
        "cs-group": "faq", "cs-step": "preview", "cs-ids": [one["id"]], "action": "add",
        "question": "Is there parking?", "answer": "Yes, free.",
    }).url  # fmt: skip
    editor_client.post(f"{url}apply/")
    run_queued_jobs()
    assert len(revox.get(one["id"])["faq_items"]) == 3

    editor_client.post(f"{url}rollback/")
    run_queued_jobs()

    items = revox.get(one["id"])["faq_items"]
    assert [i["question"] for i in items] == ["Hours?", "Do you deliver?"]
    assert items[1]["needs_human_answer"] is True  # still waiting: its draft not approved
