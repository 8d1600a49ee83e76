"""The language model editor: four kinds, exactly one member's keys sent, a write-only API key."""

from __future__ import annotations

import json

import pytest

from assistants.editors.groups.llm.form import (
    API_KEY_REQUIRED,
    API_URL_REQUIRED,
    API_URL_SHAPE,
    KIND_REQUIRED,
    MODEL_NAME_REQUIRED,
    OPENROUTER_ID_REQUIRED,
    OPENROUTER_ID_SHAPE,
    OPENROUTER_PROVIDER_REQUIRED,
    REALTIME_MODEL_REQUIRED,
    LlmForm,
)
from assistants.models import Assistant, Change
from tests.editors.conftest import editor_url, open_editor
from tests.editors.group_support import GroupEditing
from tests.html_forms import as_post, form_fields

pytestmark = pytest.mark.django_db


editing = GroupEditing.fixture("llm")


CANARY = "sk-canary-5d1f0a9e7b3c4e21"
NEW_KEY = "sk-canary-replacement-88c2"
CUSTOM = {
    "type": "custom",
    "api_url": "https://api.together.xyz/v1",
    "api_key": CANARY,
    "model_name": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
}
OPENROUTER = {
    "type": "openrouter",
    "openrouter_model_id": "openai/gpt-4.1",
    "openrouter_provider": "azure",
}
REALTIME = {
    "type": "realtime",
    "provider": "google",
    "realtime_model_id": "gemini-2.5-flash-native-audio",
    "realtime_voice_id": "Puck",
}
DEDICATED = {"type": "dedicated-instance", "name": "ministral-3-8b-instruct"}


def assert_no_key(response, *keys: str) -> None:
    body = response.content.decode()
    for key in keys or (CANARY,):
        assert key not in body
        assert key[len("sk-canary-") :] not in body  # nor any recognisable piece of it


@pytest.mark.parametrize(
    "llm",
    [
        DEDICATED,
        OPENROUTER,
        CUSTOM,
        REALTIME,
        {"type": "realtime", "provider": "openai", "realtime_model_id": "gpt-realtime"},
        # How Revox may answer (its response model allows null), though a client can't send it.
        {"type": "realtime", "provider": "openai", "realtime_model_id": "gpt-realtime",
         "realtime_voice_id": None},
        # An id Revox accepted though it is not vendor/model: kept, not refused.
        {"type": "openrouter", "openrouter_model_id": "auto", "openrouter_provider": "openai"},
        {**OPENROUTER, "openrouter_provider": "azure "},  # shown trimmed, kept as stored
    ],
)  # fmt: skip
def test_an_untouched_save_sends_nothing_whatever_the_kind(cached, editing, revox, llm):
    created = cached(older={"llm_model": llm})
    editing.assert_untouched_save_sends_nothing(created["id"])
    assert revox.get(created["id"])["llm_model"] == llm


def test_a_null_realtime_voice_is_left_out_not_sent_back_as_null(cached, editing, revox):
    realtime = {"type": "realtime", "provider": "openai", "realtime_model_id": "gpt-realtime",
                "realtime_voice_id": None}  # fmt: skip
    created = cached(older={"llm_model": realtime})

    response = editing.save(created["id"], realtime_model_id="gpt-realtime-2")

    assert response.status_code == 302, response.content[-1500:]
    assert revox.get(created["id"])["llm_model"] == {
        "type": "realtime", "provider": "openai", "realtime_model_id": "gpt-realtime-2"
    }  # fmt: skip


@pytest.mark.parametrize(
    "assistant",
    [
        {"id": "old", "name": "Older API, no llm_model"},
        {"id": "null", "llm_model": None},
        {"id": "newer", "llm_model": {"type": "anthropic-direct", "model": "claude"}},
    ],
)
def test_a_missing_or_unknown_model_is_left_alone(db, assistant):
    initial = LlmForm.initial_from(assistant)
    assert initial["kind"] == ""
    post = {k: v for k, v in initial.items() if k != "kind"}  # no kind radio is checked
    form = LlmForm(post, assistant=assistant)
    assert form.is_valid(), form.errors
    assert form.to_patch(assistant) == {}


def test_an_unknown_kind_is_explained(db):
    form = LlmForm(initial={}, assistant={"id": "x", "llm_model": {"type": "anthropic-direct"}})
    assert form.unknown_kind == "anthropic-direct"


