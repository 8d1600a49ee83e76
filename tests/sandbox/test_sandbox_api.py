"""The /api endpoints: shapes, defaults, semantics and the HTTP-level errors."""

from __future__ import annotations

import re

import pytest
import requests

from sandbox import demo
from sandbox.validation import ASSISTANT_FIELDS

ISO_MS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
READ_ONLY = {
    "id",
    "organization_id",
    "created_at",
    "updated_at",
    "created_by",
    "pending_faq_count",
    "is_inbound_receptionist",
    "is_realestate_assistant",
    "faq_items",
}
# Every key of the SDK's retrieve response, and no other.
ALL_KEYS = set(ASSISTANT_FIELDS) | READ_ONLY


def test_list_starts_empty(api):
    response = api.get("/assistants")
    assert response.status_code == 200
    assert response.json() == {"assistants": []}
    assert response.headers["Content-Type"] == "application/json"


def test_create_answers_the_full_newest_shape_with_defaults(api):
    response = api.post("/assistants", json={"name": "Front desk", "prompt": "Answer calls."})
    assert response.status_code == 200
    assistant = response.json()["assistant"]
    assert set(assistant) == ALL_KEYS
    assert UUID4.fullmatch(assistant["id"])
    assert ISO_MS.fullmatch(assistant["created_at"])
    assert assistant["updated_at"] == assistant["created_at"]
    assert set(assistant["created_by"]) == {"id", "email", "first_name", "last_name"}
    expected_defaults = {
        "name": "Front desk",
        "prompt": "Answer calls.",
        "type": "standalone",
        "first_sentence": None,
        "first_sentence_mode": "generated",
        "first_sentence_delay_ms": 400,
        "ivr_navigation_enabled": False,
        "sms_enabled": False,
        "background_sound": None,
        "background_sound_volume": 0.3,
        "thinking_sound": None,
        "thinking_sound_probability": 0.5,
        "thinking_sound_volume": 0.3,
        "max_call_duration_secs": 600,
        "stt_model": "stt-rt-v5",
        "llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"},
        "call_retry_config": None,
        "custom_tools": None,
        "faq_items": [],
        "pending_faq_count": 0,
        "is_inbound_receptionist": False,
        "is_realestate_assistant": False,
    }
    assert {key: assistant[key] for key in expected_defaults} == expected_defaults
    assert assistant["voice"]["provider"] == "cartesia"
    voice_ids = {voice["id"] for voice in api.get("/voices").json()["voices"]}
    assert assistant["voice"]["id"] in voice_ids


def test_one_organization_per_sandbox(api):
    first = api.create(name="One")
    second = api.create(name="Two")
    assert first["organization_id"] == second["organization_id"]
    assert first["id"] != second["id"]


