"""POST /call/search over the calls placed and the seeded call history: every filter, paging
and sort of the SDK's CallSearchParams; and the demo's history itself — weeks of past calls
per assistant, made by the configurations then in force, one change better, one worse."""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections import Counter
from typing import Any

import pytest

from sandbox import callplan, demo, history, model
from sandbox.server import start_in_thread
from tests.sandbox.conftest import SEARCH_ALL, Api, fields_of
from tests.sandbox.test_sandbox_calls import RETRY_HOURLY, script, wait_for

DAY_MS = 86_400_000


def search(api: Api, **params: Any) -> tuple[list[dict], int]:
    response = api.post("/call/search", json={**SEARCH_ALL, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    return body["calls"], body["total_count"]


def ids(calls: list[dict]) -> list[str]:
    return [call["id"] for call in calls]


@pytest.fixture
def placed(api: Api) -> dict[str, dict]:
    """Four calls placed now: two answered (one of them by another assistant, from another
    number), one busy all the way, one still ringing."""
    first = api.create(call_retry_config={**RETRY_HOURLY, "max_retry_attempts": 1})
    second = api.create(name="Other", call_retry_config=RETRY_HOURLY)
    script(api, "+14155550001", duration_ms=100, outcome="interested")
    script(api, "+14155550002", duration_ms=100, outcome="not_interested")
    script(api, "+14155550003", attempts=["busy"], duration_ms=100)
    script(api, "+14155550004", duration_ms=600_000)
    calls = {}
    for name, number, assistant, extra in (
        ("interested", "+14155550001", first, {"metadata": {"crm": "lead-77"}}),
        ("refused", "+14155550002", second, {"from_phone_number": "+14155559999"}),
        ("busy", "+14155550003", first, {}),
        ("ringing", "+14155550004", first, {}),
    ):
        response = api.post(
            "/call", json={"phone_number": number, "assistant_id": assistant["id"], **extra}
        )
        assert response.status_code == 200, response.text
        calls[name] = response.json()["call"]
        time.sleep(0.005)  # distinct creation times, in this order
    for name in ("interested", "refused", "busy"):
        calls[name] = wait_for(api, calls[name]["id"], "completed")
    calls["ringing"] = wait_for(api, calls["ringing"]["id"], "calling")
    calls["first"], calls["second"] = first, second
    return calls


def test_it_finds_every_call_newest_first(api, placed):
    calls, total = search(api)
    assert total == 4
    assert ids(calls) == [placed[n]["id"] for n in ("ringing", "busy", "refused", "interested")]
    calls, _ = search(api, sort_direction="asc")
    assert ids(calls)[0] == placed["interested"]["id"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"statuses": ["calling"]}, ["ringing"]),
        ({"statuses": ["completed", "calling"]}, ["ringing", "busy", "refused", "interested"]),
        ({"outcomes": ["interested"]}, ["interested"]),
        ({"outcomes": ["none"]}, ["ringing", "busy"]),
        ({"results": ["human"]}, ["refused", "interested"]),
        ({"results": ["none"]}, ["ringing", "busy"]),
        ({"from_phone_numbers": ["+14155559999"]}, ["refused"]),
        ({"to_phone_number": "+14155550003"}, ["busy"]),
        ({"query": "LEAD-77"}, ["interested"]),
        ({"query": "not interested"}, ["refused"]),
        ({"directions": ["outbound"]}, ["ringing", "busy", "refused", "interested"]),
        ({"directions": ["inbound"]}, []),
        ({"campaign_ids": ["any"]}, []),
        ({"assignee_ids": ["any"]}, []),
    ],
)
def test_each_filter_narrows_the_calls(api, placed, params, expected):
    calls, total = search(api, **params)
    assert ids(calls) == [placed[name]["id"] for name in expected]
    assert total == len(expected)


