"""Calls: placed with POST /call, read with GET /call/{id}, cancelled; each one lives through
its statuses on the sandbox's clock, as the call scripts and the assistant's retry plan say.

Scripted calls last a few hundred milliseconds; retries and calling hours are reached by moving
the clock (/__sandbox__/clock), never by waiting."""

from __future__ import annotations

import io
import time
import wave
from typing import Any

import pytest
import requests

from sandbox import callplan, demo
from sandbox.server import start_in_thread
from tests.sandbox.conftest import Api, fields_of

NUMBER = "+14155550123"
HOUR_MS = 3_600_000
RETRY_HOURLY = {
    "calling_windows": [
        {
            "calling_window_start_time": "00:00",
            "calling_window_end_time": "23:59",
            "retry_delay_seconds": 3600,
        }
    ],
    "max_retry_attempts": 3,
    "allowed_days": list(callplan.DAYS),
    "call_twice_in_a_row": False,
    "timezone": "UTC",
}
STRUCTURED = [
    {"name": "patient_name", "required": True, "type": "string", "description": "Full name"},
    {"name": "is_new", "required": True, "type": "boolean"},
    {"name": "visits", "required": False, "type": "number"},
    {"name": "reason", "required": True, "type": "enum", "enum_options": ["pain", "checkup"]},
    {"name": "when", "required": False, "type": "datetime"},
    {"name": "born", "required": False, "type": "date"},
]


def script(api: Api, number: str = NUMBER, **spec: Any) -> None:
    response = api.control("POST", "/call-scripts", json={"phone_number": number, **spec})
    assert response.status_code == 200, response.text


def place(api: Api, **body: Any) -> dict:
    response = api.post("/call", json={"phone_number": NUMBER, **body})
    assert response.status_code == 200, response.text
    return response.json()["call"]


def read(api: Api, call_id: str) -> dict:
    response = api.get(f"/call/{call_id}")
    assert response.status_code == 200, response.text
    return response.json()["call"]


def advance(api: Api, ms: int) -> None:
    response = api.control("POST", "/clock", json={"advance_ms": ms})
    assert response.status_code == 200, response.text


def at_midday(api: Api) -> None:
    """The sandbox's clock moved to a midday (UTC, RETRY_HOURLY's zone), so that retries an hour
    or two apart never meet the calling window's last minute, 23:59, which postpones one to
    midnight: run between 22:59 and 23:00, a test advancing the clock by the hour failed."""
    response = api.control("POST", "/clock", json={"now": "2031-03-04T12:00:00Z"})
    assert response.status_code == 200, response.text


def wait_for(api: Api, call_id: str, *statuses: str, timeout: float = 5) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        call = read(api, call_id)
        if call["status"] in statuses or time.monotonic() > deadline:
            return call
        time.sleep(0.05)


@pytest.fixture
def assistant(api: Api) -> dict:
    return api.create(
        first_sentence="Hello {{first_name}}, Brightsmile Dental here!",
        first_sentence_mode="static",
        end_of_call_sentence="Goodbye from Brightsmile.",
        call_retry_config=RETRY_HOURLY,
        structured_output_config=STRUCTURED,
        faq_items=[
            {"question": "Where are you?", "answer": "Next to the station."},
            {"question": "Do you park cars?", "answer": ""},
        ],
    )


