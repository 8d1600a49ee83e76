"""The transfer editor: destinations as rows, warm or cold, the old single number, calling
number and caller lookup."""

from __future__ import annotations

import pytest

from assistants.editors.forms.base import E164_MESSAGE
from assistants.editors.groups.transfer import form as transfer
from tests.editors.conftest import open_editor, save
from tests.editors.group_support import FLOW_DATA, GroupEditing, assert_untouched_form_keeps

pytestmark = pytest.mark.django_db
TWO_DESTINATIONS = {
    "transfer_destinations": [
        {"label": "Sales", "phone_number": "+14155550101"},
        {"label": "Support", "phone_number": "+14155550102"},
    ],
    "human_transfer_mode": "warm",
    "warm_transfer_summary_instructions": "Say the caller's name.",
}


editing = GroupEditing.fixture("transfer")


def test_an_untouched_save_leaves_a_bare_assistant_without_destinations(cached, revox, editing):
    created = cached()
    editing.assert_untouched_saves_send_nothing()
    assert revox.get(created["id"])["transfer_destinations"] is None


@pytest.mark.parametrize(
    "data",
    [
        {"id": "old", "name": "Older API", "prompt": "Hi"},  # no transfer field at all
        {"id": "old", "name": "Older API", "transfer_phone_number": "+14155550100"},
        {"id": "odd", "transfer_destinations": [], "human_transfer_mode": "cold",
         "warm_transfer_summary_instructions": "", "from_phone_number": "", "precall_lookup_url": None},
        {"id": "odd", "transfer_destinations": [{"label": "A", "phone_number": "+14155550100"}],
         "human_transfer_mode": "cold", "warm_transfer_summary_instructions": "left from warm days"},
    ],
)  # fmt: skip
def test_an_untouched_form_keeps_what_any_shape_of_assistant_holds(data):
    assert_untouched_form_keeps("transfer", data)


def _rows(data):
    return int(data["destinations-TOTAL_FORMS"])


