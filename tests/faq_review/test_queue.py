"""The review queue page: what it lists, its filters and counts, its refresh, its speed."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from assistants.faq_review.views import PAGE_SIZE
from assistants.models import Assistant, FaqItem, SyncState
from tests.faq_review.conftest import HOURS

pytestmark = pytest.mark.django_db


def test_it_lists_pending_items_of_every_assistant_with_counts(make_assistant, viewer_client):
    dental = make_assistant(
        "Dental", suggestions=[("Do you whiten teeth?", ""), ("Is parking free?", "Yes.")]
    )
    hotel = make_assistant("Hotel", suggestions=[("Is breakfast included?", "")])

    response = viewer_client.get("/faq-review/")

    assert response.status_code == 200
    page = response.content.decode()
    for question in ("Do you whiten teeth?", "Is parking free?", "Is breakfast included?"):
        assert question in page
    assert HOURS["question"] not in page  # answered: not in the default view
    counts = {c.name: c.count for c, _ in response.context["counts"]}
    assert counts == {"Dental": 2, "Hotel": 1}
    assert 'id="nav-pending-count"' in page and ">3</span>" in page
    assert (
        f"/assistants/{dental['id']}/edit/faq/" in page
        and f"/assistants/{hotel['id']}/edit/faq/" in page
    )


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"assistant": "HOTEL"}, ["Is breakfast included?"], ["Do you whiten teeth?"]),
        ({"status": "answered"}, [HOURS["question"]], ["Do you whiten teeth?"]),
        ({"status": "all", "source": "human"}, [HOURS["question"]], ["Is breakfast included?"]),
        ({"status": "all", "source": "ai"}, ["Is breakfast included?"], [HOURS["question"]]),
        ({"q": "BREAKFAST"}, ["Is breakfast included?"], ["Do you whiten teeth?"]),
        ({"q": "continental"}, ["Is breakfast included?"], ["Do you whiten teeth?"]),  # the draft
    ],
)
def test_it_filters(make_assistant, viewer_client, params, shown, hidden):
    make_assistant("Dental", suggestions=[("Do you whiten teeth?", "")])
    hotel = make_assistant(
        "Hotel", suggestions=[("Is breakfast included?", "Continental, 7 to 10.")]
    )
    if params.get("assistant") == "HOTEL":
        params = {**params, "assistant": hotel["id"]}

    page = viewer_client.get("/faq-review/", params).content.decode()

    for question in shown:
        assert question in page
    for question in hidden:
        assert question not in page


def test_htmx_filtering_answers_with_the_results_only(make_assistant, viewer_client):
    make_assistant("Dental", suggestions=[("Do you whiten teeth?", "")])
    response = viewer_client.get(
        "/faq-review/", {"q": "whiten"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="faq-results"
    )
    assert b"<html" not in response.content and b"Do you whiten teeth?" in response.content
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_viewers_see_but_cannot_act(make_assistant, viewer_client):
    made = make_assistant("Dental", suggestions=[("Do you whiten teeth?", "Yes.")])
    page = viewer_client.get("/faq-review/").content.decode()
    assert "Do you whiten teeth?" in page
    assert (
        'value="approve"' not in page and "data-faq-select" not in page and "Import CSV" not in page
    )
    post = {"action": "approve", "assistant": made["id"], "question": "Do you whiten teeth?"}
    assert viewer_client.post("/faq-review/item/", post).status_code == 403
    assert viewer_client.post("/faq-review/bulk/", {"action": "approve"}).status_code == 403
    assert viewer_client.get("/faq-review/import/").status_code == 403


def test_a_stale_cache_is_refreshed_in_the_background(
    make_assistant, revox, viewer_client, settings
):
    made = make_assistant("Dental")
    SyncState.objects.filter(pk=1).update(
        last_success_at=timezone.now() - timezone.timedelta(hours=1)
    )
    page = viewer_client.get("/faq-review/").content.decode()
    assert 'hx-post="/faq-review/refresh/" hx-trigger="load"' in page

    revox.suggest_faq(made["id"], "Arrived in Revox just now?")
    response = viewer_client.post(
        "/faq-review/refresh/", {"status": "pending"}, HTTP_HX_REQUEST="true"
    )

    assert b"Arrived in Revox just now?" in response.content
    assert b'hx-swap-oob="true"' in response.content  # counts, banner and "checked" time too
    fresh = viewer_client.get("/faq-review/").content.decode()
    assert 'hx-trigger="load"' not in fresh


def test_an_empty_queue_says_all_clear(make_assistant, viewer_client):
    make_assistant("Dental")
    assert "All clear" in viewer_client.get("/faq-review/").content.decode()
    assert "Nothing matches" in viewer_client.get("/faq-review/?q=zebra").content.decode()


def _big_cache(assistants: int, items_each: int) -> None:
    now = timezone.now()
    Assistant.objects.bulk_create(
        [
            Assistant(
                revox_id=str(uuid.UUID(int=n)),
                name=f"Assistant {n:04}",
                data={"id": str(n)},
                content_hash="x",
                synced_at=now,
            )
            for n in range(assistants)
        ],
        batch_size=1000,
    )
    pks = list(Assistant.objects.values_list("pk", flat=True))
    FaqItem.objects.bulk_create(
        (
            FaqItem(
                assistant_id=pk,
                position=p,
                upstream_id=f"{pk}-{p}",
                question=f"Question {p} of {pk}?",
                answer="" if p % 3 else "An answer.",
                source="ai" if p % 3 else "human",
                needs_human_answer=bool(p % 3),
            )
            for pk in pks
            for p in range(items_each)
        ),
        batch_size=5000,
    )
    Assistant.objects.update(pending_faq_count=sum(1 for p in range(items_each) if p % 3))
    SyncState.objects.update_or_create(pk=1, defaults={"last_success_at": now})


def test_the_first_page_stays_cheap_with_50000_items(editor_client, django_assert_max_num_queries):
    _big_cache(assistants=2000, items_each=25)  # 50,000 items, two thirds pending
    editor_client.get("/faq-review/")  # warm up (session, templates)

    # Bounded work, not a wall-clock limit (flaky on a busy machine): bench/ times the page.
    # 13: with the navigation's count of running jobs and the bulk jobs the queue shows.
    with django_assert_max_num_queries(13):
        response = editor_client.get("/faq-review/")

    assert response.status_code == 200
    assert response.context["page"].count == 2000 * 16
    assert len(response.context["rows"]) == PAGE_SIZE
    assert response.content.decode().count("data-faq-key=") == PAGE_SIZE