def test_a_call_rings_talks_and_ends_with_what_it_found(api, assistant):
    script(api, attempts=["answered"], duration_ms=600, outcome="interested")
    call = place(api, assistant_id=assistant["id"], prompt_variables={"first_name": "Ann"})
    assert call["status"] in ("queued_for_calling", "calling")
    assert call["to_phone_number"] == NUMBER
    assert call["assistant"]["id"] == assistant["id"]
    seen = {call["status"]}
    lengths = []
    while call["status"] != "completed":
        call = read(api, call["id"])
        seen.add(call["status"])
        if call["call_attempts"]:
            lengths.append(len(call["call_attempts"][0]["transcript"]))
        time.sleep(0.02)
    assert {"calling", "post_processing", "completed"} <= seen
    # The transcript grew while the call was ongoing.
    assert len(set(lengths)) > 2 and lengths == sorted(lengths)

    assert call["calls_count"] == 1 and call["is_completed"] is True
    attempt = call["last_call_attempt"]
    assert attempt == call["call_attempts"][0]
    assert attempt["status"] == "completed" and attempt["result"] == "human"
    assert attempt["answered_at"] and attempt["ended_at"] and attempt["end_reason"]
    lines = [(line["role"], line["content"]) for line in attempt["transcript"]]
    assert lines[0] == ("assistant", "Hello Ann, Brightsmile Dental here!")
    assert lines[-1] == ("assistant", "Goodbye from Brightsmile.")
    assert call["outcome"] == "interested"
    assert call["outcome_summary"].startswith("Ann ")
    assert call["contact"]["first_name"] == "Ann"

    extracted = attempt["structured_output"]
    assert set(extracted) <= {field["name"] for field in STRUCTURED}
    assert len(extracted) >= len(STRUCTURED) - 1  # sometimes one is missing, as on real calls
    kinds = {"string": str, "boolean": bool, "number": int, "enum": str, "date": str}
    for field in STRUCTURED:
        if field["name"] in extracted and field["type"] in kinds:
            assert isinstance(extracted[field["name"]], kinds[field["type"]])
    if "reason" in extracted:
        assert extracted["reason"] in ("pain", "checkup")
    # Each value found was said by the person called.
    said = " ".join(text for role, text in lines if role == "user")
    if "patient_name" in extracted:
        assert extracted["patient_name"] in said


def test_the_transcript_holds_the_faq_answers(api, assistant):
    script(api, duration_ms=300, outcome="completed")
    call = wait_for(api, place(api, assistant_id=assistant["id"])["id"], "completed")
    lines = [(line["role"], line["content"]) for line in call["last_call_attempt"]["transcript"]]
    asked = [text for role, text in lines if text in ("Where are you?", "Do you park cars?")]
    assert asked
    for question in asked:
        reply = lines[lines.index(("user", question)) + 1]
        expected = "Next to the station." if question == "Where are you?" else "I'm not sure"
        assert reply[0] == "assistant" and reply[1].startswith(expected)


def test_the_recording_is_audio_of_the_conversation(api, assistant):
    script(api, duration_ms=300)
    call = place(api, assistant_id=assistant["id"])
    assert call["call_attempts"] == [] or call["call_attempts"][0]["recording_url"] is None
    call = wait_for(api, call["id"], "completed")
    url = call["last_call_attempt"]["recording_url"]
    assert url.startswith(api.sandbox.url + "/recordings/")
    response = requests.get(url, timeout=10)  # no key needed, as with a signed URL
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as recording:
        seconds = recording.getnframes() / recording.getframerate()
    assert seconds > 3  # a whole conversation, not a beep
    missing = requests.get(url.replace(call["id"], "nope"), timeout=10)
    assert missing.status_code == 404


def test_the_same_call_plays_out_the_same_way(api, assistant):
    def transcript_of() -> tuple:
        script(api, duration_ms=200)
        call = wait_for(
            api, place(api, assistant_id=assistant["id"], prompt_variables={"x": "1"})["id"],
            "completed",
        )  # fmt: skip
        attempt = call["last_call_attempt"]
        return attempt["transcript"], attempt["structured_output"], call["outcome"]

    assert transcript_of() == transcript_of()


def test_a_busy_number_is_tried_again_after_the_retry_delay(api, assistant):
    at_midday(api)
    script(api, attempts=["busy", "answered"], duration_ms=200)
    call = place(api, assistant_id=assistant["id"])
    call = wait_for(api, call["id"], "scheduled")
    assert call["status"] == "scheduled"
    [first] = call["call_attempts"]
    assert first["dial_error"] == "busy" and first["answered_at"] is None
    assert first["status"] == "completed" and first["recording_url"] is None
    advance(api, HOUR_MS)
    call = wait_for(api, call["id"], "completed")
    assert call["calls_count"] == 2
    assert [a["result"] for a in call["call_attempts"]] == ["human", None]  # newest first
    gap = callplan.model.parse_timestamp(call["call_attempts"][0]["started_at"]) - (
        callplan.model.parse_timestamp(first["ended_at"])
    )
    assert gap == HOUR_MS