def test_it_saves_only_the_transfer_fields(cached, editing, revox, editor_client, editor):
    created = cached(**TWO_DESTINATIONS, **FLOW_DATA)
    response, data = open_editor(editor_client, created["id"], "transfer")
    assert _rows(data) == 3  # two destinations and a blank row to add one
    revox.clear_requests()

    response = save(
        editor_client, created["id"], "transfer", data,
        **{"destinations-1-label": "Support desk", "destinations-1-phone_number": "+1 (415) 555-0199",
           "destinations-2-label": "Billing", "destinations-2-phone_number": "+44 20 7946 0958",
           "destinations-0-DELETE": "on",
           "human_transfer_mode": "cold",
           "from_phone_number": "+1 415-555-0100",
           "precall_lookup_url": "https://crm.example.com/lookup?phone={{phone}}"},
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    assert after["transfer_destinations"] == [
        {"label": "Support desk", "phone_number": "+14155550199"},
        {"label": "Billing", "phone_number": "+442079460958"},
    ]
    assert after["human_transfer_mode"] == "cold"
    assert after["warm_transfer_summary_instructions"] is None  # warm only
    assert after["from_phone_number"] == "+14155550100"
    assert after["precall_lookup_url"] == "https://crm.example.com/lookup?phone={{phone}}"
    assert {k: after[k] for k in FLOW_DATA} == FLOW_DATA


def test_rows_keep_the_order_the_user_gives_them(cached, revox, editing):
    created = cached(**TWO_DESTINATIONS)

    editing.save(created["id"], **{"destinations-0-ORDER": "2", "destinations-1-ORDER": "1"})

    labels = [d["label"] for d in revox.get(created["id"])["transfer_destinations"]]
    assert labels == ["Support", "Sales"]


def test_removing_every_destination_turns_transfer_off(cached, revox, editing):
    created = cached(**TWO_DESTINATIONS)

    response = editing.save(
        created["id"], **{"destinations-0-DELETE": "on", "destinations-1-DELETE": "on"}
    )

    assert response.status_code == 302
    after = revox.get(created["id"])
    assert after["transfer_destinations"] is None
    assert after["human_transfer_mode"] is None
    assert after["warm_transfer_summary_instructions"] is None


def test_the_old_single_number_converts_into_a_destination(cached, revox, editor_client):
    created = cached(older={"transfer_phone_number": "+61395550123"})
    response, data = open_editor(editor_client, created["id"], "transfer")
    page = response.content.decode()
    revox.clear_requests()
    assert "Old-style transfer number" in page and "+61 3 9555 0123" in page  # grouped to read

    response = save(editor_client, created["id"], "transfer", data,
                    convert_legacy="on", human_transfer_mode="warm")  # fmt: skip

    assert response.status_code == 302, response.content[-3000:]
    after = revox.get(created["id"])
    assert after["transfer_destinations"] == [
        {"label": "Transfer line", "phone_number": "+61395550123"}
    ]
    assert after["human_transfer_mode"] == "warm"
    # The old key is no field of today's API: never sent. Once the number is a destination,
    # the page no longer offers to convert it.
    (patch,) = revox.requests("PATCH")
    assert "transfer_phone_number" not in patch["body_keys"]
    response, _ = open_editor(editor_client, created["id"], "transfer")
    assert "Old-style transfer number" not in response.content.decode()


def test_a_converted_number_the_page_already_added_as_a_row_is_not_added_twice(
    cached, revox, editing
):
    created = cached(older={"transfer_phone_number": "+61395550123"})

    # What "Convert to a destination" leaves in the form: the number in the blank row (here
    # renamed and grouped for reading), and the hidden box ticked.
    editing.save(
        created["id"],
        convert_legacy="on",
        human_transfer_mode="cold",
        **{"destinations-0-label": "Head office", "destinations-0-phone_number": "+61 3 9555 0123"},
    )

    after = revox.get(created["id"])
    assert after["transfer_destinations"] == [
        {"label": "Head office", "phone_number": "+61395550123"}
    ]


def test_convert_shows_the_number_as_a_destination_and_saves_nothing(cached, revox, editing):
    created = cached(older={"transfer_phone_number": "+61395550123"})

    typed = {"destinations-0-label": "Sales", "destinations-0-phone_number": "+14155550142"}
    response = editing.save(created["id"], convert_legacy_now="1", **typed)

    rows = response.context["form"].formsets["destinations"].forms
    assert [(row["label"].value(), row["phone_number"].value()) for row in rows] == [
        ("Sales", "+14155550142"),  # what was typed stays
        (transfer.LEGACY_LABEL, "+61 3 9555 0123"),  # grouped to read, as the server does
    ]
    page = response.content.decode()
    assert "Added to the destinations list: save to keep it." in page
    assert 'name="convert_legacy" value="on"' in page  # the save clears the old setting
    assert revox.requests("PATCH") == []

    # Asked again (the number already typed as a row, spaced): no second row.
    again = {
        "destinations-0-label": "Head office",
        "destinations-0-phone_number": "+61 395 550 123",
    }
    response = editing.save(created["id"], convert_legacy_now="1", **again)
    assert len(response.context["form"].formsets["destinations"].forms) == 1


def test_the_old_number_stays_unless_converted(cached, revox, editing):
    created = cached(older={"transfer_phone_number": "+61395550123"})

    editing.save(created["id"], from_phone_number="+61395550000")

    assert revox.get(created["id"])["transfer_phone_number"] == "+61395550123"
    (patch,) = revox.requests("PATCH")
    assert "transfer_phone_number" not in patch["body_keys"]


@pytest.mark.parametrize(
    ("changes", "where", "field", "message"),
    [
        ({"destinations-0-label": "Sales", "destinations-0-phone_number": "0415 555 0101"},
         0, "phone_number", E164_MESSAGE),
        ({"destinations-0-label": "Sales", "destinations-0-phone_number": "+0 415 555"},
         0, "phone_number", E164_MESSAGE),
        ({"destinations-0-label": "", "destinations-0-phone_number": "+14155550101"},
         0, "label", transfer.LABEL_REQUIRED),
        ({"destinations-0-label": "   ", "destinations-0-phone_number": "+14155550101"},
         0, "label", transfer.LABEL_REQUIRED),
        ({"destinations-0-label": "Sales", "destinations-0-phone_number": ""},
         0, "phone_number", transfer.NUMBER_REQUIRED),
        ({"destinations-0-label": "x" * 101, "destinations-0-phone_number": "+14155550101"},
         0, "label", "at most 100"),
        ({"destinations-0-label": "Sales", "destinations-0-phone_number": "+14155550101",
          "destinations-1-label": "sales", "destinations-1-phone_number": "+14155550102"},
         1, "label", transfer.DUPLICATE_LABEL),
        ({"destinations-0-label": "Sales", "destinations-0-phone_number": "+14155550101",
          "destinations-1-label": "Support", "destinations-1-phone_number": "+1 415 555 0101"},
         1, "phone_number", transfer.DUPLICATE_NUMBER),
        ({"destinations-0-label": "Sales", "destinations-0-phone_number": "+14155550101",
          "human_transfer_mode": ""}, None, "human_transfer_mode", transfer.MODE_REQUIRED),
        ({"human_transfer_mode": "lukewarm"}, None, "human_transfer_mode", "valid choice"),
        ({"from_phone_number": "415 555 0100"}, None, "from_phone_number", E164_MESSAGE),
        ({"precall_lookup_url": "https://crm.example.com/lookup"}, None, "precall_lookup_url",
         transfer.LOOKUP_NEEDS_PHONE),
        ({"precall_lookup_url": "https://crm.example.com/lookup?phone={{ phone }}"}, None,
         "precall_lookup_url", transfer.LOOKUP_NEEDS_PHONE),
        ({"precall_lookup_url": "ftp://crm.example.com/{{phone}}"}, None, "precall_lookup_url",
         transfer.LOOKUP_NEEDS_HTTP),
        ({"precall_lookup_url": "https://crm example/{{phone}}"}, None, "precall_lookup_url",
         transfer.LOOKUP_INVALID),
    ],
)  # fmt: skip
def test_it_validates_before_calling_revox(cached, editing, changes, where, field, message):
    created = cached()
    # A second blank row, as "Add" makes.
    response = editing.save(created["id"], rows={"destinations": 2}, **changes)
    row = None if where is None else ("destinations", where)
    editing.assert_refused_before_revox(response, field, message, row=row)
    assert "Some fields need a look" in response.content.decode()


def test_a_blank_row_is_ignored(cached, revox, editing):
    created = cached(**TWO_DESTINATIONS)
    editing.save(created["id"], **{"destinations-2-label": "  "})
    assert revox.requests("PATCH") == []


def test_a_concurrent_change_is_a_conflict_and_keep_mine_overwrites(cached, revox, editing):
    created = cached(**TWO_DESTINATIONS)

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"human_transfer_mode": "cold"}, **{"destinations-0-label": "Sales team"},
        shows=["Someone changed transfer since you opened it", 'value="Sales team"'],
    )  # fmt: skip

    assert revox.get(created["id"])["transfer_destinations"][0]["label"] == "Sales"
    after = editing.keep_mine(created["id"], conflict)
    assert after["transfer_destinations"][0]["label"] == "Sales team"
    assert after["human_transfer_mode"] == "warm"  # mine, as the page showed it


