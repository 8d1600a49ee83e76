"""The /__sandbox__ controls: reset, request log, suggest-faq, health, loopback-only."""

from __future__ import annotations

import io
import json

import pytest

from sandbox import demo
from sandbox.app import App, is_loopback
from sandbox.store import Store


def test_health(api):
    response = api.control("GET", "/health")
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_controls_need_no_key_but_unknown_ones_are_404(api):
    assert api.control("GET", "/nope").status_code == 404
    response = api.control("GET", "/reset")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"


def test_reset_demo(api):
    response = api.reset("demo")
    listed = api.get("/assistants").json()["assistants"]
    assert response.json() == {"assistants": len(listed), "calls": 2530} and len(listed) >= 12
    by_id = {a["id"]: a for a in listed}
    assert by_id[demo.DENTAL]["name"] == "Brightsmile Dental \u2013 Receptionist"
    assert {a["llm_model"]["type"] for a in listed} == {
        "dedicated-instance",
        "openrouter",
        "custom",
        "realtime",
    }
    assert {a["voice"]["provider"] for a in listed} == {"cartesia", "elevenlabs", "gradium"}
    assert any(a["type"] == "multi-step" for a in listed)
    for assistant in listed:
        assert 5 <= len(assistant["faq_items"]) <= 12, assistant["name"]
        assert assistant["pending_faq_count"] == sum(
            i["needs_human_answer"] for i in assistant["faq_items"]
        )
        assert 1000 <= len(assistant["prompt"].encode()) <= 4096, assistant["name"]
    pending = [i for a in listed for i in a["faq_items"] if i["needs_human_answer"]]
    assert pending and all(i["source"] == "ai" for i in pending)
    assert any(i["answer"] == "" for i in pending) and any(i["answer"] for i in pending)
    custom = next(a for a in listed if a["llm_model"]["type"] == "custom")
    assert custom["llm_model"]["api_key"].startswith("sk-demo-")
    assert any(
        field.get("type") == "enum" for a in listed for field in a["structured_output_config"] or []
    )
    # The demo is fixed: ids and timestamps do not move between resets.
    api.reset("demo")
    assert api.get("/assistants").json()["assistants"] == listed


def test_the_demo_keeps_its_fixed_ids_and_order(api):
    api.reset("demo")
    listed = api.get("/assistants").json()["assistants"]
    steps = [demo.PHYSIO_TRIAGE, demo.PHYSIO_BOOKING]
    # Oldest first, as FILES lists them; the steps of the flow are not listed but can be read.
    assert [a["id"] for a in listed] == [i for i in demo.FILES if i not in steps]
    for step in steps:
        assert api.get(f"/assistants/{step}").json()["type"] == "sub-assistant"
    dental = listed[0]
    assert (dental["id"], dental["created_at"], dental["updated_at"]) == (
        demo.DENTAL,
        "2026-09-14T08:12:31.417Z",
        "2026-11-12T16:40:08.902Z",
    )
    # FAQ ids are drawn from the assistant's id: the same in every checkout and every reset.
    assert [dental["faq_items"][0]["id"], dental["faq_items"][-1]["id"]] == [
        "4d81174b-53cc-4a8a-95b2-e0ae5c322525",
        "63ad1302-a630-4a4d-a83e-dd9bd5510271",
    ]
    assert dental["is_inbound_receptionist"] is True
    assert dental["prompt"].startswith("You are Katie") and not dental["prompt"].endswith("\n")


def test_reset_empty_clears_everything(api):
    api.create()
    api.faults({"path": "/voices", "status": 500})
    assert api.reset("empty").json() == {"assistants": 0, "calls": 0}
    assert api.get("/assistants").json() == {"assistants": []}
    assert api.get("/voices").status_code == 200  # faults cleared
    logged = api.control("GET", "/requests").json()["requests"]
    assert [e["path"] for e in logged] == ["/assistants", "/voices"]  # log cleared by the reset


def test_reset_generated_is_deterministic(api):
    seed = {"assistants": 25, "faqs_per_assistant": 7, "pending_ratio": 0.3, "prompt_bytes": 500}
    assert api.reset(seed).json() == {"assistants": 25, "calls": 0}
    first = api.get("/assistants").json()["assistants"]
    api.reset(seed)
    assert api.get("/assistants").json()["assistants"] == first
    assert all(len(a["prompt"]) == 500 and len(a["faq_items"]) == 7 for a in first)
    items = [i for a in first for i in a["faq_items"]]
    pending = sum(i["needs_human_answer"] for i in items) / len(items)
    assert 0.15 < pending < 0.45
    assert len({a["id"] for a in first}) == 25
    api.reset({**seed, "assistants": 26})
    assert api.get("/assistants").json()["assistants"][0]["id"] != first[0]["id"]


