"""The messages editor: SMS during and after calls, on voicemail, and e-mail notifications."""

from __future__ import annotations

import pytest

from assistants.editors.forms.common import LEGACY_OUTCOME_REFUSED
from assistants.editors.groups import GROUPS
from assistants.editors.groups.messages import form as messages
from tests.editors.conftest import open_editor, save
from tests.editors.group_support import FLOW_DATA, GroupEditing, assert_untouched_form_keeps

pytestmark = pytest.mark.django_db
MESSAGES = set(GROUPS["messages"].fields)
NOTIFYING = {
    "sms_enabled": True,
    "sms_template": "Pay at https://pay.example/{{account_id}}",
    "after_call_sms_prompt": "Thank {{first_name}} and restate what was agreed.",
    "after_call_sms_outcomes": ["completed", "interested"],
    "email_notification_address": "ops@example.com,  sales@example.com",
    "email_notification_outcomes": ["none"],
}


editing = GroupEditing.fixture("messages")


@pytest.mark.parametrize(
    "data",
    [
        {"id": "old", "name": "Older API"},
        {"id": "odd", "sms_enabled": None, "sms_template": "", "after_call_sms_outcomes": [],
         "email_notification_outcomes": None, "email_notification_address": ""},
        {"id": "legacy", "after_call_sms_prompt": "Hi", "after_call_sms_outcomes": ["do_not_contact", "none"],
         "email_notification_address": "a@x.example", "email_notification_outcomes": ["requested_callback_new_number"]},
    ],
)  # fmt: skip
def test_an_untouched_form_keeps_what_any_shape_of_assistant_holds(data):
    assert_untouched_form_keeps("messages", data)


def test_the_page_lists_each_templates_variables_and_the_addresses(cached, editor_client):
    created = cached(**NOTIFYING, voicemail_sms_prompt="Call us back.")
    response, _ = open_editor(editor_client, created["id"], "messages")
    page = response.content.decode()
    assert '<code class="placeholder-chip">{{account_id}}</code>' in page
    assert '<code class="placeholder-chip">{{first_name}}</code>' in page
    assert page.count('<span class="fst-italic">none</span>') == 1  # the voicemail text has none
    assert page.count('class="list-inline-item badge address-chip badge-soft-primary"') == 2


def test_legacy_outcomes_are_shown_as_such_and_kept(cached, revox, editor_client):
    # Saved by an older Revox: today's refuses "do_not_contact".
    created = cached(
        after_call_sms_prompt="Hi",
        older={"after_call_sms_outcomes": ["do_not_contact", "interested"]},
    )
    response, data = open_editor(editor_client, created["id"], "messages")
    page = response.content.decode()
    assert "Do not contact (legacy)" in page
    assert "Asked for a call on another number" not in page  # legacy values appear only when stored
    revox.clear_requests()

    save(editor_client, created["id"], "messages", data, voicemail_sms_prompt="We called.")

    # The list was left as it was: it is not sent again, and Revox keeps it.
    (patch,) = revox.requests("PATCH")
    assert patch["body_keys"] == ["voicemail_sms_prompt"]
    assert revox.get(created["id"])["after_call_sms_outcomes"] == ["do_not_contact", "interested"]


def test_a_changed_list_must_drop_the_legacy_outcome(cached, revox, editor_client):
    created = cached(
        after_call_sms_prompt="Hi",
        older={"after_call_sms_outcomes": ["do_not_contact", "interested"]},
    )
    _, data = open_editor(editor_client, created["id"], "messages")
    revox.clear_requests()

    kept = ["do_not_contact", "interested", "completed"]
    response = save(editor_client, created["id"], "messages", data, after_call_sms_outcomes=kept)

    assert response.status_code == 200
    (error,) = response.context["form"].errors["after_call_sms_outcomes"]
    assert error == LEGACY_OUTCOME_REFUSED.format(label="Do not contact")
    assert revox.requests("PATCH") == []
    response = save(
        editor_client, created["id"], "messages", data,
        after_call_sms_outcomes=["interested", "completed"],
    )  # fmt: skip
    assert response.status_code == 302
    assert revox.get(created["id"])["after_call_sms_outcomes"] == ["interested", "completed"]


