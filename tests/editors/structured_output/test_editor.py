"""The structured-output editor ("Data to extract"): fields as rows, and the extraction prompt."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from assistants.editors.forms import schema as so
from assistants.editors.groups import GROUPS
from assistants.editors.groups.structured_output.form import StructuredOutputForm
from assistants.models import Assistant, Change
from tests.editors.conftest import open_editor, save
from tests.html_forms import form_fields

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


def untouched_patch(data: dict) -> dict:
    """to_patch of the form as a browser submits it untouched, rendered from `data` alone."""
    form = StructuredOutputForm(initial=StructuredOutputForm.initial_from(data), assistant=data)
    html = render_to_string("structured_output/fields.html", {"form": form})
    bound = StructuredOutputForm(
        form_fields(f'<form id="group-form">{html}</form>'), assistant=data
    )
    assert bound.is_valid(), bound.errors
    return bound.to_patch(data)


def test_an_untouched_save_sends_nothing_for_every_demo_assistant(synced, editor_client):
    for assistant in Assistant.objects.all():
        _, data = open_editor(editor_client, assistant.revox_id, SLUG)
        synced.clear_requests()
        response = save(editor_client, assistant.revox_id, SLUG, data)
        assert response.status_code == 302, assistant.name
        assert synced.requests("PATCH") == [], assistant.name
    assert not Change.objects.exists()


def test_an_untouched_save_sends_nothing_for_a_bare_assistant(cached, revox, editor_client):
    created = cached()  # name and prompt only: config and prompt are null
    _, data = open_editor(editor_client, created["id"], SLUG)
    revox.clear_requests()
    assert save(editor_client, created["id"], SLUG, data).status_code == 302
    assert revox.requests("PATCH") == []


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
    patch = untouched_patch({"id": "x", **stored})
    assert patch == {key: stored[key] for key in GROUP if key in stored}


def test_it_saves_only_the_structured_output_fields(cached, revox, editor_client, editor):
    created = cached(name="Front desk", structured_output_config=[NAME])
    _, data = open_editor(editor_client, created["id"], SLUG)
    revox.clear_requests()

    response = save(
        editor_client, created["id"], SLUG, data,
        **{"fields-0-description": "", "fields-1-name": "Call Outcome", "fields-1-type": "enum",
           "fields-1-required": "on", "fields-1-enum_options": "booked, callback ,not interested",
           "fields-1-ORDER": "2", "prompt": "Read {{transcript}}.\r\nCaller: {{user_phone_number}}"},
    )  # fmt: skip

    assert response.status_code == 302, response.context and response.context["form"].errors
    after = revox.get(created["id"])
    assert after["structured_output_config"] == [
        {"name": "caller_name", "required": True, "type": "string"},  # description cleared
        {"name": "Call Outcome", "required": True, "type": "enum",  # snake_case suggested, not forced
         "enum_options": ["booked", "callback", "not interested"]},
    ]  # fmt: skip
    assert (
        after["structured_output_prompt"] == "Read {{transcript}}.\nCaller: {{user_phone_number}}"
    )
    untouched = {k: v for k, v in created.items() if k not in GROUP | {"updated_at"}}
    assert {k: after[k] for k in untouched} == untouched
    (patch,) = revox.requests("PATCH")
    assert set(patch["body_keys"]) <= GROUP
    change = Change.objects.get()
    assert (change.group, change.actor) == (SLUG, editor)


def test_rows_can_be_reordered_and_removed(cached, revox, editor_client):
    third = {"name": "third", "required": False, "type": "date"}
    created = cached(structured_output_config=[NAME, OUTCOME, third])
    _, data = open_editor(editor_client, created["id"], SLUG)

    save(editor_client, created["id"], SLUG, data,
         **{"fields-0-ORDER": "3", "fields-2-ORDER": "1", "fields-1-DELETE": "on"})  # fmt: skip

    assert revox.get(created["id"])["structured_output_config"] == [third, NAME]


def test_removing_every_row_means_nothing_extracted(cached, revox, editor_client):
    created = cached(structured_output_config=[NAME])
    _, data = open_editor(editor_client, created["id"], SLUG)
    save(editor_client, created["id"], SLUG, data, **{"fields-0-DELETE": "on"})
    # [] rather than null: the official SDK types the field as a list.
    assert revox.get(created["id"])["structured_output_config"] == []


def test_options_typed_for_another_type_are_not_sent(cached, revox, editor_client):
    created = cached(structured_output_config=[OUTCOME])
    _, data = open_editor(editor_client, created["id"], SLUG)
    save(editor_client, created["id"], SLUG, data, **{"fields-0-type": "string"})
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
def test_rows_are_validated_before_calling_revox(
    cached, revox, editor_client, changes, row_field, message
):
    created = cached(structured_output_config=[NAME])
    _, data = open_editor(editor_client, created["id"], SLUG)
    revox.clear_requests()

    response = save(editor_client, created["id"], SLUG, data, **changes)

    assert response.status_code == 200
    row = int(next(iter(changes)).split("-")[1])
    errors = response.context["form"].formsets["fields"].forms[row].errors
    assert message in " ".join(errors.get(row_field, []))
    assert "Some fields need a look" in response.content.decode()
    assert revox.requests() == []


def test_unknown_prompt_variables_are_refused(cached, revox, editor_client):
    created = cached()
    _, data = open_editor(editor_client, created["id"], SLUG)
    revox.clear_requests()

    response = save(editor_client, created["id"], SLUG, data,
                    prompt="Use {{transcript}}, {{caller_name}} and {{ transcript }}.")  # fmt: skip

    (error,) = response.context["form"].errors["prompt"]
    assert error.startswith(
        "{{caller_name}}, {{ transcript }} can't be filled in: only {{transcript}}, "
    )
    assert revox.requests() == []


def test_a_concurrent_change_is_a_conflict(cached, revox, editor_client):
    created = cached(structured_output_config=[NAME])
    _, data = open_editor(editor_client, created["id"], SLUG)
    revox.patch(created["id"], structured_output_config=[OUTCOME])
    revox.clear_requests()

    response = save(editor_client, created["id"], SLUG, data, **{"fields-0-name": "mine"})

    assert response.status_code == 409
    assert "Someone changed data to extract since you opened it" in response.content.decode()
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["structured_output_config"] == [OUTCOME]
    assert (
        save(editor_client, created["id"], SLUG, form_fields(response.content)).status_code == 302
    )
    assert revox.get(created["id"])["structured_output_config"][0]["name"] == "mine"


def test_a_revox_validation_error_lands_on_its_row(cached, revox, editor_client):
    created = cached(structured_output_config=[NAME, OUTCOME])
    _, data = open_editor(editor_client, created["id"], SLUG)
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 400, "errors": {
        "structured_output_config.0.enum_options.1": ["too long"],
        "structured_output_prompt": ["too vague"]}})  # fmt: skip

    # Moved first, the second row is item 0 of what was sent: the error follows it.
    response = save(editor_client, created["id"], SLUG, data,
                    **{"fields-1-ORDER": "1", "fields-0-ORDER": "2", "prompt": "Hm"})  # fmt: skip

    form = response.context["form"]
    assert form.formsets["fields"].forms[1].errors["enum_options"] == ["too long"]
    assert form.errors["prompt"] == ["too vague"]


def test_a_failed_save_keeps_the_input(cached, revox, editor_client):
    created = cached(structured_output_config=[NAME])
    _, data = open_editor(editor_client, created["id"], SLUG)
    revox.faults({"method": "PATCH", "path": "/assistants/*", "status": 503})

    response = save(editor_client, created["id"], SLUG, data, **{"fields-1-name": "typed_by_hand"})

    assert response.status_code == 200
    assert 'value="typed_by_hand"' in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert revox.get(created["id"])["structured_output_config"] == [NAME]
    assert not Change.objects.exists()


def test_viewers_see_it_read_only(cached, viewer_client):
    created = cached(structured_output_config=[NAME])
    response, data = open_editor(viewer_client, created["id"], SLUG)
    assert "You can look but not change" in response.content.decode()
    assert b'id="save-button"' not in response.content
    assert save(viewer_client, created["id"], SLUG, data).status_code == 403


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
