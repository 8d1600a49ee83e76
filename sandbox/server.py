"""The threaded HTTP server that serves an `App`, and `start_in_thread` for tests.

wsgiref's server, made quiet, threaded (a slow request never blocks the others), keeping
connections alive between requests (HTTP/1.1), able to drop a connection when a fault says
so, and safe to bind on a machine without DNS.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from sandbox.app import DEFAULT_API_KEY, App, build_app
from sandbox.wire import DropConnection

# How long a kept-alive connection may sit idle before the sandbox closes it. Long, as Revox's
# own load balancer would keep it: a client that reuses a pooled connection just as the server
# closes it sees that as a dropped connection.
IDLE_TIMEOUT_SECONDS = 300


class _Body:
    """A request's body as `wsgi.input`: at most Content-Length bytes of the connection, and
    whether any are left unread (then the connection cannot carry another request)."""

    def __init__(self, stream: Any, length: int) -> None:
        self.stream, self.left = stream, max(0, length)

    def read(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.read(size) if size else b""
        self.left -= len(data)
        if size and not data:
            self.left = 0  # the client stopped sending: nothing more will come
        return data

    def readline(self, size: int = -1) -> bytes:
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.readline(size) if size else b""
        self.left -= len(data)
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")


class _ServerHandler(ServerHandler):
    http_version = "1.1"  # kept-alive connections, as Revox's own servers answer

    def handle_error(self) -> None:
        self.request_handler.close_connection = True  # what was sent is not a whole answer
        if isinstance(sys.exc_info()[1], DropConnection):
            return  # write nothing: the socket is closed when the request ends
        super().handle_error()


class _RequestHandler(WSGIRequestHandler):
    """wsgiref's handler, quiet, able to drop a connection on request, and answering several
    requests on one connection (HTTP/1.1 keep-alive) as a real API server does: a client
    keeps its connections in a pool, and opening one per call is not what Revox costs."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # wsgiref writes headers and body apart: no 40 ms stall
    timeout = IDLE_TIMEOUT_SECONDS

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def handle(self) -> None:
        self.close_connection = True
        try:
            self.handle_one_request()
            while not self.close_connection:
                self.handle_one_request()
        except (TimeoutError, ConnectionError):
            self.close_connection = True  # idle past the timeout, or the client went away

    def handle_one_request(self) -> None:
        # As WSGIRequestHandler.handle, with our ServerHandler and a body bounded by its length.
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline:
            self.close_connection = True  # the client closed its end
            return
        if len(self.raw_requestline) > 65536:
            self.requestline = ""
            self.request_version = ""
            self.command = ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        environ = self.get_environ()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length, self.close_connection = 0, True  # where its body ends is unknown
        body = _Body(self.rfile, length)
        handler = _ServerHandler(body, self.wfile, self.get_stderr(), environ, multithread=True)
        handler.request_handler = self
        handler.run(self.server.get_app())
        if body.left or self.command == "HEAD":
            # An unread body would be taken for the next request; and the App answers HEAD
            # with a body, which a client reading a HEAD answer does not expect.
            self.close_connection = True


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a hung client (or a 15 s fault delay) never blocks shutdown
    allow_reuse_address = True
    request_queue_size = 128  # the benchmark opens many connections at once

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The connections being served: closed with the server, so that a stopped sandbox
        # answers nobody, not even a client holding a kept-alive connection.
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        with self._connections_lock:
            open_connections = list(self._connections)
        for connection in open_connections:
            with contextlib.suppress(OSError):  # already gone
                connection.shutdown(socket.SHUT_RDWR)

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