def test_call_twice_in_a_row_redials_at_once(api, assistant):
    retry = {**RETRY_HOURLY, "call_twice_in_a_row": True}
    api.patch(f"/assistants/{assistant['id']}", json={"call_retry_config": retry})
    script(api, attempts=["no_answer", "answered"], duration_ms=200)
    call = wait_for(api, place(api, assistant_id=assistant["id"])["id"], "completed")
    assert [a["dial_error"] for a in call["call_attempts"]] == [None, "no_answer"]


def test_voicemail_every_time_ends_after_the_last_attempt_without_an_outcome(api, assistant):
    api.patch(f"/assistants/{assistant['id']}", json={"voicemail_message": "Call us back!"})
    at_midday(api)
    script(api, attempts=["voicemail"], duration_ms=200)
    call = place(api, assistant_id=assistant["id"])
    for _ in range(3):
        wait_for(api, call["id"], "scheduled", "completed")
        advance(api, HOUR_MS)
    call = wait_for(api, call["id"], "completed")
    assert call["calls_count"] == 3
    for attempt in call["call_attempts"]:
        assert attempt["result"] == "voicemail" and attempt["end_reason"] == "voicemail"
        assert [line["content"] for line in attempt["transcript"]] == ["Call us back!"]
    assert call["outcome"] is None and call["outcome_summary"] is None


def test_an_error_ends_the_call_as_errored(api, assistant):
    script(api, attempts=["error"], duration_ms=200)
    call = wait_for(api, place(api, assistant_id=assistant["id"])["id"], "errored")
    assert call["status"] == "errored" and call["calls_count"] == 1
    assert call["last_call_attempt"]["status"] == "error"
    assert call["last_call_attempt"]["dial_error"] == "non_classified_error"


def test_outside_calling_hours_the_call_waits_unless_told_to_skip_the_window(api, assistant):
    closed = {**RETRY_HOURLY, "allowed_days": ["monday"], "timezone": "Europe/Paris"}
    api.patch(f"/assistants/{assistant['id']}", json={"call_retry_config": closed})
    # A Sunday afternoon in Paris.
    api.control("POST", "/clock", json={"now": "2031-06-01T13:00:00Z"})
    waiting = place(api, assistant_id=assistant["id"])
    assert waiting["status"] == "scheduled" and waiting["call_attempts"] == []
    script(api, duration_ms=200)
    now = place(api, assistant_id=assistant["id"], skip_calling_window=True)
    assert wait_for(api, now["id"], "completed")["status"] == "completed"
    # Monday 00:00 in Paris is Sunday 22:00 UTC: the waiting call dials then.
    api.control("POST", "/clock", json={"now": "2031-06-01T22:00:00Z"})
    assert read(api, waiting["id"])["status"] == "calling"


def test_an_assistant_with_no_calling_days_never_launches(api, assistant):
    never = {**RETRY_HOURLY, "allowed_days": []}
    api.patch(f"/assistants/{assistant['id']}", json={"call_retry_config": never})
    call = place(api, assistant_id=assistant["id"])
    assert call["status"] == "not_launched" and call["call_attempts"] == []


def test_a_scheduled_call_starts_at_its_time(api, assistant):
    call = place(api, assistant_id=assistant["id"], scheduled_at="2031-01-01T10:00:00+00:00")
    assert call["status"] == "scheduled"
    assert call["scheduled_at"] == "2031-01-01T10:00:00.000Z"
    api.control("POST", "/clock", json={"now": "2031-01-01T10:00:01Z"})
    assert read(api, call["id"])["status"] == "calling"


