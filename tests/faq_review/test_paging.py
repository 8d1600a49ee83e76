"""The queue in pages, and the counts an action brings back (issue 15, point 4)."""

from __future__ import annotations

import re

import pytest

from assistants import faq
from assistants.faq_review.selectors import QueueFilter, QueuePage
from assistants.faq_review.views import PAGE_SIZE
from assistants.models import FaqItem
from tests.faq_review.conftest import faq_of, key_of, patches

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_queue(make_assistant):
    """Two assistants, PAGE_SIZE + 5 suggestions waiting in all (blank but one)."""
    alpha = make_assistant(
        "Alpha", suggestions=[(f"Alpha question {n}?", "") for n in range(PAGE_SIZE - 3)]
    )
    bravo = make_assistant(
        "Bravo", suggestions=[(f"Bravo question {n}?", "A draft.") for n in range(8)]
    )
    return alpha, bravo


def questions_on(page: str) -> list[str]:
    return re.findall(r'<div class="faq-q-question">([^<]*)</div>', page)


def test_the_queue_comes_in_pages_with_plain_links(long_queue, viewer_client):
    first = viewer_client.get("/faq-review/").content.decode()
    assert questions_on(first)[:2] == ["Alpha question 0?", "Alpha question 1?"]
    assert len(questions_on(first)) == PAGE_SIZE
    assert 'href="/faq-review/?page=2" hx-get="/faq-review/?page=2"' in first
    assert "Items 1–20" in first and f"{PAGE_SIZE + 5} items waiting for review." in first

    second = viewer_client.get("/faq-review/?page=2").content.decode()
    assert questions_on(second) == [f"Bravo question {n}?" for n in range(3, 8)]
    assert 'href="/faq-review/" hx-get="/faq-review/"' in second  # back to page 1
    assert "Items 21–25" in second


def test_a_page_can_start_anywhere_and_past_the_end_shows_the_last(long_queue, viewer_client):
    page = viewer_client.get("/faq-review/?start=18").content.decode()
    assert questions_on(page)[:3] == ["Bravo question 1?", "Bravo question 2?", "Bravo question 3?"]
    assert "Items 19–25" in page
    past = viewer_client.get("/faq-review/?page=99").content.decode()
    assert questions_on(past) == questions_on(
        viewer_client.get("/faq-review/?page=2").content.decode()
    )
    assert viewer_client.get("/faq-review/?page=x&start=-4").status_code == 200


def test_the_status_tabs_count_under_the_other_filters(long_queue, viewer_client):
    response = viewer_client.get("/faq-review/", {"q": "bravo"})
    tabs = {status: count for status, _, count, _ in response.context["tabs"]}
    assert tabs == {"pending": 8, "answered": 0, "all": 8}
    page = response.content.decode()
    assert 'href="/faq-review/?q=bravo&amp;status=answered"' in page
    assert "8 items waiting for review, matching the filters." in page

    everything = viewer_client.get("/faq-review/", {"status": "all"}).context["tabs"]
    assert [count for _, _, count, _ in everything] == [PAGE_SIZE + 5, 2, PAGE_SIZE + 7]


