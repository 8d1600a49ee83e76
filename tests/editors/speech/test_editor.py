"""The speech editor: transcriber context (background rows, words to listen for) and the
Cartesia pronunciation dictionary."""

from __future__ import annotations

import pytest

from assistants.editors.groups import GROUPS
from assistants.editors.groups.speech import form as speech
from assistants.models import Change
from tests.editors.conftest import open_editor, save
from tests.editors.group_support import (
    FLOW_DATA,
    group_changes_only,
    older_shape_patch,
    untouched_saves_send_nothing,
)
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db
SPEECH = set(GROUPS["speech"].fields)
CONTEXT = {
    "stt_context": {
        "general": [
            {"key": "topic", "value": "power outages"},
            {"key": "region", "value": "Portland"},
        ],
        "terms": ["breaker", "Cityline"],
    },
    "cartesia_dictionary_pronunciation_id": "pdict_7c1e9a0b42",
}


def test_an_untouched_save_sends_nothing_for_every_demo_assistant(synced, editor_client):
    untouched_saves_send_nothing(editor_client, synced, "speech")


def test_an_untouched_save_sends_nothing_for_a_bare_assistant(cached, revox, editor_client):
    created = cached()
    assert created["stt_context"] is None
    untouched_saves_send_nothing(editor_client, revox, "speech")


@pytest.mark.parametrize(
    "data",
    [
        {"id": "old", "name": "Older API"},
        {"id": "null", "stt_context": None, "cartesia_dictionary_pronunciation_id": None},
        {"id": "empty", "stt_context": {"general": [], "terms": []}, "cartesia_dictionary_pronunciation_id": ""},
        {"id": "odd", "stt_context": {"general": [{"key": "k", "value": "v", "weight": 2}],
                                      "terms": ["Smith, Jones LLP", "Acme"], "language": "en"}},
    ],
)  # fmt: skip
def test_an_untouched_form_keeps_what_any_shape_of_assistant_holds(data):
    patch = older_shape_patch("speech", data)
    assert all(data.get(key) == value for key, value in patch.items()), patch
    assert set(patch) <= set(data)


def test_terms_are_shown_one_per_line(cached, editor_client):
    created = cached(**CONTEXT)
    response, data = open_editor(editor_client, created["id"], "speech")
    assert data["terms"] == "breaker\r\nCityline"  # as a browser sends the textarea
    assert "data-tags" in response.content.decode()  # the script turns it into tags
    assert data["stt_general-0-key"] == "topic" and data["stt_general-1-value"] == "Portland"


def test_it_saves_only_the_speech_fields(cached, revox, editor_client, editor):
    created = cached(**FLOW_DATA)
    _, data = open_editor(editor_client, created["id"], "speech")
    data.setlist("stt_general-TOTAL_FORMS", ["2"])
    revox.clear_requests()

    response = save(
        editor_client, created["id"], "speech", data,
        terms="Invisalign, MetLife\r\n Dr. Alvarez \r\n\r\nInvisalign",
        cartesia_dictionary_pronunciation_id="pdict_new",
        **{"stt_general-0-key": "business", "stt_general-0-value": "dental practice",
           "stt_general-1-key": "city", "stt_general-1-value": "Boston"},
    )  # fmt: skip

    assert response.status_code == 302, response.content[-3000:]
    after = revox.get(created["id"])
    assert after["stt_context"] == {
        "general": [
            {"key": "business", "value": "dental practice"},
            {"key": "city", "value": "Boston"},
        ],
        "terms": ["Invisalign", "MetLife", "Dr. Alvarez"],
    }
    assert after["cartesia_dictionary_pronunciation_id"] == "pdict_new"
    group_changes_only(created, after, "speech")
    assert {k: after[k] for k in FLOW_DATA} == FLOW_DATA
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) <= SPEECH
    change = Change.objects.get()
    assert (change.group, change.actor) == ("speech", editor)


