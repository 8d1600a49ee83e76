"""The integrations editor: Calendly, Slack and Zoho CRM, each switchable on and off."""

from __future__ import annotations

import pytest

from assistants.editors.groups.integrations import form as integrations
from tests.editors.conftest import open_editor, save
from tests.editors.group_support import FLOW_DATA, GroupEditing, assert_untouched_form_keeps

pytestmark = pytest.mark.django_db
CONNECTED = {
    "calendly": {
        "connection_id": "conn_cal_1",
        "event_type_id": "https://api.calendly.com/event_types/abc",
    },
    "slack": {
        "connection_id": "conn_slack_1",
        "channels": [{"id": "C01SALES", "name": "sales"}, {"id": "C02OPS"}],
        "outcomes": ["interested", "none"],
        "template": "{{assistant_name}}: {{summary}}",
    },
    "zoho": {
        "connection_id": "conn_zoho_1",
        "module": "Leads",
        "field_mapping": [{"source": "budget", "zoho_field": "Budget__c"}],
        "outcomes": ["completed"],
        "template": None,
        "log_call_activity": True,
    },
}


editing = GroupEditing.fixture("integrations")


@pytest.mark.parametrize(
    "data",
    [
        {"id": "old", "name": "Older API"},
        {"id": "odd", "slack": {"connection_id": "c", "channels": [{"id": "C1", "name": None}, {"id": "C2", "name": ""}],
                                "outcomes": ["do_not_contact"]},
         "zoho": {"connection_id": "z", "module": "Contacts", "field_mapping": [], "outcomes": ["none"],
                  "log_call_activity": False, "template": "", "region": "eu"}},
        {"id": "new", "calendly": {"connection_id": "c", "event_type_id": "e", "timezone": "Europe/Paris"}},
    ],
)  # fmt: skip
def test_an_untouched_form_keeps_what_any_shape_of_assistant_holds(data):
    assert_untouched_form_keeps("integrations", data)


