"""'Skip for now': one person hides a waiting question from their own queue for a while."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assistants.models import FaqSnooze
from tests.faq_review.conftest import faq_of, patches
from tests.faq_review.test_bulk import bulk

pytestmark = pytest.mark.django_db

SUGGESTIONS = [("Do you whiten teeth?", "Yes, from $199."), ("Is there parking?", "")]


@pytest.fixture
def dental(make_assistant):
    return make_assistant("Dental", suggestions=SUGGESTIONS)


def questions(client, url="/faq-review/") -> list[str]:
    """The questions listed on the queue page (not in its messages)."""
    page = client.get(url).content.decode()
    return re.findall(r'<div class="faq-q-question">([^<]*)</div>', page)


def skip(client, assistant, question, *, hours="24", htmx=False, **extra):
    data = {
        "assistant": assistant["id"], "assistant_name": assistant["name"], "question": question,
        "hours": hours, "next": "/faq-review/", **extra,
    }  # fmt: skip
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post("/faq-review/snooze/", data, **headers)


def test_it_hides_the_question_from_my_queue_only(dental, revox, editor_client, viewer_client):
    revox.clear_requests()
    response = skip(editor_client, dental, SUGGESTIONS[0][0], hours="168")

    assert response.status_code == 302 and response["Location"] == "/faq-review/"
    assert questions(editor_client) == [SUGGESTIONS[1][0]]
    mine = editor_client.get("/faq-review/").content.decode()
    assert "1 question you skipped for now is hidden" in mine
    assert "1 item waiting for review" in mine
    # A teammate still sees it, and nothing went to Revox.
    assert questions(viewer_client) == [q for q, _ in SUGGESTIONS]
    assert revox.requests() == []
    snooze = FaqSnooze.objects.get()
    assert timedelta(days=6, hours=23) < snooze.until - timezone.now() <= timedelta(days=7)


def test_the_skipped_view_lists_them_and_brings_one_back(dental, editor_client):
    skip(editor_client, dental, SUGGESTIONS[0][0])

    assert questions(editor_client, "/faq-review/?skipped=1") == [SUGGESTIONS[0][0]]
    assert "Back in my queue now" in editor_client.get("/faq-review/?skipped=1").content.decode()

    skip(editor_client, dental, SUGGESTIONS[0][0], undo="on")
    assert questions(editor_client) == [q for q, _ in SUGGESTIONS]
    assert not FaqSnooze.objects.exists()


def test_it_comes_back_when_the_time_runs_out(dental, editor_client):
    skip(editor_client, dental, SUGGESTIONS[0][0], hours="1")
    FaqSnooze.objects.update(until=timezone.now() - timedelta(seconds=1))

    assert questions(editor_client) == [q for q, _ in SUGGESTIONS]


def test_in_place_it_answers_the_row_with_when_it_comes_back(dental, editor_client):
    response = skip(editor_client, dental, SUGGESTIONS[1][0], hours="1", htmx=True)

    page = response.content.decode()
    assert response.status_code == 200 and b"<html" not in response.content
    assert "Skipped for now: hidden from your queue until" in page
    assert "data-faq-left" in page and "data-faq-done" in page
    assert 'data-faq-action="unsnooze"' in page  # Undo


def test_viewers_may_skip_too(dental, viewer_client):
    skip(viewer_client, dental, SUGGESTIONS[0][0])
    assert questions(viewer_client) == [SUGGESTIONS[1][0]]


def test_an_unknown_time_is_refused(dental, editor_client):
    assert skip(editor_client, dental, SUGGESTIONS[0][0], hours="999").status_code == 400
    assert not FaqSnooze.objects.exists()


def test_approve_all_matching_leaves_my_skipped_questions_alone(dental, revox, editor_client):
    skip(editor_client, dental, SUGGESTIONS[0][0])
    revox.clear_requests()

    bulk(editor_client, "approve", [], scope="filter")

    # Only the other one was tried (it has no answer, so it fails); the skipped one is untouched.
    assert patches(revox) == []
    assert faq_of(revox, dental["id"])[1] == (SUGGESTIONS[0][0], SUGGESTIONS[0][1], True)


def test_it_needs_a_signed_in_person(dental, client):
    response = skip(client, dental, SUGGESTIONS[0][0])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
