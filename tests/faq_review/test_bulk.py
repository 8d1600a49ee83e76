"""Bulk Approve / Delete: one merge-safe save per assistant, in parallel, reported per
assistant, failures retryable, nothing applied twice."""

from __future__ import annotations

import json

import pytest

from assistants import faq
from assistants.faq_review.views import NOTHING_SELECTED
from assistants.jobs.models import Job, JobItem
from assistants.models import Change
from tests.faq_review.conftest import HOURS, after_job, faq_of, job_report, key_of, patches
from tests.jobs.inline import run_queued_jobs

pytestmark = pytest.mark.django_db

SUGGESTIONS = [
    ("Is there parking?", "Yes, behind the building."),
    ("Do you open on Sundays?", "No."),
]


@pytest.fixture
def three(make_assistant):
    return [make_assistant(name, suggestions=SUGGESTIONS) for name in ("Alpha", "Bravo", "Charlie")]


def selection(assistants) -> list[tuple[str, str]]:
    """The rows a user ticks: each item's key, and its question as the page carries it."""
    return [(key_of(a["id"], q), q) for a in assistants for q, _ in SUGGESTIONS]


def bulk(client, action, items=(), **extra):
    data = {"action": action, "item": [key for key, _ in items], **extra}
    data.update({f"question:{key}": question for key, question in items})
    return after_job(client, client.post("/faq-review/bulk/", data))


def approved(revox, assistant_id) -> bool:
    return faq_of(revox, assistant_id) == [
        (HOURS["question"], HOURS["answer"], False),
        *[(q, a, False) for q, a in SUGGESTIONS],
    ]


def test_bulk_approve_saves_each_assistant_once(three, revox, editor_client):
    revox.clear_requests()

    response = bulk(editor_client, "approve", selection(three))

    assert response.status_code == 200
    assert all(approved(revox, a["id"]) for a in three)
    assert sorted(p["path"] for p in patches(revox)) == sorted(
        f"/assistants/{a['id']}" for a in three
    )
    report = job_report(response)
    assert {i.detail["name"]: len(i.detail["applied"]) for i in report} == {
        "Alpha": 2, "Bravo": 2, "Charlie": 2,
    }  # fmt: skip
    page = response.content.decode()
    assert "Approve 6 FAQ answers in 3 assistants" in page and page.count("2 approved") == 3
    job = Job.objects.get()
    assert (job.status, job.done_count, job.failed_count, job.started_by) == (
        Job.Status.DONE, 3, 0, response.wsgi_request.user,
    )  # fmt: skip
    assert Change.objects.filter(kind=Change.Kind.FAQ_REVIEW).count() == 3
    assert "All clear" in page  # the queue shown after it is empty


def test_one_assistant_failing_midway_leaves_the_others_applied_and_is_retryable(
    three, revox, editor_client
):
    alpha, bravo, charlie = three
    keys = selection(three)
    revox.faults({"method": "PATCH", "path": f"/assistants/{bravo['id']}", "status": 503})

    response = bulk(editor_client, "approve", keys)

    assert approved(revox, alpha["id"]) and approved(revox, charlie["id"])
    assert faq_of(revox, bravo["id"])[1:] == [(q, "", True) for q, _ in SUGGESTIONS] or all(
        pending for _, _, pending in faq_of(revox, bravo["id"])[1:]
    )
    failed = {i.detail["name"]: i for i in job_report(response) if i.detail["failed"]}
    assert list(failed) == ["Bravo"] and "Not saved" in failed["Bravo"].detail["failed"][0][1]
    assert failed["Bravo"].status == JobItem.Status.FAILED
    page = response.content.decode()
    assert "Bravo" in page and "2 not done" in page and "1 failed" in page
    bravo_keys = [(key_of(bravo["id"], q), q) for q, _ in SUGGESTIONS]
    for key, _ in bravo_keys:  # the failed rows stay selected, ready for a retry
        assert f'value="{key}" data-faq-select aria-label' in page
        assert page.split(f'value="{key}"', 1)[1].split(">", 1)[0].endswith("checked")

    revox.clear_faults()
    revox.clear_requests()
    retry = bulk(editor_client, "approve", bravo_keys)

    assert approved(revox, bravo["id"])
    assert [p["path"] for p in patches(revox)] == [f"/assistants/{bravo['id']}"]
    assert not any(i.detail["failed"] for i in job_report(retry))