def test_retrieve_and_list(api):
    created = api.create(name="Listed")
    response = api.get(f"/assistants/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created  # the assistant itself, not wrapped (like Revox)
    assert api.get("/assistants").json() == {"assistants": [created]}


def test_retrieve_can_answer_the_wrapped_shape_some_docs_show(api):
    created = api.create(name="Wrapped")
    assert api.control("POST", "/retrieve-shape", json={"shape": "wrapped"}).json() == {
        "shape": "wrapped"
    }
    assert api.get(f"/assistants/{created['id']}").json() == {"assistant": created}
    assert api.control("GET", "/retrieve-shape").json() == {"shape": "wrapped"}
    api.reset("empty")
    assert api.control("GET", "/retrieve-shape").json() == {"shape": "flat"}
    refused = api.control("POST", "/retrieve-shape", json={"shape": "boxed"})
    assert "shape" in api.fields(refused)


def test_trailing_slash_is_the_same_resource(api):
    created = api.create()
    assert api.get("/assistants/").json()["assistants"][0]["id"] == created["id"]
    assert api.get(f"/assistants/{created['id']}/").status_code == 200


def test_patch_changes_only_the_fields_sent(api):
    created = api.create(first_sentence="Hello!", sms_enabled=True)
    response = api.patch(f"/assistants/{created['id']}", json={"name": "Renamed"})
    assert response.status_code == 200
    updated = response.json()["assistant"]
    assert updated["name"] == "Renamed"
    unchanged = {k: v for k, v in created.items() if k not in ("name", "updated_at")}
    assert {k: updated[k] for k in unchanged} == unchanged
    assert updated["updated_at"] > created["updated_at"]
    assert api.get(f"/assistants/{created['id']}").json() == updated


def test_patch_null_clears_a_nullable_field(api):
    created = api.create(
        first_sentence="Hi",
        webhook_url="https://example.com/hook",
        from_phone_number="+14155550100",
        sms_template="Hi {{name}}",
        calendly={"connection_id": "c", "event_type_id": "e"},
        call_retry_config={
            "calling_windows": [],
            "max_retry_attempts": 2,
            "allowed_days": ["monday"],
            "call_twice_in_a_row": False,
        },
    )
    body = {"from_phone_number": None, "sms_template": None, "calendly": None, "custom_tools": None}
    updated = api.patch(f"/assistants/{created['id']}", json=body).json()["assistant"]
    assert {key: updated[key] for key in body} == body
    # The SDK types these as plain values: "" or [] says "none", null is refused.
    cleared = {"first_sentence": "", "webhook_url": "", "structured_output_config": []}
    updated = api.patch(f"/assistants/{created['id']}", json=cleared).json()["assistant"]
    assert {key: updated[key] for key in cleared} == cleared
    body = {"first_sentence": None, "webhook_url": None, "voice": None, "call_retry_config": None}
    refused = api.patch(f"/assistants/{created['id']}", json=body)
    assert api.fields(refused) == {key: ["must not be null"] for key in body}


def test_patch_nested_objects_are_replaced_whole(api):
    created = api.create(voice={"id": "emma-en", "provider": "gradium", "speed": 1.2})
    updated = api.patch(
        f"/assistants/{created['id']}", json={"voice": {"id": "liam-en", "provider": "gradium"}}
    ).json()["assistant"]
    assert updated["voice"] == {"id": "liam-en", "provider": "gradium"}


def test_updated_at_strictly_increases_on_every_write(api):
    created = api.create()
    stamps = [created["updated_at"]]
    for index in range(15):
        response = api.patch(f"/assistants/{created['id']}", json={"name": f"n{index}"})
        stamps.append(response.json()["assistant"]["updated_at"])
    assert all(ISO_MS.fullmatch(stamp) for stamp in stamps)
    assert stamps == sorted(set(stamps))  # strictly increasing, no two equal
    assert api.get(f"/assistants/{created['id']}").json()["created_at"] == created["created_at"]


def test_faq_items_sent_replace_all_and_get_server_fields(api):
    created = api.create(
        faq_items=[
            {"question": "Opening hours?", "answer": "9 to 5."},
            {"question": "Parking?", "answer": "   "},
        ]
    )
    items = created["faq_items"]
    assert [item["question"] for item in items] == ["Opening hours?", "Parking?"]
    assert all(UUID4.fullmatch(item["id"]) for item in items)
    assert [item["source"] for item in items] == ["human", "human"]
    assert [item["needs_human_answer"] for item in items] == [False, True]
    assert created["pending_faq_count"] == 1

    replaced = api.patch(
        f"/assistants/{created['id']}",
        json={"faq_items": [{"question": "Pets?", "answer": "Yes."}]},
    ).json()["assistant"]
    assert [item["question"] for item in replaced["faq_items"]] == ["Pets?"]
    assert replaced["faq_items"][0]["id"] not in {item["id"] for item in items}
    assert replaced["pending_faq_count"] == 0

    emptied = api.patch(f"/assistants/{created['id']}", json={"faq_items": []}).json()["assistant"]
    assert emptied["faq_items"] == []


def test_patch_without_faq_items_keeps_them(api):
    created = api.create(faq_items=[{"question": "Q?", "answer": "A."}])
    updated = api.patch(f"/assistants/{created['id']}", json={"name": "x"}).json()["assistant"]
    assert updated["faq_items"] == created["faq_items"]


def test_clone_copies_everything_with_a_new_identity(api):
    api.reset("demo")
    original = api.get(f"/assistants/{demo.DENTAL}").json()
    response = api.post(f"/assistants/{demo.DENTAL}/clone")
    assert response.status_code == 200
    copy = response.json()["assistant"]
    assert copy["id"] != original["id"] and UUID4.fullmatch(copy["id"])
    assert copy["name"] == original["name"] + " (Copy)"
    assert copy["created_at"] > original["updated_at"]
    assert copy["updated_at"] == copy["created_at"]
    same = {k for k in original if k not in ("id", "name", "created_at", "updated_at", "faq_items")}
    assert {k: copy[k] for k in same} == {k: original[k] for k in same}
    # FAQ items keep their text, source and pending state, under new ids.
    strip = lambda items: [{k: v for k, v in item.items() if k != "id"} for item in items]  # noqa: E731
    assert strip(copy["faq_items"]) == strip(original["faq_items"])
    assert not {i["id"] for i in copy["faq_items"]} & {i["id"] for i in original["faq_items"]}
    assert copy["pending_faq_count"] == original["pending_faq_count"] > 0
    listed = [a["id"] for a in api.get("/assistants").json()["assistants"]]
    assert listed[-1] == copy["id"]
    # The copy is independent of the original.
    api.patch(f"/assistants/{copy['id']}", json={"faq_items": []})
    assert api.get(f"/assistants/{demo.DENTAL}").json() == original


def test_delete_then_every_use_of_the_id_is_404(api):
    created = api.create()
    response = api.delete(f"/assistants/{created['id']}")
    assert response.status_code == 200
    assert response.json() == {"success": True}
    path = f"/assistants/{created['id']}"
    for method, url, body in [
        ("GET", path, None),
        ("PATCH", path, {"name": "x"}),
        ("DELETE", path, None),
        ("POST", path + "/clone", None),
    ]:
        response = api.request(method, url, json=body)
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["type"] == "not_found"
    assert api.get("/assistants").json() == {"assistants": []}


def test_unknown_id_is_404_even_with_a_bad_body(api):
    response = api.patch("/assistants/does-not-exist", json={"name": None})
    assert response.status_code == 404


def test_sub_assistants_are_hidden_from_the_list_but_readable(api):
    api.reset("demo")
    listed = {a["id"] for a in api.get("/assistants").json()["assistants"]}
    assert demo.PHYSIO_FLOW in listed
    for step in (demo.PHYSIO_TRIAGE, demo.PHYSIO_BOOKING):
        assert step not in listed
        assistant = api.get(f"/assistants/{step}").json()
        assert assistant["type"] == "sub-assistant"
    made = api.create(type="sub-assistant")
    assert made["id"] not in {a["id"] for a in api.get("/assistants").json()["assistants"]}


def test_voices_catalogue(api):
    response = api.get("/voices")
    assert response.status_code == 200
    voices = response.json()["voices"]
    assert len(voices) >= 30
    assert {v["provider"] for v in voices} == {"cartesia", "elevenlabs", "gradium"}
    assert {"en", "fr", "es", "de", "it", "pt"} <= {v["language"] for v in voices}
    assert {"american", "british", "australian", "quebec"} <= {v["accent"] for v in voices}
    assert {"male", "female"} <= {v["gender"] for v in voices}
    assert any(v["isCloned"] for v in voices)
    assert len({v["id"] for v in voices}) == len(voices)
    for voice in voices:
        assert {
            "id",
            "name",
            "description",
            "provider",
            "language",
            "accent",
            "gender",
            "isCloned",
        } <= set(voice)
        if voice["provider"] == "cartesia":
            assert UUID4.fullmatch(voice["id"])
            assert voice["modelCompat"] in ("universal", "sonic-3", "sonic-3.5")
        elif voice["provider"] == "elevenlabs":
            assert re.fullmatch(r"[A-Za-z0-9]{20}", voice["id"])
        else:
            assert re.fullmatch(r"[a-z]+-[a-z]{2}", voice["id"])


# --- HTTP-level errors ----------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-key"},
        {"Authorization": "sandbox-key"},
        {"Authorization": "Basic sandbox-key"},
        {"Authorization": "Bearer"},
    ],
)
def test_missing_or_wrong_key_is_401(api, headers):
    for method, path in [
        ("GET", "/assistants"),
        ("POST", "/assistants"),
        ("GET", "/voices"),
        ("GET", "/nope"),
    ]:
        response = requests.request(method, api.sandbox.api_url + path, headers=headers, timeout=5)
        assert response.status_code == 401
        assert response.json()["error"]["type"] == "unauthorized"
        assert response.json()["error"]["message"]


