"""Text from Revox holding NUL characters (U+0000), which Revox accepts (issue 24).

A browser shows each NUL as U+FFFD and sends that back; a client without a browser's HTML parser
sends the NUL itself. Either way, a field the user did not touch is never rewritten, and one
they did touch gets a plain message.
"""

from __future__ import annotations

import pytest

from assistants.cache.services import assistants_sync
from assistants.editors.forms.base import NUL_SHOWN_AS_REPLACEMENT, NUL_TYPED
from assistants.models import Assistant, Change
from tests.editors.conftest import editor_url, open_editor, save
from tests.history.test_restore import restore, restore_form
from tests.html_forms import as_post

pytestmark = pytest.mark.django_db

NAME = "Refund\x00desk"
PROMPT = "Be kind.\x00\nAnswer refunds."
SHOWN_NAME = "Refund\u2400desk"  # U+2400 SYMBOL FOR NULL


def as_a_browser_sends_it(data):
    """The form as Chromium submits it: every NUL it parsed shown, and sent, as U+FFFD."""
    browser = data.copy()
    for key in browser:
        browser.setlist(key, [v.replace("\x00", "\ufffd") for v in browser.getlist(key)])
    return browser


@pytest.fixture
def nul_assistant(cached):
    return cached(name=NAME, prompt=PROMPT, end_of_call_sentence="Bye.")


@pytest.mark.parametrize("sent_as", ["NUL (no browser)", "U+FFFD (a browser)"])
@pytest.mark.parametrize("htmx", [False, True], ids=["without JS", "htmx"])
def test_saving_another_field_leaves_untouched_nul_text_alone(
    nul_assistant, revox, editor_client, sent_as, htmx
):
    _, data = open_editor(editor_client, nul_assistant["id"], "general")
    assert "\x00" in data["name"]  # the page carries the text as Revox holds it
    if sent_as.startswith("U+FFFD"):
        data = as_a_browser_sends_it(data)
    revox.clear_requests()

    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = editor_client.post(
        editor_url(nul_assistant["id"], "general"),
        as_post(data, end_of_call_sentence="Goodbye, and thank you."),
        **headers,
    )

    page = response.content.decode().replace("&#x27;", "'")
    assert "Null characters are not allowed" not in page and "can't be empty" not in page
    assert response.status_code == (200 if htmx else 302), page[-2000:]
    (patch,) = revox.requests("PATCH")
    assert patch["body_keys"] == ["end_of_call_sentence"]
    stored = revox.get(nul_assistant["id"])
    assert (stored["name"], stored["prompt"]) == (NAME, PROMPT)
    assert stored["end_of_call_sentence"] == "Goodbye, and thank you."
    # History, like the cache, keeps each NUL as U+2400 (PostgreSQL stores none).
    assert Change.objects.get().after.get("name", SHOWN_NAME) == SHOWN_NAME


def test_an_untouched_save_sends_nothing(nul_assistant, revox, editor_client):
    _, data = open_editor(editor_client, nul_assistant["id"], "general")
    revox.clear_requests()
    response = save(editor_client, nul_assistant["id"], "general", as_a_browser_sends_it(data))
    assert response.status_code == 302
    assert revox.requests("PATCH") == []


def test_a_touched_field_that_keeps_the_replacement_character_is_told_so(
    nul_assistant, revox, editor_client
):
    _, data = open_editor(editor_client, nul_assistant["id"], "general")
    browser = as_a_browser_sends_it(data)
    revox.clear_requests()
    response = save(
        editor_client, nul_assistant["id"], "general", browser,
        name="Refund\ufffddesk (weekend)",
    )  # fmt: skip
    form = response.context["form"]
    assert form.errors == {"name": [NUL_SHOWN_AS_REPLACEMENT]}
    assert "Refund\ufffddesk (weekend)" in response.content.decode()  # as typed
    assert revox.requests("PATCH") == []


def test_a_touched_field_with_the_replacement_removed_saves(nul_assistant, revox, editor_client):
    _, data = open_editor(editor_client, nul_assistant["id"], "general")
    response = save(
        editor_client, nul_assistant["id"], "general", as_a_browser_sends_it(data),
        name="Refund desk",
    )  # fmt: skip
    assert response.status_code == 302
    stored = revox.get(nul_assistant["id"])
    assert (stored["name"], stored["prompt"]) == ("Refund desk", PROMPT)


def test_a_nul_typed_into_a_field_gets_a_plain_message_there_only(
    nul_assistant, revox, editor_client
):
    _, data = open_editor(editor_client, nul_assistant["id"], "general")
    revox.clear_requests()
    response = save(
        editor_client, nul_assistant["id"], "general", data, end_of_call_sentence="Bye\x00bye."
    )
    assert response.context["form"].errors == {"end_of_call_sentence": [NUL_TYPED]}
    assert revox.requests("PATCH") == []


@pytest.mark.parametrize(
    ("field", "typed", "extra"),
    [
        ("prompt", "Be\x00kind.", {}),
        ("first_sentence", "Hello\x00there.", {"first_sentence_mode": "static"}),
    ],
)
def test_a_nul_typed_into_a_required_text_gets_that_message_alone(
    nul_assistant, revox, editor_client, field, typed, extra
):
    # Not also "can't be empty": the text is there, with a character that can't be saved.
    _, data = open_editor(editor_client, nul_assistant["id"], "general")
    revox.clear_requests()
    response = save(editor_client, nul_assistant["id"], "general", data, **{field: typed}, **extra)
    assert response.context["form"].errors == {field: [NUL_TYPED]}
    assert revox.requests("PATCH") == []


@pytest.mark.parametrize("field", ["openrouter_model_id", "openrouter_provider"])
def test_a_nul_typed_into_a_required_model_field_gets_that_message_alone(
    nul_assistant, revox, editor_client, field
):
    _, data = open_editor(editor_client, nul_assistant["id"], "llm")
    typed = {"openrouter_model_id": "openai/gpt-4.1", "openrouter_provider": "openai"}
    typed[field] = typed[field] + "\x00"
    response = save(editor_client, nul_assistant["id"], "llm", data, kind="openrouter", **typed)
    assert response.context["form"].errors == {field: [NUL_TYPED]}


def test_the_cache_keeps_a_nul_as_the_symbol_for_null(nul_assistant, editor_client):
    """PostgreSQL stores NUL in neither text nor jsonb: one such assistant made every sync fail."""
    cached = Assistant.objects.get(revox_id=nul_assistant["id"])
    assert cached.name == SHOWN_NAME and "\x00" not in cached.search_text
    assert cached.data["prompt"] == "Be kind.\u2400\nAnswer refunds."
    assert SHOWN_NAME in editor_client.get("/assistants/").content.decode()


def test_a_sync_after_a_change_outside_records_it_once(nul_assistant, revox):
    revox.patch(nul_assistant["id"], end_of_call_sentence="Changed outside.")
    assistants_sync()
    assistants_sync()
    (entry,) = Change.objects.filter(kind=Change.Kind.EXTERNAL)
    assert entry.group == "general" and entry.before["name"] == SHOWN_NAME


def test_a_restore_from_history_puts_the_nul_back(nul_assistant, revox, editor_client):
    revox.patch(nul_assistant["id"], name="Renamed outside")
    assistants_sync()
    change = Change.objects.get()
    response = restore(
        editor_client, nul_assistant["id"], change,
        restore_form(editor_client, nul_assistant["id"], change),
    )  # fmt: skip
    assert response.status_code == 302
    assert revox.get(nul_assistant["id"])["name"] == NAME
