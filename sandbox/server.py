"""The WSGI application (routing, auth, errors, faults) and the threaded server.

Layout of the URL space:
  /api/...          the Revox API (Bearer key), see sandbox/README.md
  /__sandbox__/...  controls for tests and the benchmark (no key, loopback only)

Every answer is JSON and carries an `x-request-id` header. Bad input always
gets a 4xx; an unexpected exception becomes a 500 with a JSON body, and the
tests make sure no input reaches that.
"""

from __future__ import annotations

import http
import ipaddress
import logging
import re
import socket
import socketserver
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from sandbox import audio, model, seeds, voices
from sandbox.faults import Faults, RequestLog, Rule, monotonic_ms
from sandbox.store import Store, encode
from sandbox.validation import (
    READ_ONLY_FIELDS,
    validate_assistant,
    validate_suggested_faq,
    validate_voice_preview,
    validate_voice_provider,
)
from sandbox.validation.engine import Errors, Field, array, check_fields, number, one_of, string
from sandbox.voices import VOICES
from sandbox.wire import (
    DropConnection,
    Request,
    Response,
    Route,
    assistant_response,
    body_keys,
    error,
    json_object,
    json_response,
    not_found,
    reset_meanwhile,
    route,
    validation_error,
)

log = logging.getLogger("sandbox")

DEFAULT_API_KEY = "sandbox-key"
DEFAULT_PREVIEW_TEXT = "Hello! This is how I sound on the phone."
MAX_BODY_BYTES = 16 * 1024 * 1024
VOICES_BLOB = encode({"voices": VOICES})


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


RETRIEVE_SHAPES = ("flat", "wrapped")

SCHEDULED_CALLS = {
    "count": Field(number(integer=True, minimum=1), required=True),
    "variables": Field(array(string(min_len=1)), required=True),
}


# --- the application -------------------------------------------------------