def test_a_revox_validation_error_lands_on_its_row(cached, editing):
    created = cached(**TWO_DESTINATIONS)
    errors = {
        "transfer_destinations.1.phone_number": ["is not reachable"],
        "from_phone_number": ["is not owned by your organization"],
    }  # fmt: skip

    response = editing.save_refused_by_revox(
        created["id"],
        errors,
        from_phone_number="+14155550177",
        **{"destinations-1-phone_number": "+14155550188"},
    )

    form = response.context["form"]
    assert form.formsets["destinations"].forms[1].errors["phone_number"] == ["is not reachable"]
    assert form.errors["from_phone_number"] == ["is not owned by your organization"]
    page = response.content.decode()
    assert 'value="+14155550188"' in page and 'value="+14155550177"' in page


def test_a_failed_save_keeps_the_input_and_changes_nothing(cached, revox, editing):
    created = cached(**TWO_DESTINATIONS)

    response = editing.save_while_revox_fails(
        created["id"],
        **{
            "destinations-2-label": "Night line",
            "destinations-2-phone_number": "+14155550199",
            "warm_transfer_summary_instructions": "Typed by hand",
        },
    )

    page = response.content.decode()
    assert 'value="Night line"' in page and "Typed by hand" in page
    assert len(revox.get(created["id"])["transfer_destinations"]) == 2


def test_viewers_see_it_read_only_and_cannot_save(cached, editing, viewer_client):
    created = cached(**TWO_DESTINATIONS)
    page, data = editing.assert_read_only_for(
        viewer_client, created["id"], from_phone_number="+14155550100"
    )
    assert 'value="Sales"' in page
    assert "destinations-0-label" not in data  # the whole fieldset is disabled


def test_a_revox_error_on_a_row_finds_it_after_the_rows_were_reordered(cached, editing):
    created = cached(**TWO_DESTINATIONS)
    errors = {"transfer_destinations.0.phone_number": ["is not reachable"]}

    # Support moved above Sales: Revox's row 0 is the page's second row.
    response = editing.save_refused_by_revox(
        created["id"], errors, **{"destinations-0-ORDER": "2", "destinations-1-ORDER": "1"}
    )

    rows = response.context["form"].formsets["destinations"].forms
    assert rows[1].errors["phone_number"] == ["is not reachable"]
    assert "phone_number" not in rows[0].errors