def test_a_call_longer_than_the_maximum_is_cut(api, assistant):
    api.patch(
        f"/assistants/{assistant['id']}",
        json={"max_call_duration_secs": 1, "max_duration_end_message": "Time is up, bye!"},
    )
    script(api, duration_ms=4000)
    call = place(api, assistant_id=assistant["id"])
    advance(api, 10_000)
    call = read(api, call["id"])
    attempt = call["last_call_attempt"]
    assert attempt["end_reason"] == "max_duration" and attempt["ended_by"] == "system"
    assert attempt["transcript"][-1]["content"] == "Time is up, bye!"


def test_cancel_stops_a_ringing_call_and_only_once(api, assistant):
    script(api, duration_ms=60_000)
    call = place(api, assistant_id=assistant["id"])
    response = api.post(f"/call/{call['id']}/cancel")
    assert response.status_code == 200 and response.json() == {"success": True}
    cancelled = read(api, call["id"])
    assert cancelled["status"] == "cancelled" and cancelled["is_cancelled"] is True
    advance(api, HOUR_MS)
    assert read(api, call["id"]) == cancelled  # nothing happens after a cancel
    assert api.post(f"/call/{call['id']}/cancel").json() == {"success": False}
    assert api.post("/call/nope/cancel").status_code == 404
    assert api.get("/call/nope").status_code == 404


def test_cancel_during_the_conversation_keeps_what_was_said(api, assistant):
    script(api, duration_ms=100_000)
    call = place(api, assistant_id=assistant["id"])
    advance(api, 40_000)
    said = read(api, call["id"])["last_call_attempt"]["transcript"]
    assert said
    api.post(f"/call/{call['id']}/cancel")
    attempt = read(api, call["id"])["last_call_attempt"]
    assert attempt["transcript"] == said
    assert attempt["end_reason"] == "client_initiated" and attempt["ended_at"]


def test_a_finished_call_cannot_be_cancelled(api, assistant):
    script(api, duration_ms=100)
    call = wait_for(api, place(api, assistant_id=assistant["id"])["id"], "completed")
    assert api.post(f"/call/{call['id']}/cancel").json() == {"success": False}
    assert read(api, call["id"])["status"] == "completed"


def test_an_inline_assistant_runs_without_touching_the_saved_one(api, assistant):
    inline = {
        "prompt": "You are a test.",
        "first_sentence": "Hi, this is the unsaved version!",
        "first_sentence_mode": "static",
    }
    script(api, duration_ms=200)
    call = place(api, assistant=inline, skip_calling_window=True)
    call = wait_for(api, call["id"], "completed")
    assert call["assistant"]["first_sentence"] == "Hi, this is the unsaved version!"
    assert call["assistant"]["id"] != assistant["id"]
    transcript = call["last_call_attempt"]["transcript"]
    assert transcript[0]["content"] == "Hi, this is the unsaved version!"
    assert api.get(f"/assistants/{assistant['id']}").json() == assistant
    assert [a["id"] for a in api.get("/assistants").json()["assistants"]] == [assistant["id"]]


def test_the_call_keeps_the_configuration_it_ran_with(api, assistant):
    call = place(api, assistant_id=assistant["id"])
    api.patch(f"/assistants/{assistant['id']}", json={"first_sentence": "Changed later"})
    assert read(api, call["id"])["assistant"]["first_sentence"] == assistant["first_sentence"]


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"phone_number": "0612345678"}, "phone_number", "must be an E.164 phone number"),
        ({"phone_number": None}, "phone_number", "must not be null"),
        ({"assistant_id": None}, "assistant_id", "required (or an inline assistant)"),
        ({"assistant": {"prompt": "x"}}, "assistant", "give either assistant_id or assistant"),
        ({"assistant_id": "nope"}, "assistant_id", "no such assistant"),
        ({"metadata": {"n": 1}}, "metadata.n", "must be a string"),
        ({"prompt_variables": []}, "prompt_variables", "must be an object"),
        ({"scheduled_at": "tomorrow"}, "scheduled_at", "must be an ISO 8601 date and time"),
        ({"skip_calling_window": "yes"}, "skip_calling_window", "must be a boolean"),
        ({"from_phone_number": "+0"}, "from_phone_number", "must be an E.164 phone number"),
        ({"colour": "red"}, "colour", "unknown field"),
    ],
)
def test_a_bad_call_is_refused_field_by_field(api, assistant, body, path, message):
    full = {"phone_number": NUMBER, "assistant_id": assistant["id"], **body}
    fields = fields_of(api.post("/call", json=full))
    assert any(m.startswith(message) for m in fields[path]), fields