class App:
    """The WSGI application; one per sandbox, holding its whole state."""

    def __init__(
        self, *, store: Store, api_key: str = DEFAULT_API_KEY, latency_ms: float = 0
    ) -> None:
        self.store = store
        self.api_key = api_key
        self.latency_ms = latency_ms  # from the command line: survives resets
        self.faults = Faults()
        self.requests = RequestLog()
        # Bumped by every reset. A request still waiting out a delay or latency when a reset
        # happens is answered 503 and never applied: a reset is a clean slate, and a test's
        # abandoned slow write must not land in the next test's data.
        self.epoch = 0
        # GET /assistants/{id} answers the assistant itself, as Revox does; "wrapped" answers
        # {"assistant": …}, as some of Revox's own documentation pages say.
        self.retrieve_shape = "flat"
        # Calls already scheduled per assistant that a PATCH does not reach:
        # {"count", "variables"}, returned as unpatchedCallsNotice.
        self.scheduled_calls: dict[str, dict[str, Any]] = {}
        self.api_routes = [
            Route(re.compile(r"/assistants"), {"GET": self.list_assistants, "POST": self.create}),
            Route(
                re.compile(r"/assistants/(?P<id>[^/]+)"),
                {"GET": self.retrieve, "PATCH": self.update, "DELETE": self.delete},
            ),
            Route(re.compile(r"/assistants/(?P<id>[^/]+)/clone"), {"POST": self.clone}),
            Route(re.compile(r"/voices"), {"GET": self.voices}),
            Route(re.compile(r"/voices/preview"), {"POST": self.voice_preview}),
            Route(re.compile(r"/voices/(?P<id>[^/]+)"), {"GET": self.voice}),
            Route(re.compile(r"/auth-status"), {"GET": self.auth_status}),
        ]
        self.control_routes = [
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

    # --- WSGI entry point ---------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
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
        return error(404, "not_found", f"No such path: {raw_path} (the API lives under /api)")

    # --- /api: latency, faults, log, auth ------------------------------------

    def api(self, request: Request, path: str) -> Response:
        started = monotonic_ms()
        epoch = self.epoch
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
        if epoch == self.epoch:
            self.requests.add(entry)

    def _api_with_faults(self, request: Request, path: str) -> Response:
        epoch = self.epoch
        latency = self.latency_ms + self.faults.latency_ms
        if latency > 0:
            time.sleep(latency / 1000)
        rule = self.faults.take(request.method, path)
        if rule is None:
            return self._api(request, path) if epoch == self.epoch else reset_meanwhile()
        if "delay_ms" in rule.spec:
            time.sleep(rule.spec["delay_ms"] / 1000)
            if epoch != self.epoch:
                return reset_meanwhile()
        apply_first = rule.spec.get("apply") is True
        if rule.spec.get("drop") is True:
            if apply_first:
                self._api(request, path)  # the write happens; the client never hears of it
            raise DropConnection
        if not rule.answers:
            return self._api(request, path)
        if apply_first:
            self._api(request, path)
        return fault_response(rule)

    def _api(self, request: Request, path: str) -> Response:
        # The one path a bad key may ask: whether the key is good (it answers false, not 401).
        asking_about_key = request.method == "GET" and path.rstrip("/") == "/auth-status"
        if not asking_about_key and not self._authorised(request):
            return Response(
                401,
                encode(
                    {"error": {"type": "unauthorized", "message": "Missing or invalid API key"}}
                ),
                [("WWW-Authenticate", 'Bearer realm="revox-sandbox"')],
            )
        return route(self.api_routes, request, path)

    def _authorised(self, request: Request) -> bool:
        scheme, _, token = request.header("Authorization").partition(" ")
        return scheme.lower() == "bearer" and token.strip() == self.api_key

    # --- /api handlers --------------------------------------------------------

    def list_assistants(self, request: Request, params: dict[str, str]) -> Response:
        return Response(200, self.store.list_json())

    def voices(self, request: Request, params: dict[str, str]) -> Response:
        return Response(200, VOICES_BLOB)

    def voice(self, request: Request, params: dict[str, str]) -> Response:
        provider = parse_qs(request.query).get("provider", [None])[-1]
        errors = validate_voice_provider(provider)
        if errors:
            return validation_error(errors)
        found = voices.find(provider, params["id"])
        if found is None:
            return error(404, "not_found", f"No {provider} voice {params['id']}")
        return json_response(200, {"voice": found})

    def voice_preview(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = validate_voice_preview(body)
        if errors:
            return validation_error(errors)
        if voices.find(body["provider"], body["voiceId"]) is None:
            errors.add("voiceId", f"no such {body['provider']} voice")
            return validation_error(errors)
        volume = body.get("volume", 1.0) if body["provider"] == "cartesia" else 1.0
        wav = audio.synthesize(
            voice_id=body["voiceId"],
            text=body.get("text", DEFAULT_PREVIEW_TEXT),
            speed=body.get("speed", 1.0),
            volume=volume,
        )
        return Response(200, wav, content_type="audio/wav")

    def auth_status(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"authenticated": self._authorised(request)})

    def retrieve(self, request: Request, params: dict[str, str]) -> Response:
        blob = self.store.get_json(params["id"])
        if blob is None:
            return not_found(params["id"])
        return assistant_response(blob) if self.retrieve_shape == "wrapped" else Response(200, blob)

    def create(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = validate_assistant(body, creating=True)
        if errors:
            return validation_error(errors)
        return assistant_response(self.store.create(body))

    def update(self, request: Request, params: dict[str, str]) -> Response:
        # An unknown id is a 404 whatever the body holds.
        if self.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        body = json_object(request)
        errors = validate_assistant(body, creating=False)
        if errors:
            return validation_error(errors)
        blob = self.store.update(params["id"], body)
        if blob is None:
            return not_found(params["id"])
        scheduled = self.scheduled_calls.get(params["id"])
        return assistant_response(
            blob, extra={"unpatchedCallsNotice": scheduled} if scheduled else None
        )

    def delete(self, request: Request, params: dict[str, str]) -> Response:
        if not self.store.delete(params["id"]):
            return not_found(params["id"])
        return json_response(200, {"success": True})

    def clone(self, request: Request, params: dict[str, str]) -> Response:
        blob = self.store.clone(params["id"])
        return assistant_response(blob) if blob is not None else not_found(params["id"])

    # --- /__sandbox__ handlers -----------------------------------------------

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
        self.epoch += 1
        self.store.replace_all(records)
        self.faults.clear()
        self.requests.clear()
        self.retrieve_shape = "flat"
        self.scheduled_calls.clear()
        return json_response(200, {"assistants": self.store.listed_count()})

    def show_faults(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, self.faults.describe())

    def set_faults(self, request: Request, params: dict[str, str]) -> Response:
        errors = self.faults.configure(json_object(request))
        if errors:
            return validation_error(errors)
        return json_response(200, self.faults.describe())

    def clear_faults(self, request: Request, params: dict[str, str]) -> Response:
        self.faults.clear()
        return json_response(200, self.faults.describe())

    def show_requests(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"requests": self.requests.entries()})

    def clear_requests(self, request: Request, params: dict[str, str]) -> Response:
        self.requests.clear()
        return json_response(200, {"requests": []})

    def show_retrieve_shape(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"shape": self.retrieve_shape})

    def set_retrieve_shape(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = Errors()
        check_fields(body, {"shape": Field(one_of(RETRIEVE_SHAPES), required=True)}, "", errors)
        if errors:
            return validation_error(errors)
        self.retrieve_shape = body["shape"]
        return json_response(200, {"shape": self.retrieve_shape})

    def show_scheduled_calls(self, request: Request, params: dict[str, str]) -> Response:
        if self.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        return json_response(200, {"scheduled_calls": self.scheduled_calls.get(params["id"])})

    def set_scheduled_calls(self, request: Request, params: dict[str, str]) -> Response:
        if self.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        body = json_object(request)
        errors = Errors()
        check_fields(body, SCHEDULED_CALLS, "", errors)
        if errors:
            return validation_error(errors)
        self.scheduled_calls[params["id"]] = {
            "count": int(body["count"]),
            "variables": list(body["variables"]),
        }
        return json_response(200, {"scheduled_calls": self.scheduled_calls[params["id"]]})

    def clear_scheduled_calls(self, request: Request, params: dict[str, str]) -> Response:
        self.scheduled_calls.pop(params["id"], None)
        return json_response(200, {"scheduled_calls": None})

    def legacy_fields(self, request: Request, params: dict[str, str]) -> Response:
        if self.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        body = json_object(request)
        errors = Errors()
        for key in body:
            if key in READ_ONLY_FIELDS or key == "faq_items":
                errors.add(key, "read-only field")
        if errors:
            return validation_error(errors)
        blob = self.store.legacy(params["id"], body)
        return assistant_response(blob) if blob is not None else not_found(params["id"])

    def suggest_faq(self, request: Request, params: dict[str, str]) -> Response:
        if self.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        body = json_object(request)
        errors = validate_suggested_faq(body)
        if errors:
            return validation_error(errors)
        blob = self.store.suggest_faq(params["id"], body["question"], body.get("answer", ""))
        return assistant_response(blob) if blob is not None else not_found(params["id"])


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
) -> App:
    """An app over a fresh or loaded store; `seed` applies only when the store is new."""
    store = Store(data)
    if store.is_new:
        errors = Errors()
        records = seeds.build(seed, errors, "seed")
        if errors or records is None:
            store.close()
            raise ValueError(f"bad seed {seed!r}: {errors.fields}")
        store.replace_all(records)
    return App(store=store, api_key=api_key, latency_ms=latency_ms)


