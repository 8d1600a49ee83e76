"""What an assistant does beyond talking: custom tools (with their input schema, which is
also the shape of one structured-output field) and the Calendly, Slack and Zoho integrations."""

from __future__ import annotations

from sandbox.validation.calls import OUTCOMES
from sandbox.validation.engine import (
    Errors,
    Field,
    array,
    boolean,
    join,
    obj,
    one_of,
    string,
)
from sandbox.validation.formats import (
    snake_case_name,
    tool_url,
)

OUTPUT_TYPES = ("string", "number", "boolean", "enum", "date", "datetime")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def check_enum_options(field: dict, path: str, errors: Errors) -> None:
    options = field.get("enum_options")
    options_path = join(path, "enum_options")
    if field.get("type") == "enum":
        if options is None:
            errors.add(options_path, 'required when type is "enum"')
        elif isinstance(options, list):
            if not options:
                errors.add(options_path, "must have at least 1 option")
            seen: set[str] = set()
            for index, option in enumerate(options):
                if isinstance(option, str) and option.strip():
                    if option.strip() in seen:
                        errors.add(join(options_path, index), "duplicate option")
                    seen.add(option.strip())
    elif options:
        # An empty list (or null) says "no options" and is harmless on other types.
        errors.add(options_path, 'only allowed when type is "enum"')


# One field extracted from a call, or one parameter of a custom tool.
SCHEMA_FIELD = obj(
    {
        "name": Field(string(min_len=1), required=True),
        "required": Field(boolean(), required=True),
        "type": Field(one_of(OUTPUT_TYPES), required=True),
        "description": Field(string()),
        "enum_options": Field(array(string(non_blank=True))),
    },
    extra=check_enum_options,
)

KEY_VALUE = obj(
    {"key": Field(string(min_len=1), required=True), "value": Field(string(), required=True)}
)


def check_unique_tool_names(tools: list, path: str, errors: Errors) -> None:
    seen: set[str] = set()
    for index, tool in enumerate(tools):
        name = tool.get("name") if isinstance(tool, dict) else None
        if isinstance(name, str) and name:
            if name in seen:
                errors.add(join(join(path, index), "name"), "duplicate tool name")
            seen.add(name)


CUSTOM_TOOL = obj(
    {
        "name": Field(snake_case_name(), required=True),
        "description": Field(string(min_len=1), required=True),
        "url": Field(tool_url(), required=True),
        "method": Field(one_of(HTTP_METHODS), required=True),
        "headers": Field(array(KEY_VALUE), required=True),
        "query_params": Field(array(KEY_VALUE), required=True),
        "body_template": Field(string(), required=True, nullable=True),
        "input_schema": Field(array(SCHEMA_FIELD), required=True),
    }
)

CALENDLY = obj(
    {
        "connection_id": Field(string(), required=True),
        "event_type_id": Field(string(), required=True),
    }
)

SLACK = obj(
    {
        "connection_id": Field(string(), required=True),
        "channels": Field(
            array(
                obj(
                    {
                        "id": Field(string(min_len=1), required=True),
                        "name": Field(string(), nullable=True),
                    }
                )
            ),
            required=True,
        ),
        "outcomes": Field(array(one_of(OUTCOMES)), required=True),
        "template": Field(string(), nullable=True),
    }
)

ZOHO = obj(
    {
        "connection_id": Field(string(), required=True),
        "module": Field(string(), required=True),
        "field_mapping": Field(
            array(
                obj(
                    {
                        "source": Field(string(), required=True),
                        "zoho_field": Field(string(), required=True),
                    }
                )
            ),
            required=True,
        ),
        "outcomes": Field(array(one_of(OUTCOMES)), required=True),
        "template": Field(string(), nullable=True),
        "log_call_activity": Field(boolean(), required=True),
    }
)
