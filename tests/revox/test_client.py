"""RevoxClient against the sandbox's faults: timeouts, retry rules, typed errors."""

from __future__ import annotations

import logging

import pytest

from assistants import revox as api
from assistants.revox import RevoxClient, RevoxConfig, get_client
from assistants.revox import client as api_client
from tests.localservers.processes import free_port


@pytest.fixture
def client(revox) -> RevoxClient:
    return get_client()


def test_it_speaks_every_endpoint(client, revox):
    created = client.create_assistant({"name": "Desk", "prompt": "Hi."})
    assert client.get_assistant(created["id"])["name"] == "Desk"
    assert [a["id"] for a in client.list_assistants()] == [created["id"]]
    updated = client.update_assistant(created["id"], {"name": "Desk 2"})
    assert updated.assistant["name"] == "Desk 2" and updated.unpatched_calls is None
    copy = client.clone_assistant(created["id"])
    assert copy["name"] == "Desk 2 (Copy)" and copy["id"] != created["id"]
    client.delete_assistant(copy["id"])
    assert revox.get_status(copy["id"]) == 404
    assert len(client.list_voices()) >= 30


@pytest.mark.parametrize("status", [500, 502, 503, 408])
def test_a_get_is_retried_after_a_passing_failure(client, revox, status):
    created = revox.create()
    revox.faults({"method": "GET", "path": "/assistants/*", "status": status, "times": 2})
    revox.clear_requests()
    assert client.get_assistant(created["id"])["id"] == created["id"]
    assert [r["status"] for r in revox.requests("GET")] == [status, status, 200]


def test_a_get_gives_up_after_two_retries(client, revox):
    revox.faults({"method": "GET", "path": "/assistants", "status": 503})
    revox.clear_requests()
    with pytest.raises(api.RevoxUnavailable) as failure:
        client.list_assistants()
    assert failure.value.status == 503
    assert len(revox.requests("GET")) == 3


def test_a_delete_is_retried_on_a_dropped_connection(client, revox):
    created = revox.create()
    revox.faults({"method": "DELETE", "path": "/assistants/*", "drop": True, "times": 1})
    client.delete_assistant(created["id"])
    assert revox.get_status(created["id"]) == 404


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize(
    "fault", [{"status": 503}, {"drop": True}, {"status": 429, "retry_after": 1}]
)
def test_writes_are_never_retried(client, revox, method, fault):
    created = revox.create()
    path = "/assistants" if method == "POST" else "/assistants/*"
    revox.faults({"method": method, "path": path, **fault})
    revox.clear_requests()
    with pytest.raises(api.RevoxError):
        if method == "POST":
            client.create_assistant({"name": "x", "prompt": "y"})
        else:
            client.update_assistant(created["id"], {"name": "x"})
    assert len(revox.requests(method)) == 1
    assert len(revox.list()) == 1


def test_429_honours_retry_after(client, revox, monkeypatch):
    waits = []
    monkeypatch.setattr(api_client.time, "sleep", waits.append)
    revox.faults({"method": "GET", "path": "/voices", "status": 429, "retry_after": 2, "times": 1})
    client.list_voices()
    assert waits == [2.0]


def test_a_retry_after_beyond_30_seconds_is_not_waited_for(client, revox, monkeypatch):
    waits = []
    monkeypatch.setattr(api_client.time, "sleep", waits.append)
    revox.faults({"method": "GET", "path": "/voices", "status": 429, "retry_after": 120})
    with pytest.raises(api.RevoxRateLimited) as failure:
        client.list_voices()
    assert failure.value.retry_after == 120 and waits == []


def test_backoff_is_capped_and_jittered():
    config = RevoxConfig(
        "http://x", "k", 1, 1, 2, backoff_base=1.0, backoff_max=3.0, retry_after_max=30
    )
    client = RevoxClient(config)
    delays = [client._retry_delay(api.RevoxUnavailable("x"), attempt) for attempt in range(6)]
    assert all(0 < d <= 3.0 for d in delays)
    assert delays[0] <= 1.0


def test_a_read_that_never_ends_times_out_and_is_not_retried(client, revox, settings):
    settings.REVOX_READ_TIMEOUT = 0.3
    revox.faults({"method": "GET", "path": "/assistants", "delay_ms": 3000})
    revox.clear_requests()
    with pytest.raises(api.RevoxTimeout):
        get_client().list_assistants()
    assert len(revox.requests("GET")) <= 1


