"""The controls under /__sandbox__ that tests, demos and the benchmark use: reset to a seed,
faults, the request log, what a call would do (suggest a FAQ item, schedule calls), what an
older Revox stored (legacy fields), the retrieve shape, and a health check.

No key; the app answers them for loopback clients only.
"""

from __future__ import annotations

import re

from sandbox import seeds
from sandbox.state import State
from sandbox.validation import READ_ONLY_FIELDS, validate_suggested_faq
from sandbox.validation.engine import Errors, Field, array, check_fields, number, one_of, string
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
            Route(re.compile(r"/health"), {"GET": self.health}),
        ]

    def health(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"ok": True})

    def reset(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = Errors()
        for key in body:
            if key != "seed":
                errors.add(key, "unknown field")
        if "seed" not in body:
            errors.add("seed", "required")
        records = seeds.build(body["seed"], errors, "seed") if "seed" in body else None
        if errors or records is None:
            return validation_error(errors)
        self.state.reset(records)
        return json_response(200, {"assistants": self.state.store.listed_count()})

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