def test_an_htmx_page_brings_the_tabs_and_the_panel_along(long_queue, viewer_client):
    response = viewer_client.get(
        "/faq-review/", {"q": "alpha"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="faq-results"
    )
    page = response.content.decode()
    assert b"<html" not in response.content
    assert '<div id="faq-tabs-slot" hx-swap-oob="true">' in page
    assert '<div id="faq-counts-slot" hx-swap-oob="true">' in page
    assert re.search(r'data-faq-tab="pending".*?data-faq-tab-count>17<', page, re.S)
    assert "Bravo" not in page.split('id="faq-counts-slot"')[1]  # no match there


def test_an_action_answers_with_every_count_out_of_band(long_queue, revox, editor_client):
    alpha, _ = long_queue
    key = key_of(alpha["id"], "Alpha question 0?")
    upstream_id = key.split("/")[1]
    response = editor_client.post(
        "/faq-review/item/",
        {
            "action": "answer", "assistant": alpha["id"], "assistant_name": "Alpha",
            "upstream_id": upstream_id, "question": "Alpha question 0?", "source": "ai",
            "pending": "on", "answer": "Yes.", "next": "/faq-review/?page=1",
        },
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    page = response.content.decode()
    assert "data-faq-done" in page and "data-faq-left" in page  # it left "waiting"
    assert re.search(r'data-faq-tab="pending".*?data-faq-tab-count>24<', page, re.S)
    assert re.search(r'data-faq-tab="answered".*?data-faq-tab-count>3<', page, re.S)
    assert re.search(r"Alpha</bdi></span>.*?data-faq-assistant-count>16<", page, re.S)
    assert 'id="faq-result-count" data-total="24"' in page
    assert "24 items waiting for review." in page

    # Answered while showing "all": it stays, so the next page need not move up.
    other = key_of(alpha["id"], "Alpha question 1?").split("/")[1]
    response = editor_client.post(
        "/faq-review/item/",
        {
            "action": "answer", "assistant": alpha["id"], "upstream_id": other,
            "question": "Alpha question 1?", "pending": "on", "answer": "No.",
            "next": "/faq-review/?status=all",
        },
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert b"data-faq-done" in response.content and b"data-faq-left" not in response.content


def test_a_blank_approve_is_refused_before_anything_is_sent(long_queue, revox, editor_client):
    _, bravo = long_queue
    revox.clear_requests()
    item = FaqItem.objects.get(assistant__revox_id=bravo["id"], question="Bravo question 0?")
    data = {
        "action": "approve", "assistant": bravo["id"], "upstream_id": item.upstream_id,
        "question": item.question, "pending": "on", "answer": "  \n ", "next": "/faq-review/",
    }  # fmt: skip
    response = editor_client.post("/faq-review/item/", data)
    assert response.status_code == 200
    assert faq.NO_ANSWER in response.content.decode()
    assert revox.requests() == []  # not even a read: the draft in Revox is not approved
    assert faq_of(revox, bravo["id"])[1] == ("Bravo question 0?", "A draft.", True)


def test_without_javascript_a_failed_save_comes_back_with_what_was_typed(
    long_queue, revox, editor_client
):
    alpha, _ = long_queue
    revox.faults({"method": "PATCH", "path": f"/assistants/{alpha['id']}", "status": 503})
    item = FaqItem.objects.get(assistant__revox_id=alpha["id"], question="Alpha question 2?")
    data = {
        "action": "approve", "assistant": alpha["id"], "assistant_name": "Alpha",
        "upstream_id": item.upstream_id, "question": item.question, "source": "ai",
        "pending": "on", "answer": "Typed with care, not to be lost.", "next": "/faq-review/?page=1",
    }  # fmt: skip

    response = editor_client.post("/faq-review/item/", data)

    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    assert ">Typed with care, not to be lost.</textarea>" in page
    assert "Not saved" in page and "is-invalid" in page
    assert questions_on(page).count("Alpha question 2?") == 1  # in its place, not twice
    assert len(patches(revox)) == 1 and faq_of(revox, alpha["id"])[3][2] is True


def test_the_page_links_leave_out_the_middle():
    page = QueuePage(rows=[], start=200, count=1000, size=20)
    assert [link[0] if link else None for link in page.links()] == [
        1, 2, None, 10, 11, 12, None, 49, 50,
    ]  # fmt: skip
    assert page.links()[3] == (10, 180)
    assert [link[0] for link in QueuePage(rows=[], start=0, count=45, size=20).links()] == [1, 2, 3]
    assert QueuePage(rows=[], start=0, count=0, size=20).links() == [(1, 0)]


@pytest.mark.parametrize(
    ("filters", "after", "keeps"),
    [
        (QueueFilter(), {"pending": False}, False),
        (QueueFilter(status="answered"), {"pending": False}, True),
        (QueueFilter(status="all", source="ai"), {"pending": False, "source": "human"}, False),
        (QueueFilter(status="all", q="PARK"), {"answer": "Behind the building."}, True),
        (QueueFilter(status="all", q="garage"), {"answer": "Behind the building."}, False),
    ],
)
def test_an_item_acted_on_still_belongs_or_has_left(filters, after, keeps):
    item = {"question": "Is there parking?", "answer": "", "source": "ai", "pending": True}
    assert filters.keeps(**{**item, **after}) is keeps