def test_connection_refused_is_unavailable(settings):
    settings.REVOX_API_URL = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    with pytest.raises(api.RevoxUnavailable) as failure:
        get_client().list_assistants()
    assert "can't be reached" in str(failure.value)


def test_a_wrong_key_is_an_auth_error(revox, settings):
    settings.REVOX_API_KEY = "wrong-key"
    with pytest.raises(api.RevoxAuthError):
        get_client().list_assistants()


def test_an_unknown_id_is_not_found(client):
    with pytest.raises(api.RevoxNotFound):
        client.get_assistant("00000000-0000-0000-0000-000000000000")


def test_validation_errors_are_parsed_into_field_paths(client):
    with pytest.raises(api.RevoxValidationError) as failure:
        client.create_assistant(
            {"name": "x", "prompt": "y", "voice": {"id": "v", "provider": "cartesia", "speed": 9}}
        )
    assert "voice.speed" in failure.value.field_errors


@pytest.mark.parametrize(
    ("body", "fields", "general"),
    [
        ({"error": {"fields": {"a.b": ["bad"]}}}, {"a.b": ["bad"]}, []),
        ({"errors": {"name": "required"}}, {"name": ["required"]}, []),
        (
            {"issues": [{"path": ["voice", "speed"], "message": "too fast"}]},
            {"voice.speed": ["too fast"]},
            [],
        ),
        (
            {"detail": [{"loc": ["faq_items", 3, "question"], "msg": "missing"}]},
            {"faq_items.3.question": ["missing"]},
            [],
        ),
        ({"message": "Bad request"}, {}, ["Bad request"]),
        ({"error": "Nope"}, {}, ["Nope"]),
        (["just", "strings"], {}, ["just", "strings"]),
        ("text", {}, []),
        (None, {}, []),
    ],
)
def test_error_bodies_are_read_tolerantly(body, fields, general):
    assert api.parse_validation_body(body) == (fields, general)


def test_a_conflict_and_other_client_errors_are_typed(client, revox):
    revox.faults({"path": "/voices", "status": 409})
    with pytest.raises(api.RevoxConflict):
        client.list_voices()
    revox.faults({"path": "/voices", "status": 418})
    with pytest.raises(api.RevoxRequestError):
        client.list_voices()


@pytest.mark.parametrize(
    "body", ["not json", '{"voices": "nope"}', "[]", '{"assistant": {"no_id": 1}}']
)
def test_an_answer_that_is_not_what_was_documented_is_unavailable(client, revox, body):
    revox.faults({"path": "/voices", "body": body})
    with pytest.raises(api.RevoxUnavailable):
        client.list_voices()


def test_odd_entries_in_a_list_are_skipped_not_fatal(client, revox):
    revox.faults(
        {
            "path": "/assistants",
            "json": {"assistants": [{"id": "a", "name": "A"}, 3, {"name": "no id"}]},
        }
    )
    assert [a["id"] for a in client.list_assistants()] == ["a"]


def test_it_logs_method_path_status_and_never_the_key_or_a_body(client, revox, caplog, settings):
    caplog.set_level(logging.INFO, logger="assistants.revox")
    client.create_assistant(
        {
            "name": "Secretive",
            "prompt": "p",
            "llm_model": {
                "type": "custom",
                "api_url": "https://llm.example/v1",
                "api_key": "sk-canary-body",
                "model_name": "m",
            },
        }
    )
    text = caplog.text
    assert "POST /assistants 200" in text
    assert (
        settings.REVOX_API_KEY not in text
        and "sk-canary-body" not in text
        and "Secretive" not in text
    )
    assert settings.REVOX_API_KEY not in repr(client)


def test_proxy_settings_from_the_environment_are_honoured(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "")
    config = RevoxConfig("https://www.getrevox.com/api", "k", 1, 1, 0, 0, 0, 30)
    assert RevoxClient(config).session.proxies.get("https") == "http://proxy.internal:3128"
    monkeypatch.setenv("NO_PROXY", "getrevox.com")
    assert "https" not in RevoxClient(config).session.proxies


# -- the shapes Revox answers in, and the endpoints beyond assistants --------------------------


