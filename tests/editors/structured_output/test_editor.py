"""The structured-output editor ("Data to extract"): fields as rows, and the extraction prompt."""

from __future__ import annotations

import pytest

from assistants.editors.forms import schema as so
from assistants.editors.groups import GROUPS
from tests.editors.conftest import open_editor
from tests.editors.group_support import GroupEditing, untouched_patch

pytestmark = pytest.mark.django_db
SLUG = "structured-output"
GROUP = set(GROUPS[SLUG].fields)

NAME = {"name": "caller_name", "required": True, "type": "string", "description": "Full name"}
OUTCOME = {
    "name": "outcome",
    "required": False,
    "type": "enum",
    "enum_options": ["booked", "callback"],
}


editing = GroupEditing.fixture(SLUG)


@pytest.mark.parametrize(
    "stored",
    [
        {},  # an older assistant without either key
        {"structured_output_config": None, "structured_output_prompt": None},
        {"structured_output_config": [], "structured_output_prompt": ""},
        {"structured_output_config": [{"name": " spaced ", "required": False, "type": "number",
                                       "description": None, "enum_options": []}]},
        {"structured_output_config": [{"name": "x", "required": True, "type": "string", "description": ""},
                                      {"name": "y", "required": True, "type": "boolean", "enum_options": None}]},
        {"structured_output_config": [{"name": "tags", "required": True, "type": "enum",
                                       "enum_options": [" a ", "b, or c"]}]},
        {"structured_output_prompt": "Line one\nLine two {{transcript}}\n"},
    ],
)  # fmt: skip
def test_an_untouched_form_gives_back_what_revox_holds(stored):
    patch = untouched_patch(SLUG, {"id": "x", **stored})
    assert patch == {key: stored[key] for key in GROUP if key in stored}


def test_it_saves_only_the_structured_output_fields(cached, editing, editor):
    created = cached(name="Front desk", structured_output_config=[NAME])

    response = editing.save(
        created["id"],
        **{"fields-0-description": "", "fields-1-name": "Call Outcome", "fields-1-type": "enum",
           "fields-1-required": "on", "fields-1-enum_options": "booked, callback ,not interested",
           "fields-1-ORDER": "2", "prompt": "Read {{transcript}}.\r\nCaller: {{user_phone_number}}"},
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    assert after["structured_output_config"] == [
        {"name": "caller_name", "required": True, "type": "string"},  # description cleared
        {"name": "Call Outcome", "required": True, "type": "enum",  # snake_case suggested, not forced
         "enum_options": ["booked", "callback", "not interested"]},
    ]  # fmt: skip
    assert (
        after["structured_output_prompt"] == "Read {{transcript}}.\nCaller: {{user_phone_number}}"
    )


def test_rows_can_be_reordered_and_removed(cached, editing, revox):
    third = {"name": "third", "required": False, "type": "date"}
    created = cached(structured_output_config=[NAME, OUTCOME, third])

    editing.save(
        created["id"], **{"fields-0-ORDER": "3", "fields-2-ORDER": "1", "fields-1-DELETE": "on"}
    )

    assert revox.get(created["id"])["structured_output_config"] == [third, NAME]


def test_removing_every_row_means_nothing_extracted(cached, editing, revox):
    created = cached(structured_output_config=[NAME])
    editing.save(created["id"], **{"fields-0-DELETE": "on"})
    # [] rather than null: the official SDK types the field as a list.
    assert revox.get(created["id"])["structured_output_config"] == []


def test_options_typed_for_another_type_are_not_sent(cached, editing, revox):
    created = cached(structured_output_config=[OUTCOME])
    editing.save(created["id"], **{"fields-0-type": "string"})
    assert revox.get(created["id"])["structured_output_config"] == [
        {"name": "outcome", "required": False, "type": "string"}
    ]


def test_the_page_lists_the_prompt_variables_and_hints_at_snake_case(cached, editor_client):
    created = cached(structured_output_config=[{**NAME, "name": "Caller name"}])
    response, _ = open_editor(editor_client, created["id"], SLUG)
    page = response.content.decode()
    for variable in so.PROMPT_VARIABLES:
        assert f'data-variable="{variable}"' in page
    assert "<code data-snake-suggestion>caller_name</code>" in page


@pytest.mark.parametrize(
    ("changes", "row_field", "message"),
    [
        ({"fields-0-name": "  "}, "name", so.NAME_REQUIRED),
        ({"fields-1-name": "Caller_Name "}, "name", "already called “Caller_Name”"),
        ({"fields-1-name": "x", "fields-1-type": "enum"}, "enum_options", so.ENUM_OPTIONS_REQUIRED),
        ({"fields-1-name": "x", "fields-1-type": "enum", "fields-1-enum_options": " \r\n,\r\n"},
         "enum_options", so.ENUM_OPTIONS_REQUIRED),
        ({"fields-1-name": "x", "fields-1-type": "enum", "fields-1-enum_options": "Yes\r\nno\r\nyes"},
         "enum_options", "“yes” is listed twice"),
        ({"fields-1-name": "x", "fields-1-type": "time"}, "type", "valid choice"),
    ],
)  # fmt: skip
def test_rows_are_validated_before_calling_revox(cached, editing, changes, row_field, message):
    created = cached(structured_output_config=[NAME])
    response = editing.save(created["id"], **changes)
    row = int(next(iter(changes)).split("-")[1])
    editing.assert_refused_before_revox(response, row_field, message, row=("fields", row))
    assert "Some fields need a look" in response.content.decode()


def test_unknown_prompt_variables_are_refused(cached, editing, revox):
    created = cached()

    response = editing.save(
        created["id"], prompt="Use {{transcript}}, {{caller_name}} and {{ transcript }}."
    )

    (error,) = response.context["form"].errors["prompt"]
    assert error.startswith(
        "{{caller_name}}, {{ transcript }} can't be filled in: only {{transcript}}, "
    )
    assert revox.requests() == []


def test_a_concurrent_change_is_a_conflict(cached, editing, revox):
    created = cached(structured_output_config=[NAME])

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"structured_output_config": [OUTCOME]}, **{"fields-0-name": "mine"},
        shows=["Someone changed data to extract since you opened it"],
    )  # fmt: skip

    assert revox.get(created["id"])["structured_output_config"] == [OUTCOME]
    after = editing.keep_mine(created["id"], conflict)
    assert after["structured_output_config"][0]["name"] == "mine"


