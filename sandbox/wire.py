"""What the handlers speak: the parsed request, the response, JSON bodies in and out, the
error answers every endpoint shares, and routing a path to its handler.

Every answer is JSON (a voice preview's WAV aside); bad input is always a 4xx with
`{"error": {"type", "message", …}}`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.store import encode
from sandbox.validation.engine import Errors


@dataclass
class Request:
    method: str
    path: str
    query: str
    environ: dict[str, Any]
    body: bytes

    def header(self, name: str) -> str:
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), "")


@dataclass
class Response:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "application/json"
    # A fault: the connection closes after this many bytes of the body (its full length is
    # announced), as when a network drops half-way through a long answer.
    cut_after_bytes: int | None = None


def json_response(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(status, encode(payload), list(headers))


def error(status: int, kind: str, message: str, **extra: Any) -> Response:
    return json_response(status, {"error": {"type": kind, "message": message, **extra}})


def reset_meanwhile() -> Response:
    return error(503, "reset", "The sandbox was reset while this request waited; nothing applied")


def validation_error(errors: Errors) -> Response:
    return error(400, "validation_error", "Invalid request body", fields=errors.fields)


def not_found(assistant_id: str) -> Response:
    return error(404, "not_found", f"Assistant {assistant_id} not found")


def assistant_response(blob: bytes, *, extra: dict[str, Any] | None = None) -> Response:
    """`{"assistant": …}`, as create, update and clone answer (update may add a notice)."""
    tail = b"".join(
        b"," + encode(key) + b":" + encode(value) for key, value in (extra or {}).items()
    )
    return Response(200, b'{"assistant":' + blob + tail + b"}")


class DropConnection(Exception):
    """Raised by the app to close the connection without sending any answer."""


class BadBody(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


# --- JSON bodies -----------------------------------------------------------


def _finite_float(text: str) -> float:
    # json.loads turns 1e999 into inf, which is not JSON and no valid field value.
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(
            body.decode("utf-8"), parse_float=_finite_float, parse_constant=_reject_constant
        )
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise BadBody(error(400, "invalid_json", f"Request body is not valid JSON: {exc}")) from exc


def json_object(request: Request) -> dict:
    payload = parse_json(request.body)
    if not isinstance(payload, dict):
        raise BadBody(error(400, "invalid_json", "Request body must be a JSON object"))
    return payload


def body_keys(body: bytes) -> list[str]:
    """The top-level keys of a JSON object body, for the request log; [] otherwise."""
    if not body:
        return []
    try:
        payload = parse_json(body)
    except BadBody:
        return []
    return sorted(payload) if isinstance(payload, dict) else []


# --- routing ---------------------------------------------------------------

Handler = Callable[[Request, dict[str, str]], Response]


@dataclass
class Route:
    pattern: re.Pattern[str]
    methods: dict[str, Handler]


def route(routes: list[Route], request: Request, path: str) -> Response:
    """The answer of the handler whose pattern matches `path`; a 405 or 404 otherwise.

    A body that is not what the handler needs (BadBody) is answered here too."""
    for candidate in routes:
        match = candidate.pattern.fullmatch(path)
        if match is None:
            continue
        handler = candidate.methods.get(request.method)
        if handler is None:
            allowed = ", ".join(candidate.methods)
            return Response(
                405,
                encode(
                    {
                        "error": {
                            "type": "method_not_allowed",
                            "message": f"{request.method} is not allowed on this path; use {allowed}",
                        }
                    }
                ),
                [("Allow", allowed)],
            )
        try:
            return handler(request, match.groupdict())
        except BadBody as bad:
            return bad.response
    return error(404, "not_found", f"No such path: {request.path}")
