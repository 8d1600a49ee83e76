"""The threaded HTTP server that serves an `App`, and `start_in_thread` for tests.

wsgiref's server, made quiet, threaded (a slow request never blocks the others), able to
drop a connection when a fault says so, and safe to bind on a machine without DNS.
"""

from __future__ import annotations

import socket
import socketserver
import sys
import threading
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from sandbox.app import DEFAULT_API_KEY, App, build_app
from sandbox.wire import DropConnection


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
        self.app.close()

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
    calls_per_assistant: int | None = None,
) -> RunningSandbox:
    """Start a sandbox on a daemon thread (a free port when port=0) and return at once."""
    app = build_app(
        seed=seed,
        api_key=api_key,
        latency_ms=latency_ms,
        data=data,
        calls_per_assistant=calls_per_assistant,
    )
    try:
        server = make_server(host, port, app)
    except OSError:
        app.close()
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