# --- the HTTP server -------------------------------------------------------


class _ServerHandler(ServerHandler):
    def handle_error(self) -> None:
        if isinstance(sys.exc_info()[1], DropConnection):
            return  # write nothing: the socket is closed when the request ends
        super().handle_error()


class _RequestHandler(WSGIRequestHandler):
    """wsgiref's handler, quiet, and able to drop a connection on request."""

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def handle(self) -> None:
        # As WSGIRequestHandler.handle, with our ServerHandler.
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = ""
            self.request_version = ""
            self.command = ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _ServerHandler(
            self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True
        )
        handler.request_handler = self
        handler.run(self.server.get_app())


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a hung client (or a 15 s fault delay) never blocks shutdown
    allow_reuse_address = True
    request_queue_size = 128  # the benchmark opens many connections at once

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on a
        # machine without DNS; the name is only used for CGI variables.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = port
        self.setup_environ()


class ThreadingWSGIServerV6(ThreadingWSGIServer):
    address_family = socket.AF_INET6


def make_server(host: str, port: int, app: App) -> ThreadingWSGIServer:
    server_class = ThreadingWSGIServerV6 if ":" in host else ThreadingWSGIServer
    server = server_class((host, port), _RequestHandler)
    server.set_app(app)
    return server


def base_url(server: ThreadingWSGIServer) -> str:
    host, port = server.server_address[:2]
    # A wildcard bind is reached through loopback (mapping it, not binding it).
    if host in ("0.0.0.0", "::", ""):  # noqa: S104
        host = "127.0.0.1"
    if ":" in str(host):
        host = f"[{host}]"
    return f"http://{host}:{port}"


@dataclass
class RunningSandbox:
    """A sandbox serving from a background thread; `stop()` ends it."""

    url: str
    api_key: str
    app: App
    server: ThreadingWSGIServer
    thread: threading.Thread
    _stopped: bool = False

    @property
    def api_url(self) -> str:
        return self.url + "/api"

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.app.store.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_in_thread(
    *,
    seed: Any = "empty",
    api_key: str = DEFAULT_API_KEY,
    latency_ms: float = 0,
    data: Any = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> RunningSandbox:
    """Start a sandbox on a daemon thread (a free port when port=0) and return at once."""
    app = build_app(seed=seed, api_key=api_key, latency_ms=latency_ms, data=data)
    try:
        server = make_server(host, port, app)
    except OSError:
        app.store.close()
        raise
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"revox-sandbox-{server.server_address[1]}",
        daemon=True,
    )
    thread.start()
    return RunningSandbox(
        url=base_url(server), api_key=api_key, app=app, server=server, thread=thread
    )
