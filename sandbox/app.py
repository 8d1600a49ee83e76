"""The WSGI application: one per sandbox, over its whole state.

Layout of the URL space:
  /api/...          the Revox API (Bearer key), see sandbox/README.md
  /__sandbox__/...  controls for tests and the benchmark (no key, loopback only)
  /recordings/...   the calls' recordings (no key, as a signed URL needs none)

Every /api request goes through the same pipeline: latency, then faults (which apply
before the key is checked, as a gateway's would), then the key, then its handler; each
is logged. Every answer carries an `x-request-id` header. An unexpected exception
becomes a 500 with a JSON body, and the tests make sure no input reaches that.
"""

from __future__ import annotations

import http
import ipaddress
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sandbox import history, model, seeds
from sandbox.api import Api
from sandbox.callstore import CallStore
from sandbox.controls import Controls
from sandbox.faults import Rule, monotonic_ms
from sandbox.state import State
from sandbox.store import Store, encode
from sandbox.validation.engine import Errors
from sandbox.wire import (
    DropConnection,
    Request,
    Response,
    body_keys,
    error,
    reset_meanwhile,
    route,
)

log = logging.getLogger("sandbox")

DEFAULT_API_KEY = "sandbox-key"
MAX_BODY_BYTES = 16 * 1024 * 1024


def now_iso() -> str:
    return model.format_timestamp(int(time.time() * 1000))


def is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


class App:
    """The WSGI application; one per sandbox, holding its whole state."""

    def __init__(
        self,
        *,
        store: Store,
        calls: CallStore | None = None,
        api_key: str = DEFAULT_API_KEY,
        latency_ms: float = 0,
    ) -> None:
        self.state = State(
            store=store, calls=calls or CallStore(), api_key=api_key, latency_ms=latency_ms
        )
        api = Api(self.state)
        self.api_routes = api.routes
        self.recording_routes = api.recording_routes
        self.control_routes = Controls(self.state).routes

    @property
    def store(self) -> Store:
        return self.state.store

    def close(self) -> None:
        """Close the data file, if any (assistants and calls)."""
        self.state.store.close()
        self.state.calls.close()

    # --- WSGI entry point ---------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request_id = self._request_id(environ)
        try:
            response = self.dispatch(environ)
        except DropConnection:
            raise
        except Exception:  # the last line of defence: still answer JSON
            log.exception("unexpected error")
            response = error(500, "internal", "Internal sandbox error")
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            ("x-request-id", request_id),
            *response.headers,
        ]
        try:
            phrase = http.HTTPStatus(response.status).phrase
        except ValueError:
            phrase = "Unknown"
        start_response(f"{response.status} {phrase}", headers)
        if response.cut_after_bytes is not None:
            return _cut_short(response.body, response.cut_after_bytes)
        return [response.body]

    @staticmethod
    def _request_id(environ: dict[str, Any]) -> str:
        # Echo a caller's id so its logs and ours line up; otherwise make one.
        sent = environ.get("HTTP_X_REQUEST_ID", "")
        if re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", sent):
            return sent
        return "req_" + uuid.uuid4().hex

    def dispatch(self, environ: dict[str, Any]) -> Response:
        raw_path = environ.get("PATH_INFO", "") or "/"
        # "/assistants/" and "/assistants" are the same resource.
        path = raw_path.rstrip("/") or "/"
        length_text = environ.get("CONTENT_LENGTH") or "0"
        try:
            length = int(length_text)
        except ValueError:
            return error(400, "invalid_request", "Content-Length is not a number")
        if length > MAX_BODY_BYTES:
            return error(413, "payload_too_large", f"Request body exceeds {MAX_BODY_BYTES} bytes")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        request = Request(
            method=environ.get("REQUEST_METHOD", "GET").upper(),
            path=raw_path,
            query=environ.get("QUERY_STRING", ""),
            environ=environ,
            body=body,
        )
        if path == "/api" or path.startswith("/api/"):
            return self.api(request, path[len("/api") :] or "/")
        if path == "/__sandbox__" or path.startswith("/__sandbox__/"):
            if not is_loopback(environ.get("REMOTE_ADDR", "")):
                return error(403, "forbidden", "Sandbox controls answer loopback clients only")
            return route(self.control_routes, request, path[len("/__sandbox__") :])
        if path.startswith("/recordings/"):
            # No key, as a signed recording URL needs none: an <audio> element can play it.
            return route(self.recording_routes, request, path)
        return error(404, "not_found", f"No such path: {raw_path} (the API lives under /api)")

    # --- /api: latency, faults, log, auth ------------------------------------

    def api(self, request: Request, path: str) -> Response:
        started = monotonic_ms()
        epoch = self.state.epoch
        entry: dict[str, Any] = {
            "method": request.method,
            "path": path,
            "query": request.query,
            "status": None,
            "duration_ms": None,
            "body_keys": body_keys(request.body),
            "at": now_iso(),
        }
        try:
            response = self._api_with_faults(request, path)
        except DropConnection:
            entry["duration_ms"] = round(monotonic_ms() - started, 3)
            self._log(entry, epoch)  # with status null: no answer was sent
            raise
        except Exception:
            log.exception("unexpected error")
            response = error(500, "internal", "Internal sandbox error")
        entry["status"] = response.status
        entry["duration_ms"] = round(monotonic_ms() - started, 3)
        self._log(entry, epoch)
        return response

    def _log(self, entry: dict[str, Any], epoch: int) -> None:
        # A request that outlived a reset belongs to the log the reset cleared.
        if epoch == self.state.epoch:
            self.state.requests.add(entry)

    def _api_with_faults(self, request: Request, path: str) -> Response:
        epoch = self.state.epoch
        latency = self.state.latency_ms + self.state.faults.latency_ms
        if latency > 0:
            time.sleep(latency / 1000)
        rule = self.state.faults.take(request.method, path)
        if rule is None:
            return self._api(request, path) if epoch == self.state.epoch else reset_meanwhile()
        # `apply`: the real work happens first, then the fault (a delay, a drop, an error
        # status): a write that landed although the client hears of a failure or a timeout.
        applied = self._api(request, path) if rule.spec.get("apply") is True else None
        if "delay_ms" in rule.spec:
            time.sleep(rule.spec["delay_ms"] / 1000)
            if epoch != self.state.epoch:
                return reset_meanwhile()
        if rule.spec.get("drop") is True:
            raise DropConnection  # the client never hears of it
        if not rule.answers:
            response = applied if applied is not None else self._api(request, path)
        else:
            response = fault_response(rule)
        if "cut_after_bytes" in rule.spec:
            response.cut_after_bytes = int(rule.spec["cut_after_bytes"])
        return response

    def _api(self, request: Request, path: str) -> Response:
        # The one path a bad key may ask: whether the key is good (it answers false, not 401).
        asking_about_key = request.method == "GET" and path.rstrip("/") == "/auth-status"
        if not asking_about_key and not self.state.authorised(request):
            return Response(
                401,
                encode(
                    {"error": {"type": "unauthorized", "message": "Missing or invalid API key"}}
                ),
                [("WWW-Authenticate", 'Bearer realm="revox-sandbox"')],
            )
        return route(self.api_routes, request, path)