def test_running_the_same_bulk_action_again_applies_nothing_twice(three, revox, editor_client):
    keys = selection(three)
    bulk(editor_client, "approve", keys)
    revox.suggest_faq(three[0]["id"], "New since?", "Maybe.")
    revox.clear_requests()

    again = bulk(editor_client, "approve", keys)

    assert patches(revox) == []
    assert all(
        len(i.detail["unchanged"]) == 2 and not i.detail["applied"] for i in job_report(again)
    )
    assert faq_of(revox, three[0]["id"])[-1] == ("New since?", "Maybe.", True)


def test_a_save_that_landed_but_was_not_confirmed_is_not_applied_twice(three, revox, editor_client):
    alpha = three[0]
    keys = [(key_of(alpha["id"], q), q) for q, _ in SUGGESTIONS]
    # Revox applies the PATCH, then the connection drops: the outcome is unknown to us.
    revox.faults(
        {
            "method": "PATCH",
            "path": f"/assistants/{alpha['id']}",
            "drop": True,
            "apply": True,
            "times": 1,
        }
    )

    first = bulk(editor_client, "approve", keys)
    # Read back after the dropped answer: Revox holds the approvals, so they count as done,
    # and history names who made them (not "Outside the dashboard").
    (item,) = job_report(first)
    assert len(item.detail["applied"]) == 2 and not item.detail["failed"]
    assert item.status == JobItem.Status.DONE
    entry = Change.objects.get(assistant_revox_id=alpha["id"])
    assert entry.kind == Change.Kind.FAQ_REVIEW and entry.actor_name == "Ed"

    revox.clear_requests()
    retry = bulk(editor_client, "approve", keys)

    assert patches(revox) == []
    (item,) = job_report(retry)
    assert [message for _, message in item.detail["unchanged"]] == [faq.ALREADY_ANSWERED] * 2
    assert item.status == JobItem.Status.CONFLICT  # someone (here: the lost save) answered first
    assert approved(revox, alpha["id"])


def test_a_suggestion_arriving_during_a_bulk_review_survives(three, revox, editor_client):
    keys = selection(three[:1])
    revox.suggest_faq(three[0]["id"], "Do you take walk-ins?")
    bulk(editor_client, "delete", keys)
    assert faq_of(revox, three[0]["id"]) == [
        (HOURS["question"], HOURS["answer"], False),
        ("Do you take walk-ins?", "", True),
    ]


def test_items_without_an_answer_are_reported_and_the_rest_applied(
    make_assistant, revox, editor_client
):
    made = make_assistant("Dental", suggestions=[("Blank?", ""), ("Drafted?", "A draft.")])
    keys = [(key_of(made["id"], "Blank?"), "Blank?"), (key_of(made["id"], "Drafted?"), "Drafted?")]

    response = bulk(editor_client, "approve", keys)

    (item,) = job_report(response)
    assert [message for _, message in item.detail["failed"]] == [faq.NO_ANSWER]
    assert faq_of(revox, made["id"])[1:] == [("Blank?", "", True), ("Drafted?", "A draft.", False)]
    assert faq.NO_ANSWER in response.content.decode()


def test_answers_typed_on_the_page_are_the_ones_approved(make_assistant, revox, editor_client):
    made = make_assistant("Dental", suggestions=[("Blank?", "")])
    key = key_of(made["id"], "Blank?")
    bulk(
        editor_client,
        "approve",
        [(key, "Blank?")],
        **{f"answer:{key}": "Typed before the bulk approve."},
    )
    assert faq_of(revox, made["id"])[1] == ("Blank?", "Typed before the bulk approve.", False)


def test_all_matching_the_filter_acts_on_items_beyond_the_page(
    make_assistant, revox, editor_client
):
    alpha = make_assistant(
        "Alpha", suggestions=[(f"Question {n}?", f"Answer {n}.") for n in range(60)]
    )
    bravo = make_assistant("Bravo", suggestions=SUGGESTIONS)

    response = bulk(editor_client, "approve", [], scope="filter", assistant=alpha["id"])

    assert sum(len(i.detail["applied"]) for i in job_report(response)) == 60
    assert not any(pending for _, _, pending in faq_of(revox, alpha["id"]))
    assert all(pending for _, _, pending in faq_of(revox, bravo["id"])[1:])  # outside the filter