def test_a_retrieve_is_read_flat_or_wrapped(client, revox):
    created = revox.create(name="Desk")
    assert client.get_assistant(created["id"]) == created  # Revox's own shape: flat
    revox.retrieve_shape("wrapped")  # as some of Revox's documentation pages show it
    assert client.get_assistant(created["id"]) == created


@pytest.mark.parametrize(
    "body", ['{"name": "no id"}', "[]", '{"assistant": {"name": "no id"}}', '"text"', "null"]
)
def test_an_odd_retrieve_is_an_unreadable_answer(client, revox, body):
    created = revox.create()
    revox.faults({"method": "GET", "path": "/assistants/*", "body": body})
    with pytest.raises(api.RevoxUnavailable) as failure:
        client.get_assistant(created["id"])
    assert str(failure.value) == api.BAD_RESPONSE_MESSAGE


def test_a_patch_answer_carries_the_unpatched_calls_notice(client, revox):
    created = revox.create()
    revox.schedule_calls(created["id"], 3, ["first_name", "date"])
    answer = client.update_assistant(created["id"], {"name": "New"})
    assert answer.assistant["name"] == "New"
    assert answer.unpatched_calls == api.UnpatchedCalls(count=3, variables=["first_name", "date"])


@pytest.mark.parametrize(
    ("notice", "read"),
    [
        ({"count": 2, "variables": ["a", "a", 5, ""]}, api.UnpatchedCalls(2, ["a"])),
        ({"count": 1.0}, api.UnpatchedCalls(1, [])),
        ({"count": 0, "variables": ["a"]}, None),
        ({"count": "3", "variables": ["a"]}, None),
        ({"count": True}, None),
        ("3 calls", None),
        (None, None),
    ],
)
def test_an_odd_notice_is_read_tolerantly(client, revox, notice, read):
    created = revox.create()
    revox.faults({"method": "PATCH", "path": "/assistants/*", "apply": True,
                  "json": {"assistant": created, "unpatchedCallsNotice": notice}})  # fmt: skip
    assert client.update_assistant(created["id"], {"name": "x"}).unpatched_calls == read


def test_auth_status_is_true_false_or_unreadable(client, revox, settings):
    assert client.auth_status() is True
    settings.REVOX_API_KEY = "not-our-key"
    assert get_client().auth_status() is False  # the sandbox answers {"authenticated": false}
    revox.faults({"path": "/auth-status", "status": 401})  # a Revox that answers 401 instead
    assert get_client().auth_status() is False
    revox.faults({"path": "/auth-status", "json": {"authenticated": "yes"}})
    with pytest.raises(api.RevoxUnavailable):
        get_client().auth_status()


def test_a_voice_is_read_by_id(client, revox):
    voice = client.get_voice("Jq8RkW2vYz5nTbL4cXm7", provider="elevenlabs")
    assert voice["name"] == "George (Stackly clone)"
    with pytest.raises(api.RevoxNotFound):
        client.get_voice("nobody", provider="gradium")
    revox.faults({"path": "/voices/*", "json": {"voice": {"id": "x"}}})
    with pytest.raises(api.RevoxUnavailable):
        client.get_voice("x", provider="gradium")
    (request,) = [r for r in revox.requests("GET") if r["path"] == "/voices/x"]
    assert request["query"] == "provider=gradium"


def test_a_preview_is_audio_or_a_clear_error(client, revox):
    preview = client.preview_voice(
        {"provider": "gradium", "voiceId": "emma-en", "text": "Hi there.", "speed": 1.1}
    )
    assert preview.content_type == "audio/wav" and preview.audio.startswith(b"RIFF")
    with pytest.raises(api.RevoxValidationError) as refused:
        client.preview_voice({"provider": "gradium", "voiceId": "emma-en", "speed": 3})
    assert "speed" in refused.value.field_errors
    for fault in ({"json": {"ok": True}}, {"body": ""}, {"status": 200, "body": "<html>"}):
        revox.faults({"path": "/voices/preview", **fault})
        with pytest.raises(api.RevoxUnavailable):
            client.preview_voice({"provider": "gradium", "voiceId": "emma-en"})
    revox.faults({"path": "/voices/preview", "status": 503})
    with pytest.raises(api.RevoxUnavailable):
        client.preview_voice({"provider": "gradium", "voiceId": "emma-en"})
    assert len([r for r in revox.requests("POST") if r["status"] == 503]) == 1  # never retried
