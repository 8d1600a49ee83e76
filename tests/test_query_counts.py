"""Database queries per page do not grow with the rows shown (issue 9).

Each page is loaded over a small and a large cache; the query count must be the same, and under
a ceiling so that a new N+1 (a query per row, per FAQ item, per group card) fails here first.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistants.cache.services import assistants_sync
from assistants.models import Assistant

pytestmark = pytest.mark.django_db

# Session, user, role, the count and the rows, the cache state (twice), the pending total, the
# models and the voices in use (the filter bar's choices, issue 19), and the navigation's count
# of running jobs.
LIST_MAX = 11
OVERVIEW_MAX = 7
# The editor also refreshes the cache from its fresh read (one assistant and its FAQ index).
EDITOR_MAX = 13
# The queue: its rows, their count, the per-assistant counts, the questions this person
# skipped for now, the bulk jobs running, and the rest of a page.
QUEUE_MAX = 13
EDITED_GROUPS = ("general", "voice", "retry", "faq")


def seed(revox, *, assistants: int, faqs: int) -> None:
    revox.reset({"assistants": assistants, "faqs_per_assistant": faqs, "pending_ratio": 0.5,
                 "prompt_bytes": 300})  # fmt: skip
    assistants_sync()


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[-2000:]
    return len(captured)


@pytest.mark.parametrize("path", ["/assistants/", "/assistants/?q=hotel",
                                  "/assistants/?provider=cartesia&pending=1&sort=-updated"])  # fmt: skip
def test_the_list_queries_the_same_for_13_and_120_assistants(revox, viewer_client, path,
                                                             django_assert_max_num_queries):  # fmt: skip
    seed(revox, assistants=13, faqs=2)
    small = queries(viewer_client, path)
    seed(revox, assistants=120, faqs=2)
    assert Assistant.objects.count() == 120
    large = queries(viewer_client, path)
    assert large == small
    with django_assert_max_num_queries(LIST_MAX):
        viewer_client.get(path)


def test_the_overview_queries_the_same_for_3_and_30_faq_items(revox, viewer_client,
                                                               django_assert_max_num_queries):  # fmt: skip
    counts = []
    for faqs in (3, 30):
        seed(revox, assistants=2, faqs=faqs)
        assistant = Assistant.objects.order_by("pk").first()
        assert assistant.faq_count == faqs
        counts.append(queries(viewer_client, f"/assistants/{assistant.revox_id}/"))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(OVERVIEW_MAX):
        viewer_client.get(f"/assistants/{assistant.revox_id}/")


@pytest.mark.parametrize("group", EDITED_GROUPS)
def test_an_editor_queries_the_same_for_3_and_30_faq_items(revox, editor_client, group,
                                                           django_assert_max_num_queries):  # fmt: skip
    counts = []
    for faqs in (3, 30):
        seed(revox, assistants=2, faqs=faqs)
        assistant = Assistant.objects.order_by("pk").first()
        counts.append(queries(editor_client, f"/assistants/{assistant.revox_id}/edit/{group}/"))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(EDITOR_MAX):
        editor_client.get(f"/assistants/{assistant.revox_id}/edit/{group}/")


def test_the_faq_review_queue_queries_the_same_for_13_and_120_assistants(
    revox, viewer_client, django_assert_max_num_queries
):
    seed(revox, assistants=13, faqs=4)
    small = queries(viewer_client, "/faq-review/")
    seed(revox, assistants=120, faqs=4)
    large = queries(viewer_client, "/faq-review/")
    assert large == small
    with django_assert_max_num_queries(QUEUE_MAX):
        viewer_client.get("/faq-review/")
