"""The controls under /__sandbox__ that tests, demos and the benchmark use: reset to a seed,
faults, the request log, what a call would do (suggest a FAQ item, schedule calls), what the
next call to a number does (call scripts) and the clock calls live on, what an older Revox
stored (legacy fields), the retrieve shape, and a health check.

No key; the app answers them for loopback clients only.
"""

from __future__ import annotations

import re
import time
from typing import Any

from sandbox import callplan, conversation, history, model, seeds
from sandbox.state import State
from sandbox.validation import READ_ONLY_FIELDS, validate_suggested_faq
from sandbox.validation.call_requests import iso_datetime, parse_datetime_ms
from sandbox.validation.engine import (
    Errors,
    Field,
    array,
    check_fields,
    number,
    one_of,
    string,
)
from sandbox.validation.formats import e164
from sandbox.wire import (
    Request,
    Response,
    Route,
    assistant_response,
    json_object,
    json_response,
    not_found,
    validation_error,
)

RETRIEVE_SHAPES = ("flat", "wrapped")

SCHEDULED_CALLS = {
    "count": Field(number(integer=True, minimum=1), required=True),
    "variables": Field(array(string(min_len=1)), required=True),
}


def _script_number(value: Any, path: str, errors: Errors) -> None:
    if value != "*":
        e164()(value, path, errors)


def _some_attempts(value: Any, path: str, errors: Errors) -> None:
    array(one_of(callplan.ANSWERS))(value, path, errors)
    if isinstance(value, list) and not value:
        errors.add(path, "must have at least 1 attempt")


CALL_SCRIPT = {
    "phone_number": Field(_script_number, required=True),
    "attempts": Field(_some_attempts),
    "duration_ms": Field(number(integer=True, minimum=1, maximum=24 * 3_600_000)),
    "outcome": Field(one_of(conversation.OUTCOMES)),
    "times": Field(number(integer=True, minimum=1, maximum=10_000)),
    "missing_fields": Field(array(string(min_len=1))),
}
RESET_CALLS = {"calls_per_assistant": Field(number(integer=True, minimum=0, maximum=100_000))}
NOT_SCRIPT = ("phone_number", "times")  # which calls a script is for, not what they do
CLOCK = {
    "advance_ms": Field(number(integer=True, minimum=0)),
    "now": Field(iso_datetime()),
}


