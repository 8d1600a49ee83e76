"""The tools editor: custom HTTP tools, each with headers, query parameters, a body template and
input parameters; and the request preview."""

from __future__ import annotations

import copy
from html import escape

import pytest

from assistants.editors.groups import GROUPS
from assistants.editors.groups.tools import form as t
from assistants.editors.groups.tools import request as tool_request
from tests.editors.conftest import open_editor, save
from tests.editors.group_support import GroupEditing, untouched_patch

pytestmark = pytest.mark.django_db
SLUG = "tools"
GROUP = set(GROUPS[SLUG].fields)

LOOKUP = {
    "name": "check_order",
    "description": "Look up an order.",
    "url": "https://shop.example/orders/{{order_id}}",
    "method": "GET",
    "headers": [
        {"key": "Authorization", "value": "Bearer {{token}}"},
        {"key": "X-Tenant", "value": "7"},
    ],
    "query_params": [{"key": "fields", "value": "status,eta"}],
    "body_template": None,
    "input_schema": [
        {"name": "order_id", "required": True, "type": "string", "description": "Order number"}
    ],
}
BOOK = {
    "name": "book_table",
    "description": "Book a table.",
    "url": "https://book.example/api",
    "method": "POST",
    "headers": [],
    "query_params": [],
    "body_template": '{"guests": "{{guests}}"}',
    "input_schema": [{"name": "guests", "required": True, "type": "number"}],
}


editing = GroupEditing.fixture(SLUG)


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"custom_tools": None},
        {"custom_tools": []},
        {"custom_tools": [LOOKUP, BOOK]},
        {"custom_tools": [{**BOOK, "body_template": "", "description": "Two\nlines"}]},
        {"custom_tools": [{**BOOK, "body_template": '{\n  "a": "{{guests}}"\n}\n'}]},
    ],
)
def test_an_untouched_form_gives_back_what_revox_holds(stored):
    assert untouched_patch(SLUG, {"id": "x", **stored}) == {
        k: stored[k] for k in GROUP if k in stored
    }


def test_it_saves_only_the_tools_field(cached, editing, editor):
    created = cached(name="Shop", custom_tools=[LOOKUP])

    response = editing.save(
        created["id"],
        **{
            # Existing tool: change a header, drop the query parameter, add an enum parameter.
            "tools-0-headers-1-value": "8",
            "tools-0-query-0-DELETE": "on",
            "tools-0-schema-1-name": "detail",
            "tools-0-schema-1-type": "enum",
            "tools-0-schema-1-enum_options": "short\r\nfull",
            # The blank tool at the end, filled in: a new tool, as a browser without JS adds it.
            "tools-1-name": "book_table",
            "tools-1-description": "Book a table.",
            "tools-1-method": "POST",
            "tools-1-url": " https://book.example/api ",
            "tools-1-body_template": '{"guests": "{{guests}}"}',
            "tools-1-schema-0-name": "guests",
            "tools-1-schema-0-type": "number",
            "tools-1-schema-0-required": "on",
        },
    )  # fmt: skip

    after = editing.assert_saved_only_the_group(response, created, by=editor)
    lookup = copy.deepcopy(LOOKUP)
    lookup["headers"][1]["value"] = "8"
    lookup["query_params"] = []
    lookup["input_schema"].append(
        {"name": "detail", "required": False, "type": "enum", "enum_options": ["short", "full"]}
    )
    assert after["custom_tools"] == [lookup, BOOK]


def test_a_tool_can_be_removed(cached, revox, editing):
    created = cached(custom_tools=[LOOKUP, BOOK])
    editing.save(created["id"], **{"tools-0-DELETE": "on"})
    assert revox.get(created["id"])["custom_tools"] == [BOOK]
    editing.save(created["id"], **{"tools-0-DELETE": "on"})
    assert revox.get(created["id"])["custom_tools"] is None