# -- the API key is write-only ---------------------------------------------------------------


def test_the_key_is_never_in_the_editor_page(cached, editor_client, viewer_client):
    created = cached(llm_model=CUSTOM)
    for client in (editor_client, viewer_client):
        response, data = open_editor(client, created["id"], "llm")
        assert_no_key(response)
        assert "•••••• (saved)" in response.content.decode()
    assert data.get("api_key", "") == ""
    assert_no_key(editor_client.get(f"/assistants/{created['id']}/"))


def test_the_key_is_never_in_a_page_with_errors(cached, editing, revox):
    created = cached(llm_model=CUSTOM)

    # A new key typed next to a mistake comes back neither as the old nor the new key.
    response = editing.save(created["id"], model_name="", api_key=NEW_KEY)

    assert response.context["form"].errors["model_name"] == [MODEL_NAME_REQUIRED]
    assert_no_key(response, CANARY, NEW_KEY)
    assert "type it again before saving" in response.content.decode()
    assert revox.requests("PATCH") == []


def test_the_key_is_never_in_a_revox_error_or_a_failure(cached, editing):
    created = cached(llm_model=CUSTOM)
    rejected = {"llm_model.api_key": ["rejected by the endpoint"]}
    response = editing.save_refused_by_revox(created["id"], rejected, api_key=NEW_KEY)
    assert response.context["form"].errors["api_key"] == ["rejected by the endpoint"]
    assert_no_key(response, CANARY, NEW_KEY)

    response = editing.save_while_revox_fails(created["id"], model_name="other-model")
    assert_no_key(response)


def test_the_key_is_never_in_the_conflict_page_or_history(cached, editing, editor_client):
    created = cached(llm_model=CUSTOM)
    theirs = {"llm_model": {**CUSTOM, "model_name": "teammate-model"}}

    conflict = editing.save_over_a_teammates_change(
        created["id"], theirs, model_name="my-model",
        shows=["Someone changed language model since you opened it", "teammate-model", "my-model"],
    )  # fmt: skip

    assert_no_key(conflict)
    after = editing.keep_mine(created["id"], conflict)
    assert after["llm_model"] == {**CUSTOM, "model_name": "my-model"}
    change = Change.objects.get(kind="update")
    assert CANARY not in json.dumps([change.before, change.after])
    assert_no_key(editor_client.get(f"/assistants/{created['id']}/history/"))