def test_clearing_everything_sends_null(cached, revox, editor_client):
    created = cached(**CONTEXT)
    _, data = open_editor(editor_client, created["id"], "speech")

    save(editor_client, created["id"], "speech", data, terms="", cartesia_dictionary_pronunciation_id="",
         **{"stt_general-0-DELETE": "on", "stt_general-1-DELETE": "on"})  # fmt: skip

    after = revox.get(created["id"])
    assert after["stt_context"] is None and after["cartesia_dictionary_pronunciation_id"] is None


def test_terms_alone_make_a_context(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "speech")
    save(editor_client, created["id"], "speech", data, terms="Acme")
    assert revox.get(created["id"])["stt_context"] == {"general": [], "terms": ["Acme"]}


@pytest.mark.parametrize(
    ("changes", "where", "field", "message"),
    [
        ({"stt_general-0-value": "dentists"}, 0, "key", speech.KEY_REQUIRED),
        ({"stt_general-0-key": "topic"}, 0, "value", speech.VALUE_REQUIRED),
        ({"stt_general-0-key": "topic", "stt_general-0-value": "a",
          "stt_general-1-key": "Topic", "stt_general-1-value": "b"}, 1, "key", speech.DUPLICATE_KEY),
        ({"stt_general-0-key": "k" * 201, "stt_general-0-value": "v"}, 0, "key", "at most 200"),
        ({"cartesia_dictionary_pronunciation_id": "pdict 123"}, None,
         "cartesia_dictionary_pronunciation_id", speech.DICTIONARY_FORMAT),
    ],
)  # fmt: skip
def test_it_validates_before_calling_revox(
    cached, revox, editor_client, changes, where, field, message
):
    created = cached()
    _, data = open_editor(editor_client, created["id"], "speech")
    data.setlist("stt_general-TOTAL_FORMS", ["2"])
    revox.clear_requests()

    response = save(editor_client, created["id"], "speech", data, **changes)

    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors if where is None else form.formsets["stt_general"].forms[where].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert revox.requests() == []


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, revox, editor_client):
    created = cached(**CONTEXT)
    _, data = open_editor(editor_client, created["id"], "speech")
    revox.patch(created["id"], cartesia_dictionary_pronunciation_id="pdict_theirs")
    revox.clear_requests()

    response = save(editor_client, created["id"], "speech", data, terms="breaker\nCityline\nfeeder")

    assert response.status_code == 409
    page = response.content.decode()
    assert (
        "Someone changed speech recognition since you opened it" in page and "pdict_theirs" in page
    )
    assert revox.requests("PATCH") == []

    response = save(editor_client, created["id"], "speech", form_fields(response.content))
    assert response.status_code == 302
    after = revox.get(created["id"])
    assert after["stt_context"]["terms"] == ["breaker", "Cityline", "feeder"]
    assert after["cartesia_dictionary_pronunciation_id"] == "pdict_7c1e9a0b42"


def test_a_revox_validation_error_lands_on_its_row(cached, revox, editor_client):
    created = cached(**CONTEXT)
    _, data = open_editor(editor_client, created["id"], "speech")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 400, "errors": {
        "stt_context.general.1.value": ["too long"], "stt_context.terms.0": ["not a word"],
    }})  # fmt: skip

    response = save(
        editor_client, created["id"], "speech", data, **{"stt_general-1-value": "Oregon"}
    )

    form = response.context["form"]
    assert form.formsets["stt_general"].forms[1].errors["value"] == ["too long"]
    assert form.errors["terms"] == ["not a word"]
    assert 'value="Oregon"' in response.content.decode()


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editor_client):
    created = cached(**CONTEXT)
    _, data = open_editor(editor_client, created["id"], "speech")
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 503})

    response = save(editor_client, created["id"], "speech", data, terms="Typed\r\nby hand")

    assert response.status_code == 200
    assert "Typed\r\nby hand</textarea>" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert revox.get(created["id"])["stt_context"] == CONTEXT["stt_context"]
    assert not Change.objects.exists()


def test_viewers_see_it_read_only_and_cannot_save(cached, revox, viewer_client):
    created = cached(**CONTEXT)
    response, data = open_editor(viewer_client, created["id"], "speech")
    assert "You can look but not change" in response.content.decode()
    assert b'id="save-button"' not in response.content
    response = save(viewer_client, created["id"], "speech", data, terms="x")
    assert response.status_code == 403
