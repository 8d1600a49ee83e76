"""Injected faults: each kind, expiry, matching, and how they show in the log."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from sandbox.faults import glob_to_regex


def test_status_with_retry_after(api):
    api.faults({"method": "GET", "path": "/assistants", "status": 429, "retry_after": 2})
    response = api.get("/assistants")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert response.json() == {"error": {"type": "fault", "message": "Injected fault"}}
    assert response.headers["x-request-id"]


@pytest.mark.parametrize("status", [500, 502, 503, 504, 409, 404])
def test_any_status(api, status):
    api.faults({"path": "/voices", "status": status})
    assert api.get("/voices").status_code == status


def test_times_expires_the_rule(api):
    api.faults(
        {"method": "PATCH", "path": "/assistants/*", "status": 503, "times": 2, "retry_after": 1}
    )
    created = api.create()
    path = f"/assistants/{created['id']}"
    assert [api.patch(path, json={"name": "x"}).status_code for _ in range(3)] == [503, 503, 200]
    shown = api.control("GET", "/faults").json()["rules"][0]
    assert shown["fired"] == 2 and shown["remaining"] == 0
    assert shown["status"] == 503


def test_faults_do_not_touch_other_methods_or_paths(api):
    api.faults({"method": "PATCH", "path": "/assistants/*", "status": 503})
    created = api.create()
    assert api.get(f"/assistants/{created['id']}").status_code == 200
    assert api.get("/assistants").status_code == 200
    assert api.post(f"/assistants/{created['id']}/clone").status_code == 200
    assert api.patch(f"/assistants/{created['id']}", json={}).status_code == 503


def test_method_is_case_insensitive(api):
    api.faults({"method": "get", "path": "/voices", "status": 500})
    assert api.get("/voices").status_code == 500


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/assistants/*", "/assistants/abc", True),
        ("/assistants/*", "/assistants/abc/clone", False),
        ("/assistants/*", "/assistants", False),
        ("/assistants/**", "/assistants/abc/clone", True),
        ("/assistants/*/clone", "/assistants/abc/clone", True),
        ("/**", "/voices", True),
        ("/assistants", "/assistants", True),
        ("/assistants", "/assistants/abc", False),
        ("/assist*", "/assistants", True),
        ("/a.c", "/abc", False),
    ],
)
def test_path_globs(pattern, path, matches):
    assert (glob_to_regex(pattern).fullmatch(path) is not None) is matches


def test_glob_over_http(api):
    created = api.create()
    api.faults({"path": "/assistants/*", "status": 418})
    assert api.get(f"/assistants/{created['id']}").status_code == 418
    assert api.post(f"/assistants/{created['id']}/clone").status_code == 200
    api.faults({"path": "/assistants/**", "status": 418})
    assert api.post(f"/assistants/{created['id']}/clone").status_code == 418


def test_first_matching_rule_wins(api):
    api.faults(
        {"path": "/voices", "status": 502, "times": 1},
        {"path": "/voices", "status": 503},
        {"path": "/**", "status": 504},
    )
    assert [api.get("/voices").status_code for _ in range(3)] == [502, 503, 503]
    assert api.get("/assistants").status_code == 504


def test_delay_then_normal_handling(api):
    api.faults({"path": "/voices", "delay_ms": 300})
    started = time.perf_counter()
    response = api.get("/voices")
    assert time.perf_counter() - started >= 0.3
    assert response.status_code == 200 and response.json()["voices"]


def test_delay_lets_a_client_time_out(api):
    api.faults({"path": "/assistants", "delay_ms": 1000})
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(api.sandbox.api_url + "/assistants", headers=api.auth, timeout=0.3)
    # Let the abandoned request finish here, not in the middle of the next test.
    deadline = time.monotonic() + 5
    while not api.control("GET", "/requests").json()["requests"] and time.monotonic() < deadline:
        time.sleep(0.05)


def test_delay_with_status(api):
    api.faults({"path": "/voices", "delay_ms": 200, "status": 503})
    started = time.perf_counter()
    assert api.get("/voices").status_code == 503
    assert time.perf_counter() - started >= 0.2


def test_latency_applies_to_every_api_request(api):
    api.faults(latency_ms=150)
    for path in ("/voices", "/assistants"):
        started = time.perf_counter()
        assert api.get(path).status_code == 200
        assert time.perf_counter() - started >= 0.15
    # Controls are never slowed: with a minute of latency a slowed one would time out.
    api.faults(latency_ms=60_000)
    assert api.control("GET", "/health").status_code == 200


def test_body_not_json(api):
    api.faults({"path": "/voices", "body": "not json"})
    response = api.get("/voices")
    assert response.status_code == 200
    assert response.text == "not json"
    assert response.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError):
        response.json()


def test_body_with_status(api):
    api.faults({"path": "/voices", "body": "<html>Bad gateway</html>", "status": 502})
    response = api.get("/voices")
    assert response.status_code == 502 and response.text == "<html>Bad gateway</html>"


@pytest.mark.parametrize(
    "payload",
    [
        {"assistants": [{"id": "x"}]},  # missing fields
        {"assistant": {"id": "x", "name": "n", "surprise": True}},  # unexpected ones
        {"voices": "none"},
        [],
        None,
    ],
)
def test_json_body(api, payload):
    api.faults({"path": "/**", "json": payload})
    response = api.get("/assistants")
    assert response.status_code == 200
    assert response.json() == payload


def test_validation_errors_shape(api):
    api.faults(
        {
            "method": "POST",
            "path": "/assistants",
            "status": 422,
            "errors": {"voice.speed": ["too fast"], "name": "taken"},
        }
    )
    response = api.post("/assistants", json={"name": "n", "prompt": "p"})
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "type": "validation_error",
            "message": "Invalid request body",
            "fields": {"voice.speed": ["too fast"], "name": ["taken"]},
        }
    }
    assert api.get("/assistants").json() == {"assistants": []}  # nothing was written


def test_errors_without_status_answer_400(api):
    api.faults({"path": "/assistants", "errors": {"prompt": ["required"]}})
    assert api.post("/assistants", json={}).status_code == 400


def test_drop_closes_the_connection_without_an_answer(api):
    api.faults({"path": "/assistants/*", "drop": True, "times": 1})
    created = api.create()
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get(f"/assistants/{created['id']}")
    assert api.get(f"/assistants/{created['id']}").status_code == 200
    logged = [e for e in api.control("GET", "/requests").json()["requests"] if e["method"] == "GET"]
    assert logged[0]["status"] is None and logged[1]["status"] == 200


def test_cut_after_bytes_sends_the_start_of_the_answer_then_closes(api):
    for number in range(3):
        api.create(name=f"Assistant {number}")
    whole = api.get("/assistants").content
    api.faults({"method": "GET", "path": "/assistants", "cut_after_bytes": 100, "times": 1})
    response = requests.get(
        api.sandbox.api_url + "/assistants",
        headers={"Authorization": f"Bearer {api.sandbox.api_key}"},
        stream=True,
        timeout=5,
    )
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(whole))
    received = b""
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for chunk in response.iter_content(1):
            received += chunk
    assert received == whole[:100]
    assert api.get("/assistants").content == whole  # once only


def test_apply_writes_then_answers_the_fault(api):
    created = api.create(name="Before")
    api.faults(
        {"method": "PATCH", "path": "/assistants/*", "status": 504, "apply": True, "times": 1}
    )
    response = api.patch(f"/assistants/{created['id']}", json={"name": "After"})
    assert response.status_code == 504
    assert api.get(f"/assistants/{created['id']}").json()["name"] == "After"


def test_apply_with_drop_writes_then_drops(api):
    api.faults({"method": "POST", "path": "/assistants", "drop": True, "apply": True})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("/assistants", json={"name": "Ghost", "prompt": "p"})
    api.control("DELETE", "/faults")
    assert [a["name"] for a in api.get("/assistants").json()["assistants"]] == ["Ghost"]


def test_apply_with_a_delay_writes_before_the_client_times_out(api):
    created = api.create(name="Before")
    api.faults({"method": "PATCH", "path": "/assistants/*", "delay_ms": 1500, "apply": True})
    url = f"{api.sandbox.api_url}/assistants/{created['id']}"
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.patch(url, json={"name": "After"}, headers=api.auth, timeout=0.3)
    # Read while the sandbox still holds the answer back: the write is already there.
    assert api.get(f"/assistants/{created['id']}").json()["name"] == "After"
    assert api.get(f"/assistants/{created['id']}").json()["name"] == "After"


def test_without_apply_nothing_is_written(api):
    api.faults({"method": "POST", "path": "/assistants", "status": 500})
    assert api.post("/assistants", json={"name": "n", "prompt": "p"}).status_code == 500
    api.control("DELETE", "/faults")
    assert api.get("/assistants").json() == {"assistants": []}


def test_faults_come_before_auth(api):
    api.faults({"path": "/voices", "status": 503})
    assert requests.get(api.sandbox.api_url + "/voices", timeout=5).status_code == 503


def test_post_replaces_get_shows_delete_clears(api):
    api.faults({"path": "/voices", "status": 500}, latency_ms=5)
    api.faults({"path": "/assistants", "status": 502})
    shown = api.control("GET", "/faults").json()
    assert shown["latency_ms"] == 0
    assert [rule["path"] for rule in shown["rules"]] == ["/assistants"]
    assert api.get("/voices").status_code == 200
    response = api.control("DELETE", "/faults")
    assert response.status_code == 200
    assert api.control("GET", "/faults").json() == {"latency_ms": 0, "rules": []}
    assert api.get("/assistants").status_code == 200


@pytest.mark.parametrize(
    ("config", "path"),
    [
        ({"rules": [{"path": "/voices"}]}, "rules.0"),
        ({"rules": [{"path": "voices", "status": 500}]}, "rules.0.path"),
        ({"rules": [{"status": 99}]}, "rules.0.status"),
        ({"rules": [{"status": "500"}]}, "rules.0.status"),
        ({"rules": [{"status": 500, "times": 0}]}, "rules.0.times"),
        ({"rules": [{"status": 500, "retry_after": -1}]}, "rules.0.retry_after"),
        ({"rules": [{"delay_ms": "slow"}]}, "rules.0.delay_ms"),
        ({"rules": [{"drop": "yes"}]}, "rules.0.drop"),
        ({"rules": [{"drop": True, "status": 500}]}, "rules.0.drop"),
        ({"rules": [{"cut_after_bytes": -1}]}, "rules.0.cut_after_bytes"),
        ({"rules": [{"cut_after_bytes": 10, "drop": True}]}, "rules.0.cut_after_bytes"),
        ({"rules": [{"body": 5}]}, "rules.0.body"),
        ({"rules": [{"body": "x", "json": {}}]}, "rules.0.body"),
        ({"rules": [{"status": 400, "errors": ["x"]}]}, "rules.0.errors"),
        ({"rules": [{"status": 500, "sometimes": True}]}, "rules.0.sometimes"),
        ({"rules": "all"}, "rules"),
        ({"rules": [], "latency_ms": -5}, "latency_ms"),
        ({"rules": [], "chaos": 1}, "chaos"),
    ],
)
def test_bad_fault_configs_are_refused(api, config, path):
    response = api.control("POST", "/faults", json=config)
    assert path in api.fields(response)
    assert api.control("GET", "/faults").json() == {"latency_ms": 0, "rules": []}


def test_faulted_requests_are_logged(api):
    api.faults({"path": "/voices", "status": 503, "times": 1})
    api.get("/voices")
    api.get("/voices")
    statuses = [e["status"] for e in api.control("GET", "/requests").json()["requests"]]
    assert statuses == [503, 200]


def test_a_write_still_waiting_when_the_sandbox_is_reset_is_never_applied(api):
    created = api.create(name="Before the reset")
    api.faults({"method": "PATCH", "path": "/assistants/*", "delay_ms": 600})
    answers = []
    writer = threading.Thread(
        target=lambda: answers.append(
            api.patch(f"/assistants/{created['id']}", json={"name": "Late"})
        )
    )
    writer.start()
    time.sleep(0.2)
    api.reset("empty")
    again = api.create(name="After the reset")
    writer.join(timeout=5)
    assert answers[0].status_code == 503 and answers[0].json()["error"]["type"] == "reset"
    assert [a["name"] for a in api.get("/assistants").json()["assistants"]] == [again["name"]]
    logged = [
        (e["method"], e["status"]) for e in api.control("GET", "/requests").json()["requests"]
    ]
    assert logged == [("POST", 200), ("GET", 200)]  # the stale PATCH is not in the new log