def _cut_short(body: bytes, length: int) -> Iterator[bytes]:
    """The first `length` bytes of the body, sent and flushed, then the connection dropped."""
    if length > 0:
        yield body[:length]
    raise DropConnection


def fault_response(rule: Rule) -> Response:
    spec = rule.spec
    headers: list[tuple[str, str]] = []
    if "retry_after" in spec:
        seconds = spec["retry_after"]
        headers.append(
            ("Retry-After", str(int(seconds)) if float(seconds).is_integer() else str(seconds))
        )
    if "body" in spec:
        return Response(spec.get("status", 200), spec["body"].encode(), headers)
    if "json" in spec:
        return Response(spec.get("status", 200), encode(spec["json"]), headers)
    if "errors" in spec:
        fields = {
            path: [messages] if isinstance(messages, str) else messages
            for path, messages in spec["errors"].items()
        }
        payload = {
            "error": {
                "type": "validation_error",
                "message": "Invalid request body",
                "fields": fields,
            }
        }
        return Response(spec.get("status", 400), encode(payload), headers)
    payload = {"error": {"type": "fault", "message": "Injected fault"}}
    return Response(spec["status"], encode(payload), headers)


def build_app(
    *,
    seed: Any = "empty",
    api_key: str = DEFAULT_API_KEY,
    latency_ms: float = 0,
    data: Any = None,
    calls_per_assistant: int | None = None,
) -> App:
    """An app over a fresh or loaded store; `seed` (and `calls_per_assistant`, which overrides
    the seed's own call history) applies only when the store is new."""
    store = Store(data)
    calls = CallStore(os.fspath(data) if data is not None else None)
    if store.is_new:
        errors = Errors()
        records = seeds.build(seed, errors, "seed")
        if errors or records is None:
            store.close()
            calls.close()
            raise ValueError(f"bad seed {seed!r}: {errors.fields}")
        store.replace_all(records)
        past, spec = history.for_seed(
            seed,
            records,
            anchor_ms=int(time.time() * 1000),
            calls_per_assistant=calls_per_assistant,
        )
        calls.replace_all([], past, spec)
    elif calls.history_spec is not None:
        calls.history = history.from_spec(calls.history_spec)
    elif calls.is_new:
        # A data file from before the sandbox placed calls: the seed's call history joins the
        # assistants it holds (which may have changed since: their newest calls then show it).
        records = seeds.build(seed, Errors(), "seed") or []
        past, spec = history.for_seed(seed, records, anchor_ms=int(time.time() * 1000),
                                      calls_per_assistant=calls_per_assistant)  # fmt: skip
        calls.replace_all([], past, spec)
    return App(store=store, calls=calls, api_key=api_key, latency_ms=latency_ms)