def test_a_revox_validation_error_lands_on_its_row(cached, editing):
    created = cached(structured_output_config=[NAME, OUTCOME])
    errors = {
        "structured_output_config.0.enum_options.1": ["too long"],
        "structured_output_prompt": ["too vague"],
    }

    # Moved first, the second row is item 0 of what was sent: the error follows it.
    response = editing.save_refused_by_revox(
        created["id"], errors, **{"fields-1-ORDER": "1", "fields-0-ORDER": "2", "prompt": "Hm"}
    )

    form = response.context["form"]
    assert form.formsets["fields"].forms[1].errors["enum_options"] == ["too long"]
    assert form.errors["prompt"] == ["too vague"]


def test_a_failed_save_keeps_the_input(cached, editing, revox):
    created = cached(structured_output_config=[NAME])

    response = editing.save_while_revox_fails(created["id"], **{"fields-1-name": "typed_by_hand"})

    assert 'value="typed_by_hand"' in response.content.decode()
    assert revox.get(created["id"])["structured_output_config"] == [NAME]


def test_viewers_see_it_read_only(cached, editing, viewer_client):
    created = cached(structured_output_config=[NAME])
    editing.assert_read_only_for(viewer_client, created["id"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Patient Name", "patient_name"), ("appointmentAt", "appointment_at"), ("espèce", "espece"),
     ("3 to 6 months", "field_3_to_6_months"), ("Is new patient?", "is_new_patient")],
)  # fmt: skip
def test_snake_case_suggestions(typed, expected):
    assert so.snake_case(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("a, b ,c", ["a", "b", "c"]), ("a, b\nc", ["a, b", "c"]), ("\n a \n\n", ["a"]), ("", [])],
)
def test_enum_options_are_read_per_line_or_comma(typed, expected):
    assert so.parse_options(typed) == expected