class Controls:
    def __init__(self, state: State) -> None:
        self.state = state
        self.routes = [
            Route(re.compile(r"/reset"), {"POST": self.reset}),
            Route(
                re.compile(r"/faults"),
                {"GET": self.show_faults, "POST": self.set_faults, "DELETE": self.clear_faults},
            ),
            Route(
                re.compile(r"/requests"),
                {"GET": self.show_requests, "DELETE": self.clear_requests},
            ),
            Route(re.compile(r"/assistants/(?P<id>[^/]+)/suggest-faq"), {"POST": self.suggest_faq}),
            Route(
                re.compile(r"/assistants/(?P<id>[^/]+)/scheduled-calls"),
                {
                    "GET": self.show_scheduled_calls,
                    "POST": self.set_scheduled_calls,
                    "DELETE": self.clear_scheduled_calls,
                },
            ),
            Route(
                re.compile(r"/assistants/(?P<id>[^/]+)/legacy-fields"),
                {"POST": self.legacy_fields},
            ),
            Route(
                re.compile(r"/retrieve-shape"),
                {"GET": self.show_retrieve_shape, "POST": self.set_retrieve_shape},
            ),
            Route(
                re.compile(r"/call-scripts"),
                {
                    "GET": self.show_call_scripts,
                    "POST": self.add_call_script,
                    "DELETE": self.clear_call_scripts,
                },
            ),
            Route(re.compile(r"/clock"), {"GET": self.show_clock, "POST": self.move_clock}),
            Route(re.compile(r"/health"), {"GET": self.health}),
        ]

    def health(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"ok": True})

    def reset(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = Errors()
        for key in body:
            if key not in ("seed", "calls_per_assistant"):
                errors.add(key, "unknown field")
        if "seed" not in body:
            errors.add("seed", "required")
        check_fields(body, RESET_CALLS, "", errors, allow_unknown=True)
        records = seeds.build(body["seed"], errors, "seed") if "seed" in body else None
        if errors or records is None:
            return validation_error(errors)
        # The history is drawn back from the wall clock, which the reset puts the clock on.
        calls, spec = history.for_seed(
            body["seed"],
            records,
            anchor_ms=int(time.time() * 1000),
            calls_per_assistant=body.get("calls_per_assistant"),
        )
        self.state.reset(records, calls, spec)
        return json_response(
            200,
            {"assistants": self.state.store.listed_count(), "calls": self.state.calls.count()},
        )

    def show_faults(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, self.state.faults.describe())

    def set_faults(self, request: Request, params: dict[str, str]) -> Response:
        errors = self.state.faults.configure(json_object(request))
        if errors:
            return validation_error(errors)
        return json_response(200, self.state.faults.describe())

    def clear_faults(self, request: Request, params: dict[str, str]) -> Response:
        self.state.faults.clear()
        return json_response(200, self.state.faults.describe())

    def show_requests(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"requests": self.state.requests.entries()})

    def clear_requests(self, request: Request, params: dict[str, str]) -> Response:
        self.state.requests.clear()
        return json_response(200, {"requests": []})

    def show_retrieve_shape(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"shape": self.state.retrieve_shape})

    def set_retrieve_shape(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = Errors()
        check_fields(body, {"shape": Field(one_of(RETRIEVE_SHAPES), required=True)}, "", errors)
        if errors:
            return validation_error(errors)
        self.state.retrieve_shape = body["shape"]
        return json_response(200, {"shape": self.state.retrieve_shape})

    def show_scheduled_calls(self, request: Request, params: dict[str, str]) -> Response:
        if self.state.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        return json_response(200, {"scheduled_calls": self.state.scheduled_calls.get(params["id"])})

    def set_scheduled_calls(self, request: Request, params: dict[str, str]) -> Response:
        if self.state.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        body = json_object(request)
        errors = Errors()
        check_fields(body, SCHEDULED_CALLS, "", errors)
        if errors:
            return validation_error(errors)
        self.state.scheduled_calls[params["id"]] = {
            "count": int(body["count"]),
            "variables": list(body["variables"]),
        }
        return json_response(200, {"scheduled_calls": self.state.scheduled_calls[params["id"]]})

    def clear_scheduled_calls(self, request: Request, params: dict[str, str]) -> Response:
        self.state.scheduled_calls.pop(params["id"], None)
        return json_response(200, {"scheduled_calls": None})

    def legacy_fields(self, request: Request, params: dict[str, str]) -> Response:
        if self.state.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        body = json_object(request)
        errors = Errors()
        for key in body:
            if key in READ_ONLY_FIELDS or key == "faq_items":
                errors.add(key, "read-only field")
        if errors:
            return validation_error(errors)
        blob = self.state.store.legacy(params["id"], body)
        return assistant_response(blob) if blob is not None else not_found(params["id"])

    def suggest_faq(self, request: Request, params: dict[str, str]) -> Response:
        if self.state.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        body = json_object(request)
        errors = validate_suggested_faq(body)
        if errors:
            return validation_error(errors)
        blob = self.state.store.suggest_faq(params["id"], body["question"], body.get("answer", ""))
        return assistant_response(blob) if blob is not None else not_found(params["id"])

    def show_call_scripts(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"call_scripts": self.state.call_scripts})

    def add_call_script(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = Errors()
        check_fields(body, CALL_SCRIPT, "", errors)
        if errors:
            return validation_error(errors)
        script = {key: body[key] for key in CALL_SCRIPT if key in body and key not in NOT_SCRIPT}
        self.state.add_call_script(body["phone_number"], script, int(body.get("times", 1)))
        return json_response(200, {"call_scripts": self.state.call_scripts})

    def clear_call_scripts(self, request: Request, params: dict[str, str]) -> Response:
        self.state.call_scripts.clear()
        return json_response(200, {"call_scripts": {}})

    def show_clock(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, self._clock())

    def move_clock(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = Errors()
        check_fields(body, CLOCK, "", errors)
        if len(body.keys() & CLOCK.keys()) != 1 and not errors:
            errors.add("advance_ms", "give either advance_ms or now")
        if errors:
            return validation_error(errors)
        if "advance_ms" in body:
            self.state.clock.advance(int(body["advance_ms"]))
        else:
            self.state.clock.set(parse_datetime_ms(body["now"]))
        return json_response(200, self._clock())

    def _clock(self) -> dict[str, Any]:
        now = self.state.clock.now_ms()
        return {"now": model.format_timestamp(now), "offset_ms": self.state.clock.offset_ms}