def test_the_key_is_never_in_an_htmx_answer(cached, editor_client):
    created = cached(llm_model=CUSTOM)
    _, data = open_editor(editor_client, created["id"], "llm")
    response = editor_client.post(
        editor_url(created["id"], "llm"),
        as_post(data, model_name="inline-model"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"<html" not in response.content
    assert (
        json.loads(response["HX-Trigger-After-Settle"])["revox:toast"][0]["message"]
        == "Language model saved to Revox."
    )
    assert_no_key(response)


def test_a_blank_key_keeps_the_saved_one(cached, editing, revox):
    created = cached(llm_model=CUSTOM)

    editing.save(created["id"], api_url="https://llm.internal.example/v1", api_key="")

    after = revox.get(created["id"])
    assert after["llm_model"] == {**CUSTOM, "api_url": "https://llm.internal.example/v1"}
    untouched = {k: v for k, v in created.items() if k not in {"llm_model", "updated_at"}}
    assert {k: after[k] for k in untouched} == untouched
    (patch,) = revox.requests("PATCH")
    assert patch["body_keys"] == ["llm_model"]


def test_a_typed_key_replaces_the_saved_one(cached, editing, revox):
    created = cached(llm_model=CUSTOM)
    editing.save(created["id"], api_key=f" {NEW_KEY} ")
    assert revox.get(created["id"])["llm_model"] == {**CUSTOM, "api_key": NEW_KEY}


def test_switching_to_custom_needs_a_key(cached, editing, revox):
    created = cached(llm_model=DEDICATED)
    custom = {"kind": "custom", "api_url": "https://api.example.com/v1", "model_name": "m-1"}

    response = editing.save(created["id"], **custom)
    assert response.context["form"].errors["api_key"] == [API_KEY_REQUIRED]
    assert revox.requests("PATCH") == []

    editing.save(created["id"], **custom, api_key=NEW_KEY)
    assert revox.get(created["id"])["llm_model"] == {
        "type": "custom", "api_url": "https://api.example.com/v1", "api_key": NEW_KEY, "model_name": "m-1",
    }  # fmt: skip


# -- switching kinds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"kind": "openrouter", "openrouter_model_id": "anthropic/claude-sonnet-4.5",
          "openrouter_provider": "anthropic"},
         {"type": "openrouter", "openrouter_model_id": "anthropic/claude-sonnet-4.5",
          "openrouter_provider": "anthropic"}),
        ({"kind": "dedicated-instance", "dedicated_model": "gpt-4.1"},
         {"type": "dedicated-instance", "name": "gpt-4.1"}),
        ({"kind": "realtime", "realtime_provider": "openai", "realtime_model_id": "gpt-realtime",
          "realtime_voice_id": " "},
         {"type": "realtime", "provider": "openai", "realtime_model_id": "gpt-realtime"}),
        ({"kind": "realtime", "realtime_provider": "google", "realtime_model_id": "gemini-live",
          "realtime_voice_id": "Kore"},
         {"type": "realtime", "provider": "google", "realtime_model_id": "gemini-live",
          "realtime_voice_id": "Kore"}),
    ],
)  # fmt: skip
def test_switching_kinds_sends_only_the_new_members_keys(cached, editing, revox, changes, expected):
    created = cached(llm_model=CUSTOM)

    response = editing.save(created["id"], **changes)

    assert response.status_code == 302
    assert revox.get(created["id"])["llm_model"] == expected
    (patch,) = revox.requests("PATCH")
    assert patch["body_keys"] == ["llm_model"]
    row = Assistant.objects.get(revox_id=created["id"])
    assert row.llm_kind == expected["type"]
    assert Change.objects.get(kind="update").group == "llm"


def test_the_other_sections_are_ignored(cached, editing, revox):
    # Without JavaScript every section shows: what sits in the others is neither checked nor sent.
    created = cached(llm_model=OPENROUTER)
    response = editing.save(
        created["id"],
        openrouter_provider="nebius", api_url="not a url", realtime_model_id="", api_key="stray",
    )  # fmt: skip
    assert response.status_code == 302
    assert revox.get(created["id"])["llm_model"] == {**OPENROUTER, "openrouter_provider": "nebius"}


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "openrouter", "openrouter_model_id": "", "openrouter_provider": "x"},
         "openrouter_model_id", OPENROUTER_ID_REQUIRED),
        ({"kind": "openrouter", "openrouter_model_id": "gpt-4.1", "openrouter_provider": "x"},
         "openrouter_model_id", OPENROUTER_ID_SHAPE),
        ({"kind": "openrouter", "openrouter_model_id": "openai/", "openrouter_provider": "x"},
         "openrouter_model_id", OPENROUTER_ID_SHAPE),
        ({"kind": "openrouter", "openrouter_model_id": "open ai/gpt 4", "openrouter_provider": "x"},
         "openrouter_model_id", OPENROUTER_ID_SHAPE),
        ({"kind": "openrouter", "openrouter_model_id": "openai/gpt-4.1", "openrouter_provider": " "},
         "openrouter_provider", OPENROUTER_PROVIDER_REQUIRED),
        ({"kind": "custom", "api_url": "", "model_name": "m", "api_key": "k"}, "api_url", API_URL_REQUIRED),
        ({"kind": "custom", "api_url": "not a url", "model_name": "m", "api_key": "k"}, "api_url", API_URL_SHAPE),
        ({"kind": "custom", "api_url": "ftp://files.example.com", "model_name": "m", "api_key": "k"},
         "api_url", API_URL_SHAPE),
        ({"kind": "custom", "api_url": "https://a.example/v1", "model_name": " ", "api_key": "k"},
         "model_name", MODEL_NAME_REQUIRED),
        ({"kind": "custom", "api_url": "https://a.example/v1", "model_name": "m", "api_key": "  "},
         "api_key", API_KEY_REQUIRED),
        ({"kind": "realtime", "realtime_provider": "openai", "realtime_model_id": ""},
         "realtime_model_id", REALTIME_MODEL_REQUIRED),
        ({"kind": "realtime", "realtime_provider": "azure", "realtime_model_id": "x"},
         "realtime_provider", "valid choice"),
        ({"kind": "dedicated-instance", "dedicated_model": "gpt-5"}, "dedicated_model", "valid choice"),
        ({"kind": "something-else"}, "kind", "valid choice"),
        ({"kind": ""}, "kind", KIND_REQUIRED),
    ],
)  # fmt: skip
def test_it_validates_before_calling_revox(cached, editing, changes, field, message):
    created = cached(llm_model=DEDICATED)
    response = editing.save(created["id"], **changes)
    editing.assert_refused_before_revox(response, field, message)