def test_bearer_scheme_is_case_insensitive(api):
    response = requests.get(
        api.sandbox.api_url + "/voices", headers={"Authorization": "bearer sandbox-key"}, timeout=5
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/nope", "/assistants/x/y", "/assistants/x/clone/z", "", "/voices/x/y"]
)
def test_unknown_api_path_is_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "not_found"


def test_paths_outside_api_are_404_json(api):
    response = requests.get(api.sandbox.url + "/assistants", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/assistants", "GET, POST"),
        ("DELETE", "/assistants", "GET, POST"),
        ("POST", "/assistants/some-id", "GET, PATCH, DELETE"),
        ("PUT", "/assistants/some-id", "GET, PATCH, DELETE"),
        ("GET", "/assistants/some-id/clone", "POST"),
        ("POST", "/voices", "GET"),
    ],
)
def test_wrong_method_is_405_with_allow(api, method, path, allow):
    response = api.request(method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    assert response.json()["error"]["type"] == "method_not_allowed"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"{",
        b'{"name": "x",}',
        b"\xff\xfe",
        b"NaN",
        b'{"n": NaN}',
        b'{"n": 1e999}',
        b"[" * 100_000,
    ],
)
def test_body_that_is_not_json_is_400(api, raw):
    created = api.create()
    for method, path in [("POST", "/assistants"), ("PATCH", f"/assistants/{created['id']}")]:
        response = api.request(method, path, data=raw, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, raw
        assert response.json()["error"]["type"] == "invalid_json"


@pytest.mark.parametrize("raw", [b"[]", b'"name"', b"42", b"null", b"true"])
def test_body_that_is_not_an_object_is_400(api, raw):
    response = api.post("/assistants", data=raw)
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "invalid_json",
        "message": "Request body must be a JSON object",
    }