def test_filters_by_assistant_and_call_id(api, placed):
    calls, _ = search(api, assistant_ids=[placed["second"]["id"]])
    assert ids(calls) == [placed["refused"]["id"]]
    wanted = [placed["busy"]["id"], placed["interested"]["id"], "nope"]
    assert ids(search(api, call_ids=wanted)[0]) == wanted[:2]


def test_pages_do_not_overlap_and_count_everything(api, placed):
    pages = [search(api, page=page, page_size=3) for page in (1, 2, 3)]
    assert [len(calls) for calls, _ in pages] == [3, 1, 0]
    assert {total for _, total in pages} == {4}
    assert ids(pages[0][0] + pages[1][0]) == ids(search(api)[0])


def test_it_sorts_by_other_fields(api, placed):
    calls, _ = search(api, sort_by="to_phone_number", sort_direction="asc")
    assert [c["to_phone_number"] for c in calls] == sorted(c["to_phone_number"] for c in calls)
    calls, _ = search(api, sort_by="outcome", sort_direction="desc")
    assert [c["outcome"] for c in calls][:2] == ["not_interested", "interested"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"outcomes": ["do_not_contact"]}, "outcomes.0"),
        ({"statuses": ["done"]}, "statuses.0"),
        ({"results": ["Human"]}, "results.0"),
        ({"directions": "outbound"}, "directions"),
        ({"sort_by": "colour"}, "sort_by"),
        ({"sort_direction": "up"}, "sort_direction"),
        ({"page": None}, "page"),
    ],
)
def test_a_bad_search_is_refused_field_by_field(api, change, path):
    body = {**SEARCH_ALL, **change}
    assert path in fields_of(api.post("/call/search", json=body))


def test_every_list_and_the_page_are_required(api):
    fields = fields_of(api.post("/call/search", json={}))
    assert {k for k, v in fields.items() if v == ["required"]} == {
        "assignee_ids", "assistant_ids", "campaign_ids", "directions", "from_phone_numbers",
        "outcomes", "page", "page_size", "results", "statuses",
    }  # fmt: skip


# --- the demo's call history ---------------------------------------------------------------------


def test_the_demo_has_weeks_of_past_calls_for_each_assistant(api):
    api.reset("demo")
    now = model.parse_timestamp(api.control("GET", "/clock").json()["now"])
    listed = api.get("/assistants").json()["assistants"]
    for assistant in listed:
        calls, total = search(api, assistant_ids=[assistant["id"]], page_size=100)
        assert 40 <= total <= 400, (assistant["name"], total)
        oldest, _ = search(api, assistant_ids=[assistant["id"]], sort_direction="asc", page_size=1)
        created = [model.parse_timestamp(c["created_at"]) for c in calls + oldest]
        assert now - min(created) > 21 * DAY_MS  # weeks of them
        assert max(created) < now  # all in the past, and all over
        assert {c["status"] for c in calls} <= {"completed", "errored"}
        assert {c["assistant"]["id"] for c in calls} == {assistant["id"]}
        # The newest calls ran with the configuration the assistant has now.
        assert calls[0]["assistant"] == assistant
    _, total = search(api)
    assert total == sum(history.DEMO_CALLS[: len(listed)])


def test_each_demo_assistant_changed_three_times_in_a_visible_field(api):
    api.reset("demo")
    calls, _ = search(api, assistant_ids=[demo.DENTAL], sort_direction="asc")
    calls += search(api, assistant_ids=[demo.DENTAL], sort_direction="asc", page=2)[0]
    calls += search(api, assistant_ids=[demo.DENTAL], sort_direction="asc", page=3)[0]
    versions = []
    for call in calls:
        config = call["assistant"]
        seen = (config["updated_at"], config["first_sentence"], str(config["llm_model"]),
                config["voice"]["speed"])  # fmt: skip
        if not versions or versions[-1] != seen:
            versions.append(seen)
    assert len(versions) == 4
    assert len({v[0] for v in versions}) == 4  # each version has its own updated_at, in order
    assert [v[0] for v in versions] == sorted(v[0] for v in versions)
    changed = [
        name
        for old, new in itertools.pairwise(versions)
        for name, a, b in zip(("first", "llm", "speed"), old[1:], new[1:], strict=True)
        if a != b
    ]
    assert sorted(changed) == ["first", "llm", "speed"]  # one field per change