def test_a_concurrent_change_of_kind_is_a_conflict(cached, editing):
    created = cached(llm_model=DEDICATED)

    conflict = editing.save_over_a_teammates_change(
        created["id"],
        {"llm_model": OPENROUTER},
        dedicated_model="gpt-4.1",
        shows=["openai/gpt-4.1"],
    )

    assert form_fields(conflict.content)["dedicated_model"] == "gpt-4.1"
    assert not Change.objects.filter(kind="update").exists()
    assert editing.keep_mine(created["id"], conflict)["llm_model"] == {
        "type": "dedicated-instance",
        "name": "gpt-4.1",
    }


def test_a_conflict_that_invalidates_the_form_still_shows_both_versions(cached, editing, revox):
    # The custom key the form relied on is gone upstream: the conflict page says so on the field.
    created = cached(llm_model=CUSTOM)

    response = editing.save_over_a_teammates_change(
        created["id"], {"llm_model": DEDICATED}, model_name="my-model", shows=["my-model"]
    )

    assert response.context["form"].errors["api_key"] == [API_KEY_REQUIRED]
    assert_no_key(response)
    assert revox.get(created["id"])["llm_model"] == DEDICATED


@pytest.mark.parametrize(
    ("path", "changes", "field"),
    [
        ("llm_model.api_url", {"api_url": "https://b.example/v1"}, "api_url"),
        ("llm_model.model_name", {"model_name": "x"}, "model_name"),
        ("llm_model.api_key", {"api_key": "sk-new"}, "api_key"),
        ("llm_model.type", {"model_name": "x"}, "kind"),
        ("llm_model.openrouter_model_id", {"kind": "openrouter", "openrouter_model_id": "a/b",
                                           "openrouter_provider": "c"}, "openrouter_model_id"),
        ("llm_model.openrouter_provider", {"kind": "openrouter", "openrouter_model_id": "a/b",
                                           "openrouter_provider": "c"}, "openrouter_provider"),
        ("llm_model.name", {"kind": "dedicated-instance"}, "dedicated_model"),
        ("llm_model.provider", {"kind": "realtime", "realtime_model_id": "m"}, "realtime_provider"),
        ("llm_model.realtime_model_id", {"kind": "realtime", "realtime_model_id": "m"}, "realtime_model_id"),
        ("llm_model.realtime_voice_id", {"kind": "realtime", "realtime_model_id": "m",
                                         "realtime_voice_id": "v"}, "realtime_voice_id"),
    ],
)  # fmt: skip
def test_a_revox_validation_error_lands_on_its_field(cached, editing, path, changes, field):
    created = cached(llm_model=CUSTOM)

    response = editing.save_refused_by_revox(created["id"], {path: ["not accepted"]}, **changes)

    assert response.context["form"].errors[field] == ["not accepted"]


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, editing, revox):
    created = cached(llm_model=DEDICATED)

    response = editing.save_while_revox_fails(
        created["id"], kind="openrouter",
        openrouter_model_id="mistralai/mistral-large-2411", openrouter_provider="mistral",
    )  # fmt: skip

    kept = form_fields(response.content)
    assert (kept["kind"], kept["openrouter_model_id"], kept["openrouter_provider"]) == (
        "openrouter", "mistralai/mistral-large-2411", "mistral",
    )  # fmt: skip
    assert revox.get(created["id"])["llm_model"] == DEDICATED


def test_viewers_see_it_read_only_and_cannot_save(cached, editing, viewer_client):
    created = cached(llm_model=OPENROUTER)
    _, data = editing.assert_read_only_for(viewer_client, created["id"], kind="dedicated-instance")
    assert "kind" not in data and "openrouter_model_id" not in data