def test_every_answer_has_a_request_id(api):
    created = api.create()
    answers = [
        api.get("/assistants"),
        api.get(f"/assistants/{created['id']}"),
        api.get("/assistants/missing"),
        api.request("PUT", "/assistants"),
        api.post("/assistants", data=b"x"),
        api.post("/assistants", json={}),
        requests.get(api.sandbox.api_url + "/voices", timeout=5),
        api.control("GET", "/health"),
        requests.get(api.sandbox.url + "/elsewhere", timeout=5),
    ]
    ids = [answer.headers.get("x-request-id") for answer in answers]
    assert all(ids), ids
    assert len(set(ids)) == len(ids)


def test_a_sent_request_id_is_echoed(api):
    response = api.get("/voices", headers={"X-Request-Id": "dash-42.abc"})
    assert response.headers["x-request-id"] == "dash-42.abc"


# --- voices by id, voice previews, the key check ------------------------------


def test_a_voice_by_id_is_found_in_the_catalogue_and_beyond_it(api):
    listed = api.get("/voices").json()["voices"]
    katie = next(v for v in listed if v["name"] == "Katie")
    response = api.get(f"/voices/{katie['id']}", params={"provider": "cartesia"})
    assert response.status_code == 200
    assert response.json() == {
        "voice": {"id": katie["id"], "name": "Katie", "description": katie["description"]}
    }
    # A voice of the provider account that Revox's list does not show.
    clone = api.get("/voices/Jq8RkW2vYz5nTbL4cXm7", params={"provider": "elevenlabs"}).json()
    assert clone["voice"]["name"] == "George (Stackly clone)"
    assert "Jq8RkW2vYz5nTbL4cXm7" not in {v["id"] for v in listed}