def test_bulk_delete(three, revox, editor_client):
    bulk(editor_client, "delete", selection(three[:2]))
    assert faq_of(revox, three[0]["id"]) == [(HOURS["question"], HOURS["answer"], False)]
    assert faq_of(revox, three[1]["id"]) == [(HOURS["question"], HOURS["answer"], False)]
    assert len(faq_of(revox, three[2]["id"])) == 3


def test_the_script_gets_the_job_card_which_reports_progress_then_the_result(
    three, revox, editor_client, settings
):
    settings.REVOX_BULK_CONCURRENCY = 2
    revox.faults({"method": "PATCH", "path": f"/assistants/{three[2]['id']}", "status": 400,
                  "errors": {"faq_items.1.answer": ["too long"]}})  # fmt: skip

    started = editor_client.post(
        "/faq-review/bulk/",
        {"action": "approve", "item": [key for key, _ in selection(three)]},
        HTTP_HX_REQUEST="true",
    )

    job = Job.objects.get()
    card = started.content.decode()
    assert f'id="job-{job.pk}"' in card and f'hx-get="/jobs/{job.pk}/card/"' in card
    assert "Waiting for a worker" in card and 'id="nav-jobs-count" hx-swap-oob="true"' in card
    assert patches(revox) == []  # nothing is done inside the request
    polled = editor_client.get(f"/jobs/{job.pk}/card/", HTTP_HX_REQUEST="true")
    assert "HX-Trigger" not in polled and "hx-trigger=" in polled.content.decode()

    run_queued_jobs()

    done = editor_client.get(f"/jobs/{job.pk}/card/", HTTP_HX_REQUEST="true")
    page = done.content.decode()
    assert "hx-trigger=" not in page.split("</section>")[0]  # finished: it stops asking
    finished = json.loads(done["HX-Trigger"])["jobs:finished"]
    assert sorted(finished["failed_keys"]) == sorted(key for key, _ in selection(three[2:]))
    # The navigation's count of answers to review, brought along out of band.
    assert 'id="nav-pending-count" title="Answers waiting for review">2<' in page
    assert "Charlie" in page and "#2 \u203a answer: too long" in page


def test_nothing_selected_says_so(three, revox, editor_client):
    revox.clear_requests()
    response = editor_client.post("/faq-review/bulk/", {"action": "approve"})
    assert response.status_code == 302
    assert NOTHING_SELECTED in editor_client.get(response["Location"]).content.decode()
    assert revox.requests() == []


def test_it_rejects_unknown_actions_and_viewers(three, editor_client, viewer_client):
    items = [key for key, _ in selection(three)]
    assert (
        editor_client.post("/faq-review/bulk/", {"action": "publish", "item": items}).status_code
        == 400
    )
    assert (
        viewer_client.post("/faq-review/bulk/", {"action": "approve", "item": items}).status_code
        == 403
    )
    assert not Job.objects.exists()
    assert editor_client.get("/faq-review/bulk/").status_code == 405


@pytest.mark.parametrize("resumed", [True, False])
def test_a_resumed_job_owns_the_save_its_dead_worker_landed(three, revox, editor, resumed):
    """The first run PATCHed Alpha and its worker died before writing the cache and history
    (only the HTTP half ran). The resumed run sends nothing again and records that save as the
    person's; a run that is not a resumption cannot tell it from a teammate's and claims nothing."""
    from assistants.faq_review.services import _review_remote, faq_review_apply_bulk
    from assistants.models import FaqItem

    alpha = three[0]
    actions = [
        faq.Action(faq.APPROVE, item.upstream_id, item.question)
        for item in FaqItem.objects.filter(assistant__revox_id=alpha["id"], needs_human_answer=True)
    ]
    assert len(actions) == 2
    _review_remote(alpha["id"], actions)  # the dead worker's PATCH, nothing written locally
    assert approved(revox, alpha["id"])
    revox.clear_requests()

    (outcome,) = faq_review_apply_bulk(user=editor, plan={alpha["id"]: actions}, resumed=resumed)

    assert patches(revox) == []  # nothing sent twice
    mine = Change.objects.filter(
        assistant_revox_id=alpha["id"], kind=Change.Kind.FAQ_REVIEW, actor=editor
    )
    if resumed:
        assert [r.status for r in outcome.results] == ["applied", "applied"]
        assert mine.count() == 1 and "2 answers approved" in mine.get().summary
    else:
        assert [r.status for r in outcome.results] == ["unchanged", "unchanged"]
        assert not mine.exists()
