"""The Revox client's errors: one tree, one function from an HTTP status to its class.

Every failure talking to Revox becomes one of these; `str(err)` is a plain sentence for the
user (the module constants, which the tests reuse). Connection and timeout failures stand apart
from status errors, each carrying status, body and request id (the Stainless clients' shape).
"""

from __future__ import annotations

from typing import Any

import requests

UNAVAILABLE_MESSAGE = "Revox can't be reached right now. Try again in a moment."
TIMEOUT_MESSAGE = "Revox took too long to answer. Nothing was changed on our side; try again."
WRITE_TIMEOUT_MESSAGE = (
    "Revox took too long to answer, so we can't tell whether the change was applied. "
    "Reload to check before trying again."
)
SERVER_ERROR_MESSAGE = "Revox had an internal problem ({status}). Try again in a moment."
BAD_RESPONSE_MESSAGE = "Revox sent an answer we could not read. Try again in a moment."
AUTH_MESSAGE = "Revox rejected our API key."
# A form sent without JavaScript whose save met that refusal: it comes back as typed, with this.
AUTH_NOTHING_SAVED_MESSAGE = (
    "Revox rejected this dashboard's API key, so nothing was saved. What you typed is kept "
    "here: save again once the key works (an Admin can check it on the Health page)."
)
NOT_FOUND_MESSAGE = "This assistant no longer exists in Revox (it may have been deleted)."
VALIDATION_MESSAGE = "Revox refused the change."
RATE_LIMITED_MESSAGE = (
    "Revox is limiting how fast we can send changes. Wait a few seconds and retry."
)
CONFLICT_MESSAGE = "Revox reported a conflict with another change. Reload and try again."
REQUEST_ERROR_MESSAGE = "Revox refused the request ({status})."

# A voice preview is a few seconds of audio; anything far bigger is not one.


class RevoxError(Exception):
    """Base of every failure talking to Revox; `str(err)` is a sentence for the user."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: Any = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.request_id = request_id


class RevoxUnavailable(RevoxError):
    """Revox could not be reached or answered unusably: connection, timeout, 5xx, not JSON.

    `request_sent` is False only when no connection was ever made (refused, unresolvable,
    connect timeout): then Revox surely did nothing. Otherwise a write may have been applied."""

    def __init__(self, message: str, *, request_sent: bool = True, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.request_sent = request_sent


class RevoxTimeout(RevoxUnavailable):
    def __init__(self, message: str, *, read_timeout: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.read_timeout = read_timeout


class RevoxAuthError(RevoxError):
    """401/403: the configured key is missing, wrong or revoked."""


class RevoxNotFound(RevoxError):
    pass


class RevoxConflict(RevoxError):
    pass


class RevoxRateLimited(RevoxError):
    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class RevoxValidationError(RevoxError):
    """400/422. `field_errors` maps a dotted path (`voice.speed`) to messages."""

    def __init__(
        self,
        message: str,
        *,
        field_errors: dict[str, list[str]] | None = None,
        non_field_errors: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.field_errors = field_errors or {}
        self.non_field_errors = non_field_errors or []


class RevoxRequestError(RevoxError):
    """Any other 4xx."""


def _retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        # An HTTP date; rare enough that "wait the longest we are willing to" is fine.
        return None


def _join_path(parts: list[Any]) -> str:
    return ".".join(str(p) for p in parts if p not in (None, ""))


def parse_validation_body(body: Any) -> tuple[dict[str, list[str]], list[str]]:
    """Field errors from whatever JSON error body comes back, tolerantly.

    Understands `{"error": {"fields": {path: [msg]}}}`, `{"errors": {path: msg}}`, lists of
    `{"path": [..] | "a.b", "message": ...}` (zod / pydantic / JSON-schema style, under `errors`,
    `issues` or `detail`) and a bare `{"message": ...}`. Anything else becomes one general error.
    """
    fields: dict[str, list[str]] = {}
    general: list[str] = []

    def add(path: str, message: Any) -> None:
        messages = message if isinstance(message, list) else [message]
        for msg in messages:
            text = msg.get("message") if isinstance(msg, dict) else msg
            if text in (None, ""):
                continue
            (fields.setdefault(path, []) if path else general).append(str(text))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("fields", "field_errors", "errors", "issues", "detail", "details"):
                if key in node:
                    walk_errors(node[key])
            if isinstance(node.get("error"), dict | list):
                walk(node["error"]) if isinstance(node["error"], dict) else walk_errors(
                    node["error"]
                )
        elif isinstance(node, list):
            walk_errors(node)

    def walk_errors(errors: Any) -> None:
        if isinstance(errors, dict):
            for path, message in errors.items():
                if isinstance(message, dict) and "message" not in message:
                    walk(message)
                else:
                    add(str(path), message)
        elif isinstance(errors, list):
            for item in errors:
                if isinstance(item, dict):
                    raw_path = item.get("path", item.get("loc", item.get("field", "")))
                    path = (
                        _join_path(raw_path) if isinstance(raw_path, list) else str(raw_path or "")
                    )
                    add(path, item.get("message", item.get("msg")))
                elif isinstance(item, str):
                    general.append(item)
        elif isinstance(errors, str):
            general.append(errors)

    walk(body)
    if not fields and not general and isinstance(body, dict):
        message = body.get("message") or (
            body["error"] if isinstance(body.get("error"), str) else None
        )
        if isinstance(body.get("error"), dict):
            message = body["error"].get("message", message)
        if message:
            general.append(str(message))
    return fields, general


def error_for_status(
    status: int,
    body: Any,
    request_id: str | None,
    response: requests.Response | None = None,
    *,
    parsed: bool = True,
) -> RevoxError:
    """The one mapping from an HTTP status to our error classes."""
    kwargs: dict[str, Any] = {"status": status, "body": body, "request_id": request_id}
    if not parsed and (200 <= status < 300):
        return RevoxUnavailable(BAD_RESPONSE_MESSAGE, **kwargs)
    if status in (401, 403):
        return RevoxAuthError(AUTH_MESSAGE, **kwargs)
    if status == 404:
        return RevoxNotFound(NOT_FOUND_MESSAGE, **kwargs)
    if status == 409:
        return RevoxConflict(CONFLICT_MESSAGE, **kwargs)
    if status == 429:
        retry_after = _retry_after_seconds(response) if response is not None else None
        return RevoxRateLimited(RATE_LIMITED_MESSAGE, retry_after=retry_after, **kwargs)
    if status in (400, 422):
        fields, general = parse_validation_body(body)
        return RevoxValidationError(
            VALIDATION_MESSAGE, field_errors=fields, non_field_errors=general, **kwargs
        )
    if status == 408:
        return RevoxTimeout(TIMEOUT_MESSAGE, **kwargs)
    if status >= 500:
        return RevoxUnavailable(SERVER_ERROR_MESSAGE.format(status=status), **kwargs)
    return RevoxRequestError(REQUEST_ERROR_MESSAGE.format(status=status), **kwargs)