def test_reset_generated_defaults(api):
    api.reset({"assistants": 3})
    assert len(api.get("/assistants").json()["assistants"]) == 3


def test_reset_generates_the_benchmark_size(api):
    # How fast is bench/'s to measure: a wall-clock limit here only fails on a busy machine.
    response = api.reset(
        {"assistants": 2000, "faqs_per_assistant": 30, "pending_ratio": 0.1, "prompt_bytes": 4096}
    )
    assert response.json() == {"assistants": 2000, "calls": 0}
    listed = api.get("/assistants").json()["assistants"]
    assert len(listed) == 2000 and all(len(a["faq_items"]) == 30 for a in listed)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, "seed"),
        ({"seed": "full"}, "seed"),
        ({"seed": 3}, "seed"),
        ({"seed": {"assistants": -1}}, "seed.assistants"),
        ({"seed": {"assistants": 1.5}}, "seed.assistants"),
        ({"seed": {"faqs_per_assistant": 2}}, "seed.assistants"),
        ({"seed": {"assistants": 1, "pending_ratio": 2}}, "seed.pending_ratio"),
        ({"seed": {"assistants": 1, "prompt_bytes": 0}}, "seed.prompt_bytes"),
        ({"seed": {"assistants": 1, "colour": "red"}}, "seed.colour"),
        ({"seed": "demo", "also": 1}, "also"),
    ],
)
def test_bad_reset_is_refused(api, body, path):
    api.create()
    assert path in api.fields(api.control("POST", "/reset", json=body))
    assert len(api.get("/assistants").json()["assistants"]) == 1


def test_reset_needs_a_json_object(api):
    response = api.control("POST", "/reset", data=b"demo")
    assert response.status_code == 400 and response.json()["error"]["type"] == "invalid_json"


def test_request_log(api):
    created = api.create(name="Logged", faq_items=[])
    api.get("/assistants", params={"q": "1"})
    api.patch(f"/assistants/{created['id']}", data=b"[1, 2]")
    api.get("/nowhere")
    api.get("/voices", headers={"Authorization": "Bearer nope"})
    entries = api.control("GET", "/requests").json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/assistants", 200),
        ("GET", "/assistants", 200),
        ("PATCH", f"/assistants/{created['id']}", 400),
        ("GET", "/nowhere", 404),
        ("GET", "/voices", 401),
    ]
    assert entries[0]["body_keys"] == ["faq_items", "name", "prompt"]
    assert entries[1]["query"] == "q=1" and entries[1]["body_keys"] == []
    assert entries[2]["body_keys"] == []
    for entry in entries:
        assert set(entry) == {"method", "path", "query", "status", "duration_ms", "body_keys", "at"}
        assert entry["duration_ms"] >= 0
    # Never the bodies or header values.
    text = json.dumps(entries)
    assert "Logged" not in text and "sandbox-key" not in text and "nope" not in text
    assert api.control("DELETE", "/requests").status_code == 200
    assert api.control("GET", "/requests").json() == {"requests": []}


def test_controls_are_not_logged(api):
    api.control("GET", "/health")
    api.control("GET", "/faults")
    assert api.control("GET", "/requests").json() == {"requests": []}


def test_suggest_faq(api):
    created = api.create(faq_items=[{"question": "Hours?", "answer": "9-5"}])
    path = f"/assistants/{created['id']}/suggest-faq"
    response = api.control("POST", path, json={"question": "Do you deliver?", "answer": ""})
    assert response.status_code == 200
    assistant = response.json()["assistant"]
    assert assistant["pending_faq_count"] == 1
    item = assistant["faq_items"][-1]
    assert item["question"] == "Do you deliver?" and item["answer"] == ""
    assert item["source"] == "ai" and item["needs_human_answer"] is True and item["id"]
    assert assistant["updated_at"] > created["updated_at"]
    drafted = api.control(
        "POST", path, json={"question": "Weekend hours?", "answer": "Maybe 10-2"}
    ).json()
    assert drafted["assistant"]["faq_items"][-1]["needs_human_answer"] is True
    assert drafted["assistant"]["pending_faq_count"] == 2
    assert api.get(f"/assistants/{created['id']}").json() == drafted["assistant"]


