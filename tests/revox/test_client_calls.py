"""The client's call endpoints: POST /call is sent once whatever happens (a call rings a phone
and costs money), reads of a call are retried like any read, and a recording is fetched with
the key only from Revox's own address."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistants import revox as api
from assistants.revox import get_client
from tests.localservers.processes import free_port

CALL = {"phone_number": "+14155550123", "assistant_id": "a-1"}


@pytest.mark.parametrize("fault", [{"status": 503}, {"status": 500}, {"drop": True},
                                   {"status": 429, "retry_after": 0}])  # fmt: skip
def test_a_call_is_never_retried(revox, fault):
    revox.faults({"method": "POST", "path": "/call", **fault})
    revox.clear_requests()
    with pytest.raises(api.RevoxError) as failure:
        get_client().create_call(CALL)
    assert len(revox.requests("POST")) == 1
    if fault.get("drop"):
        # The request went out before the connection dropped: it may have been placed.
        assert isinstance(failure.value, api.RevoxUnavailable) and failure.value.request_sent


def test_a_call_that_times_out_is_not_sent_again(revox, settings):
    settings.REVOX_READ_TIMEOUT = 0.3
    revox.faults({"method": "POST", "path": "/call", "delay_ms": 2000})
    revox.clear_requests()
    with pytest.raises(api.RevoxTimeout) as failure:
        get_client().create_call(CALL)
    assert failure.value.read_timeout
    assert "can't tell whether" in str(failure.value)
    # The sandbox logs a request once it has answered it: after the 2 s it was held.
    deadline = time.monotonic() + 5
    while not revox.requests("POST") and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    assert len(revox.requests("POST")) == 1


def test_a_refused_connection_says_nothing_was_sent(settings):
    settings.REVOX_API_URL = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    with pytest.raises(api.RevoxUnavailable) as failure:
        get_client().create_call(CALL)
    assert failure.value.request_sent is False


def test_reading_a_call_is_retried(revox):
    revox.faults({"method": "GET", "path": "/call/*", "status": 503})
    revox.clear_requests()
    with pytest.raises(api.RevoxUnavailable):
        get_client().get_call("c-1")
    assert len(revox.requests("GET")) == 3


def test_cancel_is_sent_once(revox):
    revox.faults({"method": "POST", "path": "/call/*/cancel", "status": 503})
    revox.clear_requests()
    with pytest.raises(api.RevoxUnavailable):
        get_client().cancel_call("c-1")
    assert [r["path"] for r in revox.requests("POST")] == ["/call/c-1/cancel"]


def test_call_answers_are_read_tolerantly(revox):
    revox.faults({"method": "POST", "path": "/call", "status": 200, "json": {"call": "odd"}})
    with pytest.raises(api.RevoxUnavailable) as failure:
        get_client().create_call(CALL)
    assert str(failure.value) == api.BAD_RESPONSE_MESSAGE
    revox.faults({"method": "POST", "path": "/call/*/cancel", "status": 200, "json": {}})
    with pytest.raises(api.RevoxUnavailable):
        get_client().cancel_call("c-1")


@pytest.fixture
def audio_server():
    """A stand-in for where recordings live: answers audio and remembers who sent a key."""
    seen: list[str | None] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers.get("Authorization"))
            body = b"RIFF" + b"\0" * 60 if not self.path.startswith("/big") else b"\0" * 4096
            self.send_response(200)
            self.send_header(
                "Content-Type", "audio/wav" if "html" not in self.path else "text/html"
            )
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def test_a_recording_elsewhere_never_gets_the_key(audio_server, settings):
    port, seen = audio_server
    settings.REVOX_API_URL = f"http://localhost:{port}/api"
    recording = get_client().get_recording(f"http://127.0.0.1:{port}/rec/c-1.wav?sig=x")
    assert recording.content_type == "audio/wav" and recording.audio.startswith(b"RIFF")
    assert seen == [None]


def test_a_recording_on_revox_itself_is_fetched_with_the_key(audio_server, settings):
    port, seen = audio_server
    settings.REVOX_API_URL = f"http://127.0.0.1:{port}/api"
    get_client().get_recording("/api/call/c-1/recording")
    assert seen == [f"Bearer {settings.REVOX_API_KEY}"]


def test_a_recording_that_is_not_audio_or_too_big_is_refused(audio_server, settings):
    port, _ = audio_server
    settings.REVOX_API_URL = f"http://127.0.0.1:{port}/api"
    with pytest.raises(api.RevoxUnavailable):
        get_client().get_recording(f"http://127.0.0.1:{port}/html")
    settings.REVOX_RECORDING_MAX_BYTES = 1000
    with pytest.raises(api.RevoxUnavailable):
        get_client().get_recording(f"http://127.0.0.1:{port}/big")
    with pytest.raises(api.RevoxUnavailable):
        get_client().get_recording("file:///etc/passwd")