def answered_success(api: Api, assistant_id: str) -> dict[str, float]:
    """By first sentence and model: the share of answered calls that went well."""
    shares: dict[tuple, Counter] = {}
    page = 1
    while True:
        calls, _ = search(
            api, assistant_ids=[assistant_id], results=["human"], page=page, page_size=100
        )
        if not calls:
            break
        for call in calls:
            version = call["assistant"]["updated_at"]
            shares.setdefault(version, Counter())[call["outcome"]] += 1
        page += 1
    return {
        version: (counts["interested"] + counts["completed"]) / sum(counts.values())
        for version, counts in sorted(shares.items())
    }


def test_the_better_change_is_better_and_the_worse_one_worse(api):
    response = api.control("POST", "/reset", json={"seed": "demo", "calls_per_assistant": 1200})
    assert response.json()["calls"] == 1200 * 13
    for index, assistant_id in enumerate([demo.DENTAL, demo.PAYMENTS, demo.REAL_ESTATE]):
        shares = list(answered_success(api, assistant_id).values())
        order = history.ORDERS[index % 3]
        for step, kind in enumerate(order):
            ratio = shares[step + 1] / shares[step]
            if kind == "first_sentence":
                assert ratio > 1.5, (assistant_id, shares)
            elif kind == "llm_model":
                assert ratio < 0.65, (assistant_id, shares)
            else:
                assert 0.8 < ratio < 1.25, (assistant_id, shares)


def test_a_history_call_reads_like_any_other(api):
    api.reset("demo")
    calls, _ = search(api, assistant_ids=[demo.DENTAL], results=["human"], page_size=5)
    for call in calls:
        assert api.get(f"/call/{call['id']}").json()["call"] == call
        attempt = call["last_call_attempt"]
        assert attempt["transcript"] and attempt["recording_url"]
        assert call["outcome"] and call["outcome_summary"]
        assert api.post(f"/call/{call['id']}/cancel").json() == {"success": False}
    assert api.get(f"/call/{calls[0]['id'][:-1]}x").status_code == 404


def test_the_history_is_the_same_after_each_reset(api):
    api.reset("demo")
    first = search(api, page_size=20)[0]
    api.reset("demo")
    again = search(api, page_size=20)[0]
    assert ids(first) == ids(again)
    assert [c["outcome"] for c in first] == [c["outcome"] for c in again]


def test_sorting_by_when_a_call_last_changed_matches_what_the_calls_say(api):
    api.reset("demo")
    calls, _ = search(api, sort_by="updated_at", assistant_ids=[demo.HOTEL], page_size=100)
    stamps = [c["updated_at"] for c in calls]
    assert stamps == sorted(stamps, reverse=True)


def test_a_new_call_comes_first_among_the_history(api):
    api.reset("demo")
    script(api, duration_ms=100)
    call = api.post(
        "/call", json={"phone_number": "+14155550123", "assistant_id": demo.DENTAL}
    ).json()["call"]
    calls, total = search(api, assistant_ids=[demo.DENTAL], page_size=1)
    assert ids(calls) == [call["id"]] and total == history.DEMO_CALLS[0] + 1