@pytest.mark.parametrize(
    ("inline", "path", "message"),
    [
        ({"first_sentence": "Hi"}, "assistant.prompt", "required"),
        ({"prompt": "x", "name": "Named"}, "assistant.name", "unknown field"),
        ({"prompt": "x", "id": "a"}, "assistant.id", "read-only field"),
        ({"prompt": "x", "voice": {"provider": "cartesia"}}, "assistant.voice.id", "required"),
    ],
)
def test_an_inline_assistant_is_checked_like_a_create(api, inline, path, message):
    fields = fields_of(api.post("/call", json={"phone_number": NUMBER, "assistant": inline}))
    assert message in fields[path]


def test_a_refused_call_leaves_the_script_for_the_next_one(api, assistant):
    script(api, attempts=["busy"], duration_ms=100)
    api.post("/call", json={"phone_number": NUMBER})
    scripts = api.control("GET", "/call-scripts").json()["call_scripts"]
    assert scripts == {NUMBER: [{"attempts": ["busy"], "duration_ms": 100}]}
    call = wait_for(api, place(api, assistant_id=assistant["id"])["id"], "scheduled")
    assert call["last_call_attempt"]["dial_error"] == "busy"
    assert api.control("GET", "/call-scripts").json()["call_scripts"] == {}


def test_scripts_are_used_in_order_and_the_catch_all_last(api, assistant):
    script(api, "*", attempts=["error"], duration_ms=100, times=2)
    script(api, attempts=["busy"], duration_ms=100)
    first = wait_for(api, place(api, assistant_id=assistant["id"])["id"], "scheduled")
    second = wait_for(api, place(api, assistant_id=assistant["id"])["id"], "errored")
    other = place(api, assistant_id=assistant["id"], phone_number="+33612345678")
    assert first["last_call_attempt"]["dial_error"] == "busy"
    assert second["status"] == "errored"
    assert wait_for(api, other["id"], "errored")["status"] == "errored"
    assert api.control("DELETE", "/call-scripts").json() == {"call_scripts": {}}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"attempts": ["answered"]}, "phone_number"),
        ({"phone_number": "123"}, "phone_number"),
        ({"phone_number": NUMBER, "attempts": []}, "attempts"),
        ({"phone_number": NUMBER, "attempts": ["hung_up"]}, "attempts.0"),
        ({"phone_number": NUMBER, "duration_ms": 0}, "duration_ms"),
        ({"phone_number": NUMBER, "outcome": "do_not_contact"}, "outcome"),
        ({"phone_number": NUMBER, "times": 0}, "times"),
    ],
)
def test_a_bad_script_is_refused(api, body, path):
    assert path in fields_of(api.control("POST", "/call-scripts", json=body))


def test_the_clock_moves_forward_only_and_a_reset_puts_it_back(api):
    before = api.control("GET", "/clock").json()
    assert before["offset_ms"] == 0
    moved = api.control("POST", "/clock", json={"advance_ms": HOUR_MS}).json()
    assert HOUR_MS <= moved["offset_ms"] < HOUR_MS + 1000
    back = api.control("POST", "/clock", json={"now": "2001-01-01T00:00:00Z"}).json()
    assert back["offset_ms"] == moved["offset_ms"]  # never backwards
    assert "advance_ms" in fields_of(api.control("POST", "/clock", json={}))
    api.reset("empty")
    assert api.control("GET", "/clock").json()["offset_ms"] == 0


def test_the_request_log_shows_each_call_placed(api, assistant):
    api.control("DELETE", "/requests")
    place(api, assistant_id=assistant["id"])
    place(api, assistant_id=assistant["id"])
    posts = [r for r in api.control("GET", "/requests").json()["requests"] if r["path"] == "/call"]
    assert [(r["method"], r["status"]) for r in posts] == [("POST", 200), ("POST", 200)]
    assert posts[0]["body_keys"] == ["assistant_id", "phone_number"]


