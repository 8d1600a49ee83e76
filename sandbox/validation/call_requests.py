"""Placing and finding calls: the body of POST /call (with an assistant configuration sent
inline, checked like a create) and of POST /call/search, as the SDK's `CallCreateParams` and
`CallSearchParams` describe them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.validation.assistant import ASSISTANT_FIELDS, READ_ONLY_FIELDS
from sandbox.validation.calls import OUTCOMES
from sandbox.validation.engine import (
    Check,
    Errors,
    Field,
    array,
    boolean,
    check_fields,
    join,
    number,
    obj,
    one_of,
    string,
)
from sandbox.validation.formats import e164

CALL_STATUSES = (
    "initializing",
    "queued_for_calling",
    "calling",
    "post_processing",
    "not_launched",
    "scheduled",
    "paused",
    "completed",
    "cancelled",
    "errored",
)
RESULTS = ("IVR", "voicemail", "human", "unknown", "ios-screening-filter", "none")
DIRECTIONS = ("inbound", "outbound")
SORT_FIELDS = ("created_at", "updated_at", "scheduled_at", "status", "outcome", "to_phone_number")
SORT_DIRECTIONS = ("asc", "desc")
MAX_PAGE_SIZE = 100

# An inline configuration is a create body without the name (the SDK's call-create `Assistant`
# has none), the prompt required.
INLINE_ASSISTANT_FIELDS = {key: spec for key, spec in ASSISTANT_FIELDS.items() if key != "name"}


def string_map() -> Check:
    """An object of string values (metadata, prompt variables)."""

    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, dict):
            errors.add(path, "must be an object")
            return
        for key, item in value.items():
            if not isinstance(item, str):
                errors.add(join(path, key), "must be a string")

    return check


def iso_datetime() -> Check:
    def check(value: Any, path: str, errors: Errors) -> None:
        if not isinstance(value, str) or parse_datetime_ms(value) is None:
            errors.add(path, "must be an ISO 8601 date and time (e.g. 2026-12-01T09:30:00Z)")

    return check


def parse_datetime_ms(text: str) -> int | None:
    """Epoch milliseconds of an ISO 8601 date-time; one without a zone is UTC. None if bad."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def inline_assistant(value: Any, path: str, errors: Errors) -> None:
    if not isinstance(value, dict):
        errors.add(path, "must be an object")
        return
    writable = {}
    for key, item in value.items():
        if key in READ_ONLY_FIELDS:
            errors.add(join(path, key), "read-only field")
        else:
            writable[key] = item
    check_fields(writable, INLINE_ASSISTANT_FIELDS, path, errors)
    if "prompt" not in value:
        errors.add(join(path, "prompt"), "required")


CALL_CREATE_FIELDS: dict[str, Field] = {
    "phone_number": Field(e164(), required=True),
    "assistant_id": Field(string(min_len=1)),
    "assistant": Field(inline_assistant),
    "concurrency": Field(obj({"key": Field(string(), required=True)})),
    "from_phone_number": Field(e164()),
    "metadata": Field(string_map()),
    "prompt_variables": Field(string_map()),
    "scheduled_at": Field(iso_datetime()),
    "skip_calling_window": Field(boolean()),
}


def validate_call_create(body: dict) -> Errors:
    errors = Errors()
    check_fields(body, CALL_CREATE_FIELDS, "", errors)
    has_id, has_inline = body.get("assistant_id") is not None, body.get("assistant") is not None
    if not has_id and not has_inline:
        errors.add("assistant_id", "required (or an inline assistant)")
    elif has_id and has_inline:
        errors.add("assistant", "give either assistant_id or assistant, not both")
    return errors


CALL_SEARCH_FIELDS: dict[str, Field] = {
    "assignee_ids": Field(array(string()), required=True),
    "assistant_ids": Field(array(string()), required=True),
    "campaign_ids": Field(array(string()), required=True),
    "directions": Field(array(one_of(DIRECTIONS)), required=True),
    "from_phone_numbers": Field(array(string()), required=True),
    "outcomes": Field(array(one_of(OUTCOMES)), required=True),
    "page": Field(number(integer=True, minimum=1), required=True),
    "page_size": Field(number(integer=True, minimum=1, maximum=MAX_PAGE_SIZE), required=True),
    "results": Field(array(one_of(RESULTS)), required=True),
    "statuses": Field(array(one_of(CALL_STATUSES)), required=True),
    "call_ids": Field(array(string())),
    "query": Field(string()),
    "sort_by": Field(one_of(SORT_FIELDS)),
    "sort_direction": Field(one_of(SORT_DIRECTIONS)),
    "to_phone_number": Field(string()),
}


def validate_call_search(body: dict) -> Errors:
    errors = Errors()
    check_fields(body, CALL_SEARCH_FIELDS, "", errors)
    return errors