def test_a_generated_seed_can_have_a_large_history(api):
    seed = {"assistants": 40, "faqs_per_assistant": 2, "calls_per_assistant": 500}
    assert api.reset(seed).json() == {"assistants": 40, "calls": 20_000}
    calls, total = search(api, outcomes=["interested"], page_size=100, page=3)
    assert total > 1000 and {c["outcome"] for c in calls} == {"interested"}
    one = calls[0]["assistant"]["id"]
    made_by = set()
    for page in range(1, 6):
        made_by |= {
            (
                c["assistant"]["updated_at"],
                c["assistant"]["first_sentence"],
                str(c["assistant"]["llm_model"]),
            )
            for c in search(api, assistant_ids=[one], page=page)[0]
        }
    assert len(made_by) == 4 and len({when for when, _, _ in made_by}) == 4
    assert api.reset({"assistants": 40}).json()["calls"] == 0  # none unless asked for
    assert "calls_per_assistant" in fields_of(
        api.control("POST", "/reset", json={"seed": "demo", "calls_per_assistant": -1})
    )


def test_the_history_is_kept_with_the_data_file(tmp_path):
    data = tmp_path / "sandbox.sqlite3"

    def shown(api: Api) -> list[tuple]:
        calls, total = search(api, page_size=50)
        return [(c["id"], c["created_at"], c["outcome"], c["assistant"]) for c in calls], total

    with start_in_thread(seed="demo", data=data, calls_per_assistant=30) as first:
        kept = shown(Api(first))
    with start_in_thread(seed="empty", data=data) as second:
        assert shown(Api(second)) == kept
    assert kept[1] == 30 * 13


def test_a_data_file_from_before_calls_gets_the_seeds_history(tmp_path):
    data = tmp_path / "sandbox.sqlite3"
    with start_in_thread(seed="demo", data=data) as first:
        Api(first).patch(f"/assistants/{demo.DENTAL}", json={"first_sentence": "Edited!"})
    with sqlite3.connect(data) as db:  # as a sandbox from before calls left it
        db.execute("DROP TABLE calls")
        db.execute("DROP TABLE call_history")
    with start_in_thread(seed="demo", data=data) as second:
        api = Api(second)
        assert api.get(f"/assistants/{demo.DENTAL}").json()["first_sentence"] == "Edited!"
        calls, total = search(api, assistant_ids=[demo.DENTAL], page_size=1)
        assert total == history.DEMO_CALLS[0]
        assert calls[0]["assistant"]["first_sentence"] != "Edited!"  # made before the edit


@pytest.mark.parametrize(
    "query", ["maria", "CALLED BACK", "harbor realty", "+1415555", "99", "zzz"]
)
def test_searching_the_history_finds_what_its_calls_show(api, query):
    api.reset("demo")
    every = []
    for page in (1, 2, 3):
        every += search(api, assistant_ids=[demo.REAL_ESTATE], page=page)[0]
    assert len(every) == history.DEMO_CALLS[2]

    def shows(call: dict) -> bool:
        text = " ".join([call["to_phone_number"], call["from_phone_number"],
                         call["outcome_summary"] or "", call["assistant"]["name"]])  # fmt: skip
        return query.lower() in text.lower()

    found, total = search(api, assistant_ids=[demo.REAL_ESTATE], query=query)
    assert ids(found) == [call["id"] for call in every if shows(call)][:100]
    assert total == sum(1 for call in every if shows(call))


def test_what_search_knows_of_a_history_call_is_what_the_call_says():
    """The columns search filters and sorts on are drawn apart from the calls themselves
    (history._ended mirrors callplan's timeline): every one of them agrees."""
    now = int(time.time() * 1000)
    past = history.History(demo.assistants(), anchor_ms=now, calls_per_assistant=100)
    for position in range(len(past)):
        call = callplan.render(past.plan(position), now, "http://sandbox/recordings")
        last = call["last_call_attempt"]
        assert past.row(position) == (
            model.parse_timestamp(call["created_at"]),
            call["id"],
            call["assistant"]["id"],
            call["status"],
            call["outcome"],
            last["result"] if last else None,
            call["from_phone_number"],
            call["to_phone_number"],
            "",
            model.parse_timestamp(call["updated_at"]),
            model.parse_timestamp(call["scheduled_at"]),
        )