def test_a_reset_forgets_the_calls(api, assistant):
    call = place(api, assistant_id=assistant["id"])
    api.reset("empty")
    assert api.get(f"/call/{call['id']}").status_code == 404


def test_calls_are_kept_in_the_data_file(tmp_path):
    data = tmp_path / "sandbox.sqlite3"
    with start_in_thread(seed="demo", data=data) as first:
        client = Api(first)
        call = place(client, assistant_id=demo.DENTAL, skip_calling_window=True)
        client.post(f"/call/{call['id']}/cancel")
        kept = read(client, call["id"])
    with start_in_thread(seed="empty", data=data) as second:
        assert read(Api(second), call["id"]) == kept


def test_a_call_placed_while_the_answer_is_lost_is_placed_once(api, assistant):
    """What a client must never retry: Revox placed the call, the client heard nothing."""
    api.faults({"method": "POST", "path": "/call", "drop": True, "apply": True, "times": 1})
    with pytest.raises(requests.ConnectionError):
        api.post("/call", json={"phone_number": NUMBER, "assistant_id": assistant["id"]})
    log = api.control("GET", "/requests").json()["requests"]
    assert [(r["method"], r["path"], r["status"]) for r in log if r["path"] == "/call"] == [
        ("POST", "/call", None)
    ]
    body = {
        "assignee_ids": [], "assistant_ids": [assistant["id"]], "campaign_ids": [],
        "directions": [], "from_phone_numbers": [], "outcomes": [], "results": [],
        "statuses": [], "page": 1, "page_size": 10,
    }  # fmt: skip
    found = api.post("/call/search", json=body).json()
    assert found["total_count"] == 1 and found["calls"][0]["to_phone_number"] == NUMBER


def test_a_script_can_say_which_fields_go_uncaptured(api, assistant):
    script(api, duration_ms=100, outcome="completed", missing_fields=["patient_name"])
    call = wait_for(api, place(api, assistant_id=assistant["id"])["id"], "completed")
    extracted = call["last_call_attempt"]["structured_output"]
    assert set(extracted) == {field["name"] for field in STRUCTURED} - {"patient_name"}
    said = [line["content"] for line in call["last_call_attempt"]["transcript"]]
    assert "Could you tell me: full name?" in said  # asked, but not answered
    assert "Hmm, I'd rather not say right now." in said


def test_a_generated_first_sentence_greets_for_the_company(api):
    made = api.create(name="Northwind – Reminders", first_sentence_mode="generated",
                      first_sentence="Greet them.", call_retry_config=RETRY_HOURLY)  # fmt: skip
    script(api, duration_ms=100)
    call = place(api, assistant_id=made["id"], prompt_variables={"first_name": "Bo"})
    call = wait_for(api, call["id"], "completed")
    first = call["last_call_attempt"]["transcript"][0]["content"]
    assert first == "Hello Bo, this is your assistant calling from Northwind. Is now a good time?"


def test_an_assistant_an_older_revox_saved_oddly_can_still_be_called(api, assistant):
    planted = {
        "call_retry_config": {"calling_windows": "9 to 5"},
        "max_call_duration_secs": "ten minutes",
        "structured_output_config": [{"label": "no name"}],
        "first_sentence": 42,
        "voice": "Katie",
        "llm_model": None,
        "transfer_phone_number": "+14155550100",
    }
    response = api.control("POST", f"/assistants/{assistant['id']}/legacy-fields", json=planted)
    assert response.status_code == 200, response.text
    script(api, duration_ms=100)
    call = place(api, assistant_id=assistant["id"], skip_calling_window=True)
    call = wait_for(api, call["id"], "completed")
    assert call["assistant"]["voice"] == "Katie"  # the call keeps the record as stored
    assert call["llm_model"] == {"type": "dedicated-instance", "name": "gpt-4.1"}
    attempt = call["last_call_attempt"]
    assert attempt["transcript"] and attempt["structured_output"] is None
    assert requests.get(attempt["recording_url"], timeout=10).status_code == 200
