"""What an editor shows of its form as it is typed is asked of the server (the rules live in
Python only): the view answers the group's live partial, pieces swapped in out of band, and
saves nothing."""

from __future__ import annotations

from html import unescape

import pytest

from assistants.editors.groups.faq.form import APPROVE_NEEDS_ANSWER
from assistants.editors.groups.retry import plans
from assistants.models import Change
from tests.editors.conftest import open_editor
from tests.html_forms import as_post

pytestmark = pytest.mark.django_db


def preview_url(assistant_id: str, group: str) -> str:
    return f"/assistants/{assistant_id}/edit/{group}/preview/"


def test_the_calling_plan_is_said_and_drawn_as_it_is_typed(cached, revox, editor_client):
    created = cached(name="Collections")
    page, data = open_editor(editor_client, created["id"], "retry")
    assert 'id="live-preview"' in page.content.decode()
    revox.clear_requests()

    typed = {"custom": "on", "max_retry_attempts": "1", "windows-0-start": "9am",
             "windows-0-end": "12pm", "windows-0-delay_hours": "2", "windows-0-delay_minutes": "0",
             "windows-TOTAL_FORMS": "1"}  # fmt: skip
    response = editor_client.post(preview_url(created["id"], "retry"), as_post(data, **typed))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="retry-preview" aria-labelledby="retry-preview-title" hx-swap-oob="true"' in html
    assert "A single attempt, Mon–Fri, 09:00–12:00 in the callee&#x27;s time zone" in html
    assert "With a single attempt there is no second call" in html
    assert 'data-time-shown="id_windows-0-start" data-value="09:00"' in html  # '9am', read
    assert revox.requests("PATCH") == [] and not Change.objects.exists()


def test_a_time_that_cant_be_read_is_said_under_its_row(cached, editor_client):
    created = cached(name="Collections")
    _, data = open_editor(editor_client, created["id"], "retry")
    typed = {"custom": "on", "windows-0-start": "9", "windows-0-end": "",
             "windows-TOTAL_FORMS": "1"}  # fmt: skip
    html = editor_client.post(preview_url(created["id"], "retry"), as_post(data, **typed)).content
    errors = html.decode().split('id="windows-0-errors"')[1].split("</div>\n")[0]
    assert "Add am or pm" in errors
    assert "Enter a time" not in errors  # 'To' is not typed yet: no error yet
    # The plan can't be read yet: the page still says the one Revox holds.
    assert plans.retry_summary(None) in unescape(html.decode())


def test_a_repeated_faq_question_is_flagged_as_it_is_typed(cached, editor_client):
    created = cached(name="Front desk", faq_items=[
        {"question": "What are your opening hours?", "answer": "9 to 5."},
    ])  # fmt: skip
    _, data = open_editor(editor_client, created["id"], "faq")
    typed = {"items-1-question": "what are your  OPENING hours?", "items-1-answer": ""}
    html = editor_client.post(preview_url(created["id"], "faq"), as_post(data, **typed)).content
    assert 'id="items-1-duplicate"' in html.decode()
    assert "The same question is already asked in #1." in html.decode()


def test_approving_a_suggestion_without_an_answer_is_flagged_as_it_is_ticked(
    cached, revox, editor_client
):
    created = cached(name="Front desk")
    revox.suggest_faq(created["id"], "Is there a lift?")
    _, data = open_editor(editor_client, created["id"], "faq")
    url = preview_url(created["id"], "faq")
    html = editor_client.post(url, as_post(data, **{"items-0-approve": "on"})).content.decode()
    note = html.split('id="items-0-approve-note"')[1].split("</div>")[0]
    assert APPROVE_NEEDS_ANSWER in note

    answered = {"items-0-approve": "on", "items-0-answer": "Yes, by the stairs."}
    html = editor_client.post(url, as_post(data, **answered)).content.decode()
    assert APPROVE_NEEDS_ANSWER not in html.split('id="items-0-approve-note"')[1].split("</div>")[0]


def test_a_template_lists_its_variables_and_a_name_gets_its_snake_case(cached, editor_client):
    created = cached(name="Front desk")
    _, data = open_editor(editor_client, created["id"], "messages")
    typed = {"sms_template": "Hi {{first_name}}, your code is {{ code }}"}
    html = editor_client.post(preview_url(created["id"], "messages"), as_post(data, **typed))
    assert '{{first_name}}</code> <code class="placeholder-chip">{{code}}' in html.content.decode()

    _, data = open_editor(editor_client, created["id"], "structured-output")
    typed = {"fields-0-name": "Call Outcome", "prompt": "Read {{transcript}} and {{caller}}"}
    html = editor_client.post(
        preview_url(created["id"], "structured-output"), as_post(data, **typed)
    ).content.decode()
    assert "<code data-snake-suggestion>call_outcome</code>" in html
    assert "{{caller}} can't be filled in" in unescape(html)


def test_a_group_without_a_live_preview_has_none(cached, editor_client, viewer_client):
    created = cached(name="Front desk")
    assert editor_client.post(preview_url(created["id"], "general"), {}).status_code == 404
    page = open_editor(editor_client, created["id"], "general")[0].content.decode()
    assert 'id="live-preview"' not in page
    # A viewer may ask (nothing is saved); the page offers no trigger to a read-only form.
    assert viewer_client.post(preview_url(created["id"], "retry"), {}).status_code == 200
    assert (
        'id="live-preview"'
        not in viewer_client.get(f"/assistants/{created['id']}/edit/retry/").content.decode()
    )