def test_it_turns_each_integration_on_with_its_rows(cached, editing, revox, editor_client, editor):
    created = cached(**FLOW_DATA)
    response, data = open_editor(editor_client, created["id"], "integrations")
    assert "slack_channels-TOTAL_FORMS" in data and "zoho_mapping-TOTAL_FORMS" in data
    data.setlist("slack_channels-TOTAL_FORMS", ["2"])
    data.setlist("zoho_mapping-TOTAL_FORMS", ["2"])
    revox.clear_requests()

    response = save(
        editor_client, created["id"], "integrations", data,
        calendly_on="on", calendly_connection_id="conn_cal_9", calendly_event_type_id="evt_30min",
        slack_on="on", slack_connection_id="conn_slack_9", slack_outcomes=["interested", "completed"],
        slack_template="New lead: {{phone}}",
        **{"slack_channels-0-id": "C0LEADS", "slack_channels-0-name": "leads", "slack_channels-1-id": "C0BOSS"},
        zoho_on="on", zoho_connection_id="conn_zoho_9", zoho_module="Contacts", zoho_outcomes=["none"],
        zoho_log_call_activity="on",
        **{"zoho_mapping-0-source": "budget", "zoho_mapping-0-zoho_field": "Budget__c",
           "zoho_mapping-1-source": "timeline", "zoho_mapping-1-zoho_field": "Timeline__c"},
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    assert after["calendly"] == {"connection_id": "conn_cal_9", "event_type_id": "evt_30min"}
    assert after["slack"] == {
        "connection_id": "conn_slack_9",
        "channels": [{"id": "C0LEADS", "name": "leads"}, {"id": "C0BOSS"}],
        "outcomes": ["interested", "completed"],
        "template": "New lead: {{phone}}",
    }
    assert after["zoho"] == {
        "connection_id": "conn_zoho_9", "module": "Contacts",
        "field_mapping": [{"source": "budget", "zoho_field": "Budget__c"},
                          {"source": "timeline", "zoho_field": "Timeline__c"}],
        "outcomes": ["none"], "log_call_activity": True,
    }  # fmt: skip
    assert {k: after[k] for k in FLOW_DATA} == FLOW_DATA


def test_switching_off_sends_null_whatever_the_rows_hold(cached, revox, editing):
    created = cached(**CONNECTED)

    # A half-filled row under a switched-off integration does not block the save.
    response = editing.save(
        created["id"], untick=["calendly_on", "slack_on", "zoho_on"],
        **{"slack_channels-2-name": "no id yet"},
    )  # fmt: skip

    assert response.status_code == 302, response.content[-3000:]
    after = revox.get(created["id"])
    assert (after["calendly"], after["slack"], after["zoho"]) == (None, None, None)


def test_editing_rows_keeps_the_rest_of_the_settings(cached, revox, editing):
    created = cached(**CONNECTED)

    editing.save(
        created["id"],
        **{
            "slack_channels-0-DELETE": "on",
            "slack_channels-1-name": "ops",
            "zoho_mapping-0-zoho_field": "Budget_USD__c",
        },
    )

    after = revox.get(created["id"])
    assert after["slack"] == {**CONNECTED["slack"], "channels": [{"id": "C02OPS", "name": "ops"}]}
    assert after["zoho"]["field_mapping"] == [{"source": "budget", "zoho_field": "Budget_USD__c"}]
    assert after["calendly"] == CONNECTED["calendly"]


@pytest.mark.parametrize(
    ("changes", "where", "field", "message"),
    [
        ({"calendly_on": "on", "calendly_event_type_id": "evt"}, None, "calendly_connection_id",
         "Needed while Calendly is on"),
        ({"calendly_on": "on", "calendly_connection_id": "c"}, None, "calendly_event_type_id",
         "Needed while Calendly is on"),
        ({"slack_on": "on", "slack_outcomes": ["none"], "slack_channels-0-id": "C1"}, None,
         "slack_connection_id", "Needed while Slack is on"),
        ({"slack_on": "on", "slack_connection_id": "c", "slack_channels-0-id": "C1"}, None,
         "slack_outcomes", "never does anything"),
        ({"slack_on": "on", "slack_connection_id": "c", "slack_outcomes": ["none"]}, None,
         "__all__", integrations.CHANNEL_NEEDED),
        ({"slack_on": "on", "slack_connection_id": "c", "slack_outcomes": ["none"],
          "slack_channels-0-name": "sales"}, ("slack_channels", 0), "id", integrations.CHANNEL_ID_REQUIRED),
        ({"slack_on": "on", "slack_connection_id": "c", "slack_outcomes": ["none"],
          "slack_channels-0-id": "#sales"}, ("slack_channels", 0), "id", integrations.CHANNEL_ID_FORMAT),
        ({"slack_on": "on", "slack_connection_id": "c", "slack_outcomes": ["none"],
          "slack_channels-0-id": "C1", "slack_channels-1-id": "C1"}, ("slack_channels", 1), "id",
         integrations.DUPLICATE_CHANNEL),
        ({"slack_on": "on", "slack_connection_id": "c", "slack_outcomes": ["sometimes"],
          "slack_channels-0-id": "C1"}, None, "slack_outcomes", "valid choice"),
        ({"zoho_on": "on", "zoho_connection_id": "z", "zoho_outcomes": ["none"]}, None, "zoho_module",
         "Needed while Zoho is on"),
        ({"zoho_on": "on", "zoho_connection_id": "z", "zoho_module": "Leads"}, None, "zoho_outcomes",
         "never does anything"),
        ({"zoho_on": "on", "zoho_connection_id": "z", "zoho_module": "Leads", "zoho_outcomes": ["none"],
          "zoho_mapping-0-source": "budget"}, ("zoho_mapping", 0), "zoho_field", integrations.MAPPING_TARGET_REQUIRED),
        ({"zoho_on": "on", "zoho_connection_id": "z", "zoho_module": "Leads", "zoho_outcomes": ["none"],
          "zoho_mapping-0-zoho_field": "Budget__c"}, ("zoho_mapping", 0), "source", integrations.MAPPING_SOURCE_REQUIRED),
        ({"zoho_on": "on", "zoho_connection_id": "z", "zoho_module": "Leads", "zoho_outcomes": ["none"],
          "zoho_mapping-0-source": "a", "zoho_mapping-0-zoho_field": "F",
          "zoho_mapping-1-source": "b", "zoho_mapping-1-zoho_field": "F"}, ("zoho_mapping", 1), "zoho_field",
         integrations.DUPLICATE_TARGET),
    ],
)  # fmt: skip
def test_it_validates_before_calling_revox(cached, editing, changes, where, field, message):
    created = cached()
    rows = {"slack_channels": 2, "zoho_mapping": 2}
    response = editing.save(created["id"], rows=rows, **changes)
    editing.assert_refused_before_revox(response, field, message, row=where)


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, editing):
    created = cached(**CONNECTED)

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"calendly": None}, slack_template="Mine",
        shows=["Someone changed integrations since you opened it"],
    )  # fmt: skip

    after = editing.keep_mine(created["id"], conflict)
    assert after["slack"]["template"] == "Mine" and after["calendly"] == CONNECTED["calendly"]


def test_a_revox_validation_error_lands_on_its_row(cached, editing):
    created = cached(**CONNECTED)
    errors = {
        "slack.channels.0.id": ["channel not found"],
        "zoho.field_mapping.0.zoho_field": ["unknown field"],
        "calendly.event_type_id": ["no such event type"],
    }  # fmt: skip

    response = editing.save_refused_by_revox(
        created["id"], errors, **{"slack_channels-0-id": "C0GONE"}
    )

    form = response.context["form"]
    assert form.formsets["slack_channels"].forms[0].errors["id"] == ["channel not found"]
    assert form.formsets["zoho_mapping"].forms[0].errors["zoho_field"] == ["unknown field"]
    assert form.errors["calendly_event_type_id"] == ["no such event type"]
    assert 'value="C0GONE"' in response.content.decode()


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editing):
    created = cached(**CONNECTED)

    response = editing.save_while_revox_fails(created["id"], zoho_module="Typed by hand")

    assert 'value="Typed by hand"' in response.content.decode()
    assert revox.get(created["id"])["zoho"]["module"] == "Leads"


def test_viewers_see_it_read_only_and_cannot_save(cached, editing, viewer_client):
    created = cached(**CONNECTED)
    page, _ = editing.assert_read_only_for(viewer_client, created["id"], zoho_on="")
    assert 'value="C01SALES"' in page
