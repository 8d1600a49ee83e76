"""Persistence across restarts, concurrency, in-process start/stop, and the command line."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from sandbox import demo
from sandbox.server import start_in_thread
from tests.sandbox.conftest import SEARCH_ALL

ROOT = Path(__file__).resolve().parents[2]


def auth(key: str = "sandbox-key") -> dict:
    return {"Authorization": f"Bearer {key}"}


def listing(sandbox) -> list[dict]:
    return requests.get(sandbox.api_url + "/assistants", headers=auth(), timeout=5).json()[
        "assistants"
    ]


def test_start_in_thread_interface():
    with start_in_thread(seed="demo", api_key="k-123") as sandbox:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sandbox.url)
        assert sandbox.api_url == sandbox.url + "/api"
        assert sandbox.api_key == "k-123"
        response = requests.get(sandbox.api_url + "/assistants", headers=auth("k-123"), timeout=5)
        assert response.status_code == 200 and len(response.json()["assistants"]) >= 12
        assert (
            requests.get(sandbox.api_url + "/voices", headers=auth(), timeout=5).status_code == 401
        )
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(sandbox.url + "/__sandbox__/health", timeout=2)
    sandbox.stop()  # stopping twice is harmless


def test_many_sandboxes_in_one_process_are_independent():
    first, second = start_in_thread(), start_in_thread(seed="demo")
    try:
        assert first.url != second.url
        assert listing(first) == [] and len(listing(second)) >= 12
    finally:
        first.stop()
        second.stop()


def test_cli_latency_is_added(tmp_path):
    with start_in_thread(latency_ms=200) as sandbox:
        started = time.perf_counter()
        requests.get(sandbox.api_url + "/voices", headers=auth(), timeout=5)
        assert time.perf_counter() - started >= 0.2
        # A reset does not clear the command line's latency.
        requests.post(sandbox.url + "/__sandbox__/reset", json={"seed": "empty"}, timeout=5)
        started = time.perf_counter()
        requests.get(sandbox.api_url + "/voices", headers=auth(), timeout=5)
        assert time.perf_counter() - started >= 0.2


def test_state_survives_a_restart(tmp_path):
    data = tmp_path / "sandbox.sqlite3"
    sandbox = start_in_thread(seed="demo", data=data)
    api = sandbox.api_url
    created = requests.post(
        api + "/assistants",
        headers=auth(),
        json={"name": "Kept", "prompt": "p", "faq_items": [{"question": "Q?", "answer": ""}]},
        timeout=5,
    ).json()["assistant"]
    requests.patch(
        api + f"/assistants/{demo.HOTEL}", headers=auth(), json={"name": "Renamed hotel"}, timeout=5
    )
    requests.delete(api + f"/assistants/{demo.PAYMENTS}", headers=auth(), timeout=5)
    clone = requests.post(
        api + f"/assistants/{demo.DENTAL}/clone", headers=auth(), timeout=5
    ).json()["assistant"]
    requests.post(
        sandbox.url + f"/__sandbox__/assistants/{demo.OUTAGE}/suggest-faq",
        json={"question": "Why?"},
        timeout=5,
    )
    before = listing(sandbox)
    sub_before = requests.get(
        api + f"/assistants/{demo.PHYSIO_TRIAGE}", headers=auth(), timeout=5
    ).json()
    sandbox.stop()

    # The seed is ignored: the file already holds state.
    with start_in_thread(seed="empty", data=data) as again:
        after = listing(again)
        assert after == before
        ids = [a["id"] for a in after]
        assert created["id"] in ids and clone["id"] in ids and demo.PAYMENTS not in ids
        assert ids.index(demo.HOTEL) < ids.index(created["id"])  # places kept after rewrites
        got = requests.get(
            again.api_url + f"/assistants/{demo.PHYSIO_TRIAGE}", headers=auth(), timeout=5
        ).json()
        assert got == sub_before
        # The clock carries on past what was saved.
        latest = max(a["updated_at"] for a in after)
        patched = requests.patch(
            again.api_url + f"/assistants/{created['id']}",
            headers=auth(),
            json={"name": "x"},
            timeout=5,
        ).json()["assistant"]
        assert patched["updated_at"] > latest


def test_a_reset_is_persisted_and_an_empty_file_stays_empty(tmp_path):
    data = tmp_path / "state.db"
    with start_in_thread(seed="empty", data=data) as sandbox:
        assert listing(sandbox) == []
    with start_in_thread(seed="demo", data=data) as sandbox:
        assert listing(sandbox) == []  # an empty state is still a state
        requests.post(
            sandbox.url + "/__sandbox__/reset", json={"seed": {"assistants": 4}}, timeout=10
        )
        generated = listing(sandbox)
    with start_in_thread(data=data) as sandbox:
        assert listing(sandbox) == generated


def test_parallel_patches_of_different_fields_lose_none(api):
    created = api.create()
    path = f"/assistants/{created['id']}"
    changes = [
        {"name": "Parallel"},
        {"prompt": "New prompt"},
        {"first_sentence": "Hi!"},
        {"first_sentence_mode": "static"},
        {"first_sentence_delay_ms": 123},
        {"end_of_call_sentence": "Bye"},
        {"max_call_duration_secs": 77},
        {"voicemail_message": "Call back"},
        {"ivr_navigation_enabled": True},
        {"webhook_url": "https://example.com/h"},
        {"stt_model": "stt-rt-v4"},
        {"sms_enabled": True},
        {"sms_template": "t"},
        {"background_sound": "audio/office.ogg"},
        {"background_sound_volume": 0.9},
        {"thinking_sound": "hold_music.ogg"},
        {"thinking_sound_probability": 0.1},
        {"thinking_sound_volume": 0.8},
        {"from_phone_number": "+14155550100"},
        {"logo_url": "https://cdn.example.com/l.png"},
        {"faq_items": [{"question": "Q?", "answer": ""}]},
        {"llm_model": {"type": "dedicated-instance", "name": "ministral-3-8b-instruct"}},
    ]
    with ThreadPoolExecutor(max_workers=len(changes)) as pool:
        responses = list(pool.map(lambda body: api.patch(path, json=body), changes * 2))
    assert all(r.status_code == 200 for r in responses)
    final = api.get(path).json()
    for body in changes:
        for key, value in body.items():
            if key == "faq_items":
                assert [i["question"] for i in final[key]] == ["Q?"]
            else:
                assert final[key] == value, key
    stamps = [r.json()["assistant"]["updated_at"] for r in responses]
    assert len(set(stamps)) == len(stamps)  # every write got its own updated_at


def test_parallel_creates_are_all_kept(api):
    with ThreadPoolExecutor(max_workers=16) as pool:
        made = list(pool.map(lambda i: api.create(name=f"A{i}")["id"], range(48)))
    assert len(set(made)) == 48
    assert {a["id"] for a in api.get("/assistants").json()["assistants"]} == set(made)


def test_slow_requests_do_not_block_others(api):
    api.faults({"path": "/assistants", "delay_ms": 1500})
    with ThreadPoolExecutor(max_workers=2) as pool:
        slow = pool.submit(api.get, "/assistants")
        time.sleep(0.05)
        assert api.get("/voices").status_code == 200
        assert not slow.done()  # answered while the slow request was still held
        assert slow.result().status_code == 200


# --- command line -------------------------------------------------------------


def start_cli(*args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--ttl", "30", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    line = process.stdout.readline()
    match = re.fullmatch(r"Revox sandbox on (http://127\.0\.0\.1:\d+/api)  key: (\S+)\n", line)
    assert match, (line, process.stderr.read() if process.poll() is not None else "")
    return process, match.group(1)


def stop_cli(process: subprocess.Popen, sig: int = signal.SIGTERM) -> int:
    process.send_signal(sig)
    try:
        return process.wait(timeout=10)
    finally:
        process.stdout.close()
        process.stderr.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_url_and_key_and_stops_cleanly(sig):
    process, api_url = start_cli("--seed", "demo", "--api-key", "cli-key")
    try:
        response = requests.get(api_url + "/assistants", headers=auth("cli-key"), timeout=5)
        assert response.status_code == 200 and len(response.json()["assistants"]) >= 12
    finally:
        assert stop_cli(process, sig) == 0


def test_cli_default_key_and_persistence(tmp_path):
    data = str(tmp_path / "cli.sqlite3")
    process, api_url = start_cli("--data", data, "--seed", "demo")
    try:
        requests.post(
            api_url + "/assistants", headers=auth(), json={"name": "CLI", "prompt": "p"}, timeout=5
        )
    finally:
        assert stop_cli(process) == 0
    process, api_url = start_cli("--data", data)
    try:
        names = [
            a["name"]
            for a in requests.get(api_url + "/assistants", headers=auth(), timeout=5).json()[
                "assistants"
            ]
        ]
        assert names[-1] == "CLI" and len(names) >= 13
    finally:
        assert stop_cli(process) == 0


def test_cli_ttl_exits_by_itself():
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--ttl", "0.5"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().startswith("Revox sandbox on http://")
        assert process.wait(timeout=10) == 0
    finally:
        process.stdout.close()


def cli_refusal(*args: str) -> str:
    """Run the sandbox's command line with `args`: it refuses them as a usage error (exit 2).
    Returns what it said."""
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "--port", "0", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2, result
    return result.stderr


def test_cli_refuses_a_bad_seed():
    assert "--seed" in cli_refusal("--seed", "full")


def test_cli_seeds_a_call_history_of_the_size_asked():
    process, api_url = start_cli("--seed", "demo", "--calls-per-assistant", "7")
    try:
        body = {**SEARCH_ALL, "page_size": 1}
        found = requests.post(api_url + "/call/search", headers=auth(), json=body, timeout=5)
        assert found.json()["total_count"] == 7 * 13
    finally:
        assert stop_cli(process) == 0
    assert "--calls-per-assistant" in cli_refusal("--calls-per-assistant", "-1")


def _exchange(connection: http.client.HTTPConnection, method: str, path: str,
              body: bytes | None = None) -> tuple[int, bytes]:  # fmt: skip
    headers = {**auth(), "Content-Type": "application/json"}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def test_one_connection_carries_many_requests():
    """As Revox's servers do: a client's pooled connection is reused, call after call, through
    errors too; only what cannot be followed by another request closes it."""
    with start_in_thread(seed="demo") as sandbox:
        host, port = sandbox.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        assert _exchange(connection, "GET", "/api/assistants")[0] == 200
        sock = connection.sock
        assert sock is not None, "the sandbox closed the connection after one answer"
        status, body = _exchange(connection, "POST", "/api/assistants", b'{"name": ""}')
        assert status == 400 and b"name" in body
        created = _exchange(connection, "POST", "/api/assistants", json.dumps(
            {"name": "Kept alive", "prompt": "Hello"}).encode())  # fmt: skip
        assert created[0] == 200 and b"Kept alive" in created[1]
        assert _exchange(connection, "GET", "/api/voices")[0] == 200
        assert connection.sock is sock, "the connection was not kept between requests"

        # A dropped answer ends the connection; the next request opens a new one.
        rules = {"rules": [{"path": "/assistants", "drop": True, "times": 1}]}
        added = requests.post(sandbox.url + "/__sandbox__/faults", json=rules, timeout=5)
        assert added.status_code == 200, added.text
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            _exchange(connection, "GET", "/api/assistants")
        connection.close()
        assert _exchange(connection, "GET", "/api/assistants")[0] == 200


def test_a_stopped_sandbox_answers_no_kept_alive_connection():
    sandbox = start_in_thread(seed="demo")
    session = requests.Session()
    assert session.get(sandbox.api_url + "/assistants", headers=auth(), timeout=5).ok
    sandbox.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(sandbox.api_url + "/assistants", headers=auth(), timeout=5)


def test_a_body_left_unread_closes_the_connection():
    """A body the sandbox refuses unread (too large) must not be read as the next request."""
    with start_in_thread() as sandbox:
        host, port = sandbox.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            raw.sendall(
                b"POST /api/assistants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sandbox-key\r\n"
                b'Content-Type: application/json\r\nContent-Length: 99999999\r\n\r\n{"name": '
            )
            answer = b""
            while chunk := raw.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 413")