def test_it_saves_only_the_message_fields(cached, editing, editor):
    created = cached(**FLOW_DATA)

    response = editing.save(
        created["id"], sms_enabled="on", sms_template="Hi {{first_name}}",
        after_call_sms_prompt="Thanks!\r\nSee you soon.", after_call_sms_outcomes=["interested", "none"],
        voicemail_sms_prompt="We tried to reach you.",
        email_notification_address=" ops@example.com , Sales@Example.com, ops@example.com,",
        email_notification_outcomes=["completed"],
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    assert {k: after[k] for k in MESSAGES} == {
        "sms_enabled": True,
        "sms_template": "Hi {{first_name}}",
        "after_call_sms_prompt": "Thanks!\nSee you soon.",
        "after_call_sms_outcomes": ["interested", "none"],
        "voicemail_sms_prompt": "We tried to reach you.",
        "email_notification_address": "ops@example.com, Sales@Example.com",
        "email_notification_outcomes": ["completed"],
    }
    assert {k: after[k] for k in FLOW_DATA} == FLOW_DATA


def test_emptying_everything_sends_nulls(cached, revox, editing):
    created = cached(**NOTIFYING)

    editing.save(
        created["id"],
        untick=["sms_enabled", "after_call_sms_outcomes", "email_notification_outcomes"],
        sms_template="",
        after_call_sms_prompt=" ",
        email_notification_address="",
    )

    after = revox.get(created["id"])
    assert after["sms_enabled"] is False
    assert after["sms_template"] is None and after["after_call_sms_prompt"] is None
    assert after["email_notification_address"] is None
    assert after["after_call_sms_outcomes"] == [] and after["email_notification_outcomes"] == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email_notification_address": "ops@example", "email_notification_outcomes": ["none"]},
         "email_notification_address", "ops@example: not an e-mail address"),
        ({"email_notification_address": "ops@localhost", "email_notification_outcomes": ["none"]},
         "email_notification_address", "ops@localhost: not an e-mail address"),
        ({"email_notification_address": "a@x.com; b@y.com", "email_notification_outcomes": ["none"]},
         "email_notification_address", "Separate several addresses with commas"),
        ({"email_notification_address": "a@x.com, bob", "email_notification_outcomes": ["none"]},
         "email_notification_address", "bob: not an e-mail address"),
        ({"email_notification_address": "a@x.com"}, "email_notification_outcomes",
         messages.EMAIL_NEEDS_OUTCOMES),
        ({"after_call_sms_prompt": "Thanks"}, "after_call_sms_outcomes", messages.AFTER_CALL_NEEDS_OUTCOMES),
        ({"after_call_sms_outcomes": ["maybe"]}, "after_call_sms_outcomes", "valid choice"),
        ({"email_notification_outcomes": ["do_not_contact"]}, "email_notification_outcomes", "valid choice"),
    ],
)  # fmt: skip
def test_it_validates_before_calling_revox(cached, editing, changes, field, message):
    created = cached()
    response = editing.save(created["id"], **changes)
    editing.assert_refused_before_revox(response, field, message)


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, editing):
    created = cached(**NOTIFYING)

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"sms_template": "Changed by a teammate"}, voicemail_sms_prompt="Mine",
        shows=["Someone changed messages since you opened it", "Changed by a teammate"],
    )  # fmt: skip

    after = editing.keep_mine(created["id"], conflict)
    assert after["voicemail_sms_prompt"] == "Mine"
    assert after["sms_template"] == NOTIFYING["sms_template"]


def test_a_revox_validation_error_lands_on_its_field(cached, editing):
    created = cached(**NOTIFYING)
    errors = {
        "email_notification_address": ["bounces"],
        "after_call_sms_outcomes.1": ["not allowed"],
    }

    response = editing.save_refused_by_revox(
        created["id"], errors, email_notification_address="new@example.com"
    )

    form = response.context["form"]
    assert form.errors["email_notification_address"] == ["bounces"]
    assert form.errors["after_call_sms_outcomes"] == ["not allowed"]
    assert 'value="new@example.com"' in response.content.decode()


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editing):
    created = cached(**NOTIFYING)

    response = editing.save_while_revox_fails(created["id"], sms_template="Typed {{by}} hand")

    page = response.content.decode()
    assert "Typed {{by}} hand</textarea>" in page
    assert '<code class="placeholder-chip">{{by}}</code>' in page  # listed from the text typed
    assert revox.get(created["id"])["sms_template"] == NOTIFYING["sms_template"]


def test_viewers_see_it_read_only_and_cannot_save(cached, editing, viewer_client):
    created = cached(**NOTIFYING)
    editing.assert_read_only_for(viewer_client, created["id"], sms_template="x")