def test_suggest_faq_errors(api):
    created = api.create()
    path = f"/assistants/{created['id']}/suggest-faq"
    assert "question" in api.fields(api.control("POST", path, json={"answer": "x"}))
    assert "question" in api.fields(api.control("POST", path, json={"question": " "}))
    assert "source" in api.fields(api.control("POST", path, json={"question": "q", "source": "ai"}))
    assert (
        api.control("POST", "/assistants/missing/suggest-faq", json={"question": "q"}).status_code
        == 404
    )


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("127.8.9.1") and is_loopback("::1")
    assert is_loopback("::ffff:127.0.0.1")
    assert not is_loopback("10.0.0.4") and not is_loopback("192.168.1.10") and not is_loopback("")
    assert not is_loopback("not an address")


def call_app(app: App, method: str, path: str, remote: str, body: bytes = b"") -> tuple[str, dict]:
    captured: dict = {}

    def start_response(status: str, headers: list) -> None:
        captured["status"] = status

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "REMOTE_ADDR": remote,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    payload = b"".join(app(environ, start_response))
    return captured["status"], json.loads(payload)


@pytest.mark.parametrize("remote", ["10.0.0.4", "192.168.1.20", "2001:db8::1"])
def test_controls_refuse_other_addresses(remote):
    app = App(store=Store())
    for method, path in [
        ("GET", "/__sandbox__/health"),
        ("POST", "/__sandbox__/reset"),
        ("GET", "/__sandbox__/requests"),
    ]:
        status, payload = call_app(app, method, path, remote, b'{"seed": "demo"}')
        assert status.startswith("403")
        assert payload["error"]["type"] == "forbidden"
    # The API itself answers anyone with the key.
    status, _ = call_app(app, "GET", "/api/voices", remote)
    assert status.startswith("401")
    assert call_app(app, "GET", "/__sandbox__/health", "127.0.0.1")[0].startswith("200")


def test_scheduled_calls_make_every_patch_carry_a_notice(api):
    created = api.create()
    path = f"/assistants/{created['id']}/scheduled-calls"
    plain = api.patch(f"/assistants/{created['id']}", json={"name": "One"}).json()
    assert set(plain) == {"assistant"}

    set_up = api.control("POST", path, json={"count": 3, "variables": ["first_name", "date"]})
    assert set_up.json() == {"scheduled_calls": {"count": 3, "variables": ["first_name", "date"]}}
    for name in ("Two", "Three"):
        answer = api.patch(f"/assistants/{created['id']}", json={"name": name}).json()
        assert answer["unpatchedCallsNotice"] == {"count": 3, "variables": ["first_name", "date"]}
        assert answer["assistant"]["name"] == name
    assert api.control("GET", path).json()["scheduled_calls"]["count"] == 3

    api.control("DELETE", path)
    assert set(api.patch(f"/assistants/{created['id']}", json={}).json()) == {"assistant"}
    api.control("POST", path, json={"count": 1, "variables": ["x"]})
    api.reset("empty")  # a reset forgets them
    assert api.control("GET", "/assistants/missing/scheduled-calls").status_code == 404


def test_scheduled_calls_are_checked(api):
    created = api.create()
    path = f"/assistants/{created['id']}/scheduled-calls"
    fields = api.fields(api.control("POST", path, json={"count": 0, "variables": "x", "y": 1}))
    assert set(fields) == {"count", "variables", "y"}


def test_legacy_fields_plant_what_an_older_revox_stored(api):
    created = api.create()
    path = f"/assistants/{created['id']}/legacy-fields"
    planted = api.control(
        "POST", path, json={"transfer_phone_number": "+61395550123", "voice": None}
    ).json()["assistant"]
    assert planted["transfer_phone_number"] == "+61395550123" and planted["voice"] is None
    assert planted["updated_at"] > created["updated_at"]
    assert api.get(f"/assistants/{created['id']}").json() == planted
    # Writes still follow today's rules.
    refused = api.patch(f"/assistants/{created['id']}", json={"transfer_phone_number": None})
    assert api.fields(refused) == {"transfer_phone_number": ["unknown field"]}
    assert api.fields(api.control("POST", path, json={"id": "x"})) == {"id": ["read-only field"]}