def test_the_page_works_without_javascript(cached, editor_client):
    created = cached(custom_tools=[LOOKUP])
    response, data = open_editor(editor_client, created["id"], SLUG)
    page = response.content.decode()
    # A blank tool to fill in (folded), blank rows to add a header / parameter, remove boxes.
    assert 'name="tools-1-name"' in page and "New tool — fill in to add it" in page
    assert 'name="tools-0-headers-2-key"' in page and 'name="tools-0-schema-1-name"' in page
    assert "Remove this tool when saving" in page
    assert data["tools-TOTAL_FORMS"] == "2"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tools-0-name": ""}, "name", t.NAME_REQUIRED),
        ({"tools-0-name": "Check Order"}, "name", "Try “check_order”"),
        ({"tools-0-name": "checkOrder"}, "name", t.NAME_NOT_SNAKE_CASE),
        ({"tools-0-name": "1st_check"}, "name", t.NAME_NOT_SNAKE_CASE),
        ({"tools-0-description": " \r\n"}, "description", t.DESCRIPTION_REQUIRED),
        ({"tools-0-url": ""}, "url", t.URL_REQUIRED),
        ({"tools-0-url": "ftp://shop.example"}, "url", t.URL_INVALID),
        ({"tools-0-url": "https://shop.example/a b"}, "url", t.URL_INVALID),
        ({"tools-0-url": "{{base}}/orders"}, "url", t.URL_INVALID),
        ({"tools-0-method": "HEAD"}, "method", "valid choice"),
        ({"tools-0-body_template": '{"guests": {{guests}}}'}, "body_template",
         "line 1, column 13). Put each placeholder inside quotes, like \"{{guests}}\"."),
        ({"tools-0-body_template": '{\r\n  "a": "x",\r\n}'}, "body_template",
         "The body isn't valid JSON: "),
        ({"tools-0-body_template": '{\r\n  "a": "x",\r\n}'}, "body_template", "(line 3, column 1)"),
        ({"tools-0-body_template": "{'a': 1}"}, "body_template", "(line 1, column 2)"),
    ],
)  # fmt: skip
def test_tools_are_validated_before_calling_revox(cached, editing, changes, field, message):
    created = cached(custom_tools=[LOOKUP])
    response = editing.save(created["id"], **changes)
    editing.assert_refused_before_revox(response, field, message, row=("tools", 0))
    assert "Some fields need a look" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "rows", "field", "message"),
    [
        ({"tools-0-headers-0-key": ""}, "headers", "key", "Give this header a name"),
        ({"tools-0-headers-2-value": "orphan"}, "headers", "key", "Give this header a name"),
        ({"tools-0-headers-0-key": "X Api Key"}, "headers", "key", t.HEADER_NAME_INVALID),
        ({"tools-0-headers-0-key": "X-Key:"}, "headers", "key", t.HEADER_NAME_INVALID),
        ({"tools-0-query-0-key": " "}, "query", "key", "Give this query parameter a name"),
        ({"tools-0-schema-1-name": "Order_ID"}, "schema", "name", "already called “Order_ID”"),
        ({"tools-0-schema-0-type": "enum"}, "schema", "enum_options", "List at least one option"),
    ],
)
def test_rows_of_a_tool_are_validated(cached, revox, editing, changes, rows, field, message):
    created = cached(custom_tools=[LOOKUP])
    response = editing.save(created["id"], **changes)
    tool = response.context["form"].formsets["tools"].forms[0]
    row = int(next(iter(changes)).split("-")[3])
    assert message in " ".join(tool.formsets[rows].forms[row].errors.get(field, []))
    assert tool.non_field_errors() == ["Some rows need a look; they are marked below."]
    assert revox.requests() == []


def test_two_tools_cannot_share_a_name(cached, editing, revox):
    created = cached(custom_tools=[LOOKUP, BOOK])
    response = editing.save(created["id"], **{"tools-1-name": "check_order"})

    forms = response.context["form"].formsets["tools"].forms
    assert forms[1].errors["name"] == [t.NAME_DUPLICATE.format(name="check_order")]
    assert "name" not in forms[0].errors
    assert revox.requests() == []


def test_variables_the_input_schema_lacks_are_a_warning_not_an_error(cached, revox, editor_client):
    created = cached(custom_tools=[LOOKUP])
    response, data = open_editor(editor_client, created["id"], SLUG)
    assert "{{token}} is not among the input parameters below" in response.content.decode()

    response = save(
        editor_client, created["id"], SLUG, data, **{"tools-0-url": "https://x.example/{{a}}/{{b}}"}
    )

    assert response.status_code == 302  # saved all the same
    assert revox.get(created["id"])["custom_tools"][0]["url"] == "https://x.example/{{a}}/{{b}}"


def test_preview_shows_the_request_and_saves_nothing(cached, editing, revox):
    created = cached(custom_tools=[LOOKUP])

    response = editing.save(
        created["id"],
        preview="tools-0", **{"tools-0-schema-0-sample": "A 17/b", "tools-0-name": "renamed"},
    )  # fmt: skip

    assert response.status_code == 200
    tool = response.context["form"].formsets["tools"].forms[0]
    assert tool.preview.text == (
        "GET https://shop.example/orders/A%2017%2Fb?fields=status%2Ceta\n"
        "Authorization: Bearer {{token}}\n"
        "X-Tenant: 7"
    )
    page = response.content.decode()
    assert "GET https://shop.example/orders/A%2017%2Fb" in page and 'value="A 17/b"' in page
    assert 'value="renamed"' in page  # what was typed stays, unsaved
    assert revox.requests("PATCH") == []
    assert revox.get(created["id"])["custom_tools"] == [LOOKUP]


