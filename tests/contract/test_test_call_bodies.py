"""Every POST /call body a test call sends — the saved version by id, and "Try these changes"
from every editor of every demo assistant, with the assistant inline — is one the SDK's
CallCreateParams allows, and one the sandbox accepts."""

from __future__ import annotations

import pytest
from revox.types import CallCreateParams

from assistants.calls.models import TestCall
from assistants.editors.groups import GROUPS
from assistants.models import Assistant
from tests.contract.sdk_contract import validate_body
from tests.editors.conftest import editor_url, open_editor
from tests.html_forms import as_post

pytestmark = pytest.mark.django_db
NUMBER = "+14155550123"


def test_every_demo_assistant_tried_with_a_change_sends_a_valid_call(
    synced, editor_client, sent, settings
):
    settings.TEST_CALLS_PER_HOUR = 1000
    synced.script_call(duration_ms=300, times=100)
    for assistant in Assistant.objects.all():
        _, data = open_editor(editor_client, assistant.revox_id, "voice")
        speed = "1.1" if data.get("speed") != "1.1" else "0.9"
        for button in ("changes", "saved"):
            _, data = open_editor(editor_client, assistant.revox_id, "voice")
            response = editor_client.post(
                f"/assistants/{assistant.revox_id}/test-call/",
                as_post(data, speed=speed, **{"call-phone_number": NUMBER, "call-try": button}),
            )
            assert response.status_code == 302, (assistant.name, response.content[-3000:])
    bodies = [body for method, path, body in sent if (method, path) == ("POST", "/call")]
    assert len(bodies) == 2 * Assistant.objects.count()
    for body in bodies:
        validate_body(CallCreateParams, body)
    assert sum("assistant" in body for body in bodies) == Assistant.objects.count()
    assert TestCall.objects.filter(state=TestCall.State.PLACED).count() == len(bodies)


@pytest.mark.parametrize("slug", list(GROUPS))
def test_an_untouched_editor_calls_the_saved_version(synced, editor_client, sent, slug):
    assistant = Assistant.objects.get(name__startswith="Evergreen Insurance")
    response, data = open_editor(editor_client, assistant.revox_id, slug)
    assert 'id="test-call-changes"' in response.content.decode()
    response = editor_client.post(
        f"/assistants/{assistant.revox_id}/test-call/",
        as_post(data, **{"call-phone_number": NUMBER, "call-try": "changes"}),
    )
    assert response.status_code == 302, response.content[-3000:]
    [body] = [body for method, path, body in sent if (method, path) == ("POST", "/call")]
    assert body["assistant_id"] == assistant.revox_id
    validate_body(CallCreateParams, body)
    assert editor_url(assistant.revox_id, slug)  # the page it came from still exists
