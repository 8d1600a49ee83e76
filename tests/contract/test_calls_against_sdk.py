"""Calls, through the official SDK: every answer of POST /call, GET /call/{id},
POST /call/{id}/cancel and POST /call/search, in every status a call goes through and over the
demo's call history, is exactly what the SDK's response models describe (strict types, no key
they do not know); and the sandbox refuses a body where the SDK's `CallCreateParams` and
`CallSearchParams` do."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
import revox as revox_sdk
from revox.types import (
    CallCancelResponse,
    CallCreateParams,
    CallCreateResponse,
    CallRetrieveResponse,
    CallSearchParams,
    CallSearchResponse,
)

from sandbox import demo
from tests.contract.sdk_contract import validate_answer, validate_body
from tests.sandbox.conftest import SEARCH_ALL

NUMBER = "+14155550123"
# Scripted calls last minutes on the sandbox's clock, read a second of it at a time.
DURATION_MS = 300_000
STEP_MS = 1_000


def answer(raw: Any) -> dict:
    assert raw.http_response.headers["content-type"].startswith("application/json")
    return raw.http_response.json()


def statuses_through_the_sdk(sdk: revox_sdk.Revox, revox, call_id: str, until: str) -> list[str]:
    """Read the call until it reaches `until`, holding every answer to the SDK's model. The
    sandbox's clock is moved a small step after each read (the calls here last minutes), so no
    state is skipped however slowly the machine answers."""
    seen: list[str] = []
    for _ in range(400):
        raw = answer(sdk.call.with_raw_response.retrieve(call_id))
        validate_answer(CallRetrieveResponse, raw)
        status = raw["call"]["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == until:
            return seen
        revox.advance_clock(STEP_MS)
    raise AssertionError(f"never reached {until}: {seen}")


def test_every_status_of_an_answered_call_is_what_the_sdk_describes(sdk, demo_revox):
    demo_revox.script_call(NUMBER, attempts=["answered"], duration_ms=DURATION_MS)
    created = answer(
        sdk.call.with_raw_response.create(
            phone_number=NUMBER,
            assistant_id=demo.DENTAL,
            prompt_variables={"first_name": "Ann"},
            metadata={"ticket": "T-1"},
            skip_calling_window=True,
            from_phone_number="+14155550999",
            concurrency={"key": "tests"},
        )
    )
    validate_answer(CallCreateResponse, created)
    seen = statuses_through_the_sdk(sdk, demo_revox, created["call"]["id"], "completed")
    assert {"calling", "post_processing", "completed"} <= set(seen)
    # The SDK's own parsing reads what a finished call carries.
    call = sdk.call.retrieve(created["call"]["id"]).call
    assert call.last_call_attempt.result == "human"
    assert call.last_call_attempt.recording_url.endswith(".wav")
    assert call.outcome in ("interested", "not_interested", "completed", "requested_callback_later")
    assert call.assistant.id == demo.DENTAL and call.metadata == {"ticket": "T-1"}
    assert call.from_phone_number == "+14155550999"


@pytest.mark.parametrize(
    ("attempts", "until"),
    [(["busy", "answered"], "scheduled"), (["voicemail"], "scheduled"), (["error"], "errored")],
)
def test_calls_that_reach_nobody_are_what_the_sdk_describes(sdk, demo_revox, attempts, until):
    demo_revox.script_call(NUMBER, attempts=attempts, duration_ms=DURATION_MS)
    created = answer(
        sdk.call.with_raw_response.create(
            phone_number=NUMBER, assistant_id=demo.PHARMACY, skip_calling_window=True
        )
    )
    validate_answer(CallCreateResponse, created)
    statuses_through_the_sdk(sdk, demo_revox, created["call"]["id"], until)
    demo_revox.advance_clock(3 * 24 * 3_600_000)
    final = answer(sdk.call.with_raw_response.retrieve(created["call"]["id"]))
    validate_answer(CallRetrieveResponse, final)
    assert final["call"]["status"] in ("completed", "errored")


def test_cancelled_scheduled_and_never_launched_calls_are_what_the_sdk_describes(sdk, demo_revox):
    scheduled = answer(
        sdk.call.with_raw_response.create(
            phone_number=NUMBER, assistant_id=demo.INSURANCE, scheduled_at="2031-01-01T10:00:00Z"
        )
    )
    validate_answer(CallCreateResponse, scheduled)
    assert scheduled["call"]["status"] == "scheduled"
    cancelled = answer(sdk.call.with_raw_response.cancel(scheduled["call"]["id"]))
    validate_answer(CallCancelResponse, cancelled)
    assert cancelled == {"success": True}
    validate_answer(
        CallCancelResponse, answer(sdk.call.with_raw_response.cancel(scheduled["call"]["id"]))
    )
    after = answer(sdk.call.with_raw_response.retrieve(scheduled["call"]["id"]))
    validate_answer(CallRetrieveResponse, after)
    assert after["call"]["status"] == "cancelled"

    inline = {
        "prompt": "You are a test.",
        "first_sentence": "Hi!",
        "call_retry_config": {
            "calling_windows": [],
            "max_retry_attempts": 1,
            "allowed_days": [],
            "call_twice_in_a_row": False,
        },
    }
    never = answer(sdk.call.with_raw_response.create(phone_number=NUMBER, assistant=inline))
    validate_answer(CallCreateResponse, never)
    assert never["call"]["status"] == "not_launched"
    with pytest.raises(revox_sdk.NotFoundError):
        sdk.call.retrieve("no-such-call")


def test_every_demo_assistant_can_be_called_and_its_calls_are_what_the_sdk_describes(
    sdk, demo_revox
):
    demo_revox.script_call(attempts=["answered"], duration_ms=100, times=20)
    ids = []
    for assistant in sdk.assistants.list().assistants:
        created = sdk.call.with_raw_response.create(
            phone_number=NUMBER, assistant_id=assistant.id, skip_calling_window=True
        )
        ids.append(answer(created)["call"]["id"])
    for call_id in ids:
        statuses_through_the_sdk(sdk, demo_revox, call_id, "completed")


GOOD_CALL = {
    "phone_number": NUMBER,
    "assistant": {
        "prompt": "You are a test.",
        "first_sentence": "Hello!",
        "voice": {"id": "6513270e-269e-4d37-b2a7-4de452e6b438", "provider": "cartesia"},
        "structured_output_config": [{"name": "n", "required": True, "type": "string"}],
    },
    "prompt_variables": {"first_name": "Ann"},
    "metadata": {"k": "v"},
    "scheduled_at": "2031-01-01T10:00:00Z",
    "skip_calling_window": True,
    "from_phone_number": "+14155550999",
    "concurrency": {"key": "k"},
}


def test_a_good_call_body_passes_both(revox):
    validate_body(CallCreateParams, GOOD_CALL)
    assert revox.http.post(f"{revox.api_url}/call", json=GOOD_CALL, timeout=5).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"phone_number": None},
        {"metadata": {"k": 1}},
        {"prompt_variables": ["a"]},
        {"skip_calling_window": "yes"},
        {"colour": "red"},
        {"concurrency": {}},
        {"assistant": {"first_sentence": "no prompt"}},
        {"assistant": {"prompt": "x", "name": "not in the SDK's inline assistant"}},
        {"assistant": {"prompt": "x", "voice": {"provider": "cartesia"}}},
        {"assistant": {"prompt": "x", "first_sentence": None}},
    ],
)
def test_a_bad_call_body_is_refused_by_both(revox, change):
    assert_refused_by_both(revox, "/call", CallCreateParams, {**GOOD_CALL, **change})


def assert_refused_by_both(revox, path: str, params_type, body: dict[str, Any]) -> None:
    """The SDK's `params_type` refuses `body` and so does the sandbox, with a 400. A None at
    the top level takes the key out of the body."""
    body = {key: value for key, value in body.items() if value is not None}
    with pytest.raises(pydantic.ValidationError):
        validate_body(params_type, body)
    response = revox.http.post(f"{revox.api_url}{path}", json=body, timeout=5)
    assert response.status_code == 400, response.text


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": 3, "sort_direction": "asc"},
        {"assistant_ids": [demo.INSURANCE], "results": ["voicemail", "none"]},
        {"outcomes": ["interested"], "statuses": ["completed"], "sort_by": "updated_at"},
        {"directions": ["outbound"], "query": "called back", "page_size": 7},
        {"to_phone_number": "+14155550123", "call_ids": ["x"]},
    ],
)
def test_every_search_answer_is_what_the_sdk_describes(sdk, demo_revox, params):
    demo_revox.script_call(NUMBER, duration_ms=100)
    sdk.call.create(phone_number=NUMBER, assistant_id=demo.HOTEL, skip_calling_window=True)
    body = {**SEARCH_ALL, **params}
    validate_body(CallSearchParams, body)
    raw = answer(sdk.call.with_raw_response.search(**body))
    parsed = validate_answer(CallSearchResponse, raw)
    assert len(parsed.calls) <= body["page_size"]
    if not params:
        assert parsed.total_count > 1000 and len(parsed.calls) == 100


@pytest.mark.parametrize(
    "change",
    [
        {"page": "1"},
        {"outcomes": ["do_not_contact"]},
        {"statuses": ["done"]},
        {"results": "human"},
        {"sort_direction": "up"},
        {"campaign_ids": None},
        {"colour": "red"},
    ],
)
def test_a_bad_search_body_is_refused_by_both(revox, change):
    assert_refused_by_both(revox, "/call/search", CallSearchParams, {**SEARCH_ALL, **change})