def test_preview_of_an_invalid_tool_says_what_to_fix(cached, editing):
    created = cached(custom_tools=[LOOKUP])
    response = editing.save(created["id"], preview="tools-0", **{"tools-0-url": ""})
    tool = response.context["form"].formsets["tools"].forms[0]
    assert tool.preview is None and tool.preview_error == t.PREVIEW_NEEDS_VALID_TOOL
    assert escape(t.PREVIEW_NEEDS_VALID_TOOL) in response.content.decode()


def test_a_concurrent_change_is_a_conflict(cached, editing, revox):
    created = cached(custom_tools=[LOOKUP])

    conflict = editing.save_over_a_teammates_change(
        created["id"], {"custom_tools": [BOOK]}, **{"tools-0-description": "Mine."},
        shows=["Someone changed tools since you opened it"],
    )  # fmt: skip

    assert revox.get(created["id"])["custom_tools"] == [BOOK]
    after = editing.keep_mine(created["id"], conflict)
    assert after["custom_tools"][0]["description"] == "Mine."


def test_revox_errors_land_on_the_row_they_name(cached, editing):
    created = cached(custom_tools=[LOOKUP, BOOK])
    errors = {
        "custom_tools.0.headers.1.key": ["reserved header"],
        "custom_tools.0.input_schema.0.description": ["too short"],
        "custom_tools.1.url": ["host not allowed"],
        "custom_tools.1.headers.5.key": ["no such row"],
    }

    response = editing.save_refused_by_revox(
        created["id"], errors, **{"tools-0-description": "Changed."}
    )

    form = response.context["form"]
    first, second = form.formsets["tools"].forms[:2]
    assert first.formsets["headers"].forms[1].errors["key"] == ["reserved header"]
    assert first.formsets["headers"].forms[0].errors == {}
    assert first.formsets["schema"].forms[0].errors["description"] == ["too short"]
    assert second.errors["url"] == ["host not allowed"]
    assert "no such row" in " ".join(second.non_field_errors())
    page = response.content.decode()
    assert "reserved header" in page and "Changed." in page


def test_a_failed_save_keeps_the_input(cached, editing, revox):
    created = cached(custom_tools=[LOOKUP])

    response = editing.save_while_revox_fails(created["id"], **{"tools-0-headers-2-key": "X-Typed"})

    assert 'value="X-Typed"' in response.content.decode()
    assert revox.get(created["id"])["custom_tools"] == [LOOKUP]


def test_viewers_see_it_read_only(cached, editing, viewer_client):
    created = cached(custom_tools=[LOOKUP])
    editing.assert_read_only_for(viewer_client, created["id"])


# -- the request preview, a pure function ------------------------------------------------------


def test_preview_fills_every_placeholder_and_encodes_for_each_place():
    tool = {
        "method": "POST",
        "url": "https://api.example/{{ kind }}/items?lang=en",
        "headers": [{"key": "X-Key", "value": "k {{token}}"}],
        "query_params": [{"key": "q", "value": "{{term}}"}, {"key": "page size", "value": "a&b=c"}],
        "body_template": '{"term": "{{term}}", "note": "{{note}}"}',
    }
    values = {"kind": "a/b", "token": "t=1", "term": 'café "x"', "note": "line\nbreak"}

    preview = tool_request.request_preview(tool, values)

    assert preview.url == (
        "https://api.example/a%2Fb/items?lang=en&q=caf%C3%A9%20%22x%22&page%20size=a%26b%3Dc"
    )
    assert preview.headers == [("X-Key", "k t=1")]
    assert preview.body == '{"term": "café \\"x\\"", "note": "line\\nbreak"}'
    assert preview.missing == []


def test_preview_leaves_missing_values_visible():
    tool = {"method": "GET", "url": "https://x.example/{{id}}", "headers": [],
            "query_params": [{"key": "since", "value": "{{since}}"}], "body_template": None}  # fmt: skip

    preview = tool_request.request_preview(tool, {"id": "", "other": "1"})

    assert preview.url == "https://x.example/{{id}}?since={{since}}"
    assert preview.missing == ["id", "since"]
    assert preview.body is None
    assert preview.text == "GET https://x.example/{{id}}?since={{since}}"


def test_undeclared_variables_are_found_everywhere():
    tool = {**LOOKUP, "body_template": '{"a": "{{order_id}}", "b": "{{secret}}"}'}
    assert tool_request.undeclared_variables(tool) == ["token", "secret"]
