"""The local call record against the sandbox: filled newest first down to what it knows, calls in
progress read again, a refresh cut short losing nothing and finished by the next, odd calls kept
and shown."""

from __future__ import annotations

import pytest

from assistants.cache.services import assistants_sync
from assistants.calls.models import Call, CallConfiguration, CallSyncState
from assistants.calls.refresh import calls_refresh, calls_store
from assistants.models import Assistant
from assistants.revox import RevoxError, get_client
from tests.calls.test_place import NUMBER

PER_ASSISTANT = 20  # 13 listed demo assistants: 260 calls, three pages


@pytest.fixture
def small_history(revox, db):
    revox.http.post(
        f"{revox.url}/__sandbox__/reset",
        json={"seed": "demo", "calls_per_assistant": PER_ASSISTANT},
        timeout=30,
    ).raise_for_status()
    assistants_sync()
    return revox


def searches(revox) -> list[dict]:
    return [r for r in revox.requests("POST") if r["path"] == "/call/search"]


def sandbox_total(revox) -> int:
    body = {
        "assignee_ids": [], "assistant_ids": [], "campaign_ids": [], "directions": [],
        "from_phone_numbers": [], "outcomes": [], "results": [], "statuses": [],
        "page": 1, "page_size": 1,
    }  # fmt: skip
    return revox.http.post(f"{revox.api_url}/call/search", json=body, timeout=10).json()[
        "total_count"
    ]


def test_a_first_refresh_keeps_every_call_and_the_next_reads_one_page(small_history):
    total = sandbox_total(small_history)
    assert total == 13 * PER_ASSISTANT
    result = calls_refresh()
    assert result.new == total and result.complete
    assert Call.objects.count() == total
    # Each call's assistant is kept once per configuration, not once per call.
    assert "assistant" not in Call.objects.first().data
    assert CallConfiguration.objects.count() < total
    small_history.clear_requests()
    again = calls_refresh()
    assert again.new == 0 and again.complete
    assert len(searches(small_history)) == 1


def test_a_new_call_is_found_and_read_again_until_it_ends(small_history):
    calls_refresh()
    small_history.script_call(NUMBER, duration_ms=60_000, outcome="interested")
    assistant_id = Call.objects.first().assistant_revox_id
    placed = small_history.place_call(assistant_id, NUMBER)
    assert calls_refresh().new == 1
    row = Call.objects.get(revox_id=placed["id"])
    assert not row.final
    small_history.advance_clock(600_000)
    calls_refresh()
    row.refresh_from_db()
    assert row.final and row.status == "completed" and row.outcome == "interested"


def test_revox_failing_mid_refresh_keeps_whole_pages_and_the_next_refresh_finishes(
    small_history, search_fails_after, viewer_client
):
    search_fails_after(1)
    with pytest.raises(RevoxError):
        calls_refresh()
    # The first page whole, nothing of the second.
    assert Call.objects.count() == 100
    state = CallSyncState.get()
    assert state.synced_through is None and state.last_error
    page = viewer_client.get("/calls/").content.decode()
    assert 'id="calls-refresh-error"' in page
    search_fails_after(10_000)
    assert calls_refresh().complete
    assert Call.objects.count() == 13 * PER_ASSISTANT
    assert not CallSyncState.get().last_error


def test_a_walk_cut_short_by_its_budget_goes_on_where_it_stopped(small_history):
    first = calls_refresh(max_pages=1)
    assert not first.complete and Call.objects.count() == 100
    # The top again (for calls made since: none), then pages two and three.
    second = calls_refresh(max_pages=3)
    assert second.complete and second.new == 160
    assert Call.objects.count() == 13 * PER_ASSISTANT


def test_the_refresh_button_brings_the_calls_too(small_history, viewer_client):
    response = viewer_client.post("/assistants/refresh/")
    assert response.status_code == 302
    assert Call.objects.count() == 13 * PER_ASSISTANT


ODD_CALLS = [
    {"id": "odd-status", "status": "teleporting", "call_attempts": "not a list",
     "created_at": "yesterday-ish", "outcome": 42, "assistant": None},
    {"id": "odd-bare"},
    {"id": "odd-attempt", "status": "completed", "call_attempts": [None, {"status": "warping"}],
     "last_call_attempt": {"status": "warping", "result": "robot", "transcript": [{"x": 1}]},
     "assistant": {"id": "nobody", "structured_output_config": "?"}},
]  # fmt: skip


def test_an_odd_call_is_kept_and_shown_as_far_as_it_can_be(db, viewer_client):
    added, _ = calls_store([*ODD_CALLS, {"no": "id"}, "not a call"])
    assert added == 3
    odd = Call.objects.get(revox_id="odd-status")
    assert odd.status == "teleporting" and odd.outcome == "" and odd.created_at is None
    listing = viewer_client.get("/calls/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Teleporting" in page and "odd-bare" in page
    for call in ODD_CALLS:
        response = viewer_client.get(f"/calls/{call['id']}/")
        assert response.status_code == 200, call["id"]
    assert "Warping" in viewer_client.get("/calls/odd-attempt/").content.decode()


def test_the_client_drops_calls_without_an_id_and_keeps_the_rest(small_history):
    found = get_client().search_calls({
        "assignee_ids": [], "assistant_ids": [], "campaign_ids": [], "directions": [],
        "from_phone_numbers": [], "outcomes": ["interested"], "results": [], "statuses": [],
        "page": 1, "page_size": 5,
    })  # fmt: skip
    assert found.total_count and len(found.calls) == 5
    assert {c["outcome"] for c in found.calls} == {"interested"}


def test_a_recorded_call_in_progress_is_followed_on_its_page(small_history, viewer_client):
    small_history.script_call(NUMBER, duration_ms=60_000, outcome="completed")
    assistant_id = Assistant.objects.first().revox_id
    placed = small_history.place_call(assistant_id, NUMBER)
    calls_refresh()
    page = viewer_client.get(f"/calls/{placed['id']}/").content.decode()
    assert 'hx-trigger="every' in page and 'data-status="completed"' not in page
    small_history.advance_clock(600_000)
    live = viewer_client.get(f"/calls/{placed['id']}/", HTTP_HX_REQUEST="true").content.decode()
    assert live.lstrip().startswith('<div class="call-live"') and 'data-status="completed"' in live
    assert Call.objects.get(revox_id=placed["id"]).final
