"""The speech editor: transcriber context (background rows, words to listen for) and the
Cartesia pronunciation dictionary."""

from __future__ import annotations

import pytest

from assistants.editors.groups.speech import form as speech
from tests.editors.conftest import open_editor
from tests.editors.group_support import FLOW_DATA, GroupEditing, assert_untouched_form_keeps

pytestmark = pytest.mark.django_db
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


editing = GroupEditing.fixture("speech")


def test_a_bare_assistant_has_no_context_and_an_untouched_save_sends_none(cached, revox, editing):
    created = cached()
    assert created["stt_context"] is None
    editing.assert_untouched_saves_send_nothing()


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
    assert_untouched_form_keeps("speech", data)


def test_terms_are_shown_one_per_line(cached, editor_client):
    created = cached(**CONTEXT)
    response, data = open_editor(editor_client, created["id"], "speech")
    assert data["terms"] == "breaker\r\nCityline"  # as a browser sends the textarea
    assert "data-tags" in response.content.decode()  # the script turns it into tags
    assert data["stt_general-0-key"] == "topic" and data["stt_general-1-value"] == "Portland"


def test_it_saves_only_the_speech_fields(cached, editing, editor):
    created = cached(**FLOW_DATA)

    response = editing.save(
        created["id"], rows={"stt_general": 2},
        terms="Invisalign, MetLife\r\n Dr. Alvarez \r\n\r\nInvisalign",
        cartesia_dictionary_pronunciation_id="pdict_new",
        **{"stt_general-0-key": "business", "stt_general-0-value": "dental practice",
           "stt_general-1-key": "city", "stt_general-1-value": "Boston"},
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    assert after["stt_context"] == {
        "general": [
            {"key": "business", "value": "dental practice"},
            {"key": "city", "value": "Boston"},
        ],
        "terms": ["Invisalign", "MetLife", "Dr. Alvarez"],
    }
    assert after["cartesia_dictionary_pronunciation_id"] == "pdict_new"
    assert {k: after[k] for k in FLOW_DATA} == FLOW_DATA


def test_clearing_everything_sends_null(cached, revox, editing):
    created = cached(**CONTEXT)

    editing.save(
        created["id"],
        terms="",
        cartesia_dictionary_pronunciation_id="",
        **{"stt_general-0-DELETE": "on", "stt_general-1-DELETE": "on"},
    )

    after = revox.get(created["id"])
    assert after["stt_context"] is None and after["cartesia_dictionary_pronunciation_id"] is None


def test_terms_alone_make_a_context(cached, revox, editing):
    created = cached()
    editing.save(created["id"], terms="Acme")
    assert revox.get(created["id"])["stt_context"] == {"general": [], "terms": ["Acme"]}


@pytest.mark.parametrize(
    ("changes", "row", "field", "message"),
    [
        ({"stt_general-0-value": "dentists"}, ("stt_general", 0), "key", speech.KEY_REQUIRED),
        ({"stt_general-0-key": "topic"}, ("stt_general", 0), "value", speech.VALUE_REQUIRED),
        ({"stt_general-0-key": "topic", "stt_general-0-value": "a",
          "stt_general-1-key": "Topic", "stt_general-1-value": "b"}, ("stt_general", 1), "key",
         speech.DUPLICATE_KEY),
        ({"stt_general-0-key": "k" * 201, "stt_general-0-value": "v"}, ("stt_general", 0), "key",
         "at most 200"),
        ({"cartesia_dictionary_pronunciation_id": "pdict 123"}, None,
         "cartesia_dictionary_pronunciation_id", speech.DICTIONARY_FORMAT),
    ],
)  # fmt: skip
def test_it_validates_before_calling_revox(cached, editing, changes, row, field, message):
    created = cached()
    response = editing.save(created["id"], rows={"stt_general": 2}, **changes)
    editing.assert_refused_before_revox(response, field, message, row=row)


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, editing):
    created = cached(**CONTEXT)
    theirs = {"cartesia_dictionary_pronunciation_id": "pdict_theirs"}

    conflict = editing.save_over_a_teammates_change(
        created["id"], theirs, terms="breaker\nCityline\nfeeder",
        shows=["Someone changed speech recognition since you opened it", "pdict_theirs"],
    )  # fmt: skip

    after = editing.keep_mine(created["id"], conflict)
    assert after["stt_context"]["terms"] == ["breaker", "Cityline", "feeder"]
    assert after["cartesia_dictionary_pronunciation_id"] == "pdict_7c1e9a0b42"


def test_a_revox_validation_error_lands_on_its_row(cached, editing):
    created = cached(**CONTEXT)
    errors = {"stt_context.general.1.value": ["too long"], "stt_context.terms.0": ["not a word"]}

    response = editing.save_refused_by_revox(
        created["id"], errors, **{"stt_general-1-value": "Oregon"}
    )

    form = response.context["form"]
    assert form.formsets["stt_general"].forms[1].errors["value"] == ["too long"]
    assert form.errors["terms"] == ["not a word"]
    assert 'value="Oregon"' in response.content.decode()


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editing):
    created = cached(**CONTEXT)

    response = editing.save_while_revox_fails(created["id"], terms="Typed\r\nby hand")

    assert "Typed\r\nby hand</textarea>" in response.content.decode()
    assert revox.get(created["id"])["stt_context"] == CONTEXT["stt_context"]


def test_viewers_see_it_read_only_and_cannot_save(cached, editing, viewer_client):
    created = cached(**CONTEXT)
    editing.assert_read_only_for(viewer_client, created["id"], terms="x")
