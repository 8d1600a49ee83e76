"""RevoxClient.iter_assistants: the listing read as it arrives, and what it does when the
answer is cut short, malformed, or not a listing at all."""

from __future__ import annotations

import pytest

from assistants import revox as api
from assistants.revox import get_client


def test_it_yields_every_listed_assistant_in_order(revox):
    created = [revox.create(name=f"Desk {n}", prompt="p" * 3000) for n in range(5)]
    listed = list(get_client().iter_assistants())
    assert listed == revox.list()
    assert [a["id"] for a in listed] == [a["id"] for a in created]


def test_numbers_come_as_json_loads_gives_them(revox):
    revox.faults({"path": "/assistants", "json": {"assistants": [
        {"id": "a", "voice": {"speed": 1.1}, "max_call_duration": 300},
    ]}})  # fmt: skip
    (listed,) = get_client().iter_assistants()
    assert listed["voice"]["speed"] == 1.1 and type(listed["voice"]["speed"]) is float
    assert type(listed["max_call_duration"]) is int


def test_an_empty_listing_yields_nothing(revox):
    assert list(get_client().iter_assistants()) == []


def test_odd_entries_are_skipped(revox):
    revox.faults({"path": "/assistants", "json": {"assistants": [
        {"id": "a"}, "nope", {"name": "no id"}, {"id": 5}, {"id": "b"},
    ]}})  # fmt: skip
    assert [a["id"] for a in get_client().iter_assistants()] == ["a", "b"]


@pytest.mark.parametrize(
    "fault",
    [
        {"json": {"items": []}},
        {"json": []},
        {"json": {"assistants": {}}},
        {"body": "<html>maintenance</html>"},
        {"body": '{"assistants": [{"id": "a"}, {"id": "b"'},  # ends mid-answer, no length lie
    ],
)
def test_an_answer_that_is_not_a_whole_listing_is_an_error(revox, fault):
    revox.faults({"path": "/assistants", **fault})
    with pytest.raises(api.RevoxUnavailable) as failure:
        list(get_client().iter_assistants())
    assert str(failure.value) == api.BAD_RESPONSE_MESSAGE


def test_a_connection_cut_half_way_raises_after_what_arrived(revox):
    for n in range(40):
        revox.create(name=f"Desk {n}", prompt="p" * 4000)
    # Past the first chunks the parser reads (64 KB each), short of the whole (~200 KB).
    revox.faults({"method": "GET", "path": "/assistants", "cut_after_bytes": 150_000, "times": 1})
    received = []
    with pytest.raises(api.RevoxUnavailable) as failure:
        for assistant in get_client().iter_assistants():
            received.append(assistant["id"])
    assert str(failure.value) == api.UNAVAILABLE_MESSAGE
    assert 0 < len(received) < 40
    assert received == [a["id"] for a in revox.list()][: len(received)]


def test_a_failure_before_the_answer_begins_is_retried(revox):
    revox.create(name="Desk")
    revox.faults({"method": "GET", "path": "/assistants", "status": 503, "times": 2})
    revox.clear_requests()
    assert [a["name"] for a in get_client().iter_assistants()] == ["Desk"]
    assert [r["status"] for r in revox.requests("GET")] == [503, 503, 200]


def test_an_error_status_is_the_typed_error(revox, settings):
    settings.REVOX_API_KEY = "wrong-key"
    with pytest.raises(api.RevoxAuthError):
        list(get_client().iter_assistants())