def test_a_voice_by_id_needs_its_provider_and_must_exist(api):
    assert api.fields(api.get("/voices/emma-en")) == {"provider": ["required"]}
    assert "provider" in api.fields(api.get("/voices/emma-en", params={"provider": "azure"}))
    wrong_provider = api.get("/voices/emma-en", params={"provider": "cartesia"})
    assert wrong_provider.status_code == 404
    assert wrong_provider.json()["error"]["type"] == "not_found"


def wav_of(response: requests.Response) -> tuple[float, int]:
    """(duration in seconds, peak sample) of a WAV answer."""
    import array
    import io
    import wave

    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as sound:
        assert (sound.getnchannels(), sound.getsampwidth()) == (1, 2)
        frames = sound.readframes(sound.getnframes())
        duration = sound.getnframes() / sound.getframerate()
    return duration, max(abs(v) for v in array.array("h", frames))


def test_a_preview_is_a_wav_whose_length_follows_text_and_speed(api):
    def preview(**body):
        return wav_of(api.post("/voices/preview", json={"provider": "cartesia", **body}))

    katie = "6513270e-269e-4d37-b2a7-4de452e6b438"
    short, _ = preview(voiceId=katie, text="Hello there.")
    longer, loud = preview(voiceId=katie, text="Hello there, how can I help you today?")
    faster, _ = preview(voiceId=katie, text="Hello there, how can I help you today?", speed=1.5)
    assert 0.3 < short < longer < 10 and faster < longer
    _, quiet = preview(voiceId=katie, text="Hello there, how can I help you today?", volume=0.5)
    assert quiet < loud
    default_text, _ = preview(voiceId=katie)  # a short default sentence
    assert default_text > 0.5
    # Same input, same sound; another voice, another tone.
    body = {"provider": "cartesia", "voiceId": katie, "text": "Same words."}
    first = api.post("/voices/preview", json=body).content
    assert api.post("/voices/preview", json=body).content == first
    marcus = {**body, "voiceId": "9531985d-5d9d-49f8-9818-e811892f902b"}
    assert api.post("/voices/preview", json=marcus).content != first


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"voiceId": "emma-en"}, "provider"),
        ({"provider": "azure", "voiceId": "emma-en"}, "provider"),
        ({"provider": ["gradium"], "voiceId": "emma-en"}, "provider"),
        ({"provider": "gradium"}, "voiceId"),
        # The SDK's key is voice_id; on the wire its transform names it voiceId.
        ({"provider": "gradium", "voice_id": "emma-en"}, "voice_id"),
        ({"provider": "gradium", "voiceId": ""}, "voiceId"),
        ({"provider": "gradium", "voiceId": "nobody-en"}, "voiceId"),
        ({"provider": "gradium", "voiceId": "emma-en", "speed": 1.6}, "speed"),
        ({"provider": "elevenlabs", "voiceId": "pfKtHF4vUCsMehGAkWvj", "speed": 0.6}, "speed"),
        ({"provider": "gradium", "voiceId": "emma-en", "speed": "fast"}, "speed"),
        ({"provider": "gradium", "voiceId": "emma-en", "text": ""}, "text"),
        ({"provider": "gradium", "voiceId": "emma-en", "text": "x" * 501}, "text"),
        ({"provider": "cartesia", "voiceId": "x", "model": "sonic-2"}, "model"),
        ({"provider": "cartesia", "voiceId": "x", "volume": 2.5}, "volume"),
    ],
)
def test_a_bad_preview_is_refused_naming_the_field(api, body, path):
    assert path in api.fields(api.post("/voices/preview", json=body))


def test_auth_status_says_whether_the_key_is_good(api):
    assert api.get("/auth-status").json() == {"authenticated": True}
    for headers in ({}, {"Authorization": "Bearer wrong-key"}):
        response = requests.get(api.sandbox.api_url + "/auth-status", headers=headers, timeout=5)
        assert response.status_code == 200
        assert response.json() == {"authenticated": False}
